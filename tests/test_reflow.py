"""Reflow (WCAG 1.4.10): no page of the sample site scrolls sideways on a 320 px phone — a wide
table reflows (label above value) or scrolls inside its own frame, the page does not — with and
without JavaScript, and at the 适老化 toolbar's largest text size."""

from __future__ import annotations

import json

import pytest

from conftest import PAGE_KINDS, BrowserSession

pytestmark = pytest.mark.browser

WIDTH = 320
# The document's width and the headings' boxes, measured in the page.
MEASURE = """() => ({
  width: document.documentElement.scrollWidth,
  outside: [...document.querySelectorAll('article h1, article h2')]
    .map(h => h.getBoundingClientRect()).filter(r => r.left < 0 || r.right > innerWidth).length,
})"""


def every_page(site) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in pages] + ["404.html"]


def test_every_page_reflows_at_320_px(browser, sample_server, sample_site):
    """All of them, the filters and sortable tables of JavaScript included."""
    pages = every_page(sample_site)
    assert len(pages) > 400
    wide = []
    with BrowserSession.clean(browser, sample_server, width=WIDTH) as session:
        for rel in pages:
            found = session.goto(rel).evaluate(MEASURE)
            if found["width"] > WIDTH or found["outside"]:
                wide.append((rel, found))
    assert wide == []


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_every_kind_of_page_reflows_without_javascript_and_at_200_percent(browser, sample_server, javascript):
    with BrowserSession.clean(browser, sample_server, javascript=javascript, width=WIDTH) as session:
        if javascript:  # the toolbar's largest text size, its panel open
            session.context.add_init_script(
                f"localStorage.setItem('gongkai.aids', {json.dumps(json.dumps({'size': 200, 'open': True}))})")
        wide = []
        for rel in PAGE_KINDS:
            page = session.goto(rel)
            if javascript:
                assert page.evaluate("document.documentElement.dataset.gkSize") == "200"
            found = page.evaluate(MEASURE)
            if found["width"] > WIDTH or found["outside"]:
                wide.append((rel, found))
        assert wide == []


def test_flowchart_labels_are_12_px_or_more_on_a_phone(browser, sample_server):
    """At 390 px the chart keeps its natural size inside a frame that scrolls sideways."""
    with BrowserSession.clean(browser, sample_server, width=390) as session:
        page = session.goto("units/scjgj/powers/SCJG-CF-002/")
        sizes = page.evaluate("""() => [...document.querySelectorAll('svg.gk-flow text')].map(t => {
            const box = t.getBoundingClientRect(); return [t.getAttribute('font-size') * 1, box.height]; })""")
        scale = page.evaluate("""() => { const svg = document.querySelector('svg.gk-flow');
            return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }""")
        assert sizes and min(size for size, _ in sizes) * scale >= 12, (scale, min(sizes))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        frame = page.locator(".gk-flowchart__frame")
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth") is True  # the chart scrolls, the page does not
        assert page.locator("ol.gk-steps li").count() > 5  # the text version beside it
