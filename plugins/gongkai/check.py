"""`gongkai check`: every problem of a content directory, at once, and fast when few files changed.

A check is the build's loading (model/assembly/load.py: prepare, record_files, examine, assemble) plus what only
the check reports: raw HTML the guard would remove, empty and stale columns, undated pages, the
site identity in mkdocs.yml. Its problems come from three places:

- site-wide: the tree, vocabularies, templates, the places of files, mkdocs.yml (load.prepare,
  record_files) — found every time, they are cheap;
- each record file on its own (examine, and its raw HTML) — they depend on that file and the
  site-wide data only;
- assembly, which relates the records — it depends on the site-wide data and on what it reads of
  each record (model/assembly/reads.py).

With a cache (model/assembly/check_cache.py), a check whose site-wide inputs are as before examines again only
the record files whose content changed; when what assembly read of each reads the same on the new
file, assembly's findings are reused, else everything is checked again. Either way the result is
what a check without the cache gives (tests/test_check_cache.py compares them on changed trees).
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from .guard.extension import check_markdown  # the guard's own code finds what it would remove
from .model.assembly import check_cache, reads
from .model.assembly.catalog import Catalog
from .model.assembly.columns import column_problems
from .model.assembly.dates import committed, undated_pages
from .model.assembly.load import RecordFile, assemble, build_date, examine, prepare, record_files
from .model.primitives.problems import Problem, sort_problems
from .model.primitives.tree import ContentTree, walk
from .model.schema.kinds import Kind
from .model.schema.records import Record


@dataclass
class CheckResult:
    problems: list[Problem]
    counts: dict[str, int]
    categories: dict[str, int]
    allowances: list[dict]  # what editors allowed past the sensitive-data rules, and why
    # How the cache served: "off"; "full" (everything checked, the cache written anew); "reused"
    # (assembly's findings reused, `examined` changed files examined anew).
    cache: str = "off"
    examined: int = 0
    note: str = ""  # why a cache was not used, when worth saying (damaged, unreadable)


def check_content(content_dir: Path, config: Path | None = None, cache_dir: Path | None = None,
                  today: dt.date | None = None) -> CheckResult:
    """All problems of content_dir, and of config (mkdocs.yml) if given; through the cache kept in
    cache_dir if given."""
    if not content_dir.is_dir():
        catalog, _, problems = prepare(content_dir, today)
        return CheckResult(problems, catalog.counts(), catalog.categories(), [])
    tree = walk(content_dir)
    files, found = record_files(tree)
    date = today or build_date(content_dir)
    cache = context = None
    if cache_dir is not None:
        # What a snapshot holds for is hashed before anything is read to judge it: a file saved
        # during the check then differs from the hash kept, and the next check does it all again.
        cache = check_cache.CheckCache(cache_dir, content_dir)
        context = cache.context(tree, files, date, committed(content_dir), config)
    catalog, tree, problems = prepare(content_dir, date, tree)
    problems += found + (_config_problems(content_dir, config) if config is not None else [])
    result, note = None, ""
    if cache is not None:
        stored, note = cache.load(context)
        result = _check_changed(catalog, files, cache, stored) if stored is not None else None
    if result is None:
        snapshot = check_cache.Snapshot(context) if cache is not None else None
        result = _check_all(catalog, tree, files, snapshot, cache)
        if cache is not None:
            result.cache, result.note = "full", note
            cache.save(snapshot, files)
    result.problems = sort_problems(problems + result.problems)
    return result


def _check_all(catalog: Catalog, tree: ContentTree, files: list[RecordFile],
               snapshot: check_cache.Snapshot | None, cache: check_cache.CheckCache | None = None) -> CheckResult:
    """Every record file examined, then assembly; with a snapshot, its reads recorded and kept."""
    records: list[tuple[Kind, Record]] = []
    rel_of: dict[int, str] = {}  # id(record) → its file
    examined: dict[str, tuple] = {}
    for file in files:
        if cache is not None:
            cache.content_hash(file.rel)  # before it is read: a file changed meanwhile is examined next time
        record, findings = _examine(catalog, file)
        examined[file.rel] = findings
        if record is not None:
            records.append((file.kind, record))
            rel_of[id(record)] = file.rel
    with reads.recording(r for _, r in records) if snapshot is not None else nullcontext({}) as noted:
        problems, counts, categories, published = _assemble(catalog, tree, records)
    shown = {rel_of[id(r)] for r in published}
    result = CheckResult(list(problems), counts, categories, [])
    for file in files:
        found, markdown, allowances = examined[file.rel]
        result.problems += found + (markdown if file.rel in shown else [])
        result.allowances += allowances
    if snapshot is not None:
        snapshot.keep_assembly(problems, shown, result.counts, result.categories)
        read_of = {rel: snapshot.intern(noted[record_id]) for record_id, rel in rel_of.items()}
        for file in files:
            snapshot.keep_file(file.rel, cache.content_hash(file.rel), *examined[file.rel], read_of.get(file.rel))
    return result


def _examine(catalog: Catalog, file: RecordFile) -> tuple[Record | None, tuple]:
    """A record file's record, and its findings: (problems, raw HTML the guard would remove (shown
    while the record is published), its allowances)."""
    before = len(catalog.allowances)
    record, problems = examine(catalog, file)
    allowances = [a.as_dict() for a in catalog.allowances[before:]]
    markdown = [] if record is None else check_markdown(record.body, record.source.path, record.source.body_line - 1)
    return record, (problems, markdown, allowances)


def _assemble(catalog: Catalog, tree: ContentTree,
              records: list[tuple[Kind, Record]]) -> tuple[list[Problem], dict, dict, list[Record]]:
    """Assembly, and all of the check that depends on it (everything it reads of the records is
    read here, where it is recorded): columns, free pages' raw HTML, undated pages, the counts and
    categories reported, the published records."""
    problems = assemble(catalog, tree, records)
    # 法定主动公开内容: empty and stale columns, as of the build date (warnings; --strict fails).
    problems += column_problems(catalog)
    for path, body, body_line in catalog.free_pages:
        problems += check_markdown(body, path, body_line - 1)
    problems += undated_pages(catalog)
    return problems, catalog.counts(), catalog.categories(), list(catalog.records())


def _check_changed(catalog: Catalog, files: list[RecordFile], cache: check_cache.CheckCache,
                   stored: check_cache.Snapshot) -> CheckResult | None:
    """The check from a stored snapshot, examining only the record files whose content changed;
    None when one of them is new, gained or lost its record, or reads differently to assembly."""
    changed = [f for f in files if cache.content_hash(f.rel) != stored.hash_of(f.rel)]
    if len(changed) > max(50, len(files) // 10):
        return None  # examining them one by one would cost about what a full check does
    fresh = {}
    for file in changed:
        if not stored.knows(file.rel):
            return None
        record, findings = _examine(catalog, file)
        read = stored.read_of(file.rel)
        if (record is None) != (read is None):
            return None
        if record is not None and reads.replay(record, stored.keys(read)) != read[1]:
            return None
        fresh[file.rel] = (findings, read)
    for file in changed:
        findings, read = fresh[file.rel]
        stored.keep_file(file.rel, cache.content_hash(file.rel), *findings, read)
    if changed or not cache.stats_as_stored():
        cache.save(stored, files)
    result = CheckResult(stored.assembly_problems(), dict(stored.counts), dict(stored.categories), [],
                         cache="reused", examined=len(changed))
    for file in files:
        found, markdown, allowances = stored.findings(file.rel)
        result.problems += found + (markdown if stored.is_shown(file.rel) else [])
        result.allowances += allowances
    return result


def _config_problems(content_dir: Path, config: Path) -> list[Problem]:
    """The site identity in mkdocs.yml, named relative to the folder holding content/."""
    from .model.schema.identity import check_config_file

    base = content_dir.parent
    try:
        shown = config.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        shown = config.as_posix()
    return check_config_file(config, shown)
