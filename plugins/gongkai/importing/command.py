"""`gongkai import powers|document`: read every source, report, then write all or nothing. The
Markdown files written are left in args.written, for the command line to end with `gongkai check`
on them."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..model import load_catalog
from ..model.primitives.problems import Problem, Severity, has_errors, sort_problems
from .plan import Output, WriteError, write_outputs
from .sources import REFUSED, file_format
from .units import UnitMatcher

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".et")
DOCUMENT_SUFFIXES = (".docx", ".doc", ".wps")
OTHER_SUFFIXES = (".pdf", ".ofd")  # refused with a reason when a folder holds them


class Sources(list):
    """The files to read; `listed` are those found in a folder rather than named (a file there
    that cannot be imported, a scan as PDF beside the Word files, is skipped with a warning)."""

    listed: set[Path]


def sources(paths: list[str], suffixes: tuple[str, ...]) -> tuple[Sources, list[Problem]]:
    """The files given, folders expanded (their files of the command's kinds and of the formats
    that are refused with a reason; Office's ~$ lock files and hidden files left out)."""
    out, problems = Sources(), []
    out.listed = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes + OTHER_SUFFIXES
                           and not p.name.startswith(("~$", ".")))
            if not found:
                problems.append(Problem(given, 1, 1, "", "the folder holds no file to import",
                                        "files ending " + " ".join(suffixes)))
            out += found
            out.listed.update(found)
        elif path.is_file():
            out.append(path)
        else:
            problems.append(Problem(given, 1, 1, "", "no such file"))
    return out, problems


def _shown(path: Path) -> str:
    return path.as_posix()


def refused(path: Path, fmt: str, files: Sources) -> Problem:
    """A file in a format that cannot be imported: an error when named, a warning (skipped) when
    found in a folder."""
    listed = path in files.listed
    return Problem(_shown(path), 1, 1, "", f"cannot import this file{' (skipped)' if listed else ''}: {REFUSED[fmt]}",
                   severity=Severity.WARNING if listed else Severity.ERROR)


def _units(args: argparse.Namespace) -> UnitMatcher | None:
    """The content's units, to match the names sources give; None (said why) when there are none
    or --unit names none of them."""
    content = Path(args.content)
    catalog = load_catalog(content)[0] if content.is_dir() else None
    if catalog is None or not catalog.units:
        print(f"gongkai import: no units in {content}/units: import needs the units the sources name "
              "(give --content)", file=sys.stderr)
        return None
    if args.unit and args.unit not in catalog.units:
        print(f"gongkai import: no unit '{args.unit}' in {content}/units", file=sys.stderr)
        return None
    return UnitMatcher(catalog.units)


def _finish(args: argparse.Namespace, outputs: list[Output], report: list[str], problems: list[Problem],
            unchanged: int) -> int:
    """Print the report and the problems; write unless an error or --dry-run stops it; then check."""
    errors = has_errors(problems)
    for line in report:
        print(line)
    for output in outputs:
        changed = f": {', '.join(output.changes)}" if output.changes else ""
        print(f"{output.action} {output.rel}  {output.label}{changed}")
    if unchanged:
        print(f"未变 {unchanged} 项 (the files already hold what the sheet says)")
    for problem in sort_problems(problems):
        print(problem.format(), file=sys.stderr)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    news = sum(o.action == "新增" for o in outputs)
    summary = f"{news} new, {len(outputs) - news} updated, {unchanged} unchanged; " \
              f"{sum(p.severity is Severity.ERROR for p in problems)} error(s), {warnings} warning(s)"
    if errors:
        print(f"gongkai import: {summary}; nothing written", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"gongkai import: {summary}; --dry-run: nothing written", file=sys.stderr)
        return 0
    try:
        write_outputs(Path(args.content), outputs)
    except WriteError as exc:
        print(f"gongkai import: {exc}; nothing written", file=sys.stderr)
        return 1
    print(f"gongkai import: {summary}; written", file=sys.stderr)
    args.written = [(Path(args.content) / o.rel).as_posix() for o in outputs if o.rel.endswith(".md")]
    return 0


def import_powers(args: argparse.Namespace) -> int:
    from .headers import load_vocabulary
    from .item_files import plan_powers
    from .powers import Defaults, read_powers
    from .sheets import SheetError, read_grids

    content = Path(args.content)
    units = _units(args)
    if units is None:
        return 2
    problems: list[Problem] = []
    vocab, vocab_problems = load_vocabulary(content)
    problems += vocab_problems
    from ..model.schema.fields import POWER_CATEGORIES

    category = vocab.category_of(args.category) if args.category else None
    if args.category and category is None:
        print(f"gongkai import: '{args.category}' is not a power category; one of " + "、".join(POWER_CATEGORIES),
              file=sys.stderr)
        return 2
    files, missing = sources(args.files, SHEET_SUFFIXES)
    problems += missing
    items, report = [], []
    for path in files:
        shown = _shown(path)
        try:
            fmt = file_format(path)
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror or exc}"))
            continue
        if fmt == "docx":
            problems.append(Problem(shown, 1, 1, "", "a Word document, not a list",
                                    "import it with 'gongkai import document'"))
            continue
        if fmt not in ("xlsx", "xls", "csv"):
            problems.append(refused(path, fmt, files))
            continue
        try:
            grids = read_grids(path, fmt)
        except SheetError as exc:
            problems.append(Problem(shown, 1, 1, "", str(exc)))
            continue
        found, sheets, sheet_problems = read_powers(grids, shown, vocab, units, Defaults(args.unit, category))
        items += found
        problems += sheet_problems
        report.append(f"{shown}:")
        for sheet in sheets:
            report += sheet.lines()
    outputs, unchanged = [], 0
    if not has_errors(problems):
        try:
            outputs, unchanged, plan_problems = plan_powers(content, items, update=args.update)
        except OSError as exc:  # a content file that cannot be read (permissions, a dangling link)
            print(f"gongkai import: cannot read {exc.filename}: {exc.strerror or exc}; nothing written",
                  file=sys.stderr)
            return 1
        problems += plan_problems
    return _finish(args, outputs, report, problems, unchanged)


def import_documents(args: argparse.Namespace) -> int:
    from .documents import read_document
    from .document_files import plan_documents

    content = Path(args.content)
    units = _units(args)
    if units is None:
        return 2
    published = None
    if args.published:
        try:
            published = dt.date.fromisoformat(args.published)
        except ValueError:
            print(f"gongkai import: --published '{args.published}' is not a date (2024-03-08)", file=sys.stderr)
            return 2
    files, problems = sources(args.files, DOCUMENT_SUFFIXES)
    documents = []
    for path in files:
        try:
            fmt = file_format(path)
        except OSError:
            fmt = "docx"  # read_document says why it cannot be read
        if path in files.listed and fmt != "docx":
            problems.append(refused(path, fmt if fmt in REFUSED else "unknown", files))
            continue
        document, found = read_document(path, _shown(path), units, unit=args.unit, published=published)
        problems += found
        if document is not None:
            documents.append((path, document))
    outputs, unchanged = [], 0
    if not has_errors(problems):
        try:
            outputs, unchanged, plan_problems = plan_documents(content, documents, update=args.update)
        except OSError as exc:  # a content file that cannot be read (permissions, a dangling link)
            print(f"gongkai import: cannot read {exc.filename}: {exc.strerror or exc}; nothing written",
                  file=sys.stderr)
            return 1
        problems += plan_problems
    return _finish(args, outputs, [], problems, unchanged)
