#!/usr/bin/env python3
"""Build benchmark: a Gongkai site against a plain Material for MkDocs site of as many pages.

    .venv/bin/python bench/run.py [--sizes 1000 5000] [--units 50] [--repeat 1] [--keep] [--profile]

For each size N: generate N power items over --units units (bench/generate.py) into a temporary
directory twice, with procedures (every item's 权力运行流程图, drawn by gongkai/flowchart) and
without (the same content otherwise), build both with `mkdocs build` in a subprocess, count the
HTML pages written (404.html excluded), then write and build a plain Material site with that many
Markdown pages (home, one page per unit in a flat navigation, item pages of similar text). With
--repeat the three builds take turns, so slow spells of the machine hit all three alike. Each
build is measured for wall time, CPU time and peak RSS of the build process (os.wait4) and size
of the output. Prints a table and the targets, writes bench/out/results.json. Exit status 1 when a
target fails, 2 when a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import yaml  # noqa: E402

OUT = HERE / "out"
# The targets of the issues: at N=5,000 Gongkai takes at most twice as long as plain Material,
# going from 1,000 to 5,000 items costs at most 5.5 times as much (about linear), and drawing the
# procedures adds at most 20% to the N=5,000 build. The first two are measured with procedures.
RATIO_TARGET = (5000, 2.0)
SCALING_TARGET = (1000, 5000, 5.5)
PROCEDURES_TARGET = (5000, 1.20)
# City scale (issue 17): at N=20,000 at most 1.5 times plain Material, and 5,000 → 20,000 at most 4.4 times.
CITY_RATIO_TARGET = (20000, 1.5)
CITY_SCALING_TARGET = (5000, 20000, 4.4)


def build_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(generate.BUILD_EPOCH),
            "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"}


def run_measured(cmd: list[str], cwd: Path, log: Path) -> dict:
    """Run cmd, return wall seconds, CPU seconds and peak RSS of that process alone."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=build_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": round(wall, 3), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            "cpu_user": round(usage.ru_utime, 3), "cpu_sys": round(usage.ru_stime, 3),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "exit": proc.returncode}


def site_stats(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html" and p.relative_to(site).as_posix() != "404.html"]
    return {"html_pages": len(pages), "output_mib": round(sum(p.stat().st_size for p in files) / 2**20, 1),
            "files": len(files)}


def mkdocs_build(root: Path, label: str, logs: Path, run: int) -> dict:
    """One build of root/mkdocs.yml (run: its number, for the log's name)."""
    log = logs / f"{label}-{run}.log"
    # From nothing, as a fresh checkout builds: a repeat must not find the archive index of the
    # build before it current (that skips the index and hides its cost).
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    result = run_measured([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")], root, log)
    if result["exit"] != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
        print(f"{label}: mkdocs build failed (exit {result['exit']}); log: {log}", file=sys.stderr)
        raise SystemExit(2)
    return result


def summary(root: Path, runs: list[dict]) -> dict:
    """The fastest of a site's builds, with the highest peak RSS and the output of the last build."""
    best = min(runs, key=lambda r: r["seconds"])
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    return {**best, "plugins": [generate.plugin_name(p) for p in config.get("plugins", [])],
            "peak_rss_mib": max(r["peak_rss_mib"] for r in runs), "cpu_seconds": min(r["cpu_seconds"] for r in runs),
            "all_seconds": [r["seconds"] for r in runs], "all_cpu_seconds": [r["cpu_seconds"] for r in runs],
            **site_stats(root / "site")}


def check_content(root: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", "--content", str(root / "content"),
                          "--format", "json"], capture_output=True, text=True, env=build_env(), check=False)
    report = json.loads(out.stdout)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    if errors:
        raise SystemExit(f"generated content has {len(errors)} error(s), e.g. {errors[0]}")
    return {"counts": report["counts"], "warnings": len(report["problems"])}


def profile(root: Path, items: int) -> Path:
    """A cProfile of the Gongkai build: bench/out/gongkai-N.prof and the top entries as text."""
    prof = OUT / f"gongkai-{items}.prof"
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", "-q",
                    "-f", str(root / "mkdocs.yml")], cwd=root, env=build_env(), check=True)
    text = OUT / f"profile-{items}.txt"
    with open(text, "w", encoding="utf-8") as stream:
        stats = pstats.Stats(str(prof), stream=stream).strip_dirs()
        stream.write(f"# cProfile of the Gongkai build, N={items} (profiled, so slower than measured)\n\n")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    return text


def versions() -> dict:
    found = {}
    for name in ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "pydantic", "PyYAML"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def git_commit() -> str | None:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, check=False)
    return out.stdout.strip() or None


def uncommitted() -> list[str]:
    """Changed files of the code that builds (plugins/, themes/, mkdocs.yml, content/_procedures/):
    measured, but not in the commit."""
    out = subprocess.run(["git", "status", "--porcelain", "--", "plugins", "themes", "mkdocs.yml",
                          "content/_procedures"], cwd=generate.REPO, capture_output=True, text=True, check=False)
    return [line[3:] for line in out.stdout.splitlines()]


def plugins_of(rows: list[dict], site: str) -> list:
    """The plugins the last build of `site` ran with (from its mkdocs.yml)."""
    return rows[-1][site].get("plugins", []) if rows else []


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gongkai build benchmark against plain Material for MkDocs.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="power item counts N")
    parser.add_argument("--units", type=int, default=50, help="units M (default 50)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per site; the fastest counts (default 1)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=None,
                        help="add (or drop) Material's search plugin on both sites; "
                             "default: the repository's mkdocs.yml decides")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites and print where")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the Gongkai build of the largest N (bench/out/profile-N.txt)")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    OUT.mkdir(parents=True, exist_ok=True)
    logs = OUT / "logs"
    logs.mkdir(exist_ok=True)

    changed = uncommitted()
    if changed:
        print(f"note: measuring uncommitted changes in {', '.join(changed)}", file=sys.stderr)
    load_before = os.getloadavg()
    rows = []
    for items in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"gongkai-bench-{items}-"))
        roots = {"gongkai": work / "gongkai", "gongkai_no_procedures": work / "gongkai-no-procedures",
                 "plain": work / "plain"}
        labels = {"gongkai": f"gongkai-{items}", "gongkai_no_procedures": f"gongkai-noproc-{items}",
                  "plain": f"plain-{items}"}
        for root in roots.values():
            root.mkdir()
        print(f"N={items}: generating {work}", file=sys.stderr, flush=True)
        counts = generate.generate(roots["gongkai"], items, args.units, seed=args.seed, search=args.search,
                                   procedures=True)
        counts_without = generate.generate(roots["gongkai_no_procedures"], items, args.units, seed=args.seed,
                                           search=args.search, procedures=False)
        check = check_content(roots["gongkai"])
        check_without = check_content(roots["gongkai_no_procedures"])
        # The three builds take turns: a slow spell of the machine hits all of them alike.
        runs: dict[str, list[dict]] = {site: [] for site in roots}
        plain_pages = None
        for i in range(1, args.repeat + 1):
            for site, root in roots.items():
                if site == "plain" and plain_pages is None:
                    pages = site_stats(roots["gongkai"] / "site")["html_pages"]
                    plain_pages = generate.write_plain_site(root, pages, args.units, seed=args.seed,
                                                            search=args.search)
                print(f"N={items}: building {site} ({i}/{args.repeat}) …", file=sys.stderr, flush=True)
                runs[site].append(mkdocs_build(root, labels[site], logs, i))
                print(f"N={items}: {site} {runs[site][-1]['seconds']} s", file=sys.stderr, flush=True)
        gk, gk0, plain = (summary(roots[site], runs[site]) for site in roots)
        for name, other in (("Gongkai without procedures", gk0), ("plain", plain)):
            if other["html_pages"] != gk["html_pages"]:
                print(f"warning: {name} site has {other['html_pages']} pages, Gongkai {gk['html_pages']}",
                      file=sys.stderr)
        row = {"items": items, "units": args.units, "generated": counts, "check": check,
               "generated_no_procedures": counts_without, "check_no_procedures": check_without,
               "pages": gk["html_pages"], "plain_written": plain_pages,
               "gongkai": gk, "gongkai_no_procedures": gk0, "plain": plain,
               "ratio": ratio(gk["seconds"], plain["seconds"]),
               "cpu_ratio": ratio(gk["cpu_seconds"], plain["cpu_seconds"]),
               "procedures_ratio": ratio(gk["seconds"], gk0["seconds"]),
               "procedures_cpu_ratio": ratio(gk["cpu_seconds"], gk0["cpu_seconds"])}
        if args.profile and items == sizes[-1]:
            print(f"N={items}: profiling the Gongkai build (with procedures) …", file=sys.stderr, flush=True)
            row["profile"] = str(profile(roots["gongkai"], items))
        rows.append(row)
        if args.keep:
            row["dir"] = str(work)
            print(f"N={items}: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    header = (f"{'N':>6} {'pages':>6} {'gongkai s':>10} {'no-proc s':>10} {'proc x':>7} {'plain s':>8} {'ratio':>6} "
              f"{'RSS MiB gk/no-proc/plain':>25} {'out MiB gk/no-proc/plain':>25}")
    lines = [f"plugins: gongkai {plugins_of(rows, 'gongkai')}, plain {plugins_of(rows, 'plain')}",
             "gongkai: with procedures; no-proc: the same content without them; "
             "proc x = gongkai/no-proc; ratio = gongkai/plain",
             header, "-" * len(header)]

    def triple(r: dict, key: str) -> str:
        return "/".join(f"{r[site][key]:.1f}" for site in ("gongkai", "gongkai_no_procedures", "plain"))

    for r in rows:
        g, g0, p = r["gongkai"], r["gongkai_no_procedures"], r["plain"]
        lines.append(f"{r['items']:>6} {r['pages']:>6} {g['seconds']:>10.2f} {g0['seconds']:>10.2f} "
                     f"{r['procedures_ratio']:>7.2f} {p['seconds']:>8.2f} {r['ratio']:>6.2f} "
                     f"{triple(r, 'peak_rss_mib'):>25} {triple(r, 'output_mib'):>25}")
    by_n = {r["items"]: r for r in rows}
    scaling = {}
    if len(rows) >= 2:
        lo, hi = rows[0], rows[-1]
        scaling = {"from": lo["items"], "to": hi["items"],
                   "gongkai": ratio(hi["gongkai"]["seconds"], lo["gongkai"]["seconds"]),
                   "gongkai_no_procedures": ratio(hi["gongkai_no_procedures"]["seconds"],
                                                  lo["gongkai_no_procedures"]["seconds"]),
                   "plain": ratio(hi["plain"]["seconds"], lo["plain"]["seconds"]),
                   "gongkai_cpu": ratio(hi["gongkai"]["cpu_seconds"], lo["gongkai"]["cpu_seconds"]),
                   "gongkai_no_procedures_cpu": ratio(hi["gongkai_no_procedures"]["cpu_seconds"],
                                                      lo["gongkai_no_procedures"]["cpu_seconds"]),
                   "plain_cpu": ratio(hi["plain"]["cpu_seconds"], lo["plain"]["cpu_seconds"]),
                   "pages": ratio(hi["pages"], lo["pages"])}
        lines.append("")
        lines.append(f"scaling time({hi['items']})/time({lo['items']}): gongkai {scaling['gongkai']:.2f}, "
                     f"no-proc {scaling['gongkai_no_procedures']:.2f}, plain {scaling['plain']:.2f} "
                     f"(pages x{scaling['pages']:.2f})")
    # CPU time of the build process: what the build costs, less disturbed by other load.
    lines.append("")
    lines.append("CPU seconds (user+sys of the build process):")
    for r in rows:
        lines.append(f"  N={r['items']:<6} gongkai {r['gongkai']['cpu_seconds']:7.2f}  no-proc "
                     f"{r['gongkai_no_procedures']['cpu_seconds']:7.2f}  plain {r['plain']['cpu_seconds']:7.2f}  "
                     f"proc x {r['procedures_cpu_ratio']:.2f}  ratio {r['cpu_ratio']:.2f}")
    if scaling:
        lines.append(f"  scaling cpu({scaling['to']})/cpu({scaling['from']}): gongkai {scaling['gongkai_cpu']:.2f}, "
                     f"no-proc {scaling['gongkai_no_procedures_cpu']:.2f}, plain {scaling['plain_cpu']:.2f}")
    if args.repeat > 1:
        lines.append("")
        lines.append("all runs (s, the fastest counts):")
        for r in rows:
            lines.append(f"  N={r['items']:<6} " + "  ".join(
                f"{site.replace('gongkai_no_procedures', 'no-proc')} {r[site]['all_seconds']}"
                for site in ("gongkai", "gongkai_no_procedures", "plain")))
    load_after = os.getloadavg()
    lines.append(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} CPUs"
                 + ("  -- the machine was busy: wall times are noisy, rerun with --repeat 3"
                    if load_before[0] > 0.7 or load_after[0] > 1.7 else ""))
    targets = []
    for n, limit in (RATIO_TARGET, CITY_RATIO_TARGET):
        if n in by_n:
            value = by_n[n]["ratio"]
            targets.append({"target": f"gongkai/plain at N={n}", "value": value, "limit": limit,
                             "pass": value <= limit})
    for lo_n, hi_n, limit in (SCALING_TARGET, CITY_SCALING_TARGET):
        if lo_n in by_n and hi_n in by_n:
            value = ratio(by_n[hi_n]["gongkai"]["seconds"], by_n[lo_n]["gongkai"]["seconds"])
            targets.append({"target": f"gongkai time({hi_n})/time({lo_n})", "value": value, "limit": limit,
                            "pass": value <= limit})
    n, limit = PROCEDURES_TARGET
    if n in by_n:
        value = by_n[n]["procedures_ratio"]
        targets.append({"target": f"procedures overhead at N={n}", "value": value, "limit": limit,
                        "pass": value <= limit})
    lines.append("")
    for t in targets:
        lines.append(f"{t['target']:<32} = {t['value']:5.2f}  (<= {t['limit']})  {'PASS' if t['pass'] else 'FAIL'}")
    if len(targets) < 5:
        lines.append("all targets need --sizes 1000 5000 20000")
    print("\n".join(lines))
    for r in rows:
        if "profile" in r:
            print(f"\nprofile: {r['profile']}")

    results = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(), "uncommitted": changed,
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "versions": versions(), "units": args.units, "repeat": args.repeat, "seed": args.seed,
        "plugins": {"gongkai": plugins_of(rows, "gongkai"), "plain": plugins_of(rows, "plain")},
        "load_average": {"before": load_before, "after": load_after},
        "runs": rows, "scaling": scaling, "targets": targets, "table": lines,
    }
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results: {OUT / 'results.json'}", file=sys.stderr)
    return 0 if all(t["pass"] for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
