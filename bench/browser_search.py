#!/usr/bin/env python3
"""The browser search's budget: bytes for the first query and time to results, at N items.

    python bench/browser_search.py [--items 10000] [--units 50] [--site DIR] [--keep DIR]

Generates a synthetic county with bench/generate.py (N power items plus N/10 guides, N/10
documents, N/20 notices, 50 units: one record each in the search index), builds it with mkdocs
(the repository's plugins, gongkai/search included), serves the site on 127.0.0.1 (Python's
http.server: no compression, so the byte counts are the files as written, HTTP headers included;
with `--nginx`, Debian's nginx with the configuration `gongkai nginx` writes, sending the
precompressed .gz files as a county's server does)
and drives Debian's Chromium with Playwright:

- first query: a fresh browser context (empty cache) opens /search/, then a query is typed; every
  response from the page load through the first results is counted (HTML, CSS, JS, the
  Traditional→Simplified map, the index's manifest, postings files and result records);
- time: from the last keystroke (the `input` event of the last character) to the results being
  in the page, as the page itself records it (window.gongkaiSearch); the first query of each
  context and then the same context's next queries (warm).

Budget (issue 4): first query ≤ 1 MB transferred, results ≤ 300 ms after the last keystroke.
`--site DIR` measures an already built site; `--keep DIR` keeps the generated one there.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
BUILD_EPOCH = "1782864000"  # bench/generate.py's build date, 2026-07-01
BUDGET_BYTES = 1_000_000
BUDGET_MS = 300

# Typical queries: names of powers and services, a Traditional one, a 文号 typed with [], several
# words, a unit, a synonym; each typed into a fresh page (the first query) and the same page (warm).
QUERIES = ["行政许可", "營業執照", "建设工程规划许可", "DOC_NO", "食品 经营", "低保",
           "自然资源局", "罚款", "行", "权力清单"]


def doc_no_query(site: Path) -> str:
    """A 文号 of the site, typed with [] instead of 〔〕."""
    for path in sorted((site / "search" / "data" / "r").rglob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("d"):
            return record["d"].replace("〔", "[").replace("〕", "]")
    return "安府发[2024]1号"


def build_site(items: int, units: int, root: Path) -> Path:
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--items", str(items),
                    "--units", str(units), "--out", str(root)], check=True)
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    names = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    if "gongkai/search" not in names:  # until the repository's mkdocs.yml carries it
        config["plugins"].append("gongkai/search")
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=BUILD_EPOCH)
    started = time.perf_counter()
    subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(config_path)], cwd=root, env=env, check=True)
    print(f"built {items} items in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def serve_nginx(site: Path):
    """The site through Debian's nginx with the configuration `gongkai nginx` writes: precompressed
    files (gzip_static), so the byte counts are what a county's server sends."""
    import socket

    from gongkai.nginx import server_block, standalone

    prefix = Path(tempfile.mkdtemp(prefix="gongkai-bench-nginx-"))
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / kind).mkdir(parents=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = prefix / "nginx.conf"
    conf.write_text(standalone(server_block(site.resolve(), listen=f"127.0.0.1:{port}", server_name="_", api=None),
                               prefix, user="root" if os.getuid() == 0 else None), encoding="utf-8")
    process = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(conf)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start: {(prefix / 'error.log').read_text(errors='replace')}")
            time.sleep(0.1)

    class Running:
        def shutdown(self):
            process.terminate()
            process.wait(timeout=20)

        def server_close(self):
            shutil.rmtree(prefix, ignore_errors=True)

    return Running(), f"http://127.0.0.1:{port}"


def category(path: str) -> str:
    if path.startswith("/search/data/p/"):
        return "index: postings files"
    if path.startswith("/search/data/r/"):
        return "index: result records"
    if path.startswith("/search/data/"):
        return "index: manifest"
    if path.endswith("gongkai-search-data.js"):
        return "T→S map and synonyms"
    if "/assets/javascripts/" in path:
        return "site JS (Material, ours)"
    if "/assets/stylesheets/" in path:
        return "site CSS"
    if path.endswith("/") or path.endswith(".html"):
        return "HTML"
    return "other"


def type_query(page, query: str) -> float:
    """Milliseconds from the last keystroke of `query`, typed into the emptied search field one
    character at a time as an input method commits them (an input event each), to its results."""
    page.fill("#gk-search-q", "")
    page.wait_for_timeout(150)
    for ch in query:
        page.keyboard.insert_text(ch)
        page.wait_for_timeout(40)
    page.wait_for_function("q => window.gongkaiSearch.query === q && window.gongkaiSearch.rendered > "
                           "window.gongkaiSearch.lastInput", arg=query, timeout=60000)
    return page.evaluate("() => window.gongkaiSearch.rendered - window.gongkaiSearch.lastInput")


def first_query(browser, base: str, query: str, queries: list[str]) -> dict:
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    # Recorded, not intercepted (interception would slow every request); other hosts do not resolve.
    foreign: list[str] = []
    page.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https")
            and urlsplit(r.url).hostname != "127.0.0.1" and foreign.append(r.url))
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(f"{base}/search/", wait_until="networkidle")
    page.locator("#gk-search-q").click()
    timing = type_query(page, query)
    count = page.inner_text("#gk-search-status")
    page.wait_for_timeout(200)  # let anything still in flight finish, to count it too
    by_category: dict[str, int] = defaultdict(int)
    total = 0
    files = 0
    for request in responses:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        by_category[category(urlsplit(request.url).path)] += size
        total += size
        files += 1
    warm = []
    for other in queries[:5]:
        if other == query:
            continue
        warm.append(type_query(page, other))
    context.close()
    return {"query": query, "bytes": total, "files": files, "ms": timing, "status": count,
            "by_category": dict(by_category), "warm_ms": warm, "foreign": foreign}


def gzip_size(path: Path) -> int:
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--site", type=Path, help="an already built site to measure")
    parser.add_argument("--keep", type=Path, help="generate and build into this directory and keep it")
    parser.add_argument("--nginx", action="store_true",
                        help="serve through nginx with `gongkai nginx`'s configuration (precompressed files)")
    args = parser.parse_args(argv)

    temp = None
    if args.site:
        site = args.site
    else:
        root = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-browser-search-"))
        temp = None if args.keep else root
        site = build_site(args.items, args.units, root)
    from playwright.sync_api import sync_playwright

    data = site / "search" / "data"
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    postings = sorted(p.stat().st_size for p in (data / "p").iterdir())
    records = [p.stat().st_size for p in (data / "r").rglob("*.json")]
    t2s = site / "assets" / "javascripts" / "gongkai-search-data.js"
    print(f"site: {site}")
    print(f"index: {manifest['records']} records; {len(postings)} postings files, {sum(postings) / 1024:.0f} KiB "
          f"(median {postings[len(postings) // 2] / 1024:.1f} KiB, largest {postings[-1] / 1024:.1f} KiB); "
          f"record files {sum(records) / 1024:.0f} KiB (mean {sum(records) / len(records) / 1024:.1f} KiB)")
    print(f"T→S map and synonyms: {t2s.stat().st_size / 1024:.1f} KiB ({gzip_size(t2s) / 1024:.1f} KiB gzip)")
    queries = [doc_no_query(site) if q == "DOC_NO" else q for q in QUERIES]
    server, base = serve_nginx(site) if args.nginx else serve(site)
    print(f"served by {'nginx (gzip_static)' if args.nginx else 'http.server (uncompressed)'}")
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                for query in queries:
                    results.append(first_query(browser, base, query, queries))
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)

    print(f"\n{'query':<22}{'results':>14}{'first query KB':>16}{'files':>7}{'ms':>8}{'warm ms (4 more)':>22}")
    for r in results:
        warm = "/".join(f"{m:.0f}" for m in r["warm_ms"])
        print(f"{r['query']:<22}{r['status']:>14}{r['bytes'] / 1000:>16.0f}{r['files']:>7}{r['ms']:>8.0f}{warm:>22}")
    worst = max(results, key=lambda r: r["bytes"])
    print(f"\nlargest first query: {worst['query']} {worst['bytes'] / 1000:.0f} KB")
    for name, size in sorted(worst["by_category"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:<34}{size / 1000:>8.0f} KB")
    all_ms = [r["ms"] for r in results] + [m for r in results for m in r["warm_ms"]]
    print(f"\nfirst-query bytes: max {max(r['bytes'] for r in results) / 1000:.0f} KB, "
          f"median {statistics.median(r['bytes'] for r in results) / 1000:.0f} KB (budget {BUDGET_BYTES / 1000:.0f} KB)")
    print(f"last keystroke → results: first queries max {max(r['ms'] for r in results):.0f} ms, "
          f"median {statistics.median(r['ms'] for r in results):.0f} ms; all queries max {max(all_ms):.0f} ms "
          f"(budget {BUDGET_MS} ms)")
    foreign = sorted({u for r in results for u in r["foreign"]})
    print(f"requests to other hosts: {len(foreign)}" + ("".join(f"\n  {u}" for u in foreign)))
    ok = max(r["bytes"] for r in results) <= BUDGET_BYTES and max(all_ms) <= BUDGET_MS and not foreign
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
