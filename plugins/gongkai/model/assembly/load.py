"""Loading a content directory into a Catalog, with every problem found.

The steps, in order: vocabularies and procedure templates; each content file read, its
placeholders and schema checked, scanned for sensitive data, bound to its unit, its page and
its flowchart resolved; the cross-file rules over all records (drafts included: an editor learns
of a broken draft before publishing it); free pages; then only published records enter the
Catalog, and the files published beside them are scanned. Never raises on bad content.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..primitives.frontmatter import Source, load_content_file, parse_yaml, read_text, split_front_matter
from ..primitives.problems import Problem, Severity, sort_problems
from ..primitives.text import identifier_key, reference_key
from ..primitives.tree import MARKDOWN_SUFFIXES, ContentTree, is_hidden, walk
from ..primitives.workdays import load_work_calendar, missing_schedule_problems
from ..schema.fields import is_public_contact
from ..schema.kinds import ANNUAL_REPORT, DECISION, DOCUMENT, OFFICERS, RECORD_KINDS, UNIT, UNIT_FILE, UNITS_DIR, Kind
from ..schema.placeholders import PLACEHOLDER, covered, unfilled
from ..schema.procedure import TEMPLATES_DIR, check_fences, check_procedure, load_templates
from ..schema.records import Document, PowerItem, Record, Unit
from ..schema.topics import TopicList, topic_data_problems
from ..schema.validation import validate
from ..sensitive import attachments, files as sensitive_files
from . import columns, enforcement, report_rules, rules
from .catalog import Catalog
from .dates import read_free_page_date
from .reads import recording

VOCAB_DIR = "_vocab"
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def build_date(content_dir: Path) -> dt.date:
    """The date the site is built 'as of': SOURCE_DATE_EPOCH, else the last commit, else today.

    Deterministic builds (DESIGN principle 3) need a date that does not depend on the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    try:
        # The committer's own date (%cI keeps their UTC offset): a commit at 07:30 in Beijing is
        # that day's, not the day before's as in UTC.
        out = subprocess.run(["git", "log", "-1", "--format=%cI"], cwd=content_dir,
                             capture_output=True, text=True, timeout=20, check=False).stdout.strip()
        if out:
            return dt.date.fromisoformat(out[:10])
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date.today()


@dataclass(frozen=True)
class RecordFile:
    """A file that holds one record, by where it lies: units/<unit>/<kind folder>/<slug>.md."""

    kind: Kind
    display: str  # as shown in messages
    rel: str  # content-relative
    unit_id: str
    slug: str


def load_catalog(content_dir: str | os.PathLike, today: dt.date | None = None,
                 keep_reads: dict | None = None) -> tuple[Catalog, list[Problem]]:
    """Load, validate and cross-check a content directory. Never raises on bad content.
    With keep_reads, what assembly read of each record goes in it: {content-relative path:
    reads.Reads} (`gongkai preview` updates a record in place when its reads stay the same)."""
    catalog, tree, problems = prepare(Path(content_dir), today)
    if tree is None:
        return catalog, problems
    files, found = record_files(tree)
    problems += found
    records: list[tuple[Kind, Record]] = []
    for file in files:
        record, found = examine(catalog, file)
        problems += found
        if record is not None:
            records.append((file.kind, record))
    with recording(r for _, r in records) if keep_reads is not None else nullcontext({}) as noted:
        problems += assemble(catalog, tree, records)
    if keep_reads is not None:
        keep_reads.update((r.source.rel, noted[id(r)]) for _, r in records)
    return catalog, sort_problems(problems)


def prepare(root: Path, today: dt.date | None = None,
            tree: ContentTree | None = None) -> tuple[Catalog, ContentTree | None, list[Problem]]:
    """The tree of files (walked, unless given) and the site-wide data every record is read
    against: vocabularies, procedure templates, the disclosure columns, the enforcement rules, the
    work calendar."""
    catalog = Catalog(root, today or build_date(root))
    problems: list[Problem] = []
    if not root.is_dir():
        return catalog, None, [Problem(str(root), 1, 1, "", "content directory not found", "pass --content DIR")]
    # Every read below goes through the tree: links are reported here and never followed.
    tree = tree or walk(root)
    problems += tree.problems
    catalog.files = tree.files

    types, type_problems = _load_vocab(tree, "unit-types.yml", _is_names, "write one type per line, e.g. '- 县直部门'")
    problems += type_problems
    if types:
        catalog.unit_types = [t.strip() for t in types]
    synonyms, synonym_problems = _load_vocab(tree, "synonyms.yml", lambda d: all(_is_names(g) for g in d),
                                             "write one group per line, e.g. '- [督查, 督察]'")
    problems += synonym_problems
    catalog.synonyms = synonyms
    topics, topic_problems = _load_vocab(tree, "topics.yml", None, "", locate=topic_data_problems)
    problems += topic_problems
    catalog.topics = TopicList.from_data(topics) if topics else None
    catalog.templates, template_problems = load_templates(root, tree)
    problems += template_problems
    problems += columns.load_disclosure(tree, catalog)
    problems += enforcement.load_rules(tree, catalog)
    catalog.work_calendar, calendar_problems = load_work_calendar(tree)
    problems += calendar_problems
    return catalog, tree, problems


def record_files(tree: ContentTree) -> tuple[list[RecordFile], list[Problem]]:
    """The files of units/ that hold records, in order; a problem for each one that cannot."""
    root = tree.root
    shown = _display(root, root / "x")[:-1]  # what paths in messages start with: content/
    files: list[RecordFile] = []
    problems: list[Problem] = []
    kind_folders = {k.plural: k for k in RECORD_KINDS if not k.file}  # a unit's folder holds one folder per kind
    kind_files = {k.file: k for k in RECORD_KINDS if k.file}  # … and one file of each single kind
    *others, last = kind_folders
    folders = f"{', '.join(others)} or {last}" if others else last
    folders += "".join(f", or name it {k.file}" for k in RECORD_KINDS if k.file)
    markdown: dict[str, list[str]] = defaultdict(list)  # unit id → its .md files, content-relative
    for rel in sorted(tree.files):
        if rel.startswith(f"{UNITS_DIR}/") and rel.endswith(".md") and rel.count("/") >= 2:
            markdown[rel.split("/", 2)[1]].append(rel)
    for unit_id in tree.folders(UNITS_DIR):
        rel_dir = f"{shown}{UNITS_DIR}/{unit_id}"
        if not SLUG.match(unit_id):
            problems.append(Problem(rel_dir, 1, 1, "", f"'{unit_id}' cannot be a unit id",
                                    "name unit folders with lower-case letters, digits and '-' (e.g. zrzyj)"))
            continue
        if f"{UNITS_DIR}/{unit_id}/{UNIT_FILE}" not in tree:
            problems.append(Problem(rel_dir, 1, 1, "", f"unit folder has no {UNIT_FILE}",
                                    f"add {rel_dir}/{UNIT_FILE} with the unit's name and type"))
        for rel_path in markdown[unit_id]:
            rel = rel_path.split("/")[2:]
            display = shown + rel_path
            name = rel[-1]
            if rel == [UNIT_FILE]:
                kind, slug = UNIT, unit_id
            elif len(rel) == 2 and rel[0] in kind_folders:
                kind, slug = kind_folders[rel[0]], name[:-len(".md")]
            elif len(rel) == 1 and rel[0] in kind_files:
                kind, slug = kind_files[rel[0]], name[:-len(".md")]
            else:
                problems.append(Problem(display, 1, 1, "", "not a place for content",
                                        f"put it in {rel_dir}/{folders}"))
                continue
            if not SLUG.match(slug):
                problems.append(Problem(display, 1, 1, "", f"'{name}' cannot be used in a web address",
                                        "name the file with letters, digits and '-' (e.g. 2020-gzyd.md)"))
                continue
            files.append(RecordFile(kind, display, rel_path, unit_id, slug))
    return files, problems


def assemble(catalog: Catalog, tree: ContentTree, records: list[tuple[Kind, Record]]) -> list[Problem]:
    """Everything that relates records to each other, then fills the Catalog with the published
    ones: flows, periods, index numbers, the cross-file rules, free pages, columns, reports,
    attachments. Deterministic in what it reads of the records (reads.py relies on it)."""
    problems: list[Problem] = []
    problems += _resolve_procedures(catalog, [r for _, r in records])
    enforcement.apply(catalog, [r for k, r in records if k is DECISION])  # before anything asks is_published
    problems += _assign_index_numbers([r for k, r in records if k is DOCUMENT],
                                      {r.unit_id: r for k, r in records if k is UNIT})
    problems += rules.check(catalog, records)
    problems += _check_free_pages(tree, catalog)
    # Only published records reach the catalog's collections (drafts never leave the build).
    # Records of a unit whose unit.md is missing or invalid stay out; that unit's problem is
    # already reported, and the catalog never holds an item without its unit.
    catalog.units = {r.unit_id: r for kind, r in records if kind is UNIT}
    for kind, record in records:
        if kind is not UNIT and record.unit_id in catalog.units and record.is_published(catalog.build_date):
            catalog.collections[kind.plural].append(record)
        elif kind is DOCUMENT:
            catalog.withhold(record)  # its attachments stay off the site, even when linked
    decisions = [r for k, r in records if k is DECISION and r.unit_id in catalog.units]
    catalog.withdrawals = enforcement.withdrawal_notices(decisions, catalog.build_date)
    catalog.decisions_made = enforcement.decisions_made(decisions, catalog.build_date)
    catalog.index()
    problems += report_rules.reconcile(catalog, [r for k, r in records if k is ANNUAL_REPORT])
    problems += enforcement.check_report_counts(catalog, [r for k, r in records if k is ANNUAL_REPORT])
    problems += enforcement.check_officers(catalog, [r for k, r in records if k is DECISION],
                                           [r for k, r in records if k is OFFICERS])
    catalog.disclosure = columns.fill_columns(catalog)
    problems += catalog.links_to_withheld()
    problems += _scan_attachments(catalog.content_dir, catalog)
    # Every deadline is judged as of the build date: its year is reached even before a decision
    # is (a county building in a year without a schedule learns it now), then every year the
    # rules reached.
    catalog.work_calendar.is_working_day(catalog.build_date)
    problems += missing_schedule_problems(catalog.work_calendar)
    return problems


def examine(catalog: Catalog, file: RecordFile) -> tuple[Record | None, list[Problem]]:
    """One record file on its own: read, placeholders, schema, sensitive scan, the procedure blocks
    of its body; bound and placed when valid. Depends on the file and the site-wide data only."""
    kind = file.kind
    content, problems = load_content_file(catalog.content_dir / file.rel, file.display)
    if content is None:
        return None, problems
    # 待填写 left by `gongkai new`: one error per field still to fill, not its schema echo.
    # (Only files that hold one are walked for them.)
    data, unfinished, names = (unfilled(content.data, content.source) if PLACEHOLDER in content.text
                               else (content.data, [], []))
    problems += unfinished
    record, schema_problems = validate(kind.schema, data, content.source)
    problems += [p for p in schema_problems if not covered(p.field, names)]
    # A decision is scanned as published unless a draft: its period is computed later, and one
    # that was on the site or will be must hold no ID or bank number either.
    problems += _scan_sensitive(catalog, content, kind.schema,
                                record is None or record.is_published(catalog.build_date)
                                or (kind is DECISION and not record.draft))
    if record is None:
        return None, problems
    content.source.rel = file.rel
    record.bind(content.source, file.unit_id, file.slug, content.body)
    record.place_at(kind.page_path(record))
    if "procedure" in content.body:
        problems += check_fences(content.body, file.display, content.source.body_line, catalog.templates)
    return record, problems


def _resolve_procedures(catalog: Catalog, records: list[Record]) -> list[Problem]:
    """Each record's procedure resolved against the templates into the flow its page draws, and
    checked: structure, and the longest path against the record's limits (a guide without its
    own limits has its power item's)."""
    problems: list[Problem] = []
    powers = {r.code: r for r in records if isinstance(r, PowerItem)}
    for record in records:
        if getattr(record, "procedure", None) is None:
            continue
        promised, statutory = record.promised_limit, record.statutory_limit
        linked = powers.get(getattr(record, "power", None) or "")
        if linked is not None:
            promised = promised if promised is not None else linked.promised_limit
            statutory = statutory if statutory is not None else linked.statutory_limit
        flow, found = check_procedure(record.procedure, catalog.templates, record.source,
                                      ("procedure",), promised, statutory)
        problems += found
        if flow is not None:
            catalog.flows[id(record)] = flow
    return problems


def _assign_index_numbers(documents: list[Document], units: dict[str, Unit]) -> list[Problem]:
    """索引号 = unit code / year - serial, for documents that do not give one.

    Serials count a unit's documents of a year in order of publication (then file name), skipping
    serials taken by explicit 索引号, so the same content always gets the same numbers and adding
    a newer document never renumbers older ones.
    """
    problems: list[Problem] = []
    groups: dict[tuple, list[Document]] = defaultdict(list)
    taken: set[str] = {reference_key(d.index_no) for d in documents if d.index_no}
    for doc in documents:
        if not doc.index_no:
            groups[(doc.unit_id, doc.published.year)].append(doc)
    for (unit_id, year), docs in sorted(groups.items()):
        unit = units.get(unit_id)
        if unit is None:
            continue  # the missing unit.md is reported once, for the folder
        if not unit.code:
            for doc in docs:
                problems.append(doc.source.problem(
                    ("index_no",), "no 索引号, and the unit has no code to make one",
                    f"add 'code:' to content/units/{unit_id}/unit.md, or give 'index_no:'"))
            continue
        serial = 0
        for doc in sorted(docs, key=lambda d: (d.published, d.slug)):
            while True:
                serial += 1
                candidate = f"{unit.code}/{year}-{serial:05d}"
                if reference_key(candidate) not in taken:
                    break
            doc.index_no = candidate
    return problems


def _scan_attachments(root: Path, catalog: Catalog) -> list[Problem]:
    """Every file published beside the records, and every static file MkDocs copies from content/
    (a CSV in content/files/ is published as surely as an attachment), reaches the site as it is:
    scan it too. Document attachments and static files that cannot be read (PDF, images) get a
    warning to check them by hand; a file a body links or embeds is scanned when it is text or an
    office file (an embedded image is not worth a warning). A missing one is reported by the
    rules; Markdown pages are records or free pages, scanned as such."""
    document_files = {catalog.attachment_path(doc, a) for doc in catalog.documents for a in doc.attachments}
    static = catalog.static_files()
    problems: list[Problem] = []
    for rel in sorted(catalog.published_files() | set(static)):
        path = root / rel
        suffix = path.suffix.lower()
        if rel.endswith(MARKDOWN_SUFFIXES):
            continue
        if suffix in attachments.ACTIVE_FILES or suffix in attachments.COMPRESSED_TWINS:
            problems.append(attachments.refused(_display(root, path), suffix))
            continue
        if (rel in document_files or rel in static or suffix in attachments.TEXT_FILES
                or suffix in attachments.OFFICE_FILES):
            problems += attachments.scan_attachment(path, _display(root, path))
    return problems + _output_collisions(root, catalog, static)


def _output_collisions(root: Path, catalog: Catalog, static: list[str]) -> list[Problem]:
    """Files published under names that differ only in case (files/A.csv, files/a.csv) overwrite
    each other once the site or the bundle is unpacked on a case-insensitive file system."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for rel in sorted(catalog.published_files() | set(static)):
        key = identifier_key(rel)
        if key in first:
            problems.append(Problem(_display(root, root / rel), 1, 1, "",
                                    f"published as the same file as {_display(root, root / first[key])} "
                                    "on a case-insensitive file system",
                                    "rename one of them (names may not differ only in case)"))
        first.setdefault(key, rel)
    return problems


def _check_free_pages(tree: ContentTree, catalog: Catalog) -> list[Problem]:
    """Free pages (Markdown outside units/) are MkDocs' own; only their procedure blocks are ours.
    Every Markdown suffix MkDocs renders is a page; hidden ones MkDocs leaves out."""
    problems: list[Problem] = []
    root = tree.root
    for rel in tree.under("", MARKDOWN_SUFFIXES):
        if rel.split("/", 1)[0] in (UNITS_DIR, VOCAB_DIR, TEMPLATES_DIR) or is_hidden(rel):
            continue
        path = tree.path(rel)
        display = _display(root, path)
        text, read_problems = read_text(path.read_bytes(), display)
        problems += read_problems
        if text is None:
            continue
        if "procedure" in text:
            problems += check_fences(text, display, 1, catalog.templates)
        problems += _scan_free_page(catalog, text, display, rel)
    return problems


def _scan_sensitive(catalog: Catalog, content, schema, published: bool) -> list[Problem]:
    """Sensitive-data findings of a content file. In a file that is not published (a draft, a
    document not 主动公开 …) they are warnings: nothing of it leaves the build, but it is in git."""
    source = content.source
    allowances, problems = sensitive_files.read_allowances(content.data, source.path, source.where)
    catalog.allowances += allowances
    problems += sensitive_files.scan_file(source.path, content.data, source.positions, content.text, content.body,
                                    source.body_line, allowances, lambda path: is_public_contact(schema, path),
                                    Severity.ERROR if published else Severity.WARNING,
                                    catalog.published_values if published else None)
    return problems + sensitive_files.unused(allowances)


def _scan_free_page(catalog: Catalog, text: str, display: str, rel: str) -> list[Problem]:
    """A free page is published as it is: its body and any front matter MkDocs reads as meta."""
    data, positions, body, body_line, problems = {}, {}, text, 1, []
    if text.startswith("---"):
        yaml_text, rest, rest_line, _ = split_front_matter(text, display)
        if yaml_text is not None:
            # Malformed meta is MkDocs' to report; what parses is scanned.
            parsed, parsed_positions, _ = parse_yaml(yaml_text, display, line_offset=2)
            if isinstance(parsed, dict):
                data, positions, body, body_line = parsed, parsed_positions, rest, rest_line
    catalog.free_pages.append((display, body, body_line))
    catalog.page_rels.append(rel)
    problems += read_free_page_date(catalog, rel, display, data, positions)
    source = Source(display, positions, body_line)
    allowances, allow_problems = sensitive_files.read_allowances(data, display, source.where)
    catalog.allowances += allowances
    problems += allow_problems
    problems += sensitive_files.scan_file(display, data, positions, text, body, body_line, allowances,
                                    lambda path: False, published=catalog.published_values)
    return problems + sensitive_files.unused(allowances)


def _is_names(data) -> bool:
    return isinstance(data, list) and all(isinstance(t, str) and t.strip() for t in data)


def _load_vocab(tree: ContentTree, name: str, valid, hint: str, locate=None) -> tuple[list, list[Problem]]:
    """A site-wide vocabulary in content/_vocab/: a YAML list, checked by `valid` — or, with
    `locate(data, positions, display)`, by the located problems it returns."""
    if f"{VOCAB_DIR}/{name}" not in tree:
        return [], []
    path = tree.path(f"{VOCAB_DIR}/{name}")
    display = _display(tree.root, path)
    text, problems = read_text(path.read_bytes(), display)
    if text is None:
        return [], problems
    data, positions, problems = parse_yaml(text, display, line_offset=1)
    if problems:
        return [], problems
    # Vocabularies reach pages and the search index: their words are scanned like any content.
    problems = sensitive_files.scan_file(display, data, positions, text, "", 1, [], lambda path: False)
    if data is None:
        return [], problems
    if locate is not None:
        found = locate(data, positions, display)
        return ([], problems + found) if found else (data, problems)
    if not isinstance(data, list) or not valid(data):
        return [], problems + [Problem(display, 1, 1, "", f"{name} is not a list in the expected form", hint)]
    return data, problems


def _display(root: Path, path: Path) -> str:
    """Paths in messages are relative to the directory holding content/, as editors see them."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()

