"""Build tests on the small site of conftest.py: what the sample content does not exercise."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_EPOCH, SMALL_SITE, mkdocs_build, write_site
from html_dom import load


def test_text_from_front_matter_is_escaped(fresh_site: Path):
    """Front matter is text, not HTML: '<', '>' and '&' in a name or title are shown as typed
    (a name like '面积<500平方米' must neither break the page nor inject markup)."""
    item = "content/units/zrj/powers/XK-001.md"
    doc = "content/units/zrj/documents/2021-gz.md"
    name = "建设<script>alert(1)</script>工程 & 面积<500平方米的许可"
    title = "关于<b>规范</b>用地审批 & 管理的通知"
    (fresh_site / item).write_text(
        SMALL_SITE[item].replace("name: 建设工程规划许可证核发", f'name: "{name}"'), encoding="utf-8")
    (fresh_site / doc).write_text(
        SMALL_SITE[doc].replace("title: 测试县自然资源局关于规范用地审批的通知", f'title: "{title}"'), encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode == 0, result.output
    site = fresh_site / "site"
    for rel in ("units/zrj/powers/ZRJ-XK-001/index.html", "powers/index.html", "units/zrj/index.html"):
        html = (site / rel).read_text(encoding="utf-8")
        # Inside <title> text is never markup (RCDATA); everywhere else it must be escaped.
        html = re.sub(r"<title>.*?</title>", "", html, flags=re.S)
        assert "<script>alert(1)</script>" not in html, rel
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, rel
    page = load(site, "units/zrj/powers/ZRJ-XK-001/index.html")
    assert page.one("article").one("h1").norm_text() == name
    doc_page = load(site, "units/zrj/documents/2021/2021-gz/index.html").one("article")
    assert doc_page.one("h1").norm_text() == title
    assert doc_page.one("h1").find("b") is None


def test_markdown_body_is_rendered(built_small_site: Path):
    page = load(built_small_site / "site", "units/zrj/powers/ZRJ-XK-001/index.html").one("article")
    notes = page.one("h2", id="notes")
    assert notes.norm_text() == "说明"
    assert "可在网上办理。" in page.norm_text()


def test_generated_pages_only(built_small_site: Path):
    """Content files become generated pages at stable addresses, never copied as Markdown."""
    site = built_small_site / "site"
    assert not list(site.rglob("*.md"))
    assert not (site / "_vocab").exists()
    for rel in ("units/zrj/powers/ZRJ-XK-001/index.html", "units/zrj/guides/xk-001/index.html",
                "units/zrj/documents/2021/2021-gz/index.html", "units/zrj/notices/2026-gs/index.html",
                "units/zrj/index.html", "units/county/index.html", "units/index.html", "powers/index.html",
                "guides/index.html", "documents/index.html", "documents/2021/index.html",
                "documents/valid/index.html", "notices/index.html"):
        assert (site / rel).is_file(), rel


def test_generated_index_number(built_small_site: Path):
    cells = {}
    meta = load(built_small_site / "site", "units/zrj/documents/2021/2021-gz/index.html").one("table", "gk-meta")
    for tr in meta.find_all("tr"):
        for th, td in zip(tr.find_all("th"), tr.find_all("td")):
            cells[th.norm_text()] = td.norm_text()
    assert cells["索引号"] == "TESTZRJ000000001/2021-00001"
    assert cells["文号"] == "测自然资发〔2021〕3号"


def test_notice_with_a_period_is_current_on_the_build_date(built_small_site: Path):
    page = load(built_small_site / "site", "notices/index.html").one("article")
    assert page.one("h2", id="current").norm_text() == "正在公示（1）"
    assert page.one("h2", id="ended").norm_text() == "已结束（0）"
    notice = load(built_small_site / "site", "units/zrj/notices/2026-gs/index.html").one("article")
    assert "2026年11月15日至2026年11月21日" in notice.norm_text()
    assert notice.one("p", "gk-badges").norm_text() == "公示中"


def test_a_plugin_without_the_catalog_plugin_says_so(fresh_site: Path):
    config = fresh_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # The catalog's entry with its options (the site identity), up to the next plugin.
    entry = re.search(r"^- gongkai/catalog:\n(?:  .*\n)+", text, re.M)
    assert entry is not None
    config.write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    # The first plugin that needs the catalog says so (gongkai/history does in on_config).
    assert re.search(r"gongkai/(search|history) needs the gongkai/catalog plugin: list it first", result.output)
    assert "Traceback" not in result.output


# --- in one process, as `mkdocs serve` rebuilds: each build takes its own date ----------------------

@pytest.fixture
def environment_kept():
    """The process environment as it was before the test (in-process builds change it)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def build_in_process(root: Path):
    """One build as `mkdocs serve` makes each: the configuration loaded anew (new plugin
    instances), in this process and so in this process's environment. Returns the catalog plugin."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    build(config)
    return config.plugins["gongkai/catalog"]


def site_dates(root: Path) -> set[str]:
    """The dates the built site shows: MkDocs' in the sitemap, the catalog's in the footer (本站更新)."""
    site = root / "site"
    dates = re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    footer = re.findall(r'class="gk-updated">本站更新：<time datetime="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    assert dates and footer
    return set(dates + footer)


def test_each_build_in_one_process_takes_its_own_date(tmp_path: Path, environment_kept):
    """The build date comes from the last commit and pins SOURCE_DATE_EPOCH for MkDocs (the
    sitemap). A value Gongkai set on an earlier build of the process is its own, and replaced:
    after a new commit, the next build is dated by it. One the user set stays for every build."""
    from test_history import XK, commit, edit, git

    root = write_site(tmp_path / "county")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["gongkai/catalog"]  # only the catalog pins the date: the others would slow this down
    config["site_url"] = "https://www.example.gov.cn/"  # without one MkDocs' sitemap lists no page
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "2025-01-10", "建立测试县权责清单")
    os.environ.pop("SOURCE_DATE_EPOCH", None)

    assert build_in_process(root).catalog.build_date.isoformat() == "2025-01-10"
    assert site_dates(root) == {"2025-01-10"}
    edit(root, XK, "promised_limit: 10", "promised_limit: 5")
    commit(root, "2025-03-01", "压缩建设工程规划许可承诺时限")
    assert build_in_process(root).catalog.build_date.isoformat() == "2025-03-01"
    assert site_dates(root) == {"2025-03-01"}

    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH  # the user's (2026-11-21): it dates every build
    for _ in range(2):
        assert build_in_process(root).catalog.build_date.isoformat() == "2026-11-21"
        assert site_dates(root) == {"2026-11-21"}
        assert os.environ["SOURCE_DATE_EPOCH"] == BUILD_EPOCH
