"""主题分类 (the national two-level list as content data), the 公开目录 and 政策解读.

The topic and 解读 rules are checked on small sites written here (through load_catalog, and
through `gongkai check` for the exact located line); the 公开目录 and the 解读 links on the built
sample site and on a small built site with a draft and a future-dated document.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ROOT, SMALL_SITE, BrowserSession, gongkai_check, mkdocs_build, write_site
from gongkai.catalog.pages import plan_pages
from gongkai.catalog.directory import GENRE_SLUGS, NO_GENRE, generated_on, genre_slug
from gongkai.export.data import tables
from gongkai.model import Severity, load_catalog
from gongkai.model.assembly import rules
from gongkai.model.schema.kinds import DOCUMENT, UNIT
from gongkai.model.primitives.dates import format_date
from gongkai.model.assembly.interpretation import interpretation_required, missing_interpretations
from html_dom import load, page_file, resolve

BUILD_DAY = dt.date(2026, 11, 21)  # conftest.BUILD_EPOCH
DOC = "content/units/zrj/documents/2021-gz.md"
TOPICS = (ROOT / "content" / "_vocab" / "topics.yml").read_text(encoding="utf-8")
DIRECTORY = "disclosure/catalog"
COLUMNS = ["索引号", "名称", "文号", "发布机构", "内容概述", "生成日期"]


def small_files(**extra: str) -> dict[str, str]:
    """The small site with the national topic list and its document's topic in the list."""
    files = dict(SMALL_SITE)
    files["content/_vocab/topics.yml"] = TOPICS
    files[DOC] = SMALL_SITE[DOC].replace("topic: 国土资源", "topic: 国土资源、能源\\土地")
    files.update(extra)
    return files


def document(title: str, topic: str, published: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ntopic: {topic}\npublished: {published}\n{extra}---\n正文。\n"


def problems_of(tmp_path: Path, files: dict[str, str]):
    root = write_site(tmp_path / "site-root", files)
    _, problems = load_catalog(root / "content", today=BUILD_DAY)
    return problems


def with_topic(topic: str) -> dict[str, str]:
    return small_files(**{DOC: SMALL_SITE[DOC].replace("topic: 国土资源", f"topic: {topic}")})


# --- 主题分类 -----------------------------------------------------------------------------------

def test_a_bad_topic_is_a_located_error_with_the_corrected_value(tmp_path):
    root = write_site(tmp_path / "site-root", with_topic("政务公开"))
    result = gongkai_check(root)
    assert result.returncode == 1, result.output
    assert (f"{DOC}:4:8: error: topic: '政务公开' is a second level without its category; "
            "write 综合政务\\政务公开") in result.output.splitlines()
    assert "Traceback" not in result.output


@pytest.mark.parametrize("topic, message, hint", [
    ("市场监管", "'市场监管' is not a 主题分类", "did you mean 市场监管、安全生产监管\\…? its second levels: 工商；质量监督"),
    ("国土资源", "'国土资源' is not a 主题分类", "did you mean 国土资源、能源\\…? its second levels: 土地；矿产"),
    ("卫生健康", "'卫生健康' is not a 主题分类", "did you mean 卫生、体育\\卫生?"),
    ("综合政务\\政务公示", "'综合政务\\政务公示' is not a 主题分类", "did you mean 综合政务\\政务公开?"),
    ("综合政务", "'综合政务' is a first-level category", "write 综合政务\\ and one of: 政务公开；政务督查；"),
    ("综合政务／政务公开", "separates the levels with '／'", "write 综合政务\\政务公开"),
    ("综合政务/政务公开", "separates the levels with '/'", "write 综合政务\\政务公开"),
    ("机构编制", "'机构编制' is not a 主题分类", "write 一级\\二级 as listed in content/_vocab/topics.yml"),
    ("综合政务\\机构编制", "is not a 主题分类", "综合政务's second levels: 政务公开；政务督查；应急管理"),
    ("其他\\其他", "is not a 主题分类", "其他 has no second level: write 其他"),
])
def test_topics_outside_the_list_are_errors_at_the_field(tmp_path, topic, message, hint):
    problems = [p for p in problems_of(tmp_path, with_topic(topic)) if p.field == "topic"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.path, problem.line, problem.column, problem.severity) == (DOC, 4, 8, Severity.ERROR)
    assert message in problem.message and problem.hint.startswith(hint), problem


@pytest.mark.parametrize("topic", ["其他", "国务院组织机构", "综合政务\\政务公开", "民族、宗教\\宗教事务"])
def test_two_level_topics_and_first_levels_without_second_levels_are_accepted(tmp_path, topic):
    assert [p for p in problems_of(tmp_path, with_topic(topic)) if p.field == "topic"] == []


def test_without_a_topic_list_topics_are_free_text(tmp_path):
    """A site without content/_vocab/topics.yml (the small test sites) is not checked, and its
    公开目录 has no 主题分类 facet: the list is content, not code."""
    files = dict(SMALL_SITE)
    assert [p for p in problems_of(tmp_path, files) if p.field == "topic"] == []
    catalog, _ = load_catalog(tmp_path / "site-root" / "content", today=BUILD_DAY)
    assert catalog.topics is None and catalog.documents[0].topic == "国土资源"
    pages = [p.src_uri for p in plan_pages(catalog)]
    assert f"{DIRECTORY}/index.md" in pages and f"{DIRECTORY}/years/2021.md" in pages
    assert not any("/topics/" in p for p in pages)


def test_a_topic_list_in_the_wrong_form_is_reported(tmp_path):
    files = small_files(**{"content/_vocab/topics.yml": "- 综合政务: 政务公开\n- 其他\n- 其他\n"})
    problems = problems_of(tmp_path, files)
    # Each entry in the wrong form, at its line, all at once.
    assert [(p.line, p.column, p.field, p.message) for p in problems if p.path == "content/_vocab/topics.yml"] == [
        (1, 9, "0.综合政务", "the second levels are a list"),
        (3, 3, "2", "the category '其他' is already listed (entry 2)"),
    ]
    assert [p.hint for p in problems if p.line == 1 and p.path == "content/_vocab/topics.yml"] == [
        "write one category per line: '- 其他' or '- 综合政务: [政务公开, 政务督查]'"]


def test_every_sample_document_has_a_topic_of_the_national_list():
    catalog, problems = load_catalog(ROOT / "content", today=BUILD_DAY)
    assert [p for p in problems if p.field in ("topic", "interprets") or "topics.yml" in p.path] == []
    assert catalog.topics is not None and len(catalog.topics.categories) == 22
    assert [c.name for c in catalog.topics.categories][:2] == ["国务院组织机构", "综合政务"]
    assert catalog.topics.categories[-1].name == "其他" and catalog.topics.categories[-1].subtopics == ()
    for doc in catalog.documents:
        assert catalog.topics.is_valid(doc.topic), (doc.source.path, doc.topic)
    # Every file, drafts included: the topic line is one of the list's values.
    for path in (ROOT / "content" / "units").glob("*/documents/*.md"):
        line = next(li for li in path.read_text(encoding="utf-8").splitlines() if li.startswith("topic:"))
        assert catalog.topics.is_valid(line.split(":", 1)[1].strip()), path


# --- 政策解读: the rules ------------------------------------------------------------------------

INTERPRETATION = "content/units/zrj/documents/2021-gz-jd.md"


def test_a_reading_of_no_document_is_a_located_error_with_did_you_mean(tmp_path):
    files = small_files(**{INTERPRETATION: document(
        "《关于规范用地审批的通知》解读", "国土资源、能源\\土地", "2021-05-21",
        "genre: 政策解读\ninterprets:\n  - 测自然资发〔2021〕4号\n")})
    root = write_site(tmp_path / "site-root", files)
    result = gongkai_check(root)
    assert result.returncode == 1
    assert (f"{INTERPRETATION}:7:5: error: interprets.0: unknown document '测自然资发〔2021〕4号': nothing to "
            "interpret; did you mean 测自然资发〔2021〕3号?") in result.output.splitlines(), result.output


def test_a_single_reference_may_be_a_string_and_a_reading_cannot_interpret_itself(tmp_path):
    files = small_files(**{INTERPRETATION: document(
        "解读", "国土资源、能源\\土地", "2021-05-21", "doc_no: 测自然资发〔2021〕9号\ninterprets: 测自然资发〔2021〕9号\n")})
    problems = [p for p in problems_of(tmp_path, files) if p.field.startswith("interprets")]
    assert [(p.line, p.field, p.message) for p in problems] == [
        (6, "interprets", "a document cannot interpret itself")]


def test_a_reading_of_an_unpublished_policy_is_a_warning(tmp_path):
    policy = "content/units/zrj/documents/2026-future.md"
    files = small_files(**{
        policy: document("测试县自然资源局关于2027年用地计划的通知", "国土资源、能源\\土地", "2026-12-20",
                         "doc_no: 测自然资发〔2026〕8号\n"),
        INTERPRETATION: document("用地计划解读", "国土资源、能源\\土地", "2026-11-20",
                                 "interprets: 测自然资发〔2026〕8号\n")})
    problems = [p for p in problems_of(tmp_path, files) if p.field.startswith("interprets")]
    assert len(problems) == 1 and problems[0].severity is Severity.WARNING, problems
    assert "is not published" in problems[0].message and policy in problems[0].message


def test_the_missing_reading_warning_is_off_by_default_and_on_with_the_setting(tmp_path):
    policy = "content/units/zrj/documents/2022-gf.md"
    files = small_files(**{policy: document("测试县自然资源局关于印发《测试县临时用地管理办法》的通知",
                                            "国土资源、能源\\土地", "2022-03-01",
                                            "doc_no: 测自然资发〔2022〕2号\ngenre: 规范性文件\n")})
    root = write_site(tmp_path / "site-root", files)
    catalog, problems = load_catalog(root / "content", today=BUILD_DAY)
    assert not any("政策解读" in p.message for p in problems)  # off by default
    assert interpretation_required(catalog) is False
    catalog.disclosure_settings = {"require_interpretation": True}
    assert interpretation_required(catalog) is True
    on = missing_interpretations(catalog.documents, BUILD_DAY, required=True)
    assert [(p.path, p.field, p.message, p.severity) for p in on] == [
        (policy, "genre", "a 规范性文件 without a 政策解读", Severity.WARNING)]
    assert missing_interpretations(catalog.documents, BUILD_DAY, required=False) == []
    # The cross-file rules read the switch from the Catalog's disclosure settings.
    records = [(UNIT, u) for u in catalog.units.values()] + [(DOCUMENT, d) for d in catalog.documents]
    assert [p.message for p in rules.check(catalog, records) if "政策解读" in p.message] == [
        "a 规范性文件 without a 政策解读"]
    catalog.disclosure_settings = {"require_interpretation": False}
    assert not any("政策解读" in p.message for p in rules.check(catalog, records))
    # A published 解读 satisfies it.
    (root / INTERPRETATION).write_text(document("临时用地管理办法解读", "国土资源、能源\\土地", "2022-03-02",
                                                "interprets: 测自然资发〔2022〕2号\n"), encoding="utf-8")
    catalog, _ = load_catalog(root / "content", today=BUILD_DAY)
    assert missing_interpretations(catalog.documents, BUILD_DAY, required=True) == []


# --- the 公开目录 of the sample site ---------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog():
    catalog, _ = load_catalog(ROOT / "content", today=BUILD_DAY)
    return catalog


def listing_rows(site: Path, rel: str) -> list[dict]:
    """The rows of every 公开目录 table of a page: {column: cell text, 'href': the file linked}."""
    page = load(site, rel)
    rows = []
    for table in page.find_all("table", class_="gk-directory"):
        assert table.find("caption") is not None
        headers = [th.norm_text() for th in table.find("thead").find_all("th")]
        assert headers == COLUMNS and all(th.get("scope") == "col" for th in table.find("thead").find_all("th"))
        for tr in table.find("tbody").find_all("tr"):
            cells = tr.find_all("td")
            row = dict(zip(headers, (c.norm_text() for c in cells)))
            row["href"] = resolve(rel, cells[1].find("a").get("href"))
            row["datetime"] = cells[5].find("time").get("datetime")
            rows.append(row)
    return rows


def expected_row(catalog, doc) -> dict:
    issuers = [catalog.unit(u) for u in dict.fromkeys(doc.issuers or [doc.unit_id])]
    return {"索引号": doc.index_no, "名称": doc.title, "文号": doc.doc_no or "—",
            "发布机构": "、".join(u.short_name or u.name for u in issuers), "内容概述": doc.summary or "—",
            "生成日期": format_date(generated_on(doc)), "href": page_file(doc.page), "datetime": generated_on(doc).isoformat()}


def newest_first(docs):
    return sorted(docs, key=lambda d: (generated_on(d), d.published, d.doc_no or "", d.page), reverse=True)


def facet_pages(catalog) -> dict[str, list]:
    """Every listing page of the sample and the documents it must list, from the Catalog."""
    pages: dict[str, list] = defaultdict(list)
    for doc in catalog.documents:
        pages[f"{DIRECTORY}/topics/{catalog.topics.category_of(doc.topic).number}/index.html"].append(doc)
        for unit_id in dict.fromkeys(doc.issuers or [doc.unit_id]):
            pages[f"{DIRECTORY}/issuers/{unit_id}/index.html"].append(doc)
        pages[f"{DIRECTORY}/genres/{genre_slug(doc.genre or NO_GENRE)}/index.html"].append(doc)
        pages[f"{DIRECTORY}/years/{generated_on(doc).year}/index.html"].append(doc)
    return pages


def test_each_listing_lists_exactly_its_documents_with_every_column(sample_site, catalog):
    pages = facet_pages(catalog)
    built = {p.relative_to(sample_site).as_posix() for p in (sample_site / DIRECTORY).rglob("index.html")}
    assert built == set(pages) | {f"{DIRECTORY}/index.html"}  # no page for a value without documents
    for rel, docs in pages.items():
        rows = listing_rows(sample_site, rel)
        if "/topics/" in rel:  # a table per second level, in the national order; newest first in each
            order = sorted(docs, key=lambda d: catalog.topics.order(d.topic))
            groups = defaultdict(list)
            for doc in order:
                groups[doc.topic].append(doc)
            expected = [d for topic in groups for d in newest_first(groups[topic])]
        else:
            expected = newest_first(docs)
        assert rows == [expected_row(catalog, d) for d in expected], rel
        for row in rows:
            assert (sample_site / row["href"]).is_file()


def test_the_index_offers_the_four_ways_with_counts(sample_site, catalog):
    page = load(sample_site, f"{DIRECTORY}/index.html")
    assert page.one("h1").norm_text() == "政府信息公开目录"
    assert f"共 {len(catalog.documents)} 条" in page.find("article").norm_text()
    assert [h.norm_text() for h in page.find("article").find_all("h2")] == ["按主题分类", "按发布机构", "按文种", "按年份"]
    topics = page.one("ul", class_="gk-directory-facet--topics")
    by_category = defaultdict(int)
    for doc in catalog.documents:
        by_category[catalog.topics.category_of(doc.topic).name] += 1
    shown = {li.find("a").norm_text(): li for li in topics.children if getattr(li, "tag", "") == "li"}
    assert list(shown) == [c.name for c in catalog.topics.categories if by_category[c.name]]
    for name, li in shown.items():
        assert li.norm_text().split(" ")[0] == f"{name}（{by_category[name]}）"
    # Second levels link to their table on the category's page.
    link = topics.find("ul").find("a")
    target = resolve(f"{DIRECTORY}/index.html", link.get("href"))
    anchor = link.get("href").split("#")[1]
    assert load(sample_site, target).find(id=anchor).norm_text() == link.norm_text()
    # Not in the navigation: the home page's menu has no link to it.
    assert DIRECTORY not in (sample_site / "index.html").read_text(encoding="utf-8")


def test_unpublished_documents_are_in_no_listing(sample_site):
    draft = (ROOT / "content/units/zfb/documents/2026-zwgk-yd-draft.md").read_text(encoding="utf-8")
    title = next(li for li in draft.splitlines() if li.startswith("title:")).split(":", 1)[1].strip()
    for path in (sample_site / DIRECTORY).rglob("*.html"):
        assert title not in path.read_text(encoding="utf-8"), path


def test_genre_pages_have_stable_ascii_addresses():
    assert genre_slug("通知") == "tongzhi" and genre_slug(NO_GENRE) == "unspecified"
    other = genre_slug("会议纪要汇编")
    assert other.isascii() and other == genre_slug("会议纪要汇编") and other.startswith("g-")
    assert len(set(GENRE_SLUGS.values())) == len(GENRE_SLUGS)


def test_a_document_page_links_its_topic_listing(sample_site, catalog):
    doc = next(d for d in catalog.documents if d.topic == "综合政务\\政务督查")
    rel = page_file(doc.page)
    page = load(sample_site, rel)
    cell = next(tr for tr in page.find("table", class_="gk-meta").find_all("tr")
                if "主题分类" in [th.norm_text() for th in tr.find_all("th")])
    link = next(a for a in cell.find_all("a") if a.norm_text() == doc.topic)
    assert resolve(rel, link.get("href")) == f"{DIRECTORY}/topics/2/index.html"
    assert link.get("href").endswith("#t2-2")


# --- 政策解读 on the sample's pages -------------------------------------------------------------

def relation_links(site: Path, rel: str, label: str) -> list[str]:
    page = load(site, rel)
    ul = page.find("ul", class_="gk-interpretations")
    if ul is None:
        return []
    li = next((li for li in ul.find_all("li") if li.norm_text().startswith(label)), None)
    return [resolve(rel, a.get("href")) for a in li.find_all("a")] if li else []


def test_readings_and_policies_link_each_other(sample_site, catalog):
    readings = [d for d in catalog.documents if d.interprets]
    assert len(readings) >= 2
    for reading in readings:
        policies = [catalog.find_document(ref) for ref in reading.interprets]
        assert all(p is not None for p in policies)
        assert relation_links(sample_site, page_file(reading.page), "解读的文件") == [page_file(p.page) for p in policies]
        for policy in policies:
            assert page_file(reading.page) in relation_links(sample_site, page_file(policy.page), "政策解读")
            text = load(sample_site, page_file(reading.page)).find("ul", class_="gk-interpretations").norm_text()
            assert f"《{policy.title.replace('《', '〈').replace('》', '〉')}》" in text
    # The open data names the policy of each 解读, published ones only.
    table = tables(catalog)["documents"]
    column = [c.key for c in table.columns].index("interprets")
    by_title = {row[[c.key for c in table.columns].index("title")]: row[column] for row in table.rows}
    for reading in readings:
        assert by_title[reading.title] == [catalog.find_document(r).doc_no for r in reading.interprets]
    # A document that interprets nothing and is interpreted by nothing shows neither.
    plain = next(d for d in catalog.documents if not d.interprets and not catalog.interpretations.of(d))
    assert load(sample_site, page_file(plain.page)).find("ul", class_="gk-interpretations") is None


# --- a small built site: drafts and future documents, a reading of an unpublished policy ---------

def test_small_site_directory_leaves_out_drafts_and_future_documents(tmp_path):
    future = "content/units/zrj/documents/2026-future.md"
    files = small_files(**{
        "content/units/zrj/documents/2026-draft.md": document("草稿中的通知", "综合政务\\政务公开", "2026-01-05",
                                                              "draft: true\n"),
        future: document("下月发布的通知", "综合政务\\政务公开", "2026-12-20", "doc_no: 测自然资发〔2026〕8号\n"),
        INTERPRETATION: document("下月发布的通知的解读", "其他", "2026-11-20",
                                 "genre: 政策解读\ninterprets: 测自然资发〔2026〕8号\nsummary: 解读要点。\n")})
    root = write_site(tmp_path / "site-root", files)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    assert "interprets: the policy it interprets" in result.output  # the warning
    site = root / "site"
    listed = set()
    for path in (site / DIRECTORY).rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        assert "草稿中的通知" not in text and "下月发布的通知</a>" not in text, path
        listed.update(row["名称"] for row in listing_rows(site, path.relative_to(site).as_posix()))
    assert listed == {"测试县自然资源局关于规范用地审批的通知", "下月发布的通知的解读"}
    # 其他 has no second level: one table, captioned by the category.
    assert [r["名称"] for r in listing_rows(site, f"{DIRECTORY}/topics/22/index.html")] == ["下月发布的通知的解读"]
    # The reading's page does not link the unpublished policy.
    reading = site / "units/zrj/documents/2026/2021-gz-jd/index.html"
    assert reading.is_file() and "下月发布的通知</a>" not in reading.read_text(encoding="utf-8")
    assert relation_links(site, "units/zrj/documents/2026/2021-gz-jd/index.html", "解读的文件") == []


# --- in the browser ------------------------------------------------------------------------------

@pytest.mark.browser
def test_browse_the_directory_by_topic_and_by_year(browser, sample_server, catalog):
    """From the index, a click on a topic and the keyboard on a year reach listings with exactly
    their documents, newest first; without JavaScript, as the pages need none."""
    with BrowserSession.clean(browser, sample_server, javascript=False) as session:
        page = session.goto(f"{DIRECTORY}/")
        assert page.locator("article h1").inner_text().strip() == "政府信息公开目录"
        category = catalog.topics.category_of("综合政务\\政务督查")
        page.locator("ul.gk-directory-facet--topics > li > a", has_text=category.name).click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/{DIRECTORY}/topics/{category.number}/")
        caption = page.locator("table.gk-directory caption", has_text="政务督查")
        rows = caption.locator("xpath=..").locator("tbody tr")
        expected = newest_first([d for d in catalog.documents if d.topic == "综合政务\\政务督查"])
        assert rows.count() == len(expected)
        assert [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())] == \
            [d.title for d in expected]

        page = session.goto(f"{DIRECTORY}/")
        year = max(generated_on(d).year for d in catalog.documents)
        link = page.locator("ul.gk-directory-facet--years a", has_text=f"{year}年")
        link.focus()
        with page.expect_navigation(wait_until="load"):
            page.keyboard.press("Enter")
        assert page.url.endswith(f"/{DIRECTORY}/years/{year}/")
        cells = page.locator("table.gk-directory tbody tr td:first-child").all_inner_texts()
        assert cells == [d.index_no for d in newest_first(catalog.documents) if generated_on(d).year == year]
        # A row's name reaches the document's page.
        first = next(d for d in newest_first(catalog.documents) if generated_on(d).year == year)
        page.locator("table.gk-directory a", has_text=first.title).first.click()
        page.wait_for_load_state("load")
        assert page.locator("article h1").inner_text().strip() == first.title
