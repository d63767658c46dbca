"""The `gongkai` command: what is not a page build."""

from __future__ import annotations

import argparse
import html
import json
import posixpath
import signal
import sys
from pathlib import Path

from . import __version__
from .model import KINDS, load_catalog
from .model.schema.kinds import POWER
from .model.primitives.problems import Severity, has_errors


def _check(args: argparse.Namespace) -> int:
    from .check import check_content

    content = Path(args.content)
    base = content.parent
    config = Path(args.config) if args.config else base / "mkdocs.yml"
    config = config if args.config or config.is_file() else None
    cache = None if args.no_cache else Path(args.cache) if args.cache else base / ".cache" / "check"
    result = check_content(content, config, cache)
    problems = result.problems
    elsewhere = 0  # errors in files not given: they fail the check too, told in one line
    if args.files:
        # Pre-commit passes the changed files: the whole tree is still checked, so cross-file rules
        # are. Shown: the given files' problems, and those naming a given file (a code that
        # duplicates the given file's is reported on the file that has it second). Any error
        # anywhere still fails: a change can break an unchanged file (a deleted item a guide cites).
        # Problems name files relative to base (content/units/…), content files are never links:
        # compared as such, not resolved one by one.
        resolved = base.resolve()
        given = (Path(f).resolve() for f in args.files)
        names = {w.relative_to(resolved).as_posix() for w in given if w.is_relative_to(resolved)}
        errors = sum(p.severity is Severity.ERROR for p in problems)
        problems = [p for p in problems
                    if posixpath.normpath(p.path) in names or any(name in p.message for name in names)]
        elsewhere = errors - sum(p.severity is Severity.ERROR for p in problems)
    if result.note:
        print(f"gongkai check: {result.note}; checked everything", file=sys.stderr)
    if args.format == "json":
        report = {
            "counts": result.counts,
            "categories": result.categories,
            "problems": [p.as_dict() for p in problems],
            # What editors allowed past the sensitive-data rules, and why: for the reviewer.
            "allowances": result.allowances,
            "cache": {"used": result.cache, "examined": result.examined},
        }
        if args.files:
            report["errors_in_other_files"] = elsewhere
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
        errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        counts = result.counts
        summary = (", ".join(f"{counts[kind.plural]} {kind.counted}" for kind in KINDS)
                   + f"; {errors} error(s), {warnings} warning(s)")
        if result.cache == "reused":
            summary += f" (examined {result.examined} changed file(s); the rest as checked before)"
        print(summary, file=sys.stderr)
        if elsewhere:
            print(f"gongkai check: other files have {elsewhere} error(s); run 'gongkai check' to see them",
                  file=sys.stderr)
    strict_fails = args.strict and any(p.severity is Severity.WARNING for p in problems)
    return 1 if has_errors(problems) or elsewhere or strict_fails else 0


class _CommandError(Exception):
    """A problem of the command line's own (paths, ports): a message and exit status 2."""


def _archive(args: argparse.Namespace):
    """The archive index for the content, brought up to date first (a no-op when current). Without
    a content directory, or where the index cannot be written, the index is searched as it is."""
    from .search.documents import search_documents
    from .search.archive import Archive
    from .search.index import index_damage, update_index

    content, index = Path(args.content), Path(args.index)
    damage = index_damage(index) if (index / "FINGERPRINT").is_file() else None
    built = (index / "FINGERPRINT").is_file() and damage is None
    if content.is_dir():
        catalog, problems = load_catalog(content)
        if has_errors(problems):
            print("gongkai: the content has errors (see 'gongkai check'); searching what is valid", file=sys.stderr)
        try:
            update_index(index, search_documents(catalog), catalog.synonyms)
        except OSError as exc:
            if not built:
                raise _CommandError(f"cannot write the search index {index}: {exc.strerror or exc}") from None
            print(f"gongkai: cannot update the search index {index} ({exc.strerror or exc}); "
                  "searching it as it is", file=sys.stderr)
    elif built:
        print(f"gongkai: no content directory {content}; searching the index {index} as it is", file=sys.stderr)
    elif damage is not None:
        raise _CommandError(f"the search index {index} is damaged: {damage}; rebuild it (mkdocs build, "
                            "or give --content)")
    else:
        raise _CommandError(f"no content directory {content} and no search index {index} "
                            "(give --content, or build the site first: make site)")
    return Archive(index)


def _search(args: argparse.Namespace) -> int:
    from .search.archive import IndexUnusable, QueryError

    try:
        result = _archive(args).search(args.query, unit=args.unit, category=args.category, kind=args.kind,
                                       year=args.year, validity=args.validity, page=args.page)
    except (QueryError, IndexUnusable, _CommandError) as exc:
        print(f"gongkai search: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    pages = max(1, -(-result["total"] // 10))
    print(f"共 {result['total']} 条结果，第 {result['page']}/{pages} 页")
    for number, hit in enumerate(result["hits"], start=(result["page"] - 1) * 10 + 1):
        facts = " · ".join(filter(None, [hit["kind"], hit["unit"], hit["category"], hit["doc_no"] or hit["code"]]))
        snippet = html.unescape(hit["snippet"].replace("<mark>", "【").replace("</mark>", "】"))
        print(f"\n{number}. {hit['title']}\n   {facts}\n   {hit['url']}\n   {snippet}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .search.archive import IndexUnusable
    from .search.server import make_server

    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"gongkai serve: no built site in {site}/; run 'make site' first", file=sys.stderr)
        return 2
    if args.idle_timeout <= 0 or args.threads < 1:
        print("gongkai serve: --idle-timeout must be above 0 and --threads at least 1", file=sys.stderr)
        return 2
    archive, unavailable = None, ""
    try:
        archive = _archive(args)
    except (_CommandError, IndexUnusable) as exc:
        # The static site does not need the archive: it is served, and the search API says why not.
        unavailable = str(exc)
        print(f"gongkai serve: {exc}; serving the site without /api/search (503)", file=sys.stderr)
    try:
        server = make_server(site, archive, args.host, args.port, unavailable=unavailable,
                             idle_timeout=args.idle_timeout, workers=args.threads)
    except (OSError, OverflowError) as exc:  # the port is taken, the address is not this machine's …
        print(f"gongkai serve: cannot listen on {args.host}:{args.port}: {getattr(exc, 'strerror', None) or exc}",
              file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    print(f"Serving {site}/ and /api/search on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export.bundle import ExportError, export, zip_sha256

    # A stop request ends the export like Ctrl+C: the partial zip is removed, the target untouched.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        manifest = export(Path(args.config), Path(args.output))
    except ExportError as exc:
        print(f"gongkai export: {exc}", file=sys.stderr)
        return 1
    size = Path(args.output).stat().st_size
    print(f"{args.output}: {len(manifest['files']) + 1} 个文件, {size / 1e6:.1f} MB, "
          f"生成日期 {manifest['build_date']}, 提交 {manifest['source_commit'][:12]}", file=sys.stderr)
    # Recorded elsewhere, it is what `verify --expect` checks: the manifest inside proves nothing
    # about someone who rewrote both a file and its manifest entry.
    print(f"{args.output}: SHA-256 {zip_sha256(Path(args.output))}", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .export.bundle import ExportError, verify, zip_sha256

    try:
        verdict = verify(Path(args.bundle))
    except ExportError as exc:
        print(f"gongkai verify: {exc}", file=sys.stderr)
        return 2
    digest = zip_sha256(Path(args.bundle))
    print(f"{args.bundle}: SHA-256 {digest}")
    if args.expect is not None and digest != args.expect.strip().lower():
        print(f"{args.bundle}: altered: the zip's SHA-256 is not the expected {args.expect.strip()}")
        print(f"gongkai verify: {args.bundle} is NOT the recorded bundle (与登记的 SHA-256 不符)", file=sys.stderr)
        return 1
    for title, names in (("refused (not read, not extracted)", verdict.refused), ("missing", verdict.missing),
                         ("extra", verdict.extra), ("altered", verdict.altered)):
        for name in names:
            print(f"{args.bundle}: {title}: {name}")
    if not verdict.intact:
        print(f"gongkai verify: {args.bundle} is NOT intact (不完整或已被改动)", file=sys.stderr)
        return 1
    m = verdict.manifest
    print(f"{args.bundle}: intact (完整): {len(m['files'])} files match manifest.json; "
          f"built {m['build_date']} from commit {m['source_commit']} by Gongkai {m['gongkai_version']}")
    return 0


def _changes(args: argparse.Namespace) -> int:
    from .history.adjustments import ADJUSTMENT_KINDS, changes_between
    from .history.git import GitError, History

    content = Path(args.content)
    if not content.is_dir():
        print(f"gongkai changes: no content directory {content} (give --content)", file=sys.stderr)
        return 2
    try:
        history = History(content)
        if not history.available:
            print(f"gongkai changes: needs the content in a git repository with commits, to compare its refs: "
                  f"{history.reason} (git init, commit, and tag each release)", file=sys.stderr)
            return 2
        catalog, _ = load_catalog(content)
        names = {unit_id: unit.name for unit_id, unit in catalog.units.items()}
        changes = changes_between(history, args.since, args.until, names)
    except GitError as exc:
        print(f"gongkai changes: {exc}", file=sys.stderr)
        return 2
    by_unit: dict[str, list] = {}
    order = {unit_id: i for i, unit_id in enumerate(catalog.units)}  # as the unit directory lists them
    for change in sorted(changes, key=lambda c: (order.get(c.unit, len(order)), c.unit)):
        by_unit.setdefault(change.unit, []).append(change)
    if args.format == "json":
        from .history.adjustments import counts_by_category
        from .model.schema import POWER_CATEGORIES

        report = {"since": args.since, "until": args.until,
                  "counts": dict(counts_by_category(changes, POWER_CATEGORIES)),
                  "units": [{"unit": u, "name": names.get(u, u), "items": [c.as_dict() for c in items]}
                            for u, items in by_unit.items()]}
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    markdown = args.format == "md"
    title = f"权责清单调整：{args.since} → {args.until}"
    print(f"# {title}" if markdown else title)
    if not changes:
        print("\n无调整。" if markdown else "无调整。")
    for unit_id, items in by_unit.items():
        heading = f"{names.get(unit_id, unit_id)}（{unit_id}）"
        print(f"\n## {heading}\n" if markdown else f"\n{heading}")
        for kind in ADJUSTMENT_KINDS:
            for change in (c for c in items if c.kind == kind):
                line = f"{kind} {change.code} {change.name}（{change.category}）"
                print(f"- {line}" if markdown else f"  {line}")
                for field_change in change.changes:
                    print(f"    - {field_change.text}" if markdown else f"      {field_change.text}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_content

    content = Path(args.content)
    try:
        path, text = new_content(content, args.kind, args.unit, category=args.category, name=args.name)
    except ScaffoldError as exc:
        print(f"gongkai new: {exc}", file=sys.stderr)
        return 2
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as out:  # never overwrite a file
            out.write(text)
    except OSError as exc:  # a read-only tree, or the file made meanwhile by someone else
        print(f"gongkai new: cannot write {path.as_posix()}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(path.as_posix())
    print(f"gongkai new: fill in every 待填写 in {path.as_posix()}; 'gongkai check {path.as_posix()}' "
          "lists what is left", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from .importing.command import import_documents, import_powers

    args.written = []
    status = import_powers(args) if args.what == "powers" else import_documents(args)
    if status == 0 and args.written:
        # What `gongkai check` says of the files written: the 待填写 left to fill in, and any rule
        # a value broke. The import is done either way; these are the editor's next step.
        _check(argparse.Namespace(content=args.content, format="text", config=None, strict=False,
                                  cache=None, no_cache=False, files=args.written))
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="Gongkai (公开): check and work with a disclosure site's content.")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="validate the content and report every problem at once")
    check.add_argument("--content", default="content", help="content directory (default: content)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("--config", help="MkDocs configuration whose site identity is checked "
                                        "(default: mkdocs.yml beside the content directory, when there is one)")
    check.add_argument("--strict", action="store_true",
                       help="exit 1 on any warning too (among them empty columns (空白栏目) and columns not "
                            "updated within their freshness window)")
    check.add_argument("--cache", metavar="DIR",
                       help="where to keep what the last check found, so the next one examines only the files "
                            "changed since (default: .cache/check beside the content directory)")
    check.add_argument("--no-cache", action="store_true", help="check everything, without reading or writing the cache")
    check.add_argument("files", nargs="*", metavar="FILE",
                       help="report the problems in these files and those naming them; any error in the content "
                            "still fails")
    check.set_defaults(run=_check)

    def index_options(command):
        command.add_argument("--content", default="content", help="content directory (default: content)")
        command.add_argument("--index", default=".cache/search-index",
                             help="archive index directory (default: .cache/search-index, as mkdocs.yml names it)")

    search = commands.add_parser("search", help="search the archive: units, items, guides, documents, notices")
    search.add_argument("query", nargs="?", default="", help="words, a 文号, an 索引号 or an item code")
    for name, what in (("unit", "unit id, name or short name"), ("category", "power category or topic"),
                       ("kind", "unit, power, guide, document or notice (or 权责事项 …)"),
                       ("year", "year, e.g. 2021"), ("validity", "有效, 失效, 废止 or 已修订")):
        search.add_argument(f"--{name}", help=f"only results of this {what}")
    search.add_argument("--page", default="1", help="result page, 10 per page (default 1)")
    search.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    index_options(search)
    search.set_defaults(run=_search)

    serve = commands.add_parser("serve", help="serve the built site and the search API (GET /api/search)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--site", default="site", help="built site directory (default: site)")
    serve.add_argument("--idle-timeout", type=float, default=15.0, metavar="SECONDS",
                       help="close a connection that sends nothing (or stalls) this long (default 15)")
    serve.add_argument("--threads", type=int, default=16, help="requests served at once (default 16)")
    index_options(serve)
    serve.set_defaults(run=_serve)

    export = commands.add_parser("export", help="write the offline, searchable site with its open data as one zip")
    export.add_argument("-o", "--output", default="gongkai-export.zip", help="zip file (default: gongkai-export.zip)")
    export.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    export.set_defaults(run=_export)

    verify = commands.add_parser("verify", help="check an exported zip against its manifest")
    verify.add_argument("bundle", help="the zip written by gongkai export")
    verify.add_argument("--expect", metavar="SHA256",
                        help="the zip's SHA-256 as recorded at export; any other is NOT intact")
    verify.set_defaults(run=_verify)

    changes = commands.add_parser("changes", help="power list adjustments between two git refs, per unit")
    changes.add_argument("--since", required=True, help="the earlier ref: a tag, branch or commit")
    changes.add_argument("--until", default="HEAD", help="the later ref (default: HEAD)")
    changes.add_argument("--format", choices=("text", "json", "md"), default="text", help="output format")
    changes.add_argument("--content", default="content", help="content directory (default: content)")
    changes.set_defaults(run=_changes)

    new = commands.add_parser("new", help="start a new content file with every field to fill in")
    new_kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in (k for k in KINDS if k.new):
        sub = new_kinds.add_parser(kind.name, help=f"a new {kind.name} ({kind.label})")
        sub.add_argument("--unit", required=True, help="the unit's id (its folder under content/units)")
        if kind is POWER:
            sub.add_argument("--category", required=True, help="权力类型, e.g. 行政许可")
        else:
            sub.set_defaults(category=None)
        sub.add_argument("--name", help="the name or title" + (" (事项名称)" if kind is POWER else ""))
        sub.add_argument("--content", default="content", help="content directory (default: content)")
        sub.set_defaults(run=_new)

    from . import nginx, preview

    nginx.add_command(commands)
    preview.add_command(commands)

    importer = commands.add_parser("import", help="bring a county's 权责清单 spreadsheets or Word 公文 into content/")
    what = importer.add_subparsers(dest="what", metavar="WHAT", required=True)
    powers = what.add_parser("powers", help="power items from .xlsx, .xls or .csv lists (files or folders)")
    powers.add_argument("files", nargs="+", metavar="FILE", help="spreadsheets, or folders of them")
    powers.add_argument("--unit", help="the unit of rows that name none (a list of one unit without 实施主体)")
    powers.add_argument("--category", help="the 权力类型 of rows that give none (a sheet of one type)")
    document = what.add_parser("document", help="documents from Word 公文 (.docx; files or folders)")
    document.add_argument("files", nargs="+", metavar="FILE", help=".docx files, or folders of them")
    document.add_argument("--unit", help="the owning unit (default: the issuer the 公文 names)")
    document.add_argument("--published", metavar="DATE",
                          help="发布日期 of the documents (default: 待填写, for the editor to fill in)")
    for sub in (powers, document):
        sub.add_argument("--update", action="store_true",
                         help="update files already there: the fields the source holds, nothing else")
        sub.add_argument("--dry-run", action="store_true", help="print the report; write nothing")
        sub.add_argument("--content", default="content", help="content directory (default: content)")
        sub.set_defaults(run=_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    # `gongkai search … | head` ends quietly, like other commands. Not for serve: there every
    # client that closes its connection mid-response would kill the server with SIGPIPE; its
    # writes get BrokenPipeError instead, which the server takes as the client gone.
    # The handlers are put back on return: main() also runs inside other programs (the test
    # suite's workers), where a SIGPIPE left at its default kills the whole process the first
    # time a socket it serves is closed by its client.
    saved = {sig: signal.getsignal(sig) for sig in (getattr(signal, "SIGPIPE", None), signal.SIGTERM) if sig}
    try:
        if hasattr(signal, "SIGPIPE") and args.command != "serve":
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        return args.run(args)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
