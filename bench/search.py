#!/usr/bin/env python3
"""Search benchmark: the archive engine (whoosh + jieba) at 10,000 items.

    .venv/bin/python bench/search.py [--items 10000] [--units 50] [--dir DIR] [--queries 200]
                                     [--clients 20] [--seconds 20] [--no-build] [--keep]

1. Generates a synthetic county with bench/generate.py (--items power items over --units units,
   N/10 guides, N/10 documents, N/20 notices) into DIR (a temporary directory unless --dir; an
   existing DIR/content is reused).
2. Builds the site with `mkdocs build` in a subprocess (the generated mkdocs.yml is the
   repository's, with gongkai/search: the archive index into DIR/.cache/search-index and the
   browser index), after removing any previous index: wall and CPU seconds, peak RSS.
3. Loads the content (gongkai.model.load_catalog), makes the search documents and builds the
   archive index again in this process into a fresh directory, timed on its own: the index's
   build time, and its share of the whole build (index seconds / mkdocs build seconds).
4. Query latency: 200 mixed queries (item titles whole and in part, 文号 in every bracket form
   and without brackets, 事项编码, 索引号, unit short names, the labelled citizen queries of
   tests/search_queries.yml, titles in Traditional script, common single words, long queries,
   some with a filter) against the index the site build made, each timed: p50, p95, max.
5. /api/search: `gongkai serve` in a subprocess on 127.0.0.1 (a free port), 20 client threads
   for 20 seconds, each sending queries of the same mix (one in ten a bad request that must get
   a 400): throughput, latency p50/p95, errors (a failed request, a 5xx, or a status other than
   the expected one).

Prints a table, writes bench/out/search.json. Exit status 1 when a target fails (query p95 over
50 ms, or any error under load), 2 when the content or the server cannot be set up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from run import build_env, run_measured  # noqa: E402  (one way to time a build, shared with run.py)

P95_TARGET_MS = 50.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- the query mix ---------------------------------------------------------------------------

def query_mix(docs, count: int, seed: int = 7) -> list[dict]:
    """`count` queries as citizens and clerks type them, over the generated content; each a dict
    of the search parameters (q, and sometimes a filter)."""
    import jieba
    import opencc

    from search_eval import load_queries

    rng = random.Random(seed)
    t2s = opencc.OpenCC("s2t")
    by_kind: dict[str, list] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind, []).append(doc)
    records = [d for d in docs if d.kind != "unit"]
    documents = [d for d in by_kind.get("document", []) if d.doc_no]
    units = by_kind.get("unit", [])

    def doc_no_forms(doc_no: str) -> list[str]:
        match = re.match(r"^(\S+?)〔(\d{4})〕(\d+)号$", doc_no)
        if not match:
            return [doc_no]
        agency, year, serial = match.groups()
        return [doc_no, f"{agency}[{year}]{serial}号", f"{agency}({year}){serial}号", f"{agency}（{year}）{serial}号",
                f"{agency}{year} {serial}号", f"{agency}{year}{serial}号", f"〔{year}〕{serial}号"]

    mix: list[tuple[str, dict]] = []
    for doc in rng.sample(records, 40):
        mix.append(("title", {"q": doc.title}))
    for doc in rng.sample(records, 30):
        words = [w for w in jieba.lcut(doc.title) if len(w) > 1]
        mix.append(("partial title", {"q": " ".join(rng.sample(words, min(2, len(words)))) or doc.title}))
    for doc in rng.sample(documents, min(20, len(documents))):
        mix.append(("文号", {"q": rng.choice(doc_no_forms(doc.doc_no))}))
    coded = [d for d in records if d.code]
    for doc in rng.sample(coded, 15):
        code = doc.code
        mix.append(("事项编码", {"q": rng.choice([code, code.lower(), code.translate(
            {c: c + 0xFEE0 for c in range(0x21, 0x7F)})])}))
    for doc in rng.sample([d for d in documents if d.index_no], 10):
        mix.append(("索引号", {"q": doc.index_no}))
    for unit in rng.sample(units, min(15, len(units))):
        names = [n for n in unit.aliases.split() if n] or [unit.title]
        mix.append(("unit name", {"q": rng.choice(names)}))
    for labelled in rng.sample(load_queries(), 20):
        mix.append(("citizen (labelled set)", {"q": labelled.query}))
    for doc in rng.sample(records, 15):
        mix.append(("Traditional", {"q": t2s.convert(doc.title)}))
    for word in ["许可", "行政处罚", "办事指南", "低保", "公示", "通知", "补贴", "登记", "检查", "收费"]:
        mix.append(("common word", {"q": word}))
    for doc in rng.sample(records, 10):
        words = [w for w in jieba.lcut(doc.text[:300]) if len(w) > 1]
        mix.append(("long (5 words)", {"q": " ".join(rng.sample(words, min(5, len(words))))}))
    for doc in rng.sample(records, 15):  # with a filter
        word = rng.choice([w for w in jieba.lcut(doc.title) if len(w) > 1] or [doc.title])
        mix.append(("word + filter", {"q": word, **rng.choice([{"unit": doc.unit}, {"kind": doc.kind},
                                                                 {"year": str(doc.year)} if doc.year else {"kind": doc.kind}])}))
    rng.shuffle(mix)
    return [{"type": kind, "params": params} for kind, params in mix[:count]]


BAD_REQUESTS = [  # (parameters, expected status)
    ({"q": "x" * 201}, 400), ({"q": "低保", "page": "0"}, 400), ({"q": "低保", "unit": "不存在的局"}, 400),
    ({"q": "低保", "year": "20x1"}, 400), ({"q": "低保", "bogus": "1"}, 400), ({"q": ""}, 400),
    ({"q": "*"}, 200), ({"q": "((\"低保"}, 200), ({"q": "低保", "page": "1000000000"}, 200),
]


# --- the steps ---------------------------------------------------------------------------------

def generate(root: Path, items: int, units: int) -> None:
    if (root / "content").is_dir() and (root / "mkdocs.yml").is_file():
        print(f"reusing the content in {root}", file=sys.stderr)
        return
    cmd = [sys.executable, str(HERE / "generate.py"), "--items", str(items), "--units", str(units), "--out", str(root)]
    subprocess.run(cmd, check=True, env=build_env(), stdout=subprocess.DEVNULL)


def site_build(root: Path, logs: Path) -> dict:
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    log = logs / "mkdocs-build.log"
    result = run_measured([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")], root, log)
    text = log.read_text(encoding="utf-8", errors="replace")
    result["archive_index_built"] = "archive search index rebuilt" in text
    result["log"] = str(log)
    if result["exit"] != 0:
        result["error_tail"] = text[-3000:]
    return result


def index_alone(root: Path, work: Path) -> tuple[list, dict]:
    from gongkai.model import load_catalog
    from gongkai.search.documents import search_documents
    from gongkai.search.index import update_index

    start = time.perf_counter()
    catalog, problems = load_catalog(root / "content")
    docs = search_documents(catalog)
    loaded = time.perf_counter() - start
    target = work / "index-alone"
    shutil.rmtree(target, ignore_errors=True)
    cpu, wall = time.process_time(), time.perf_counter()
    update_index(target, docs, catalog.synonyms)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    cpu2, wall2 = time.process_time(), time.perf_counter()
    unchanged = not update_index(target, docs, catalog.synonyms)
    check = time.perf_counter() - wall2
    return docs, {"documents": len(docs), "load_seconds": round(loaded, 2), "seconds": round(wall, 2),
                  "cpu_seconds": round(cpu, 2), "index_mib": round(size / 2**20, 1),
                  "unchanged_check_seconds": round(check, 2), "second_run_rebuilt": not unchanged,
                  "path": str(target)}


def latency(index: Path, mix: list[dict]) -> dict:
    from gongkai.search.archive import Archive, QueryError

    archive = Archive(index)
    for item in mix[:20]:  # warm-up: jieba, the searcher pool, the OS page cache
        try:
            archive.search(item["params"]["q"], **{k: v for k, v in item["params"].items() if k != "q"})
        except QueryError:
            pass
    times, by_type, errors = [], {}, []
    for item in mix:
        params = dict(item["params"])
        q = params.pop("q")
        start = time.perf_counter()
        try:
            result = archive.search(q, **params)
        except QueryError as exc:
            errors.append(f"{q!r}: {exc}")
            continue
        ms = (time.perf_counter() - start) * 1000
        times.append(ms)
        by_type.setdefault(item["type"], []).append(ms)
        item["total"] = result["total"]
    archive.close()
    return {"queries": len(mix), "p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1), "mean_ms": round(statistics.fmean(times), 1), "refused": errors,
            "by_type": {k: {"n": len(v), "p50_ms": round(percentile(v, 0.5), 1), "p95_ms": round(percentile(v, 0.95), 1)}
                        for k, v in sorted(by_type.items())}}


def serve(root: Path, index: Path, logs: Path) -> tuple[subprocess.Popen, str]:
    site = root / "site"
    if not (site / "index.html").is_file():  # the site build failed: serve an empty site
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text("<!doctype html><title>bench</title>\n", encoding="utf-8")
    log = open(logs / "serve.log", "wb")
    cmd = [str(Path(sys.executable).parent / "gongkai"), "serve", "--content", str(root / "content"), "--index",
           str(index), "--site", str(site), "--host", "127.0.0.1", "--port", "0"]
    proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=log, env=build_env())
    deadline = time.time() + 300
    while time.time() < deadline:
        text = (logs / "serve.log").read_text(encoding="utf-8", errors="replace")
        match = re.search(r"on (http://127\.0\.0\.1:\d+)/", text)
        if match:
            return proc, match[1]
        if proc.poll() is not None:
            raise RuntimeError(f"gongkai serve exited: {text[-2000:]}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gongkai serve did not start in 300 s")


def load(base: str, mix: list[dict], clients: int, seconds: float, seed: int = 11) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed + number)
        while time.perf_counter() < stop:
            if rng.random() < 0.1:
                params, expected = rng.choice(BAD_REQUESTS)
            else:
                params, expected = rng.choice(mix)["params"], 200
            url = f"{base}/api/search?{urllib.parse.urlencode(params)}"
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status = response.status
                    json.loads(response.read())
            except urllib.error.HTTPError as exc:
                status = exc.code
                try:
                    body = json.loads(exc.read())
                    if "error" not in body:
                        raise ValueError("no error message")
                except ValueError as bad:
                    with lock:
                        errors.append(f"{status} without a JSON error: {bad}")
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            ms = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(ms)
                statuses[status] = statuses.get(status, 0) + 1
                if status != expected:
                    errors.append(f"{params}: {status}, expected {expected}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
            "throughput_per_s": round(len(latencies) / elapsed, 1), "p50_ms": round(percentile(latencies, 0.5), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1), "max_ms": round(max(latencies or [0]), 1),
            "errors": len(errors), "error_samples": errors[:10], "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--no-build", action="store_true", help="skip the mkdocs build (index alone)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    root = args.dir or Path(tempfile.mkdtemp(prefix=f"gongkai-search-{args.items}-"))
    root = root.resolve()
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    report: dict = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average_before": list(os.getloadavg()), "items": args.items, "units": args.units}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--short"], cwd=ROOT, capture_output=True, text=True).stdout.split("\n")
        report["commit"], report["uncommitted"] = commit, [line for line in dirty if line.strip()]
    except OSError:
        pass
    try:
        print(f"generating {args.items} items in {root} …", file=sys.stderr)
        generate(root, args.items, args.units)
        if not args.no_build:
            print("mkdocs build …", file=sys.stderr)
            report["site_build"] = site_build(root, logs)
        print("archive index alone …", file=sys.stderr)
        docs, report["index"] = index_alone(root, root)
        build = report.get("site_build", {})
        if build.get("exit") == 0:
            report["index"]["share_of_build"] = round(report["index"]["seconds"] / build["seconds"], 3)
            index = root / ".cache" / "search-index"
        else:
            index = Path(report["index"]["path"])
        report["queried_index"] = str(index)
        mix = query_mix(docs, args.queries)
        print(f"{len(mix)} queries …", file=sys.stderr)
        report["latency"] = latency(index, mix)
        report["query_mix"] = [{"type": m["type"], **m["params"], "total": m.get("total")} for m in mix]
        print(f"gongkai serve + {args.clients} clients for {args.seconds:g} s …", file=sys.stderr)
        try:
            proc, base = serve(root, index, logs)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 2
        try:
            report["api"] = load(base, mix, args.clients, args.seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        report["load_average_after"] = list(os.getloadavg())
        OUT.mkdir(exist_ok=True)
        (OUT / "search.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not args.keep and not args.dir:
            shutil.rmtree(root, ignore_errors=True)

    print(table(report))
    failed = report["latency"]["p95_ms"] > P95_TARGET_MS or report["api"]["errors"] > 0
    return 1 if failed else 0


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(report: dict) -> str:
    build, index, lat, api = report.get("site_build", {}), report["index"], report["latency"], report["api"]
    rows = [("documents indexed", f"{index['documents']:,} ({report['items']:,} items, {report['units']} units)")]
    if build:
        status = "ok" if build["exit"] == 0 else f"FAILED (exit {build['exit']}; index timed alone)"
        rows.append(("mkdocs build, whole site", f"{build['seconds']:.1f} s wall, {build['cpu_seconds']:.1f} s CPU, "
                                                 f"{build['peak_rss_mib']:.0f} MiB peak  [{status}]"))
    rows.append(("archive index build", f"{index['seconds']:.1f} s wall, {index['cpu_seconds']:.1f} s CPU, "
                                        f"{index['index_mib']:.0f} MiB on disk"))
    if "share_of_build" in index:
        rows.append(("  share of the whole build", f"{100 * index['share_of_build']:.0f}%"))
    rows.append(("  unchanged content: check", f"{index['unchanged_check_seconds']:.2f} s, rebuilt: "
                                               f"{'yes' if index['second_run_rebuilt'] else 'no'}"))
    rows.append((f"query latency ({lat['queries']} mixed)", f"p50 {lat['p50_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms, "
                                                            f"max {lat['max_ms']:.0f} ms  (target p95 ≤ {P95_TARGET_MS:.0f} ms: "
                                                            f"{'PASS' if lat['p95_ms'] <= P95_TARGET_MS else 'FAIL'})"))
    for kind, figures in lat["by_type"].items():
        rows.append((f"  {kind}", f"n={figures['n']:3d}  p50 {figures['p50_ms']:.1f} ms  p95 {figures['p95_ms']:.1f} ms"))
    rows.append((f"/api/search, {api['clients']} clients, {api['seconds']:.0f} s",
                 f"{api['throughput_per_s']:.1f} req/s, p50 {api['p50_ms']:.0f} ms, p95 {api['p95_ms']:.0f} ms, "
                 f"{api['requests']} requests, errors {api['errors']} (target 0: {'PASS' if api['errors'] == 0 else 'FAIL'})"))
    width = max(display_width(label) for label, _ in rows)
    lines = [f"{label}{' ' * (width - display_width(label))}  {value}" for label, value in rows]
    lines.append(f"(load average before {report['load_average_before'][0]:.1f}, after "
                 f"{report['load_average_after'][0]:.1f}; {report['cpus']} CPUs)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
