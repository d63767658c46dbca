"""The `gongkai` command: what is not a page build."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .model import load_catalog
from .model.problems import Severity, has_errors


def _check(args: argparse.Namespace) -> int:
    catalog, problems = load_catalog(Path(args.content))
    if args.format == "json":
        report = {
            "counts": {k: v for k, v in catalog.counts().items()},
            "categories": catalog.categories(),
            "problems": [p.as_dict() for p in problems],
        }
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
        errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        counts = catalog.counts()
        summary = (f"{counts['units']} 个单位, {counts['powers']} 项权责事项, {counts['guides']} 个办事指南, "
                   f"{counts['documents']} 份文件, {counts['notices']} 条公示公告; "
                   f"{errors} error(s), {warnings} warning(s)")
        print(summary, file=sys.stderr)
    return 1 if has_errors(problems) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="Gongkai (公开): check and work with a disclosure site's content.")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="validate the content and report every problem at once")
    check.add_argument("--content", default="content", help="content directory (default: content)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.set_defaults(run=_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
