"""The site identity (主办单位 … 公安机关备案号) in mkdocs.yml and every footer, the 网站地图 page,
and a date (最后更新) on every page, with `gongkai check` reporting the pages that would have none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import commit_site, gongkai_check, mkdocs_build, write_site
from gongkai.catalog.pages import SitePage, navigation, plan_pages
from gongkai.catalog.sitemap import SITEMAP_PAGE, sitemap_data
from gongkai.model import load_catalog
from gongkai.model.primitives.frontmatter import Source
from gongkai.model.schema.identity import identity_problems

LOCATED = re.compile(r"^mkdocs\.yml:(\d+):(\d+): error: identity\.(\w+): (.+)$", re.M)
SAMPLE_IDENTITY = {"sponsor": "安澜县人民政府办公室", "organizer": "安澜县数据局", "site_code": "3607000099",
                   "icp": "赣ICP备2026000099号-1", "police": "赣公网安备36070002000099号"}


def set_identity(root: Path, identity: dict | None) -> str:
    """Rewrite the site's mkdocs.yml with this identity (None: without one); returns the text."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = config["plugins"]
    index = next(i for i, p in enumerate(plugins) if p == "gongkai/catalog" or "gongkai/catalog" in p)
    plugins[index] = {"gongkai/catalog": {"identity": identity}} if identity is not None else "gongkai/catalog"
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return text


def position_of(text: str, field: str) -> tuple[int, int]:
    """Line and column of a field's value in the YAML text, found by reading the text."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(rf"^(\s*){field}: ", line)
        if match:
            return number, match.end() + 1
    raise AssertionError(f"{field} not in the configuration")


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# --- the identity's form --------------------------------------------------------------------------
@pytest.mark.parametrize("field, value", [
    ("site_code", "3607000099"), ("site_code", 3406000012), ("site_code", "bm01000001"),
    ("icp", "赣ICP备2023001234号-1"), ("icp", "京ICP备05070218号"), ("icp", "粤ICP备12345678号-12"),
    ("police", "赣公网安备36072702000123号"), ("police", "京公网安备11010502030143号"),
    ("sponsor", "安澜县人民政府办公室"), ("organizer", "安澜县数据局"),
])
def test_good_values_pass(field, value):
    assert identity_problems({field: value}, Source("mkdocs.yml"), ("identity",)) == []


@pytest.mark.parametrize("field, value, says", [
    ("site_code", "36070000", "it has 8 characters, a 网站标识码 has 10 digits"),
    ("site_code", "36070000991", "it has 11 characters"),
    ("site_code", "3607-00009", "it has 10 characters, a 网站标识码 has 10 digits"),
    ("site_code", "９６０７０００００９", "write half-width characters"),
    ("site_code", "9907000099", "does not begin with a province's division code"),
    ("icp", "赣ICP2023001234号", "is not an ICP备案号"),
    ("icp", "ICP备2023001234号-1", "is not an ICP备案号"),
    ("icp", "赣ICP备2023001234", "is not an ICP备案号"),
    ("icp", "港ICP备2023001234号", "is not an ICP备案号"),
    ("icp", "赣ICP备２０２３００１２３４号", "write half-width digits"),
    ("police", "赣公网安备3607270200012号", "is not a 公安机关备案号"),
    ("police", "赣公安备36072702000123号", "is not a 公安机关备案号"),
    ("police", "赣ICP备2023001234号-1", "is not a 公安机关备案号"),
])
def test_wrong_forms_are_errors(field, value, says):
    [problem] = identity_problems({field: value}, Source("mkdocs.yml"), ("identity",))
    assert problem.severity.value == "error" and problem.field == f"identity.{field}"
    assert says in problem.message and problem.hint


def test_unknown_field_has_a_did_you_mean():
    [problem] = identity_problems({"site_cod": "3607000099"}, Source("mkdocs.yml"), ("identity",))
    assert "'site_cod' is not a field of the site identity" in problem.message
    assert problem.hint == "did you mean site_code?"


BAD = {"site_code": "36070000", "icp": "赣ICP2023001234号", "police": "赣公网安备123号"}


def test_bad_identity_stops_the_build_with_every_error_located(small_site: Path):
    """Every wrong value at once, at its line and column in mkdocs.yml; the last good site stays."""
    text = set_identity(small_site, {**SAMPLE_IDENTITY, **BAD})
    before = html(small_site / "site", "index.html")
    result = mkdocs_build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.output
    found = {m.group(3): (int(m.group(1)), int(m.group(2))) for m in LOCATED.finditer(result.output)}
    assert found == {field: position_of(text, field) for field in BAD}, result.output
    assert html(small_site / "site", "index.html") == before
    check = gongkai_check(small_site)
    assert check.returncode == 1
    assert {m.group(3): (int(m.group(1)), int(m.group(2))) for m in LOCATED.finditer(check.stdout)} == found


@pytest.mark.parametrize("field", ["site_code", "icp", "police"])
def test_each_bad_field_alone(fresh_site: Path, field):
    text = set_identity(fresh_site, {**SAMPLE_IDENTITY, field: BAD[field]})
    line, column = position_of(text, field)
    check = gongkai_check(fresh_site)
    assert check.returncode == 1, check.output
    assert re.search(rf"^mkdocs\.yml:{line}:{column}: error: identity\.{field}: '.+' is not an? .+; .+$",
                     check.stdout, re.M), check.stdout


def test_check_warns_of_a_missing_identity_and_fields(fresh_site: Path):
    commit_site(fresh_site)
    set_identity(fresh_site, None)
    check = gongkai_check(fresh_site)
    assert check.returncode == 0
    assert re.search(r"^mkdocs\.yml:\d+:\d+: warning: identity: the site has no identity", check.stdout, re.M)
    text = set_identity(fresh_site, {"sponsor": "测试县人民政府办公室"})
    check = gongkai_check(fresh_site)
    assert check.returncode == 0
    lines = [line for line in check.stdout.splitlines() if "identity." in line]
    assert sorted(line.split(": ")[2] for line in lines) == ["identity.icp", "identity.police", "identity.site_code"]
    # A missing field is pointed at the identity's fields, where it goes (the first, sponsor:).
    at, column = position_of(text, "sponsor")
    assert all(line.startswith(f"mkdocs.yml:{at}:{column - len('sponsor: ')}:") for line in lines), lines
    set_identity(fresh_site, SAMPLE_IDENTITY)
    check = gongkai_check(fresh_site)
    assert check.returncode == 0 and check.stdout == "", check.output


def test_check_finds_the_config_given(fresh_site: Path, tmp_path: Path):
    set_identity(fresh_site, {**SAMPLE_IDENTITY, "site_code": "123"})
    moved = tmp_path / "elsewhere.yml"
    (fresh_site / "mkdocs.yml").rename(moved)
    assert "identity" not in gongkai_check(fresh_site).stdout  # no mkdocs.yml beside content/
    given = gongkai_check(fresh_site, "--config", str(moved))
    assert given.returncode == 1 and "identity.site_code: '123' is not a 网站标识码" in given.stdout


# --- the footer -----------------------------------------------------------------------------------
FOOTER_PAGES = ["index.html", "units/index.html", "units/zrj/index.html", "units/zrj/powers/ZRJ-XK-001/index.html",
                "units/zrj/documents/2021/2021-gz/index.html", "documents/2021/index.html", "notices/index.html",
                "search/index.html", "sitemap/index.html", "404.html"]


def footer(page: str) -> str:
    return page[page.index('<div class="md-copyright">'):page.index("</footer>")]


def test_identity_in_every_footer(built_small_site: Path):
    site = built_small_site / "site"
    for rel in FOOTER_PAGES:
        text = footer(html(site, rel))
        assert '<ul class="gk-identity" aria-label="网站标识">' in text, rel
        items = re.findall(r"<li>(.*?)</li>", text)
        plain = [re.sub(r"<[^>]+>", "", i) for i in items]
        assert plain == ["主办单位：安澜县人民政府办公室", "承办单位：安澜县数据局", "网站标识码：3607000099",
                         "ICP备案号：赣ICP备2026000099号-1", "公安机关备案号：赣公网安备36070002000099号"], rel
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener">赣ICP备2026000099号-1</a>' in text
        assert "code=36070002000099" in text
        assert re.search(r'<nav class="gk-footer-links" aria-label="页脚链接"><a href="(\./|[^"]*sitemap/)">网站地图</a>', text), rel
        assert "本站更新：" in text
    # The copyright line no longer names the 主办单位: it is said once, in the identity.
    assert html(site, "index.html").count("安澜县人民政府办公室") == 1


def test_footer_escapes_the_configuration(fresh_site: Path):
    set_identity(fresh_site, {**SAMPLE_IDENTITY, "sponsor": "测试县<b>人民政府</b>办公室"})
    result = mkdocs_build(fresh_site)
    assert result.returncode == 0, result.output
    text = footer(html(fresh_site / "site", "index.html"))
    assert "主办单位：测试县&lt;b&gt;人民政府&lt;/b&gt;办公室" in text and "<b>" not in text


def test_no_identity_no_list(fresh_site: Path):
    set_identity(fresh_site, None)
    assert mkdocs_build(fresh_site).returncode == 0
    text = footer(html(fresh_site / "site", "index.html"))
    assert "gk-identity" not in text and "网站地图" in text


# --- 网站地图 ---------------------------------------------------------------------------------------
def sitemap_links(site: Path) -> list[tuple[str, str]]:
    page = html(site, "sitemap/index.html")
    body = page[page.index('<nav class="gk-sitemap"'):]
    body = body[:body.index("</nav>")]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', body)


def test_sitemap_lists_sections_units_and_lists_never_items(built_small_site: Path):
    site = built_small_site / "site"
    links = sitemap_links(site)
    titles = [t for _, t in links]
    # The sections in the navigation's order, each unit (by its short name, as in the navigation),
    # the archive's year and validity pages, the 政府信息公开 section's 年度报告 list and 公开目录.
    # Another plugin's page (gongkai/history's 清单动态调整) under the section of its folder.
    assert titles == ["首页", "单位目录", "县政府", "县自然资源局", "权责清单", "清单动态调整", "办事指南", "政策文件",
                      "2021年文件", "有效文件", "公示公告", "政府信息公开", "政府信息公开工作年度报告",
                      "政府信息公开目录", "行政执法公示", "检索"]
    hrefs = dict((t, h) for h, t in links)
    assert hrefs["县自然资源局"] == "../units/zrj/" and hrefs["2021年文件"] == "../documents/2021/"
    assert hrefs["政府信息公开目录"] == "../disclosure/catalog/"
    # The 公开目录's leaves (an issuer, a genre, a year: disclosure/catalog/issuers/zrj/) are
    # reached from its index, not from the map; nor is the annual report (a record).
    assert not [h for h, _ in links if h.startswith("../disclosure/catalog/") and h != "../disclosure/catalog/"]
    assert (site / "disclosure/catalog/issuers/zrj/index.html").is_file()
    # Unit types as headings of their units; no item, document, guide or notice.
    page = html(site, "sitemap/index.html")
    assert "<li>县直部门<ul>" in page and "<li>县人民政府<ul>" in page
    for href, _ in links:
        assert not re.search(r"units/[^/]+/(powers|guides|documents|notices)/", href), href
    assert "建设工程规划许可证核发" not in page.split('<nav class="gk-sitemap"')[1]
    # Not in the navigation (footer link only), and readable without JavaScript: plain lists.
    assert "sitemap/" not in html(site, "index.html").split('<div class="md-copyright">')[0]
    assert "<script" not in page.split('<nav class="gk-sitemap"')[1].split("</nav>")[0]


def test_sitemap_takes_new_list_pages_without_edits(fresh_site: Path):
    """A section another part adds to the navigation, and the list pages planned under it down to
    three levels (a part, a part's page per unit), are mapped from the navigation and the planned
    pages; their record pages and the leaves below are not."""
    catalog, _ = load_catalog(fresh_site / "content")
    pages = plan_pages(catalog)
    record = next(p for p in pages if "record" in p.data)
    added = [SitePage("statistics/index.md", "统计信息", "gongkai/x.html"),
             SitePage("statistics/surveys/index.md", "统计调查", "gongkai/x.html",
                      {"items": [record.data["record"]]}),
             SitePage("statistics/units/zrj/index.md", "县自然资源局统计信息", "gongkai/x.html"),
             SitePage("statistics/units/zrj/2025.md", "2025年（县自然资源局）", "gongkai/x.html"),
             SitePage("statistics/surveys/topics/3/index.md", "人口普查", "gongkai/x.html"),
             SitePage("statistics/2025-county.md", "2025年统计公报", "gongkai/x.html",
                      {"record": record.data["record"]}),
             SitePage("open-data/index.md", "数据开放", "gongkai/x.html")]
    nav = navigation(catalog) + [{"统计信息": "statistics/index.md"}]
    sections = sitemap_data(catalog, nav, pages + added)["sections"]
    by_title = {s.title: s for s in sections}
    statistics = by_title["统计信息"]
    assert statistics.page == "statistics/index.md"
    assert [(c.title, c.page) for c in statistics.children] == [
        ("统计调查", "statistics/surveys/index.md"), ("县自然资源局统计信息", "statistics/units/zrj/index.md")]
    assert [s.title for s in sections][-3:] == ["检索", "统计信息", "其他"]  # in no section: last, under 其他
    assert [(c.title, c.page) for c in by_title["其他"].children] == [("数据开放", "open-data/index.md")]
    # The planned sitemap is one of the pages, mapping everything planned before it.
    assert pages[-1].src_uri == SITEMAP_PAGE and SITEMAP_PAGE not in str(pages[-1].data)


def test_sitemap_grows_with_units_not_items(fresh_site: Path):
    powers = fresh_site / "content/units/zrj/powers"
    for n in range(30):
        text = (powers / "JC-001.md").read_text(encoding="utf-8")
        (powers / f"JC-{n + 100}.md").write_text(text.replace("ZRJ-JC-001", f"ZRJ-JC-{n + 100}"), encoding="utf-8")
    catalog, _ = load_catalog(fresh_site / "content")
    sitemap = plan_pages(catalog)[-1]

    def count(entries):
        return sum(1 + count(e.children) for e in entries)

    # 15 links (as on the built small site) plus the 2 unit types as headings: no item added.
    assert count(sitemap.data["sections"]) == 17


# --- 最后更新 on every page -----------------------------------------------------------------------
DATE = re.compile(r'<p class="gk-page-updated">最后更新：<time datetime="(\d{4}-\d\d-\d\d)">[^<]+</time>(（据内容所载日期）)?</p>')
# Not content: the error page a server sends for a missing address.
NOT_PAGES = {"404.html"}


def page_dates(site: Path) -> dict[str, list[tuple[str, str]]]:
    """Every page of a built site (an HTML file with Material's article) → its date elements."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        if "md-content__inner" not in text or rel in NOT_PAGES:
            continue
        found[rel] = DATE.findall(text)
    return found


def test_every_page_has_one_date_in_git(tmp_path: Path):
    root = write_site(tmp_path / "county")
    (root / "content/about.md").write_text("# 关于本站\n\n本站由测试县人民政府办公室主办。\n", encoding="utf-8")
    commit_site(root, "2026-11-01")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    dates = page_dates(root / "site")
    assert len(dates) >= 20  # records, lists, the home page, a free page, search, 网站地图, 清单动态调整
    for rel in ("index.html", "about/index.html", "sitemap/index.html", "search/index.html", "units/index.html",
                "units/county/index.html", "powers/changes/index.html", "documents/valid/index.html"):
        assert rel in dates
    assert {rel: d for rel, d in dates.items() if len(d) != 1} == {}
    # In git, the commit dates the pages, except where the content is later.
    assert dates["units/zrj/powers/ZRJ-XK-001/index.html"] == [("2026-11-01", "")]
    assert dates["about/index.html"] == [("2026-11-01", "")]
    assert dates["units/zrj/notices/2026-gs/index.html"] == [("2026-11-15", "（据内容所载日期）")]
    assert dates["index.html"] == [("2026-11-15", "")]  # the newest of the site
    # 清单动态调整 (gongkai/history's page under powers/): as new as the power list it adjusts.
    assert dates["powers/changes/index.html"] == dates["powers/index.html"] == [("2026-11-01", "")]
    # A free page is on the 网站地图 too, under 其他 (it is in no section's folder), by its title.
    assert sitemap_links(root / "site")[-1] == ("../about/", "关于本站")
    assert "<li>其他<ul>" in html(root / "site", "sitemap/index.html")


def test_outside_git_pages_have_their_contents_dates(built_small_site: Path):
    dates = page_dates(built_small_site / "site")
    assert dates["units/zrj/documents/2021/2021-gz/index.html"] == [("2021-05-20", "（据内容所载日期）")]
    assert dates["documents/2021/index.html"] == [("2021-05-20", "")]  # the newest it lists
    assert dates["units/zrj/index.html"] == [("2026-11-15", "")]  # its newest record (the notice)
    assert dates["notices/index.html"] == [("2026-11-15", "")]
    assert dates["index.html"] == dates["sitemap/index.html"] == [("2026-11-15", "")]
    # The county is as new as its newest record (its annual report), and so is the list of reports.
    assert dates["units/county/index.html"] == dates["disclosure/reports/index.html"] == [("2026-03-20", "")]
    assert dates["units/county/annual-reports/2025/index.html"] == [("2026-03-20", "（据内容所载日期）")]
    # Nothing can date this outside git: `gongkai check` says so (test below).
    assert dates["units/zrj/powers/ZRJ-XK-001/index.html"] == []


def test_check_reports_pages_without_a_date(fresh_site: Path):
    (fresh_site / "content/about.md").write_text("# 关于本站\n", encoding="utf-8")
    (fresh_site / "content/help.md").write_text("---\nupdated: 2026-03-01\n---\n# 使用帮助\n", encoding="utf-8")
    check = gongkai_check(fresh_site)
    assert check.returncode == 0, check.output
    undated = sorted(line.split(":")[0] for line in check.stdout.splitlines() if "would show no date" in line)
    assert undated == ["content/about.md", "content/units/county/powers/QR-001.md",
                       "content/units/zrj/guides/xk-001.md", "content/units/zrj/powers/CF-001.md",
                       "content/units/zrj/powers/JC-001.md", "content/units/zrj/powers/XK-001.md"]
    assert ("content/about.md:1:1: warning: the page would show no date (最后更新): the content is not in a git "
            "repository, and the page gives no 'updated:'; add 'updated: YYYY-MM-DD' to its front matter, or build "
            "from a git checkout") in check.stdout.splitlines()
    assert "give 'updated:'" in next(line for line in check.stdout.splitlines() if "guides/xk-001.md" in line)
    # The dated free page shows its date; in git nothing is reported.
    assert mkdocs_build(fresh_site).returncode == 0
    assert DATE.findall(html(fresh_site / "site", "help/index.html")) == [("2026-03-01", "（据内容所载日期）")]
    commit_site(fresh_site)
    assert "would show no date" not in gongkai_check(fresh_site).stdout


def test_a_free_pages_wrong_date_is_located(fresh_site: Path):
    (fresh_site / "content/help.md").write_text("---\ntitle: 使用帮助\nupdated: 2026-02-30\n---\n正文。\n",
                                                encoding="utf-8")
    check = gongkai_check(fresh_site)
    assert check.returncode == 1
    assert ("content/help.md:3:10: error: updated: '2026-02-30' is not a date: 2026年2月 has 28 days; write the "
            "date the page was last updated, e.g. 2026-03-01") in check.stdout.splitlines()


# --- in a browser: a 320 px phone, no JavaScript ----------------------------------------------------
def test_footer_wraps_on_a_phone_and_the_sitemap_reads_without_javascript(browser, sample_server):
    from conftest import BrowserSession

    with BrowserSession.clean(browser, sample_server, javascript=False, width=320) as session:
        for rel in ("units/", "sitemap/"):
            page = session.goto(rel)
            identity = page.locator("ul.gk-identity")
            assert identity.is_visible()
            assert page.locator("ul.gk-identity li").count() == 5
            box = identity.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box  # wraps, never off-screen
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
            footer = page.locator(".md-footer-meta").bounding_box()
            assert footer["x"] + footer["width"] <= 320
            assert page.evaluate("document.querySelector('.md-footer-meta').scrollWidth") <= 320
        nav = page.locator("nav.gk-sitemap")
        assert nav.is_visible() and page.locator("article h1").inner_text().strip() == "网站地图"
        # A unit's link once (by its name), and its 法定主动公开内容 tree titled with its full name;
        # the tree's single columns are not on the map.
        assert nav.get_by_role("link", name="县自然资源局", exact=True).is_visible()
        assert nav.get_by_role("link", name="安澜县自然资源局法定主动公开内容", exact=True).is_visible()
        assert nav.get_by_role("link", name="县自然资源局", exact=False).count() == 2
        trees = nav.locator("a[href*='disclosure/columns/']")
        assert [trees.nth(i).get_attribute("href") for i in range(trees.count())] == [
            "../disclosure/columns/county/", "../disclosure/columns/zrzyj/", "../disclosure/columns/scjgj/",
            "../disclosure/columns/mzj/"]
        assert nav.get_by_role("link", name="2021年文件").is_visible()
        page.locator("nav.gk-footer-links").get_by_role("link", name="网站地图").click()
        assert page.url.endswith("/sitemap/")


def test_a_number_where_a_registration_goes_is_located(fresh_site: Path):
    """Unquoted digits reach the form check (MkDocs would report a type without a line)."""
    text = set_identity(fresh_site, {**SAMPLE_IDENTITY, "site_code": 36070000, "icp": 2023001234})
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    for field, value in (("site_code", "36070000"), ("icp", "2023001234")):
        line, column = position_of(text, field)
        assert f"mkdocs.yml:{line}:{column}: error: identity.{field}: '{value}' is not" in result.output, result.output


def test_a_list_or_mapping_where_a_registration_goes_is_located(fresh_site: Path):
    """Not MkDocs' unlocated type error: the value's line, with what the field takes."""
    text = set_identity(fresh_site, {**SAMPLE_IDENTITY, "icp": ["赣ICP备2023001234号"], "police": {"a": 1}})
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0 and "Traceback" not in result.output
    lines = text.splitlines()
    for field, value in (("icp", "- 赣ICP备2023001234号"), ("police", "a: 1")):
        # Written in block style: the value starts on the line after the field's.
        line = next(n for n, t in enumerate(lines, start=1) if t.strip() == f"{field}:") + 1
        column = lines[line - 1].index(value) + 1
        assert f"mkdocs.yml:{line}:{column}: error: identity.{field}: " in result.output, result.output
    assert "Expected type" not in result.output


def test_sitemap_follows_a_navigation_written_in_mkdocs_yml(fresh_site: Path):
    """A site that writes its own `nav` (pages named without titles too) gets that order and those
    titles; the planned lists it leaves out are mapped under their sections or 其他."""
    catalog, _ = load_catalog(fresh_site / "content")
    pages = plan_pages(catalog)
    nav = [{"政策文件": "documents/index.md"}, "units/index.md", {"外部链接": "https://www.gov.cn/"}]
    sections = sitemap_data(catalog, nav, pages, [("about.md", "关于本站")])["sections"]
    assert [(s.title, s.page) for s in sections] == [
        ("政策文件", "documents/index.md"), ("单位目录", "units/index.md"), ("外部链接", "https://www.gov.cn/"),
        ("其他", None)]
    assert [c.title for c in sections[0].children] == ["2021年文件", "有效文件"]
    assert [c.page for c in sections[-1].children] == ["powers/index.md", "guides/index.md", "notices/index.md",
                                                      "search/index.md", "disclosure/reports/index.md",
                                                      "disclosure/catalog/index.md", "disclosure/index.md",
                                                      "enforcement/index.md", "about.md"]
