#!/usr/bin/env python3
"""Benchmark of the egress gate: its share of an N-item build (the issue's bound: at most 15 %).

    .venv/bin/python bench/gate.py [--items 5000] [--units 50] [--repeat 1] [--keep]

Generates the synthetic county (bench/generate.py, with procedures), builds it with the
repository's plugins, and reads from the build's log the seconds the gate took over the search
records and over the finished outputs (the INFO lines 'egress gate: … judged in S s'). Reports
them against the build's wall and CPU seconds; writes bench/out/gate.json; exit status 1 when the
share exceeds the bound, 2 when the build fails.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import OUT, mkdocs_build, site_stats  # noqa: E402

TARGET = 0.15
GATE_LINE = re.compile(r"egress gate: (outputs|search records) judged in ([0-9.]+) s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1, help="builds; the fastest counts")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix=f"gongkai-gate-{args.items}-"))
    print(f"generating {args.items} items in {work}", file=sys.stderr, flush=True)
    counts = generate.generate(work, args.items, args.units, seed=args.seed, procedures=True)
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    runs = []
    for i in range(1, args.repeat + 1):
        print(f"building ({i}/{args.repeat}) …", file=sys.stderr, flush=True)
        result = mkdocs_build(work, f"gate-{args.items}", logs, i)
        times = {what: float(seconds) for what, seconds in
                 GATE_LINE.findall((logs / f"gate-{args.items}-{i}.log").read_text(encoding="utf-8"))}
        if set(times) != {"outputs", "search records"}:
            raise SystemExit("the build's log has no 'egress gate' timing lines")
        runs.append({**result, "gate_outputs_seconds": times["outputs"],
                     "gate_search_records_seconds": times["search records"],
                     "gate_seconds": round(sum(times.values()), 3)})
        print(f"  build {result['seconds']} s, gate {runs[-1]['gate_seconds']} s", file=sys.stderr, flush=True)
    best = min(runs, key=lambda r: r["seconds"])
    share = best["gate_seconds"] / best["seconds"]
    result = {"items": args.items, "units": args.units, "generated": counts, **site_stats(work / "site"),
              "build": best, "all": runs, "gate_share_of_wall": round(share, 4),
              "gate_share_of_cpu": round(best["gate_seconds"] / best["cpu_seconds"], 4), "target": TARGET}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gate.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ok = share <= TARGET
    print(f"N={args.items}: build {best['seconds']:.2f} s (CPU {best['cpu_seconds']:.2f} s, "
          f"{best['peak_rss_mib']} MiB), gate {best['gate_seconds']:.2f} s (outputs "
          f"{best['gate_outputs_seconds']:.2f} s over {result['files']} files, search records "
          f"{best['gate_search_records_seconds']:.2f} s): {share:.1%} of the build "
          f"(target ≤ {TARGET:.0%}) {'PASS' if ok else 'FAIL'}")
    if args.keep:
        print(f"kept {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
