#!/usr/bin/env python3
"""Search API load: C concurrent clients for S seconds against the API under gunicorn
(gongkai.search.wsgi, W workers) and under `gongkai serve`, over the sample content's index.

    .venv/bin/python bench/api_load.py [--clients 50] [--seconds 20] [--workers 4]

Each client keeps one connection open and sends GET /api/search with a query from a fixed list
(words, a 文号, filters, a second page) as fast as answers come. Reports requests/s, p50/p95
latency and errors (non-200 or a broken connection) per server; writes bench/out/api_load.json.
Client and servers share the machine: the figures compare the servers, not a real deployment.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
QUERIES = ["食品", "住房 公积金", "安府发〔2021〕3号", "许可&kind=power", "低保&unit=mzj", "行政处罚&page=2",
           "营业执照", "网格", "公示&year=2025", "教育"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port}")


def load(port: int, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = n
        mine, failed = [], 0
        while time.monotonic() < stop:
            q = QUERIES[i % len(QUERIES)]
            word, _, rest = q.partition("&")
            target = f"/api/search?q={quote(word)}" + (f"&{rest}" if rest else "")
            started = time.perf_counter()
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1) if latencies else None,
            "errors": errors[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "plugins"))
    from gongkai.model import load_catalog
    from gongkai.search.documents import search_documents
    from gongkai.search.index import update_index

    results = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-api-bench-") as tmp:
        work = Path(tmp)
        catalog, _ = load_catalog(ROOT / "content")
        update_index(work / "index", search_documents(catalog), catalog.synonyms)
        (work / "site").mkdir()
        (work / "site" / "index.html").write_text("<!doctype html><title>x</title>\n", encoding="utf-8")
        servers = {
            f"gunicorn ({args.workers} workers)": [str(BIN / "gunicorn"), "--workers", str(args.workers),
                                                   "--bind", "127.0.0.1:{port}", "gongkai.search.wsgi:create_app()"],
            "gongkai serve": [str(BIN / "gongkai"), "serve", "--port", "{port}", "--site", str(work / "site"),
                              "--index", str(work / "index"), "--content", str(work / "none")],
        }
        for name, command in servers.items():
            port = free_port()
            proc = subprocess.Popen([part.replace("{port}", str(port)) for part in command], cwd=work,
                                    env={"GONGKAI_INDEX": str(work / "index"), "PATH": str(BIN)},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait(port)
                load(port, 4, 2)  # warm: every worker opens the index
                results[name] = load(port, args.clients, args.seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    out = {"clients": args.clients, "seconds": args.seconds, "results": results}
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "api_load.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.clients} clients, {args.seconds:g} s each")
    for name, r in results.items():
        print(f"  {name:24} {r['rps']:8.1f} req/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
              f"errors {r['errors']} of {r['requests']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
