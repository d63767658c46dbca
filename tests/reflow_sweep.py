"""Measure pages for reflow in a browser of their own: `python reflow_sweep.py BASE WIDTH` with
site-relative paths on standard input, one a line; prints the pages that are too wide as JSON.

The every-page reflow test runs this as a child process: hundreds of pages through one long-lived
browser of a test worker is the one load that took a worker down in the full suite; here a crash
is a located test failure with its output, and the worker's browser is not touched."""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

from conftest import CHROMIUM, LAUNCH_ARGS

# The document's width and the headings' boxes, measured in the page.
MEASURE = """() => ({
  width: document.documentElement.scrollWidth,
  outside: [...document.querySelectorAll('article h1, article h2')]
    .map(h => h.getBoundingClientRect()).filter(r => r.left < 0 || r.right > innerWidth).length,
})"""


def sweep(base: str, width: int, pages: list[str]) -> list[list]:
    wide = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for start in range(0, len(pages), 100):  # a fresh context every 100 pages keeps memory flat
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN",
                                          service_workers="block")
            page = context.new_page()
            for rel in pages[start:start + 100]:
                response = page.goto(f"{base}/{rel}", wait_until="load")
                if response is None or not response.ok:
                    wide.append([rel, "not served"])
                    continue
                found = page.evaluate(MEASURE)
                if found["width"] > width or found["outside"]:
                    wide.append([rel, found])
            context.close()
        browser.close()
    return wide


if __name__ == "__main__":
    print(json.dumps(sweep(sys.argv[1], int(sys.argv[2]), sys.stdin.read().split("\n"))))
