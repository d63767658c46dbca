"""Safe HTML, CSS: a style attribute that could load a resource or run is removed however it is
spelled (CSS escapes, comments, image-set() …), in a real build and in Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import SMALL_SITE, BrowserSession, gongkai_check, mkdocs_build, write_site
from gongkai.guard.extension import check_markdown
from gongkai.guard.sanitizer import sanitize, style_loads

GUIDE = "content/units/zrj/guides/xk-001.md"
PAGE = "units/zrj/guides/xk-001"

# Each one makes the browser fetch (or, in an old browser, run) something; every URL is of another
# host, so a browser that loads any of them is caught by BrowserSession's blocker.
LOADING = [
    r"background:u\rl(https://example.com/escaped-letter.png)",
    r"background:\75 rl(https://example.com/hex-escape.png)",
    r"background:\000075rl(https://example.com/six-digit-escape.png)",
    r"background-image:U\52 L(https://example.com/upper-case.png)",
    "background:u/**/rl(https://example.com/comment.png)",
    'background-image:image-set("https://example.com/image-set.png" 1x)',
    'background-image:-webkit-image-set(url(https://example.com/webkit-image-set.png) 1x)',
    r'background-image:\69 mage-set("https://example.com/escaped-image-set.png" 1x)',
    "background-image:image('https://example.com/image.png')",
    "background-image:cross-fade(url(https://example.com/cross-fade.png) 50%, red)",
    "list-style-image:url('https://example.com/quoted.png')",
    "width:expression(alert(1))",
    r"width:e\78 pression(alert(1))",
    "@import 'https://example.com/import.css'",
    r"@\69 mport 'https://example.com/escaped-import.css'",
    "behavior:url(https://example.com/x.htc)",
    "-moz-binding:url(https://example.com/x.xml#b)",
    r"background:java\73 cript:alert(1)",
    "u\\\nrl(https://example.com/backslash-newline.png)",
]
# What must stay: plain styles, gradients, and words that merely contain a dangerous name.
HARMLESS = ["color: red", "background: #fff linear-gradient(red, blue)", "font-family: Curly, serif",
            "text-align: center; width: calc(100% - 2em)", "content: 'url'"]


@pytest.mark.parametrize("style", LOADING)
def test_style_that_loads_is_found_however_spelled(style):
    assert style_loads(style), style
    cleaned, gone = sanitize(f'<p style="{style}">段落</p>')
    assert "style" not in cleaned, cleaned
    assert any(item.startswith("style=") for item in gone), gone


@pytest.mark.parametrize("style", HARMLESS)
def test_harmless_style_stays(style):
    assert not style_loads(style), style
    html = f'<p style="{style}">段落</p>'
    assert sanitize(html) == (html, [])


def test_attr_list_and_entity_spellings_are_checked_too():
    """Attributes Markdown writes ({: style=…}) and an escape hidden in an HTML entity (&#92; is \\)."""
    for markdown in (r'段落' "\n" r'{: style="background:u\rl(https://example.com/a.png)" }' "\n",
                     '<p style="background:u&#92;rl(https://example.com/a.png)">段落</p>\n'):
        problems = check_markdown(markdown, "content/x.md")
        assert len(problems) == 1 and "style=" in problems[0].message, (markdown, problems)


def _body(styles: list[str]) -> str:
    """One block of raw HTML per style (blocks keep the author's backslashes as written)."""
    return "\n".join(f'<p style="{style.replace(chr(10), "&#10;")}">样式{i}</p>\n'
                     for i, style in enumerate(styles))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    root = write_site(tmp_path_factory.mktemp("guard-css") / "site-root")
    (root / GUIDE).write_text(SMALL_SITE[GUIDE] + _body(LOADING + HARMLESS), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    return root, result.output


def _article(root: Path) -> str:
    html = (root / "site" / PAGE / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_build_removes_every_loading_style_and_reports_it(built):
    root, output = built
    html = _article(root)
    for gone in ("example.com", "rl(", "image-set", "image(", "expression", "pression", "import",
                 "behavior", "-moz-binding", "cript", "cross-fade"):
        assert gone not in html, gone
    for i in range(len(LOADING)):
        assert f"<p>样式{i}</p>" in html, i
    for style in HARMLESS:
        assert f'style="{style}"' in html.replace("&#x27;", "'"), style
    lines = (SMALL_SITE[GUIDE] + _body(LOADING + HARMLESS)).split("\n")
    warnings = [line.split("WARNING -  ", 1)[1] for line in output.splitlines() if "raw HTML" in line]
    for i in range(len(LOADING)):
        number = next(n for n, line in enumerate(lines, 1) if f">样式{i}<" in line)
        assert any(w.startswith(f"{GUIDE}:{number}:1: warning: raw HTML: removed style=") for w in warnings), (i, warnings)
    assert len(warnings) == len(LOADING), warnings
    check = gongkai_check(root)
    assert sorted(line for line in check.stdout.splitlines() if "raw HTML" in line) == sorted(warnings)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.mark.browser
def test_chromium_fetches_nothing_from_elsewhere(built, browser):
    """The styles above, as built, in Chromium: not one request leaves the machine."""
    root, _ = built
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with BrowserSession.clean(browser, f"http://127.0.0.1:{server.server_address[1]}") as session:
            page = session.goto(PAGE + "/")
            assert page.locator("article p", has_text="样式0").is_visible()
            page.wait_for_load_state("networkidle")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
