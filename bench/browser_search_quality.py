"""Recall@10 and MRR of the site's browser search on the labelled queries of tests/search_queries.yml.

Builds the sample site, serves it on 127.0.0.1, types each labelled query into the search page in
Debian's Chromium (Playwright) and scores the first ten results with the same code as the archive
engine's test (tests/search_eval.py).

    .venv/bin/python bench/browser_search_quality.py
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from search_eval import evaluate  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795219200"}
        subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                        "-d", str(site)], cwd=ROOT, env=env, check=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()

            def ranked(query: str) -> list[str]:
                page.goto(f"{base}/search/?q={quote(query)}")
                page.wait_for_selector("#gk-search[data-state=done]")
                hrefs = page.eval_on_selector_all("#gk-search-results .gk-result__title a",
                                                  "links => links.map(a => a.getAttribute('href'))")
                return [urlsplit(h).path.lstrip("/") for h in hrefs][:10]

            report = evaluate(ranked)
            browser.close()
        server.shutdown()
    print(report.summary("browser search"))
    return 0 if report.recall >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
