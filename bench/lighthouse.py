"""Lighthouse scores of three pages of the built sample site (home, an item with its flowchart,
search with results), served from site/ on 127.0.0.1, in Debian's Chromium.

    make site && .venv/bin/python bench/lighthouse.py

Lighthouse is an npm package: it is installed once into .cache/lighthouse (pinned 12.2.3, the last
that runs on Debian's Node 20); `apt-get install nodejs npm` first where npm is missing. This is a
figure for the closing notes and audits, not a test: the accessibility tests are axe's
(tests/test_a11y.py)."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / ".cache" / "lighthouse"
VERSION = "12.2.3"
PAGES = ["", "units/scjgj/powers/SCJG-CF-002/", "search/?q=" + quote("食品")]
CATEGORIES = ["accessibility", "performance", "best-practices"]


def lighthouse() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("npm is missing: apt-get install nodejs npm")
        TOOL.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "-E", f"lighthouse@{VERSION}"],
                       cwd=TOOL, check=True)
    return binary


def main() -> None:
    site = REPO / "site"
    if not (site / "index.html").is_file():
        sys.exit("no site/: run `make site` first")
    binary = lighthouse()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"Lighthouse {VERSION}, mobile emulation (its default), Chromium {chromium_version()}")
    print("| page | " + " | ".join(CATEGORIES) + " | CLS |")
    print("|---|" + "---|" * (len(CATEGORIES) + 1))
    with tempfile.TemporaryDirectory() as tmp:
        for rel in PAGES:
            out = Path(tmp) / "report.json"
            subprocess.run([str(binary), base + rel, "--quiet", "--output=json", f"--output-path={out}",
                            "--only-categories=" + ",".join(CATEGORIES),
                            "--chrome-flags=--headless=new --no-sandbox"],
                           env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin"}, check=True)
            report = json.loads(out.read_text(encoding="utf-8"))
            scores = [f"{round(report['categories'][c]['score'] * 100)}" for c in CATEGORIES]
            cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
            print(f"| /{rel} | " + " | ".join(scores) + f" | {cls:.3f} |")
    server.shutdown()


def chromium_version() -> str:
    out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True)
    return out.stdout.strip().split()[-1] if out.returncode == 0 else "?"


if __name__ == "__main__":
    main()
