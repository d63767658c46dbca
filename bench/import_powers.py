#!/usr/bin/env python3
"""Import benchmark: `gongkai import powers` of one county-style sheet of N rows.

    .venv/bin/python bench/import_powers.py [--rows 5000]

Writes an .xlsx as counties keep them (title rows, a two-row merged header, every fifth item
with three 子项 rows under a merged name, free-text citations and numbered 责任事项) into a
temporary copy of the sample content, then runs `gongkai import powers` in a subprocess twice:
--dry-run (reading, matching and planning) and the real import (writing the files and the
closing `gongkai check`), then again with --update (every item found unchanged). Reports wall time, CPU time and peak RSS of each (os.wait4), and
writes bench/out/import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GONGKAI = Path(sys.executable).with_name("gongkai")
CATEGORIES = ["行政许可", "行政处罚", "行政检查", "行政强制", "其他职权"]
UNITS = ["县市场监管局", "县自然资源局", "县发改委", "县民政局", "县教育局", "县卫健委", "县应急局"]


def sheet(path: Path, rows: int) -> int:
    """The workbook; returns the number of items it holds."""
    wb = Workbook()
    ws = wb.active
    ws.title = "权责清单"
    ws.append(["安澜县权责清单（基准测试）"])
    ws.append(["序号", "事项名称", None, "权力类型", "设定依据", "责任主体", None, "责任事项", "追责情形"])
    ws.append([None, "主项", "子项", None, None, "实施主体", "承办机构"])
    for rng in ("A1:I1", "A2:A3", "B2:C2", "D2:D3", "E2:E3", "F2:G2", "H2:H3", "I2:I3"):
        ws.merge_cells(rng)
    row, items = 4, 0
    while row - 4 < rows:
        items += 1
        subs = 3 if items % 5 == 0 else 1
        cite = (f"1.[法律]《中华人民共和国某某管理法》第{items % 90 + 1}条：……\n"
                f"2.[部门规章]《某某管理办法》第{items % 40 + 1}条、第{items % 40 + 2}条")
        duty = "1.受理阶段责任：一次性告知补正材料。2.审查阶段责任：审查材料。3.决定阶段责任：作出决定。"
        ws.append([items, f"基准事项{items:05d}", "子项一" if subs > 1 else None, CATEGORIES[items % 5], cite,
                   UNITS[items % len(UNITS)], "综合股", duty, "1.不予受理的；2.违法准予的；3.其他。"])
        for n in range(1, subs):
            ws.append([None, None, f"子项{'二三'[n - 1]}"])
        if subs > 1:
            for col in "ABDEFGHI":
                ws.merge_cells(f"{col}{row}:{col}{row + subs - 1}")
        row += subs
    wb.save(path)
    return items


def timed(args: list[str], cwd: Path) -> dict:
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "exit": os.waitstatus_to_exitcode(status), "tail": tail}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-import-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "content", work / "content")
        source = work / "清单.xlsx"
        items = sheet(source, args.rows)
        dry = timed([str(GONGKAI), "import", "powers", str(source), "--dry-run"], work)
        real = timed([str(GONGKAI), "import", "powers", str(source)], work)
        again = timed([str(GONGKAI), "import", "powers", str(source), "--update"], work)
        written = len(list((work / "content").glob("units/*/powers/*.md")))
    result = {"rows": args.rows, "items": items, "dry_run": dry, "import": real, "update": again, "item_files_after": written}
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "import.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.rows} rows, {items} items")
    for name in ("dry_run", "import", "update"):
        r = result[name]
        print(f"  {name:8} wall {r['wall_s']:6.2f} s  cpu {r['cpu_s']:6.2f} s  peak RSS {r['peak_rss_mb']} MB  "
              f"exit {r['exit']}")
    return 0 if dry["exit"] == real["exit"] == again["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
