#!/usr/bin/env python3
"""Benchmark of gongkai/history: the N-item build with and without it, every item with K commits.

    .venv/bin/python bench/history.py [--items 5000] [--units 50] [--commits 5] [--repeat 1] [--keep]

Generates the synthetic county (bench/generate.py, with procedures) as a git repository in which
every power item and guide has --commits commits and the first and last are tagged release-*
(so the 清单动态调整 page compares every item), then builds it twice in turns: with the
repository's plugins, and with the same configuration minus gongkai/history. Reports wall and CPU
seconds of both and their ratio; the issue's bound is at most +25% (ratio 1.25). Writes
bench/out/history.json; exit status 1 when the bound is exceeded, 2 when a build fails.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import yaml  # noqa: E402
from run import OUT, ratio, run_measured, site_stats  # noqa: E402

HISTORY_TARGET = 1.25


def with_index_dir(plugin, index_dir: str):
    if generate.plugin_name(plugin) != "gongkai/search":
        return plugin
    options = dict(plugin["gongkai/search"] or {}) if isinstance(plugin, dict) else {}
    return {"gongkai/search": {**options, "index_dir": index_dir}}


def build(root: Path, config: str, label: str, run: int) -> dict:
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{label}-{run}.log"
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    result = run_measured([sys.executable, "-m", "mkdocs", "build", "-f", str(root / config)], root, log)
    if result["exit"] != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
        raise SystemExit(2)
    return {**result, **site_stats(root / "site")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--commits", type=int, default=5, help="commits of every item and guide (default 5)")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each; the fastest counts")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix=f"gongkai-history-{args.items}-"))
    print(f"generating {args.items} items with {args.commits} commits each in {work}", file=sys.stderr, flush=True)
    counts = generate.generate(work, args.items, args.units, seed=args.seed, procedures=True)
    counts.update(generate.make_history(work, args.commits))
    config = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    if "gongkai/history" not in [generate.plugin_name(p) for p in config["plugins"]]:
        raise SystemExit("the repository's mkdocs.yml does not list gongkai/history")
    # Each build makes the archive search index from scratch in a directory of its own: a build
    # that found the other's index would skip that work and look faster than it is.
    for file, keep in (("mkdocs.yml", True), ("mkdocs-without-history.yml", False)):
        plugins = [with_index_dir(p, f".cache/{file}-index") for p in config["plugins"]
                   if keep or generate.plugin_name(p) != "gongkai/history"]
        (work / file).write_text(yaml.safe_dump({**config, "plugins": plugins}, allow_unicode=True,
                                                sort_keys=False), encoding="utf-8")
    runs: dict[str, list[dict]] = {"with": [], "without": []}
    for i in range(1, args.repeat + 1):
        for name, file in (("with", "mkdocs.yml"), ("without", "mkdocs-without-history.yml")):
            print(f"building {name} gongkai/history ({i}/{args.repeat}) …", file=sys.stderr, flush=True)
            runs[name].append(build(work, file, f"history-{name}-{args.items}", i))
            print(f"  {runs[name][-1]['seconds']} s", file=sys.stderr, flush=True)
    best = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
    cpu = {name: min(x["cpu_seconds"] for x in r) for name, r in runs.items()}
    result = {"items": args.items, "units": args.units, "commits": args.commits, "generated": counts,
              "with": best["with"], "without": best["without"], "all": runs,
              "ratio": ratio(best["with"]["seconds"], best["without"]["seconds"]),
              "cpu_ratio": ratio(cpu["with"], cpu["without"]), "target": HISTORY_TARGET}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "history.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ok = result["ratio"] <= HISTORY_TARGET
    print(f"N={args.items}, {args.commits} commits per item: with gongkai/history {best['with']['seconds']:.2f} s "
          f"(CPU {cpu['with']:.2f} s, {best['with']['peak_rss_mib']} MiB), without {best['without']['seconds']:.2f} s "
          f"(CPU {cpu['without']:.2f} s, {best['without']['peak_rss_mib']} MiB): ratio {result['ratio']:.3f}, "
          f"CPU ratio {result['cpu_ratio']:.3f} (target ≤ {HISTORY_TARGET}) {'PASS' if ok else 'FAIL'}")
    if args.keep:
        print(f"kept {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
