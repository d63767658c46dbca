"""The built sample site in Debian's Chromium, driven by Playwright, over a local HTTP server.

Every request to a host other than 127.0.0.1 is blocked and recorded: the site must not try.
"""

from __future__ import annotations


from pathlib import Path

import pytest

from conftest import BrowserSession
from html_dom import page_file

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

@pytest.fixture
def session(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as s:
        yield s


@pytest.fixture
def no_js_session(browser, sample_server):
    with BrowserSession.clean(browser, sample_server, javascript=False) as s:
        yield s


def url_dir(record_page: str) -> str:
    return page_file(record_page)[: -len("index.html")]


def test_home_renders(session):
    page = session.goto("")
    assert page.title() == "安澜县政务公开" or page.title().startswith("安澜县政务公开")
    chart = page.locator("article figure.gk-chart")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    assert page.locator("figure.gk-chart li.gk-chart__row svg.gk-chart__bar rect").count() == 11
    bars = page.eval_on_selector_all(".gk-chart__bar rect", "rs => rs.map(r => r.getBoundingClientRect().width)")
    assert min(bars) > 0 and max(bars) > 100  # drawn, the longest across most of its row
    assert page.locator("#gk-latest-docs + ul.gk-latest li a").count() >= 1
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_unit_page_lists_its_items(session, catalog):
    unit = max(catalog.units.values(), key=lambda u: len(catalog.of_unit(u.unit_id, "powers")))
    powers = catalog.of_unit(unit.unit_id, "powers")
    page = session.goto(url_dir(unit.page))
    assert page.locator("article h1").inner_text().strip() == unit.name
    rows = page.locator("article table.gk-powers tbody tr")
    assert rows.count() == len(powers)
    codes = sorted(rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count()))
    assert codes == sorted(p.code for p in powers)
    # A click on an item reaches its page.
    first = powers[0]
    page.locator("article table.gk-powers a", has_text=first.name).first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/" + url_dir(first.page))
    assert page.locator("article h1").inner_text().strip() == first.name


def test_item_page_shows_its_fields(session, catalog):
    item = next(p for p in catalog.powers if p.promised_limit is not None)
    page = session.goto(url_dir(item.page))
    fields = page.locator("article table.gk-fields").first

    def cell(label):
        return fields.locator("tr", has=page.locator(f"th:text-is('{label}')")).locator("td").inner_text().strip()

    assert cell("事项编码") == item.code
    assert cell("权力类型") == item.category
    assert cell("承诺时限") == f"{item.promised_limit} 个工作日"
    assert page.locator("#basis").is_visible()
    assert f"《{item.basis[0].law}》" in page.locator("article").inner_text()


def visible_rows(page) -> int:
    return page.locator("#gk-all-powers tbody tr:visible").count()


def test_all_items_filter_narrows_the_table(session, catalog):
    page = session.goto("powers/")
    total = len(catalog.powers)
    form = page.locator("form.gk-filter")
    form.wait_for(state="visible")
    count = form.locator("output.gk-filter__count")
    assert visible_rows(page) == total
    assert count.inner_text().strip() == f"显示 {total} / {total} 项"

    # A unit: only its rows remain.
    by_unit = {}
    for p in catalog.powers:
        by_unit.setdefault(p.unit_id, []).append(p)
    unit_id = min(by_unit, key=lambda u: (len(by_unit[u]), u))  # the smallest non-empty unit
    if len(by_unit) > 1:
        assert len(by_unit[unit_id]) < total
    form.locator("select[name=unit]").select_option(unit_id)
    assert visible_rows(page) == len(by_unit[unit_id])
    units_shown = page.locator("#gk-all-powers tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-unit'))")
    assert set(units_shown) == {unit_id}
    assert count.inner_text().strip() == f"显示 {len(by_unit[unit_id])} / {total} 项"

    # Back to every unit, then a keyword: fewer rows, all containing it.
    form.locator("select[name=unit]").select_option("")
    assert visible_rows(page) == total
    keyword = catalog.powers[0].code
    form.locator("input[name=q]").fill(keyword)
    expected = [p for p in catalog.powers if keyword.lower() in p.code.lower() or keyword in p.name]
    assert visible_rows(page) == len(expected)
    if total > 1:
        assert visible_rows(page) < total
    texts = page.locator("#gk-all-powers tbody tr:visible").all_inner_texts()
    assert all(keyword in t for t in texts)
    assert count.inner_text().strip() == f"显示 {len(expected)} / {total} 项"

    # A keyword nothing matches: no rows, and the count says so.
    form.locator("input[name=q]").fill("不存在的事项名称xyz")
    assert visible_rows(page) == 0
    assert count.inner_text().strip() == f"显示 0 / {total} 项"

    # A category narrows too.
    form.locator("input[name=q]").fill("")
    category = catalog.powers[0].category
    form.locator("select[name=category]").select_option(category)
    assert visible_rows(page) == sum(p.category == category for p in catalog.powers)


def test_without_javascript_the_full_table_is_visible(no_js_session, catalog):
    page = no_js_session.goto("powers/")
    assert visible_rows(page) == len(catalog.powers)
    # The filter needs JavaScript, so it stays hidden rather than showing controls that do nothing.
    assert not page.locator("form.gk-filter").is_visible()
    assert page.locator("article h1").inner_text().strip() == "权责清单"


@pytest.mark.parametrize("which", ["home", "unit", "item", "document", "notices"])
def test_pages_read_without_javascript(no_js_session, catalog, which):
    unit = next(u for u in catalog.units.values() if catalog.of_unit(u.unit_id, "powers"))
    rel = {
        "home": "",
        "unit": url_dir(unit.page),
        "item": url_dir(catalog.powers[0].page),
        "document": url_dir(catalog.documents[0].page),
        "notices": "notices/",
    }[which]
    page = no_js_session.goto(rel)
    heading = page.locator("article h1")
    assert heading.is_visible()
    assert heading.inner_text().strip()
    if which == "home":
        assert page.locator("figure.gk-chart").is_visible()
    if which == "unit":
        assert page.locator("article table.gk-powers tbody tr:visible").count() == len(
            catalog.of_unit(unit.unit_id, "powers"))
    if which == "item":
        assert page.locator("article table.gk-fields").first.is_visible()
    if which == "document":
        assert page.locator("article table.gk-meta").is_visible()
    if which == "notices":
        assert page.locator("#current").is_visible() and page.locator("#ended").is_visible()


def test_document_table_sorts(session):
    page = session.goto("documents/")
    button = page.locator("table.gk-documents th[data-sort=date] button.gk-sort")
    button.click()
    values = page.locator("table.gk-documents tbody td[data-value]").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-value'))")
    assert values == sorted(values)
    button.click()
    values = page.locator("table.gk-documents tbody td[data-value]").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-value'))")
    assert values == sorted(values, reverse=True)


def test_the_blocker_records_other_hosts(browser, sample_server):
    """The guard of the other tests works: a request to another host is recorded and aborted. On
    the site's pages their own policy refuses it before it is even sent."""
    load = """() => new Promise(done => {
        const img = new Image(); img.onerror = img.onload = done; img.src = 'http://example.org/x.png';
    })"""
    s = BrowserSession(browser, sample_server)
    try:
        s.goto("")
        s.page.evaluate(load)
        assert s.foreign == [] and any("example.org" in text for text in s.refused)
        s.page.goto("about:blank")  # a document of no policy (set_content would keep the page's)
        s.page.evaluate(load)
        assert s.foreign == ["http://example.org/x.png"]
    finally:
        s.close()
