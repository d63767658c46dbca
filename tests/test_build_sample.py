"""Build the sample site of content/ (once per session) and assert on its HTML.

Expectations come from the content itself (the Catalog loaded here, in-process), so that the
tests follow the sample content as editors extend it, while the pages are what `mkdocs build`
wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from gongkai.model import load_catalog
from gongkai.model.schema import POWER_CATEGORIES
from html_dom import Element, load, page_file, parse, resolve

BUILD_DATE = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_catalog(ROOT / "content", today=BUILD_DATE)
    errors = [p.format() for p in problems if p.severity.value == "error"]
    assert not errors, "\n".join(errors)
    return catalog


def article(site: Path, rel: str) -> Element:
    return load(site, rel).one("article")


def following(heading: Element) -> list[Element]:
    """The elements after a heading, up to the next heading of the same level."""
    siblings = heading.parent.children
    found = []
    for node in siblings[siblings.index(heading) + 1:]:
        if isinstance(node, Element):
            if node.tag == heading.tag:
                break
            found.append(node)
    return found


def links(el: Element) -> list[str]:
    return [a.get("href") for a in el.find_all("a") if a.get("href") is not None]


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# --- the whole site -----------------------------------------------------------------------------

def test_every_record_has_its_page(sample_site: Path, catalog):
    for record in catalog.records():
        assert (sample_site / page_file(record.page)).is_file(), record.page


def test_material_language_is_chinese(sample_site: Path):
    for rel in html_pages(sample_site):
        head = (sample_site / rel).read_text(encoding="utf-8")[:600]
        assert re.search(r'<html lang="zh-CN"[ >]', head), rel


def test_nothing_from_another_host(sample_site: Path):
    """No <script src> or <link href> (any rel) points to another host, on any page."""
    tag = re.compile(r"<(script|link)\b[^>]*>", re.I)
    attr = re.compile(r'\b(src|href)\s*=\s*"([^"]*)"', re.I)
    pages = html_pages(sample_site)
    assert len(pages) > 50
    for rel in pages:
        html = (sample_site / rel).read_text(encoding="utf-8")
        for match in tag.finditer(html):
            for _, url in attr.findall(match.group(0)):
                assert not re.match(r"^\s*([a-z][a-z0-9+.-]*:)?//", url, re.I), f"{rel}: {match.group(0)}"
                assert not url.lower().startswith(("http:", "https:")), f"{rel}: {match.group(0)}"


def test_no_web_fonts(sample_site: Path):
    index = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in index and "fonts.gstatic.com" not in index
    for css in (sample_site / "assets").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", text), css


def test_our_stylesheet_and_script_are_included(sample_site: Path):
    page = load(sample_site, "units/index.html")
    assert "../assets/stylesheets/gongkai.css" in [l.get("href") for l in page.find_all("link")]
    assert "../assets/javascripts/gongkai.js" in [s.get("src") for s in page.find_all("script")]
    assert (sample_site / "assets/javascripts/gongkai.js").is_file()
    assert (sample_site / "assets/stylesheets/gongkai.css").is_file()


def test_footer_shows_the_build_date(sample_site: Path):
    footer = load(sample_site, "index.html").one("div", "gk-updated")
    assert footer.one("time").get("datetime") == "2026-11-21"
    assert "本站更新：2026年11月21日" in footer.text()  # not 最后更新: that is each page's own date


def test_internal_links_resolve(sample_site: Path):
    """Every relative link in the content area of every generated page reaches a built file."""
    for rel in html_pages(sample_site):
        if rel == "404.html":
            continue
        for el in load(sample_site, rel).find_all("article"):
            for href in links(el):
                if re.match(r"^([a-z][a-z0-9+.-]*:|#|//)", href, re.I):
                    continue
                target = resolve(rel, href)
                assert (sample_site / target).exists(), f"{rel}: broken link {href}"


# --- navigation: top level and unit pages only ---------------------------------------------------

ITEM_LINK = re.compile(r"^units/[^/]+/(powers|guides|documents|notices)/")


@pytest.mark.parametrize("which", ["home", "units", "unit", "item", "document", "powers"])
def test_navigation_holds_no_item_pages(sample_site: Path, catalog, which):
    unit = next(u for u in catalog.units.values() if catalog.of_unit(u.unit_id, "powers"))
    rel = {
        "home": "index.html",
        "units": "units/index.html",
        "unit": page_file(unit.page),
        "item": page_file(catalog.powers[0].page),
        "document": page_file(catalog.documents[0].page),
        "powers": "powers/index.html",
    }[which]
    page = load(sample_site, rel)
    nav = page.one("nav", "md-nav--primary")
    targets = [resolve(rel, href) for href in links(nav) if not href.startswith("#")]
    assert targets
    bad = [t for t in targets if ITEM_LINK.match(t)]
    assert bad == [], f"item pages in the navigation of {rel}: {bad[:5]}"
    # Top-level pages and one link per unit, nothing that grows with the number of items.
    assert len(set(targets)) <= len(catalog.units) + 12
    for top in ("powers/index.html", "guides/index.html", "documents/index.html", "notices/index.html",
                "units/index.html"):
        assert top in targets, top


# --- home ------------------------------------------------------------------------------------------

def test_home_has_the_chart_and_latest_documents(sample_site: Path, catalog):
    page = article(sample_site, "index.html")
    chart = page.one("figure", "gk-chart")
    # Inline: the chart is in the HTML, as text and bars, not an <img> or a script-drawn canvas.
    assert page.find("canvas") is None
    total = len(catalog.powers)
    assert chart.one("figcaption").norm_text() == f"权责事项按权力类型统计（共{total}项）"
    rows = chart.find_all("li", "gk-chart__row")
    assert [r.one("span", "gk-chart__label").norm_text() for r in rows] == list(POWER_CATEGORIES)
    counts = catalog.categories()
    assert [r.one("span", "gk-chart__count").norm_text() for r in rows] == [f"{counts[c]}项" for c in POWER_CATEGORIES]
    widths = {c: float(r.one("rect").get("width")) for c, r in zip(POWER_CATEGORIES, rows)}
    biggest = max(counts, key=counts.get)
    assert widths[biggest] == max(widths.values()) == 100
    assert all(r.one("svg").get("aria-hidden") == "true" for r in rows)  # the bars are drawing only

    latest_heading = page.one("h2", id="gk-latest-docs")
    latest = latest_heading.parent.one("ul", "gk-latest")
    items = latest.find_all("li")
    expected = catalog.documents[:8]
    assert len(expected) >= 1
    assert [li.one("a").norm_text() for li in items] == [d.title for d in expected]
    assert [resolve("index.html", li.one("a").get("href")) for li in items] == [page_file(d.page) for d in expected]
    dates = [li.one("time").get("datetime") for li in items]
    assert dates == sorted(dates, reverse=True)


def test_home_title(sample_site: Path):
    page = load(sample_site, "index.html")
    assert page.one("head").one("title").norm_text() == "安澜县政务公开"


# --- units -------------------------------------------------------------------------------------------

def test_unit_directory_grouped_by_type(sample_site: Path, catalog):
    order = yaml.safe_load((ROOT / "content/_vocab/unit-types.yml").read_text(encoding="utf-8"))
    page = article(sample_site, "units/index.html")
    headings = page.find_all("h2")
    shown = [re.sub(r"（\d+）$", "", h.norm_text()) for h in headings]
    expected_types = [t for t in order if any(u.type == t for u in catalog.units.values())]
    assert shown == expected_types
    assert len(shown) >= 4  # the county, departments, townships/streets, their 职能机构 …
    # Under each heading: exactly the units of that type, with their count in the heading.
    for heading, unit_type in zip(headings, shown):
        ul = following(heading)[0]
        assert ul.tag == "ul"
        names = [a.one("strong").norm_text() for a in ul.find_all("a")]
        want = [u.name for u in catalog.units.values() if u.type == unit_type]
        assert names == want
        assert heading.norm_text() == f"{unit_type}（{len(want)}）"


def busiest_unit(catalog):
    return max(catalog.units.values(),
               key=lambda u: (len({p.category for p in catalog.of_unit(u.unit_id, "powers")}),
                              len(catalog.of_unit(u.unit_id, "powers"))))


def test_unit_page_lists_powers_grouped_by_category(sample_site: Path, catalog):
    unit = busiest_unit(catalog)
    powers = catalog.of_unit(unit.unit_id, "powers")
    assert powers, "no unit has power items"
    rel = page_file(unit.page)
    page = article(sample_site, rel)
    assert page.one("h1").norm_text() == unit.name
    groups = page.find_all("h3")
    categories = [c for c in POWER_CATEGORIES if any(p.category == c for p in powers)]
    assert [g.norm_text() for g in groups] == [
        f"{c}（{sum(p.category == c for p in powers)}项）" for c in categories]
    tables = page.find_all("table", "gk-powers")
    assert len(tables) == len(categories)
    for category, table in zip(categories, tables):
        rows = table.one("tbody").find_all("tr")
        codes = [r.find_all("td")[0].norm_text() for r in rows]
        assert codes == [p.code for p in powers if p.category == category]
        assert {r.get("data-category") for r in rows} == {category}
        for row in rows:
            target = resolve(rel, row.one("a").get("href"))
            assert target.startswith(f"units/{unit.unit_id}/powers/")
            assert (sample_site / target).is_file()
    counts = page.one("p", "gk-counts").norm_text()
    assert f"权责事项 {len(powers)} 项" in counts


def test_township_page_lists_its_functional_bodies(sample_site: Path, catalog):
    townships = [u for u in catalog.units.values() if u.type in ("乡镇", "街道")]
    assert townships
    for town in townships:
        children = catalog.children.get(town.unit_id, [])
        if not children:
            continue
        rel = page_file(town.page)
        section = article(sample_site, rel)
        listed = {resolve(rel, h) for el in following(section.one("h2", id="children")) for h in links(el)}
        for child in children:
            assert page_file(child.page) in listed


def test_grid_roster_is_shown(sample_site: Path, catalog):
    grids = [u for u in catalog.units.values() if u.roster]
    assert grids, "no unit has a roster"
    unit = grids[0]
    page = article(sample_site, page_file(unit.page))
    body_text = " ".join(el.norm_text() for el in following(page.one("h2", id="roster")))
    for member in unit.roster:
        assert member.name in body_text


# --- items --------------------------------------------------------------------------------------------

def detailed_item(catalog):
    candidates = [p for p in catalog.powers if p.promised_limit is not None and p.basis]
    assert candidates, "no item has a 承诺时限"
    return max(candidates, key=lambda p: (p.statutory_limit is not None, len(p.basis), p.code))


def fields_table(page: Element) -> dict[str, str]:
    table = page.find_all("table", "gk-fields")[0]
    return {tr.one("th").norm_text(): tr.one("td").norm_text() for tr in table.find_all("tr")}


def test_item_page_shows_its_fields(sample_site: Path, catalog):
    item = detailed_item(catalog)
    unit = catalog.unit(item.unit_id)
    page = article(sample_site, page_file(item.page))
    assert page.one("h1").norm_text() == item.name
    fields = fields_table(page)
    assert fields["事项编码"] == item.code
    assert fields["事项名称"] == item.name
    assert fields["权力类型"] == item.category
    assert fields["实施主体"] == unit.name
    assert fields["承诺时限"] == f"{item.promised_limit} 个工作日"
    if item.statutory_limit is not None:
        assert fields["法定时限"] == f"{item.statutory_limit} 个工作日"
    heading = page.one("h2", id="basis")
    assert heading.norm_text() == "设定依据"
    basis = following(heading)[0].one("table")
    laws = [tr.find_all("td")[1].norm_text() for tr in basis.one("tbody").find_all("tr")]
    assert laws == [f"《{c.law}》" for c in item.basis]
    for law in laws:
        assert law.startswith("《") and law.endswith("》") and "《《" not in law


def test_every_item_page_wraps_laws_in_book_title_marks_once(sample_site: Path, catalog):
    for item in catalog.powers:
        html = (sample_site / page_file(item.page)).read_text(encoding="utf-8")
        for citation in item.basis:
            assert f"<td>《{citation.law}》</td>" in html, (item.code, citation.law)
        assert "《《" not in html and "》》" not in html, item.code


# --- documents ------------------------------------------------------------------------------------------

def test_document_page_metadata_above_the_text(sample_site: Path, catalog):
    docs = [d for d in catalog.documents if d.doc_no and "〔" in d.doc_no and d.body.strip()]
    assert docs, "no document with a 文号 and a text"
    doc = docs[0]
    rel = page_file(doc.page)
    html = (sample_site / rel).read_text(encoding="utf-8")
    page = parse(html).one("article")
    meta = page.one("table", "gk-meta")
    cells = {}
    for tr in meta.find_all("tr"):
        ths, tds = tr.find_all("th"), tr.find_all("td")
        for th, td in zip(ths, tds):
            cells[th.norm_text()] = td.norm_text()
    assert cells["索引号"] == doc.index_no and doc.index_no
    assert cells["文号"] == doc.doc_no
    assert re.search(r"〔\d{4}〕\d+号$", cells["文号"])
    assert cells["发布日期"] == f"{doc.published.year}年{doc.published.month}月{doc.published.day}日"
    assert cells["有效性"] == doc.validity
    assert cells["主题分类"] == doc.topic
    assert html.index('class="gk-fields gk-meta"') < html.index('class="gk-doc-body"')
    assert page.one("div", "gk-doc-body").norm_text()


def test_generated_index_numbers_are_unique(catalog):
    numbers = [d.index_no for d in catalog.documents]
    assert all(numbers)
    assert len(numbers) == len(set(numbers))


def test_replaced_documents_show_a_banner_linking_the_successor(sample_site: Path, catalog):
    replaced = [(d, catalog.successor_of(d)) for d in catalog.documents if catalog.successor_of(d)]
    assert replaced, "no superseded or repealed document with a successor in the sample"
    for doc, successor in replaced:
        rel = page_file(doc.page)
        page = article(sample_site, rel)
        banner = page.one("div", "gk-banner")
        assert banner.get("role") == "note"
        assert "本文件" in banner.norm_text()
        targets = [resolve(rel, h) for h in links(banner)]
        assert targets == [page_file(successor.page)], doc.page
        text = (sample_site / rel).read_text(encoding="utf-8")
        assert text.index("gk-banner") < text.index('class="gk-fields gk-meta"')


def test_valid_documents_have_no_banner(sample_site: Path, catalog):
    valid = [d for d in catalog.documents if d.validity == "有效" and not catalog.successor_of(d)]
    assert valid
    for doc in valid[:10]:
        assert article(sample_site, page_file(doc.page)).find("div", "gk-banner") is None


def document_rows(site: Path, rel: str) -> list[str]:
    table = article(site, rel).one("table", "gk-documents")
    return [resolve(rel, tr.one("a").get("href")) for tr in table.one("tbody").find_all("tr")]


def test_documents_archive_by_year_and_validity(sample_site: Path, catalog):
    everything = document_rows(sample_site, "documents/index.html")
    assert everything == [page_file(d.page) for d in catalog.documents]
    nav = article(sample_site, "documents/index.html").one("nav", "gk-archive-nav")
    nav_targets = {resolve("documents/index.html", h) for h in links(nav)}
    years = sorted({d.published.year for d in catalog.documents}, reverse=True)
    assert len(years) >= 2
    for year in years:
        rel = f"documents/{year}/index.html"
        assert rel in nav_targets
        assert document_rows(sample_site, rel) == [page_file(d.page) for d in catalog.documents
                                                   if d.published.year == year]
    slugs = {"有效": "valid", "失效": "expired", "废止": "repealed", "已修订": "revised"}
    validities = {d.validity for d in catalog.documents}
    assert len(validities) >= 2
    for validity in validities:
        rel = f"documents/{slugs[validity]}/index.html"
        assert rel in nav_targets
        assert document_rows(sample_site, rel) == [page_file(d.page) for d in catalog.documents
                                                   if d.validity == validity]
    # Newest first.
    dates = [d.published for d in catalog.documents]
    assert dates == sorted(dates, reverse=True)


def test_unpublished_documents_are_not_built(sample_site: Path, catalog):
    published = {page_file(d.page) for d in catalog.documents}
    built = {p for p in html_pages(sample_site) if re.match(r"^units/[^/]+/documents/", p)}
    assert built == published


# --- all items and the filter form ----------------------------------------------------------------------

def test_all_items_list_has_every_item_and_the_filter_form(sample_site: Path, catalog):
    page = article(sample_site, "powers/index.html")
    table = page.one("div", id="gk-all-powers").one("table", "gk-powers")
    rows = table.one("tbody").find_all("tr")
    assert [r.find_all("td")[0].norm_text() for r in rows] == [p.code for p in catalog.powers]
    assert [r.get("data-unit") for r in rows] == [p.unit_id for p in catalog.powers]
    assert [resolve("powers/index.html", r.one("a").get("href")) for r in rows] == [
        page_file(p.page) for p in catalog.powers]
    form = page.one("form", "gk-filter")
    assert form.get("data-gk-filter") == "gk-all-powers"
    # Hidden until the script runs: without JavaScript the page is just the full table.
    assert "hidden" in form.attrs
    unit_options = [o.get("value") for o in form.one("select", name="unit").find_all("option")]
    assert unit_options[0] == ""
    assert set(unit_options[1:]) == {p.unit_id for p in catalog.powers}
    category_options = [o.get("value") for o in form.one("select", name="category").find_all("option")]
    assert category_options[1:] == [c for c in POWER_CATEGORIES if catalog.categories()[c]]
    assert form.one("input", name="q").get("type") == "search"
    assert f"共 {len(catalog.powers)} 项" in page.norm_text()


# --- notices -------------------------------------------------------------------------------------------

def test_notices_split_by_the_build_date(sample_site: Path, catalog):
    page = article(sample_site, "notices/index.html")
    assert "以下按 2026年11月21日 计" in page.norm_text()
    sections: dict[str, set[str]] = {}
    for heading in page.find_all("h2"):
        sections[heading.get("id")] = {
            resolve("notices/index.html", h) for el in following(heading) for h in links(el)}
    current = {page_file(n.page) for n in catalog.notices if n.start <= BUILD_DATE <= n.last_day}
    ended = {page_file(n.page) for n in catalog.notices if n.last_day < BUILD_DATE}
    assert current and ended, "the sample should have both current and ended notices on 2026-11-21"
    assert sections["current"] == current
    assert sections["ended"] == ended
    assert page.one("h2", id="current").norm_text() == f"正在公示（{len(current)}）"


def test_notice_page_badge(sample_site: Path, catalog):
    for notice in catalog.notices:
        badge = article(sample_site, page_file(notice.page)).one("p", "gk-badges").norm_text()
        if notice.start > BUILD_DATE:
            assert badge == "未开始"
        elif notice.last_day < BUILD_DATE:
            assert badge == "已结束"
        else:
            assert badge == "公示中"
