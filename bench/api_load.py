#!/usr/bin/env python3
"""Search API load: the API under gunicorn (gongkai.search.wsgi, W workers) against `gongkai
serve`, over the sample content's index, with bench/search.py's query mix and load runner (C
client threads for S seconds, one query in ten a bad request that must get a 400).

    .venv/bin/python bench/api_load.py [--clients 50] [--seconds 20] [--workers 4]

Reports requests/s, p50/p95/max latency and errors per server; writes bench/out/api_load.json.
Clients and servers share the machine: the figures compare the servers, not a deployment.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import search  # noqa: E402  (bench/search.py: query_mix, serve, load)


def gunicorn(index: Path, workers: int, logs: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(logs / "gunicorn.log", "wb")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers), "--bind",
                             f"127.0.0.1:{port}", "gongkai.search.wsgi:create_app()"], cwd=logs,
                            env={**search.build_env(), "GONGKAI_INDEX": str(index)}, stdout=log, stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start in 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    from gongkai.model import load_catalog
    from gongkai.search.documents import search_documents
    from gongkai.search.index import update_index

    results = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-api-bench-") as tmp:
        work = Path(tmp)
        catalog, _ = load_catalog(ROOT / "content")
        docs = search_documents(catalog)
        update_index(work / "index", docs, catalog.synonyms)
        mix = search.query_mix(docs, 200)
        starts = {f"gunicorn ({args.workers} workers)": lambda: gunicorn(work / "index", args.workers, work),
                  "gongkai serve": lambda: search.serve(work, work / "index", work)}
        for name, start in starts.items():
            proc, base = start()
            try:
                search.load(base, mix, 4, 2)  # warm: every worker opens the index
                results[name] = search.load(base, mix, args.clients, args.seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    out = {"clients": args.clients, "seconds": args.seconds, "results": results}
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "api_load.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.clients} clients, {args.seconds:g} s each")
    for name, r in results.items():
        print(f"  {name:24} {r['throughput_per_s']:8.1f} req/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
              f"max {r['max_ms']} ms  errors {r['errors']} of {r['requests']}")
    return 0 if all(r["errors"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
