"""The 行政执法公示 page of a unit in Chromium: kinds filtered without JavaScript, every decision
in force listed, none past its period."""

from __future__ import annotations


import pytest

from conftest import BrowserSession

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def no_js_session(browser, sample_server):
    with BrowserSession.clean(browser, sample_server, javascript=False) as s:
        yield s


def test_unit_enforcement_page_filters_by_kind_without_javascript(no_js_session, catalog):
    decisions = catalog.of_unit("scjgj", "decisions")
    assert decisions and catalog.unit("scjgj")
    page = no_js_session.goto("units/scjgj/decisions/")
    assert page.locator("article h1").inner_text().strip() == "安澜县市场监督管理局行政执法公示"
    rows = page.locator("article table.gk-decisions tbody tr")
    assert rows.count() == len(decisions)
    listed = {rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())}
    assert listed == {d.doc_no for d in decisions}
    # Past their period: in the content, on no page.
    assert "安市监罚〔2025〕1号" not in listed and "安市监罚〔2026〕1号" not in listed
    # The filter by kind is a link to the kind's section: it scrolls there without JavaScript.
    page.locator("nav[aria-label='按类别筛选'] a", has_text="行政许可").click()
    assert page.url.endswith("#licence")
    heading = page.locator("h2#licence")
    assert heading.is_visible() and heading.inner_text().startswith("行政许可")
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 400  # scrolled to the top of the viewport
    # A decision's page states its display period.
    page.locator("article table.gk-decisions a").first.click()
    page.wait_for_load_state("load")
    assert "公示期至" in page.locator("article .gk-period").inner_text()
