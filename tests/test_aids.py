"""The 适老化 toolbar: on every page, by keyboard; text size to 200 %, high contrast, a large
cursor, a simple one-column view and voice reading, each kept across pages and applied before
the page paints; hidden without JavaScript, where the skip link still works. Speech synthesis is
stubbed only for the test that needs a Chinese voice, which headless Chromium here has not."""

from __future__ import annotations

import json
import re

import pytest

from conftest import BrowserSession, PAGE_KINDS, wait_for

pytestmark = pytest.mark.browser

ITEM = "units/scjgj/powers/SCJG-CF-002/"

# A speechSynthesis of the test's own with one Chinese voice: it records what it is asked to say
# and ends each utterance at once, as a very fast voice would.
FAKE_SPEECH = """
(() => {
  const voice = {name: "测试中文", lang: "zh-CN", default: true, localService: true, voiceURI: "test"};
  // hold: sentences do not end by themselves (a long one being read); paused: the engine's state
  const log = window.__speech = {spoken: [], hold: false, paused: false, cancelled: 0};
  const synth = {
    getVoices: () => [voice], speaking: false, pending: false, get paused() { return log.paused; },
    speak(u) { if (log.current) log.overlap = (log.overlap || 0) + 1;  // asked while another is read
               log.spoken.push(u.text); log.lang = u.lang; log.current = u;
               setTimeout(() => { if (!log.hold && !log.paused && log.current === u) { log.current = null; u.onend && u.onend(); } }, 5); },
    pause() { log.paused = true; }, resume() { log.paused = false; },
    // as some platforms do: the sentence cut off by cancel() still ends, a moment later
    cancel() { log.cancelled += 1; const u = log.current; log.current = null; if (u && u.onend) setTimeout(() => u.onend(), 30); },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""


def settings_of(page) -> dict:
    return json.loads(page.evaluate("localStorage.getItem('gongkai.aids') || '{}'"))


def root_classes(page) -> set[str]:
    return set(page.evaluate("document.documentElement.className").split())


def focused(page, css_class: str) -> bool:
    return page.evaluate(f"document.activeElement.classList.contains('{css_class}')")


def open_toolbar_by_keyboard(page) -> None:
    page.keyboard.press("Tab")
    assert focused(page, "gk-skip")
    page.keyboard.press("Tab")
    assert focused(page, "gk-aids__open")
    page.keyboard.press("Enter")
    assert page.get_attribute(".gk-aids__open", "aria-expanded") == "true"


def test_toolbar_on_every_kind_of_page_first_after_the_skip_link(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        for rel in PAGE_KINDS:
            page = session.goto(rel)
            assert page.locator(".gk-aids__open").is_visible(), rel
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert focused(page, "gk-aids__open"), rel


def test_without_javascript_no_toolbar_and_the_skip_link_works(browser, sample_server):
    with BrowserSession.clean(browser, sample_server, javascript=False) as session:
        page = session.goto(ITEM)
        assert page.locator(".gk-aids").is_hidden()
        page.keyboard.press("Tab")
        skip = page.locator(".gk-skip")
        assert skip.is_visible() and skip.inner_text() == "跳到正文"
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"#gk-main$"), timeout=5000)  # the jump is a navigation: not instant
        assert page.evaluate("document.activeElement.id") == "gk-main"
        page.keyboard.press("Tab")  # the next stop is inside the article, not the header again
        assert page.evaluate("document.getElementById('gk-main').contains(document.activeElement)")


def test_text_size_steps_to_200_percent_and_is_kept_across_pages(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        page = session.goto(ITEM)
        open_toolbar_by_keyboard(page)
        base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#gk-main p')).fontSize)")
        page.focus("[data-gk-aid=larger]")
        for expected in (125, 150, 175, 200, 200, 200):  # a key held down stops at 200 %
            page.keyboard.press("Enter")
            assert page.inner_text("[data-gk-size-value]") == f"{expected}%"
        assert page.get_attribute("[data-gk-aid=larger]", "aria-disabled") == "true"
        assert page.evaluate("document.activeElement.dataset.gkAid") == "larger"  # the focus stays
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 2 * base
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('#gk-main p')).fontSize)") == 2 * body
        page = session.goto("documents/")
        assert page.evaluate("document.documentElement.dataset.gkSize") == "200"
        assert page.inner_text("[data-gk-size-value]") == "200%"
        assert page.get_attribute(".gk-aids__open", "aria-expanded") == "true"  # the panel stays open
        page.click("[data-gk-aid=smaller]")
        assert settings_of(page)["size"] == 175


@pytest.mark.parametrize("aid, check", [
    ("contrast", "getComputedStyle(document.body).backgroundColor === 'rgb(0, 0, 0)'"
                 " && getComputedStyle(document.querySelector('#gk-main p')).color === 'rgb(255, 255, 255)'"),
    ("cursor", "getComputedStyle(document.querySelector('#gk-main p')).cursor.includes('gk-cursor.svg')"
               " && getComputedStyle(document.querySelector('#gk-main a')).cursor.includes('gk-cursor-link.svg')"),
    # one column: the table of contents and the chart's drawing go; the navigation (above the
    # text), the flowchart's text version and the field tables stay
    ("simple", "getComputedStyle(document.querySelector('.md-sidebar--secondary')).display === 'none'"
               " && getComputedStyle(document.querySelector('.gk-flowchart__frame')).display === 'none'"
               " && getComputedStyle(document.querySelector('ol.gk-steps')).display !== 'none'"
               " && document.querySelector('.md-sidebar--primary').getBoundingClientRect().bottom"
               "    <= document.querySelector('#gk-main h1').getBoundingClientRect().top"
               " && [...document.querySelectorAll('.md-nav--primary > ul > li > :is(a, label)')]"
               "    .every(e => e.getBoundingClientRect().height > 0)"),
])
def test_each_mode_applies_is_pressed_and_is_kept_across_pages(browser, sample_server, aid, check):
    with BrowserSession.clean(browser, sample_server) as session:
        page = session.goto(ITEM)
        assert page.evaluate(check) is False
        page.click(".gk-aids__open")
        button = page.locator(f"[data-gk-aid={aid}]")
        assert button.get_attribute("aria-pressed") == "false"
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-pressed") == "true"
        assert f"gk-{aid}" in root_classes(page)
        assert page.evaluate(check) is True
        page = session.goto(ITEM)  # the next page opens in the mode
        assert page.evaluate(check) is True
        page.click("[data-gk-aid=reset]")
        assert f"gk-{aid}" not in root_classes(page) and page.evaluate(check) is False
        assert settings_of(page) == {"open": True}


def test_settings_are_applied_before_the_page_scripts_run(browser, sample_server, sample_site):
    """gongkai-aids-head.js is a blocking script in <head>: with the toolbar's own script taken
    away, the next page still opens in the reader's settings — there is no flash of defaults."""
    head = (sample_site / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    tag = re.search(r"<script[^>]*gongkai-aids-head\.js[^>]*>", head)
    assert tag and not re.search(r"\b(defer|async)\b", tag.group(0))
    with BrowserSession.clean(browser, sample_server) as session:
        session.context.route("**/gongkai-aids.js", lambda route: route.fulfill(status=200, body=""))
        session.context.add_init_script("localStorage.setItem('gongkai.aids', "
                                        "JSON.stringify({size: 150, contrast: true, simple: true}))")
        page = session.goto(ITEM)
        assert root_classes(page) >= {"gk-js", "gk-contrast", "gk-simple"}
        assert page.evaluate("document.documentElement.dataset.gkSize") == "150"


def test_a_damaged_setting_is_ignored(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        session.context.add_init_script("localStorage.setItem('gongkai.aids', '{not json')")
        page = session.goto(ITEM)
        assert root_classes(page) & {"gk-contrast", "gk-simple", "gk-cursor"} == set()
        page.click(".gk-aids__open")
        page.click("[data-gk-aid=larger]")
        assert settings_of(page)["size"] == 125


def test_reading_says_so_when_the_browser_has_no_chinese_voice(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        page = session.goto(ITEM)
        if page.evaluate("(speechSynthesis.getVoices() || []).some(v => /^(zh|cmn)/i.test(v.lang))"):
            pytest.skip("this browser has a Chinese voice")
        page.click(".gk-aids__open")
        assert page.locator(".gk-aids__reader").is_hidden()
        page.click("[data-gk-aid=speech]")  # the on/off switch shows the reading controls
        assert page.locator(".gk-aids__reader").is_visible()
        page.click("[data-gk-read=start]")  # the voice list may load late: a second's wait, then this
        wait_for(page, "() => document.querySelector('.gk-aids__status').textContent.includes('没有中文语音')")
        assert page.locator("[data-gk-read=stop]").is_disabled()


def test_reading_the_main_content_start_pause_resume_stop(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        session.context.add_init_script(FAKE_SPEECH)
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify({open: true, speech: true}))")
        page = session.goto(ITEM)
        title = page.inner_text("article h1")
        page.click("[data-gk-read=start]")
        wait_for(page, "() => document.querySelector('.gk-aids__status').textContent === '朗读完毕。'")
        spoken = page.evaluate("window.__speech.spoken")
        assert spoken[0] == title  # the article from its heading, not the header or the toolbar
        assert all(len(s) <= 50 for s in spoken) and len(spoken) > 10
        assert page.evaluate("document.activeElement.dataset.gkRead") == "start"  # the focus is kept
        text = "".join(spoken)
        assert "立案" in text and "无障碍" not in text and "安澜县政务公开" not in spoken
        assert page.evaluate("window.__speech.lang") == "zh-CN"
        # pause holds the queue; resume goes on; stop cancels
        page.evaluate("window.__speech.spoken = []; window.__speech.hold = true")  # the next sentence will not end
        page.focus("[data-gk-read=start]")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.dataset.gkRead") == "pause"  # not lost to <body>
        page.click("[data-gk-read=pause]")
        assert page.locator("[data-gk-read=resume]").is_enabled() and page.locator("[data-gk-read=pause]").is_disabled()
        assert page.inner_text(".gk-aids__status") == "已暂停。"
        page.click("[data-gk-read=resume]")
        assert page.evaluate("window.__speech.paused") is False
        cancelled = page.evaluate("window.__speech.cancelled")
        page.click("[data-gk-read=stop]")
        assert page.evaluate("window.__speech.cancelled") == cancelled + 1
        assert page.inner_text(".gk-aids__status") == "已停止。"
        assert page.locator("[data-gk-read=start]").is_enabled()
        assert page.evaluate("document.activeElement.dataset.gkRead") == "start"


def test_every_focus_stop_is_visible(browser, sample_server):
    """Tab through the first 60 stops of a list page: each shows an outline of 2 px or more."""
    with BrowserSession.clean(browser, sample_server) as session:
        page = session.goto("units/scjgj/")
        seen = []
        for _ in range(60):
            page.keyboard.press("Tab")
            found = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
                return [e.tagName + '.' + e.className, s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
            seen.append(found)
        hidden = [f for f in seen if f[1] == "none" or f[2] < 2]
        assert hidden == [], hidden


def test_reading_pause_then_stop_then_start_reads_again(browser, sample_server):
    """A paused engine is resumed before it is cancelled, or the next reading would stay silent;
    a late end of a cancelled sentence does not go on with the old reading."""
    with BrowserSession.clean(browser, sample_server) as session:
        session.context.add_init_script(FAKE_SPEECH)
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify({open: true, speech: true}))")
        page = session.goto(ITEM)
        page.evaluate("window.__speech.hold = true")  # sentences do not end by themselves
        page.click("[data-gk-read=start]")
        page.click("[data-gk-read=pause]")
        page.click("[data-gk-read=stop]")
        assert page.evaluate("window.__speech.paused") is False
        page.evaluate("window.__speech.spoken = []")
        page.click("[data-gk-read=start]")
        page.wait_for_timeout(50)
        assert page.evaluate("window.__speech.spoken.length") == 1  # one reading, one sentence at a time
        page.evaluate("window.__speech.hold = false; window.__speech.spoken = []")
        # stop and start again at once: the stopped sentence's late end comes during the new reading
        page.evaluate("document.querySelector('[data-gk-read=stop]').click();"
                      "document.querySelector('[data-gk-read=start]').click()")
        wait_for(page, "() => document.querySelector('.gk-aids__status').textContent === '朗读完毕。'")
        spoken = page.evaluate("window.__speech.spoken")
        assert spoken[0] == page.inner_text("article h1") and spoken.count(spoken[0]) == 1  # read once, from the top
        assert page.evaluate("window.__speech.overlap || 0") == 0  # one sentence after the other, never two


def test_reading_the_search_page_reads_text_not_markup(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        session.context.add_init_script(FAKE_SPEECH)
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify({open: true, speech: true}))")
        page = session.goto("search/?q=食品")
        page.wait_for_selector("#gk-search[data-state=done]")
        page.click("[data-gk-read=start]")
        wait_for(page, "() => document.querySelector('.gk-aids__status').textContent === '朗读完毕。'")
        text = "".join(page.evaluate("window.__speech.spoken"))
        assert "<" not in text and "href" not in text and "食品" in text
        assert "站内检索需要" not in text  # the no-JavaScript notice is not shown, so not read
        assert "检索范围" not in text  # the form is not read


def test_escape_closes_the_panel_and_stops_reading(browser, sample_server):
    with BrowserSession.clean(browser, sample_server) as session:
        session.context.add_init_script(FAKE_SPEECH)
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify({open: true, speech: true}))")
        page = session.goto(ITEM)
        page.evaluate("window.__speech.hold = true")
        page.click("[data-gk-read=start]")
        page.keyboard.press("Escape")
        assert page.locator(".gk-aids__panel").is_hidden() and page.locator(".gk-aids__reader").is_hidden()
        assert focused(page, "gk-aids__open")
        assert page.evaluate("window.__speech.cancelled") >= 2 and settings_of(page)["open"] is False


def test_an_open_panel_is_shown_before_the_toolbar_script_runs(browser, sample_server):
    """No layout shift on the next page: the kept-open panel and reading bar are there at once."""
    with BrowserSession.clean(browser, sample_server, width=390) as session:
        session.context.route("**/gongkai-aids.js", lambda route: route.fulfill(status=200, body=""))
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify({open: true, speech: true}))")
        page = session.goto(ITEM)
        assert page.locator(".gk-aids__panel").is_visible() and page.locator(".gk-aids__reader").is_visible()


def test_simple_view_on_a_phone_keeps_the_menu(browser, sample_server):
    with BrowserSession.clean(browser, sample_server, width=390) as session:
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify({simple: true}))")
        page = session.goto(ITEM)
        page.click("label.md-header__button[for=__drawer]")
        page.wait_for_timeout(400)
        link = page.locator(".md-nav--primary a.md-nav__link", has_text="首页")
        assert link.is_visible()
        box = link.bounding_box()
        assert 0 <= box["x"] < 390
