#!/usr/bin/env python3
"""The offline bundle: export time and size, and offline search time in Chromium over file://.

    python bench/export.py [--items 10000] [--units 50] [--skip-sample] [--keep DIR]

1. `gongkai export` of the sample site (content/ of the repository) and of a synthetic county of
   N power items (bench/generate.py: plus N/10 guides, N/10 documents, N/20 notices), each in a
   subprocess: wall seconds, CPU seconds and peak RSS (bench/run.py run_measured), the zip's
   size and member count. For comparison, the plain `mkdocs build` of the same N-item site
   (the online site, with its open-data files) is timed too, and the open-data step alone
   (gongkai.export.data.data_files on the loaded Catalog).
2. The N-item bundle unzipped to a temporary directory and opened in Debian's Chromium over
   file:// (no server): search/index.html, queries typed character by character; the time from
   the last keystroke to the results in the page, as the page records it (window.gongkaiSearch),
   for the first query of a fresh page and then warm queries in the same page.

Prints a table and writes bench/out/export.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import run as bench_run  # noqa: E402  (bench/run.py: run_measured, build_env)
from browser_search import type_query  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--host-resolver-rules=MAP * ~NOTFOUND"]
QUERIES = ["行政许可", "營業執照", "建设工程规划许可", "食品 经营", "罚款", "权力清单"]


def export(config: Path, target: Path, logs: Path, label: str) -> dict:
    result = bench_run.run_measured([str(BIN / "gongkai"), "export", "-o", str(target), "--config", str(config)],
                                    config.parent, logs / f"export-{label}.log")
    if result["exit"] != 0:
        sys.stderr.write((logs / f"export-{label}.log").read_text(encoding="utf-8", errors="replace")[-4000:])
        raise SystemExit(f"{label}: gongkai export failed")
    with zipfile.ZipFile(target) as zf:
        infos = zf.infolist()
    return {**result, "zip_mib": round(target.stat().st_size / 2**20, 1), "members": len(infos),
            "unpacked_mib": round(sum(i.file_size for i in infos) / 2**20, 1)}


def data_step(content: Path) -> dict:
    """The open-data files alone, from a loaded Catalog (what gongkai/export adds to a build)."""
    code = ("import time,sys;from gongkai.model import load_catalog;from gongkai.export.data import data_files;"
            "c,_=load_catalog(sys.argv[1]);t=time.perf_counter();f=data_files(c);"
            "print(time.perf_counter()-t, sum(map(len,f.values())), len(f))")
    out = subprocess.run([sys.executable, "-c", code, str(content)], capture_output=True, text=True,
                         env=bench_run.build_env(), check=True).stdout.split()
    return {"seconds": round(float(out[0]), 2), "mib": round(int(out[1]) / 2**20, 1), "files": int(out[2])}


def offline_search(bundle: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="gongkai-offline-") as tmp:
        with zipfile.ZipFile(bundle) as zf:
            zf.extractall(tmp)
        url = (Path(tmp) / "search" / "index.html").as_uri()
        first, warm, found = [], [], {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            for query in QUERIES:  # the first query of a fresh page (nothing loaded but the page)
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(url, wait_until="load")
                page.click("#gk-search-q")
                first.append(type_query(page, query))
                found[query] = page.inner_text("#gk-search-status")
                for other in QUERIES:
                    if other != query:
                        warm.append(type_query(page, other))
                if errors:
                    raise SystemExit(f"page errors: {errors}")
                context.close()
            browser.close()
    return {"first_ms": [round(t, 1) for t in first], "first_median_ms": round(statistics.median(first), 1),
            "first_max_ms": round(max(first), 1), "warm_median_ms": round(statistics.median(warm), 1),
            "warm_max_ms": round(max(warm), 1), "status": found}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--skip-sample", action="store_true", help="only the N-item site")
    parser.add_argument("--keep", type=Path, help="generate the N-item site here and keep it")
    args = parser.parse_args(argv)
    out = REPO / "bench" / "out"
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results: dict = {"items": args.items, "units": args.units, "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-export-") as tmp:
        tmp = Path(tmp)
        if not args.skip_sample:
            results["sample"] = export(REPO / "mkdocs.yml", tmp / "sample.zip", logs, "sample")
            print(f"sample site: {results['sample']}", file=sys.stderr)
        root = args.keep or tmp / "big"
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--items", str(args.items),
                        "--units", str(args.units), "--out", str(root)], check=True)
        results["online_build"] = bench_run.run_measured(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")], root,
            logs / f"export-online-{args.items}.log")
        print(f"online build: {results['online_build']}", file=sys.stderr)
        results["data_files"] = data_step(root / "content")
        print(f"open data step: {results['data_files']}", file=sys.stderr)
        bundle = tmp / "big.zip"
        results["export"] = export(root / "mkdocs.yml", bundle, logs, str(args.items))
        print(f"export: {results['export']}", file=sys.stderr)
        started = time.perf_counter()
        verify = subprocess.run([str(BIN / "gongkai"), "verify", str(bundle)], capture_output=True, text=True)
        results["verify_seconds"] = round(time.perf_counter() - started, 2)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        results["offline_search"] = offline_search(bundle)
    (out / "export.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rows = []
    if "sample" in results:
        s = results["sample"]
        rows.append(("sample site export", f"{s['seconds']} s (CPU {s['cpu_seconds']} s, {s['peak_rss_mib']} MiB)",
                     f"{s['zip_mib']} MiB zip, {s['members']} files, {s['unpacked_mib']} MiB unpacked"))
    e, b = results["export"], results["online_build"]
    rows.append((f"{args.items} items export", f"{e['seconds']} s (CPU {e['cpu_seconds']} s, {e['peak_rss_mib']} MiB)",
                 f"{e['zip_mib']} MiB zip, {e['members']} files, {e['unpacked_mib']} MiB unpacked"))
    rows.append((f"{args.items} items online build", f"{b['seconds']} s (CPU {b['cpu_seconds']} s)", ""))
    d = results["data_files"]
    rows.append(("open-data files alone", f"{d['seconds']} s", f"{d['files']} files, {d['mib']} MiB"))
    rows.append(("verify", f"{results['verify_seconds']} s", ""))
    o = results["offline_search"]
    rows.append(("offline search, file://", f"first query median {o['first_median_ms']} ms, max {o['first_max_ms']} ms",
                 f"warm median {o['warm_median_ms']} ms, max {o['warm_max_ms']} ms"))
    for row in rows:
        print(f"{row[0]:<28} {row[1]:<48} {row[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
