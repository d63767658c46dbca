"""The offline bundle in Debian's Chromium over file://: a fresh export unzipped to a temporary
directory, opened at index.html with no server; search finds what the online site finds, in the
same order, and its results lead to the pages. Requests to any host are blocked and recorded.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import BrowserSession

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


@pytest.fixture
def offline(browser, offline_root):
    session = BrowserSession(browser, offline_root.as_uri())
    yield session
    assert session.foreign == [], session.foreign
    assert session.errors == [], session.errors
    session.close()


def results(page) -> list[tuple[str, str]]:
    page.wait_for_selector("#gk-search[data-state=done]")
    return page.eval_on_selector_all(
        "#gk-search-results .gk-result__title a", "as => as.map(a => [a.textContent, a.getAttribute('href')])")


def search_from_header(page, query: str) -> None:
    page.fill("#gk-searchbox-q", query)
    page.press("#gk-searchbox-q", "Enter")
    page.wait_for_load_state()


def test_open_index_search_chinese_and_follow_a_result(offline):
    page = offline.goto("index.html")
    assert page.url.startswith("file://") and page.title() == "安澜县政务公开"
    search_from_header(page, "行政许可")
    assert page.url.split("?")[0].endswith("/search/index.html")
    found = results(page)
    assert len(found) == 10
    assert "找到" in page.inner_text("#gk-search-status")
    title, href = found[0]
    assert href.startswith("file://") and href.endswith(".html")
    page.click("#gk-search-results .gk-result__title a >> nth=0")
    page.wait_for_load_state()
    assert page.url == href and page.title().startswith(title)
    assert page.locator("h1").first.inner_text().strip() == title


def test_traditional_query_finds_simplified_text(offline):
    page = offline.goto("search/index.html?q=" + quote("行政處罰"))
    traditional = results(page)
    page = offline.goto("search/index.html?q=" + quote("行政处罚"))
    assert results(page) == traditional and len(traditional) == 10
    assert any("行政处罚" in title for title, _ in traditional)


def test_doc_no_in_any_brackets(offline):
    for query in ("安府办发[2020]12号", "安府办发〔2020〕12号", "安府办发（2020）12号"):
        page = offline.goto("search/index.html?q=" + quote(query))
        found = results(page)
        assert found and found[0][1].endswith("units/zfb/documents/2020/2020-12345.html"), (query, found[:2])


@pytest.mark.parametrize("query", ["行政许可", "許可", "营业执照", "权力清单", "ZRZY-XK", "开药店"])
def test_same_results_in_the_same_order_as_online(offline, browser, sample_server, query):
    page = offline.goto("search/index.html?q=" + quote(query))
    here = [(t, h.rsplit("/", 1)[-1] if not h.endswith("index.html") else h.split("/")[-2]) for t, h in results(page)]
    online = BrowserSession(browser, sample_server)
    try:
        there = results(online.goto("search/?q=" + quote(query)))
        assert online.foreign == [] and online.errors == []
    finally:
        online.close()
    # Same titles in the same order; the links differ only in form (a.html vs a/).
    assert [t for t, _ in here] == [t for t, _ in there]
    assert [h.removesuffix(".html") for _, h in here] == [h.rstrip("/").rsplit("/", 1)[-1] for _, h in there]


def test_pages_lists_flowcharts_and_downloads_work_from_the_file_system(offline, offline_root):
    page = offline.goto("index.html")
    page.click(".md-content a[href='powers/index.html']")
    page.wait_for_load_state()
    assert page.url.endswith("/powers/index.html")
    download = page.locator(".gk-downloads a", has_text="Excel")
    assert download.get_attribute("href") == "../data/powers.xlsx"
    page.click("#gk-all-powers a[href*='ZRZY-XK-001']")
    page.wait_for_load_state()
    assert page.url.endswith("/units/zrzyj/powers/ZRZY-XK-001.html")
    assert page.locator(".md-content svg").count() >= 1  # the flowchart, drawn at build time
    page.click(".gk-crumbs a >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith("/units/zrzyj/index.html")
    link = page.locator(".gk-downloads a", has_text="CSV").get_attribute("href")
    assert (offline_root / "units" / "zrzyj" / link).resolve().is_file()
