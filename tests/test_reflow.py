"""Reflow (WCAG 1.4.10): no page of the sample site scrolls sideways on a 320 px phone — a wide
table reflows (label above value) or scrolls inside its own frame, the page does not — with and
without JavaScript, and at the 适老化 toolbar's largest text size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PAGE_KINDS, BrowserSession
from reflow_sweep import MEASURE

pytestmark = pytest.mark.browser

WIDTH = 320


def every_page(site) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in pages] + ["404.html"]


def test_every_page_reflows_at_320_px(sample_server, sample_site):
    """All of them, the filters and sortable tables of JavaScript included (reflow_sweep.py)."""
    pages = every_page(sample_site)
    assert len(pages) > 400
    sweep = Path(__file__).with_name("reflow_sweep.py")
    result = subprocess.run([sys.executable, "-X", "faulthandler", str(sweep), sample_server, str(WIDTH)],
                            input="\n".join(pages), capture_output=True, text=True, timeout=1200,
                            cwd=sweep.parent, env={**os.environ, "PYTHONPATH": str(sweep.parent)})
    assert result.returncode == 0, result.stderr[-4000:]
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("width, javascript, size", [(320, False, 100), (320, True, 200), (160, True, 100)],
                         ids=["320-no-js", "320-text-200", "160-zoom-200"])
def test_every_kind_of_page_reflows_without_javascript_at_large_text_and_zoomed(browser, sample_server,
                                                                                 width, javascript, size):
    """160 px is a 320 px phone at 200 % browser zoom; text 200 % is the toolbar's largest size."""
    with BrowserSession.clean(browser, sample_server, javascript=javascript, width=width) as session:
        if javascript:
            session.context.add_init_script(
                f"localStorage.setItem('gongkai.aids', {json.dumps(json.dumps({'size': size, 'open': True}))})")
        wide = []
        for rel in PAGE_KINDS:
            page = session.goto(rel)
            if size != 100:
                assert page.evaluate("document.documentElement.dataset.gkSize") == str(size)
            found = page.evaluate(MEASURE)
            if found["width"] > width or found["outside"]:
                wide.append((rel, found))
        assert wide == []


def test_flowchart_enlarged_on_a_phone_has_labels_of_12_px_or_more(browser, sample_server):
    """At 390 px the chart is an overview that fits the screen; 放大查看 (by keyboard here) shows it
    at its natural size, every label 12 px or more, scrolling sideways in its frame, not the page."""
    label_px = """() => { const svg = document.querySelector('svg.gk-flow');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')].map(t => t.getAttribute('font-size') * scale)); }"""
    with BrowserSession.clean(browser, sample_server, width=390) as session:
        page = session.goto("units/scjgj/powers/SCJG-CF-002/")
        frame = page.locator(".gk-flowchart__frame").first
        assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")  # the overview fits
        assert page.evaluate(label_px) < 12
        page.focus(".gk-flowchart__zoom")
        page.keyboard.press("Space")
        assert page.locator(".gk-flowchart__zoom").first.is_checked()
        assert page.evaluate(label_px) >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth")  # the chart scrolls, the page does not
        assert page.locator("ol.gk-steps li").count() > 5  # the text version beside it
    with BrowserSession.clean(browser, sample_server, width=1280) as session:
        page = session.goto("units/scjgj/powers/SCJG-CF-002/")
        assert page.locator(".gk-flowchart__zoom-label").is_hidden()  # room enough: no switch
        assert page.evaluate(label_px) >= 12
