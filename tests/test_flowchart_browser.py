"""Flowcharts as a reader sees them: a licensing and a penalty chart at phone and desktop widths."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from gongkai.model import load_catalog

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}

# For every step: the box, and the bounding boxes of its text lines, in the SVG's coordinates.
GEOMETRY = """(svg) => Array.from(svg.querySelectorAll('g.gk-flow__step')).map(g => {
  const r = g.querySelector('rect').getBBox();
  return {rect: [r.x, r.y, r.width, r.height],
          texts: Array.from(g.querySelectorAll('text')).map(t => {
            const b = t.getBBox(); return [t.textContent, b.x, b.y, b.width, b.height]; })};
})"""


@pytest.fixture(scope="module")
def charts():
    catalog, _ = load_catalog(ROOT / "content", today=dt.date(2026, 11, 21))
    picked = {}
    for category in ("行政许可", "行政处罚"):
        item = next((p for p in catalog.powers if p.category == category and catalog.flow_of(p)), None)
        assert item is not None, f"no {category} item with a procedure in the sample content"
        picked[category] = item.page[: -len(".md")] + "/"
    return picked


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("category", ["行政许可", "行政处罚"])
def test_chart_fits_the_screen_with_labels_inside_their_boxes(browser, sample_server, charts, category, width,
                                                              tmp_path):
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    try:
        page.goto(f"{sample_server}/{charts[category]}")
        svg = page.locator("figure.gk-flowchart svg").first
        svg.scroll_into_view_if_needed()
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 150
        assert box["x"] >= 0 and box["x"] + box["width"] <= w + 0.5, f"chart overflows a {w}px screen: {box}"
        shot = tmp_path / f"{category}-{width}.png"
        svg.screenshot(path=str(shot))
        assert shot.stat().st_size > 5000, "the screenshot is (nearly) empty"
        steps = svg.evaluate(GEOMETRY)
        assert len(steps) >= 4
        for step in steps:
            x, y, rw, rh = step["rect"]
            for text, tx, ty, tw, th in step["texts"]:
                assert tx >= x - 0.5 and tx + tw <= x + rw + 0.5, f"'{text}' sticks out of its box sideways"
                assert ty >= y - 0.5 and ty + th <= y + rh + 0.5, f"'{text}' sticks out of its box"
        # the text version follows the chart, one list item per step
        assert page.locator("ol.gk-steps").first.locator(":scope > li").count() == len(steps)
        # scaled down on a phone, but no smaller than 60% of the drawn size: still legible
        natural = float(svg.get_attribute("width"))
        assert box["width"] >= min(natural, 0.6 * natural), "the chart shrank below legibility"
    finally:
        page.close()
