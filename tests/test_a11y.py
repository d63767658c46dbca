"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA, and its best practices) finds nothing on any kind of page: at 320, 390 and 1280
px, in light and dark schemes, in the 适老化 toolbar's high-contrast and large-text modes, with
search results shown, and in the offline bundle over file://.

axe comes from PyPI: the axe-playwright-python package ships axe.min.js (axe-core 4.12), which
is injected into the page; nothing is downloaded at test time.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import PAGE_KINDS, BrowserSession

pytest.importorskip("axe_playwright_python")
from axe_playwright_python.base import AXE_SCRIPT  # noqa: E402 - after the skip

pytestmark = pytest.mark.browser

# WCAG 2.0/2.1 A and AA, and beyond the issue: 2.2 AA (target size) and axe's best practices
# (heading order, landmarks, every content in a landmark).
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                "best-practice"]},
           "resultTypes": ["violations"]}


def violations(page) -> list[str]:
    """axe's violations on the page as it is now, one line per rule: id, impact, nodes."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(f"axe.run(document, {json.dumps(OPTIONS)})")
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} × {v['nodes'][0]['target']} "
            f"{v['nodes'][0].get('failureSummary', '')[:300]}" for v in result["violations"]]


def settings(session, **values) -> None:
    session.context.add_init_script(
        f"localStorage.setItem('gongkai.aids', {json.dumps(json.dumps(values))})")


def walk(session, pages) -> dict[str, list[str]]:
    found = {}
    for rel in pages:
        page = session.goto(rel)
        page.wait_for_load_state("networkidle")
        if found_here := violations(page):
            found[rel] = found_here
    return found


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_violations_on_any_kind_of_page(browser, sample_server, width):
    with BrowserSession.clean(browser, sample_server, width=width) as session:
        assert walk(session, PAGE_KINDS) == {}


@pytest.mark.parametrize("mode", ["dark", "contrast", "large-text", "simple"])
def test_no_violations_in_each_reading_mode(browser, sample_server, mode):
    with BrowserSession.clean(browser, sample_server, width=1280) as session:
        if mode == "dark":
            session.context.close()
            session.context = browser.new_context(color_scheme="dark", locale="zh-CN", service_workers="block",
                                                  viewport={"width": 1280, "height": 800})
            session.context.route("**/*", session._route)
            session.page = session.context.new_page()
            session.page.on("pageerror", lambda exc: session.errors.append(str(exc)))
        else:
            settings(session, open=True, speech=True, **{"contrast": {"contrast": True},
                                                        "large-text": {"size": 200},
                                                        "simple": {"simple": True}}[mode])
        page = session.goto("")
        expected = {"dark": "slate"}.get(mode, "default")
        assert page.evaluate("document.body.dataset.mdColorScheme") == expected
        assert walk(session, PAGE_KINDS) == {}
        page = session.goto("search/?q=食品")  # with results, and the 显示更多 button
        page.wait_for_selector("#gk-search[data-state=done]")
        assert violations(page) == []


def test_no_violations_with_search_results(browser, sample_server):
    with BrowserSession.clean(browser, sample_server, width=390) as session:
        page = session.goto("search/?q=食品")
        page.wait_for_selector("#gk-search[data-state=done]")
        results = page.locator(".gk-result").count()
        assert results > 0
        # the count is announced: a live status region says it
        status = page.locator("#gk-search-status")
        assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
        assert re.fullmatch(rf"找到 \d+ 条结果.*", status.inner_text())
        assert violations(page) == []


def test_no_violations_in_the_offline_bundle(browser, offline_root):
    session = BrowserSession(browser, offline_root.as_uri(), width=390)
    try:
        pages = ["index.html", "units/scjgj/index.html", "units/scjgj/powers/SCJG-CF-002.html",
                 "units/county/documents/2019/2019-gfxwj-gl.html", "documents/index.html",
                 "units/county/annual-reports/2025.html", "units/scjgj/decisions/2026/2026-cf-002.html"]
        for rel in pages:
            assert (offline_root / rel).is_file(), rel
        assert walk(session, pages) == {}
        page = session.goto("search/index.html?q=" + "食品")
        page.wait_for_selector("#gk-search[data-state=done]")
        assert violations(page) == []
    finally:
        session.close()
    assert session.foreign == [] and session.errors == []


def test_search_results_do_not_shift_the_layout(browser, sample_server):
    """Cumulative layout shift while results arrive, desktop and phone: under 0.1 (Lighthouse's
    'good'). The scrollbar's room is kept (scrollbar-gutter), so the centred layout stays put."""
    observe = """window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});"""
    for width in (1280, 390):
        with BrowserSession.clean(browser, sample_server, width=width) as session:
            session.context.add_init_script(observe)
            page = session.goto("search/?q=食品")
            page.wait_for_selector("#gk-search[data-state=done]")
            assert page.locator(".gk-result").count() > 5  # enough to make the page scroll
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollHeight > innerHeight")
            assert page.evaluate("window.__cls") < 0.1, width
