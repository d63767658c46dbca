"""法定主动公开内容: the statutory column tree of each disclosing body, filled from the Catalog.

A body that discloses is a unit with a 公开指南. Its columns are those of
content/_vocab/disclosure-columns.yml that apply to it (第二十条 for all, 第二十一条's county items
for county-level bodies, its township items for 乡镇); each column takes the body's own published
records (owned, or issued by it) that the column's selectors pick, or a document's `columns:`
override. All columns of all bodies fill in one pass over the records.

`gongkai check` reports, as warnings at the body's 公开指南, each empty column (空白栏目) and each
column whose newest item is older than its class's window (content/_vocab/disclosure.yml).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import Field

from ..primitives.frontmatter import Source, parse_yaml, read_text
from ..primitives.problems import Problem, Severity, did_you_mean
from ..primitives.tree import ContentTree
from ..schema.disclosure import ColumnSpec, DisclosureGuide, DisclosureSettings
from ..schema.fields import Schema
from ..schema.kinds import DISCLOSURE_GUIDE, DOCUMENT, Kind
from ..schema.records import Document, Record, Unit
from ..schema.validation import validate
from ..sensitive import files as sensitive_files

if TYPE_CHECKING:
    from .catalog import Catalog

COLUMNS_FILE = "_vocab/disclosure-columns.yml"
SETTINGS_FILE = "_vocab/disclosure.yml"
WARNING = Severity.WARNING
# The audit (国办秘函〔2019〕19号) fails a site outright with this many empty columns.
EMPTY_COLUMNS_FAIL = 5


class _ColumnFile(Schema):
    columns: list[ColumnSpec] = Field(min_length=1)


@dataclass
class Column:
    """One column of one body: its spec, its items newest first, and the newest date."""

    spec: ColumnSpec
    items: list[Record] = field(default_factory=list)
    declared_not_applicable: bool = False  # the body's guide says it has no such information
    newest: dt.date | None = None

    @property
    def not_applicable(self) -> bool:
        """Shown as 本机关不涉及: declared so, and truly without items. Items the body published are
        shown all the same (a guide copied from another body must not hide them); check warns."""
        return self.declared_not_applicable and not self.items

    def is_empty(self) -> bool:
        return not self.items and not self.not_applicable


@dataclass
class BodyColumns:
    """A disclosing body: its unit, its 公开指南 and its column tree."""

    unit: Unit
    guide: DisclosureGuide
    township: bool
    columns: list[Column]

    @property
    def empty(self) -> list[Column]:
        """Its empty columns (空白栏目): no information, and not declared not applicable."""
        return [c for c in self.columns if c.is_empty()]

    @property
    def index_page(self) -> str:
        return f"disclosure/columns/{self.unit.unit_id}/index.md"

    def column_page(self, column: Column) -> str:
        return f"disclosure/columns/{self.unit.unit_id}/{column.spec.slug}.md"


# --- loading the two vocabulary files -----------------------------------------------------------

def _read_yaml(tree: ContentTree, rel: str) -> tuple[object, Source | None, list[Problem]]:
    """A vocabulary file's data and positions (None when absent or unreadable), scanned like content."""
    if rel not in tree:
        return None, None, []
    path = tree.path(rel)
    display = path.relative_to(tree.root.parent).as_posix()
    text, problems = read_text(path.read_bytes(), display)
    if text is None:
        return None, None, problems
    data, positions, problems = parse_yaml(text, display, line_offset=1)
    if problems:
        return None, None, problems
    problems = sensitive_files.scan_file(display, data, positions, text, "", 1, [], lambda _: False)
    return data, Source(display, positions, 1, rel), problems


def load_disclosure(tree: ContentTree, catalog: Catalog) -> list[Problem]:
    """content/_vocab/disclosure.yml into catalog.disclosure_settings and disclosure-columns.yml into
    catalog.disclosure_columns; each problem located in its file. Without the files: the defaults
    and no columns (a site without 公开指南 needs neither)."""
    problems: list[Problem] = []
    data, source, found = _read_yaml(tree, SETTINGS_FILE)
    problems += found
    if source is not None:
        settings, found = validate(DisclosureSettings, data if data is not None else {}, source)
        problems += found
        if settings is not None:
            catalog.disclosure_settings = settings
            problems += _check_topics([("policies", "topics", k) for k in range(len(settings.policies.topics))],
                                      settings.policies.topics, source, catalog.topics)
    data, source, found = _read_yaml(tree, COLUMNS_FILE)
    problems += found
    if source is None:
        return problems
    # The file is a list of columns: validated as the field `columns` of one object, so that every
    # problem names the column's index and points at its line.
    source.positions = {("columns", *where): at for where, at in source.positions.items()}
    vocabulary, found = validate(_ColumnFile, {"columns": data}, source)
    problems += found
    if vocabulary is None:
        return problems
    numbers: dict[int, int] = {}
    names: dict[str, int] = {}
    for i, spec in enumerate(vocabulary.columns):
        if spec.number in numbers:
            problems.append(source.problem(("columns", i, "number"),
                                           f"column number {spec.number} is also column {numbers[spec.number]}'s",
                                           "number each column once"))
        numbers.setdefault(spec.number, i)
        for key in (spec.slug, spec.title):
            if key in names:
                problems.append(source.problem(("columns", i, "slug" if key == spec.slug else "title"),
                                               f"'{key}' is also the name of column {names[key]}",
                                               "give each column its own slug and title"))
            names.setdefault(key, i)
    places = [(("columns", i, "select", "documents", j, "topics", k), topic)
              for i, spec in enumerate(vocabulary.columns)
              for j, rule in enumerate(spec.select.documents) for k, topic in enumerate(rule.topics)]
    problems += _check_topics([p for p, _ in places], [t for _, t in places], source, catalog.topics)
    catalog.disclosure_columns = sorted(vocabulary.columns, key=lambda s: s.number)
    return problems


def _check_topics(places: list[tuple], values: list[str], source: Source, topics) -> list[Problem]:
    """A selector's 主题分类 (a column's, or the 公开制度's) is a category (一级, taking all its second
    levels) or a topic of content/_vocab/topics.yml (一级\\二级): a misspelt one would leave its
    column empty without a word."""
    if topics is None:
        return []  # no topic list: topics are free text (topics.py)
    categories = [c.name for c in topics.categories]
    problems: list[Problem] = []
    for place, topic in zip(places, values):
        if topic in categories or topics.is_valid(topic):
            continue
        hint = did_you_mean(topic, categories + topics.names, 0.5)
        problems.append(source.problem(
            place, f"'{topic}' is neither a category nor a topic of content/_vocab/topics.yml",
            hint or "write a first-level category (e.g. 综合政务) or a topic (e.g. 综合政务\\政务公开)"))
    return problems


# --- references to columns (a document's `columns:`, a guide's `not_applicable:`) ---------------

def _resolver(specs: list[ColumnSpec]):
    """ref → column number, by slug, number or exact title; None when unknown."""
    by_ref: dict[str, int] = {}
    for spec in specs:
        by_ref[spec.slug] = by_ref[str(spec.number)] = by_ref[spec.title] = spec.number
    return by_ref


def _check_refs(record: Record, field_name: str, refs: list[str], by_ref: dict[str, int],
                specs: list[ColumnSpec], problems: list[Problem]) -> None:
    for i, ref in enumerate(refs):
        if ref in by_ref:
            continue
        if not specs:
            problems.append(record.source.problem(
                (field_name, i), f"unknown column '{ref}': the site has no column list",
                f"list the columns in content/{COLUMNS_FILE}"))
            continue
        hint = did_you_mean(ref, [s.slug for s in specs] + [s.title for s in specs], 0.4)
        problems.append(record.source.problem(
            (field_name, i), f"unknown column '{ref}'",
            hint or "name a column by its slug or number in content/" + COLUMNS_FILE
            + " (" + ", ".join(f"{s.number} {s.slug}" for s in specs[:5]) + " …)"))


def check_disclosure(catalog: Catalog, records: list[tuple[Kind, Record]]) -> list[Problem]:
    """The cross-file rules of the section (drafts included): one 公开指南 per unit, and every column a
    document or a guide names exists."""
    problems: list[Problem] = []
    specs = catalog.disclosure_columns
    by_ref = _resolver(specs)
    # A column list that is there but did not load has its own errors: references to it wait.
    unchecked = not specs and COLUMNS_FILE in catalog.files
    first_guide: dict[str, Record] = {}
    for kind, record in sorted(records, key=lambda kr: kr[1].source.path):
        if kind is DISCLOSURE_GUIDE:
            if record.unit_id in first_guide:
                problems.append(record.source.problem(
                    (), f"a second 公开指南 for this unit; the first is {first_guide[record.unit_id].source.path}",
                    "a body has one 政府信息公开指南: merge them into one file"))
            first_guide.setdefault(record.unit_id, record)
            if record.updated > catalog.build_date:
                problems.append(record.source.problem(
                    ("updated",), f"更新日期 {record.updated.isoformat()} is after the build date "
                                  f"{catalog.build_date.isoformat()}",
                    "write the day the guide was last updated (a date to come would be a false 更新日期)"))
            if not unchecked:
                _check_refs(record, "not_applicable", record.not_applicable, by_ref, specs, problems)
        elif kind is DOCUMENT and record.columns and not unchecked:
            _check_refs(record, "columns", record.columns, by_ref, specs, problems)
    return problems


# --- filling the columns ------------------------------------------------------------------------

def fill_columns(catalog: Catalog) -> dict[str, BodyColumns]:
    """Every disclosing body's columns, filled in one pass over the published records."""
    settings: DisclosureSettings = catalog.disclosure_settings
    specs = catalog.disclosure_columns
    by_ref = _resolver(specs)
    bodies: dict[str, BodyColumns] = {}
    slots: dict[str, dict[int, Column]] = {}  # body → column number → its column
    for guide in catalog.of_kind(DISCLOSURE_GUIDE):
        unit = catalog.unit(guide.unit_id)
        if unit is None or unit.unit_id in bodies:
            continue
        township = unit.type in settings.township_types
        absent = {by_ref[ref] for ref in guide.not_applicable if ref in by_ref}
        columns = [Column(spec, declared_not_applicable=spec.number in absent)
                   for spec in specs if spec.applies_to(township)]
        bodies[unit.unit_id] = BodyColumns(unit, guide, township, columns)
        slots[unit.unit_id] = {c.spec.number: c for c in columns}
    if not bodies:
        return bodies

    # The mapping turned around: for each kind of record, the columns that take it.
    unit_columns = [s.number for s in specs if s.select.unit]
    guide_columns = [s.number for s in specs if s.select.guides]
    by_category: dict[str, list[int]] = defaultdict(list)
    by_notice_kind: dict[str, list[int]] = defaultdict(list)
    by_decision_kind: dict[str, list[int]] = defaultdict(list)
    document_rules = [(rule, s.number) for s in specs for rule in s.select.documents]
    for spec in specs:
        for category in spec.select.powers:
            by_category[category].append(spec.number)
        for notice_kind in spec.select.notices:
            by_notice_kind[notice_kind].append(spec.number)
        for decision_kind in spec.select.decisions:
            by_decision_kind[decision_kind].append(spec.number)

    def place(body: str, numbers, record: Record) -> None:
        columns = slots.get(body)
        if columns is None:
            return
        for number in numbers:
            column = columns.get(number)
            if column is not None:  # a column of another scope (a township's, for a county body) is not its
                column.items.append(record)

    for unit_id in bodies:
        place(unit_id, unit_columns, catalog.units[unit_id])
    for item in catalog.powers:
        place(item.unit_id, by_category.get(item.category, ()), item)
    for guide in catalog.guides:
        place(guide.unit_id, guide_columns, guide)
    for notice in catalog.notices:
        place(notice.unit_id, by_notice_kind.get(notice.kind, ()), notice)
    for decision in catalog.decisions:
        place(decision.unit_id, by_decision_kind.get(decision.kind, ()), decision)
    for doc in catalog.documents:
        if doc.columns:
            numbers = list(dict.fromkeys(by_ref[ref] for ref in doc.columns if ref in by_ref))
        else:
            numbers = list(dict.fromkeys(n for rule, n in document_rules if rule.matches(doc.topic, doc.genre)))
        for body in dict.fromkeys([doc.unit_id, *doc.issuers]):
            place(body, numbers, doc)

    for body in bodies.values():
        for column in body.columns:
            # Newest first by the date each record carries (its 发布日期, 更新日期 …); undated last.
            column.items.sort(key=lambda r: (r.own_date or dt.date.min, r.page), reverse=True)
            dates = [r.own_date for r in column.items if r.own_date is not None]
            column.newest = max(dates) if dates else None
    order = {unit_id: i for i, unit_id in enumerate(catalog.units)}  # the unit directory's order
    return dict(sorted(bodies.items(), key=lambda kv: order[kv[0]]))


def policy_documents(catalog: Catalog) -> list[Document]:
    """公开制度: the published documents the settings' `policies` selector takes, newest first."""
    rule = catalog.disclosure_settings.policies
    return [doc for doc in catalog.documents if rule.matches(doc.topic, doc.genre)]


# --- the freshness report -----------------------------------------------------------------------

def column_problems(catalog: Catalog) -> list[Problem]:
    """Warnings for empty columns (空白栏目) and stale ones, at each body's 公开指南, as of the build
    date. A column the body's guide lists as not applicable is neither."""
    problems: list[Problem] = []
    windows = catalog.disclosure_settings.freshness
    today = catalog.build_date
    empty_total = 0
    for body in catalog.disclosure.values():
        source = body.guide.source
        for column in body.columns:
            spec = column.spec
            name = f"column {spec.number:02d} {spec.slug} ({spec.title})"
            if column.declared_not_applicable and column.items:
                problems.append(source.problem(
                    ("not_applicable",), f"{name} is listed as not applicable but holds {len(column.items)} "
                                         "published item(s); they are shown in the column",
                    "take the column out of not_applicable", WARNING))
            if column.not_applicable:
                continue
            if not column.items:
                empty_total += 1
                problems.append(source.problem(
                    (), f"{name} is empty (空白栏目)",
                    "publish its information, or list the column under not_applicable if the body has none",
                    WARNING))
                continue
            window = windows.window(spec.freshness)
            if window is None:
                continue
            if column.newest is None:
                problems.append(source.problem(
                    (), f"{name} has no dated information (a {spec.freshness} column is updated within "
                        f"{window} days)", "information without a date counts as not updated", WARNING))
            elif (today - column.newest).days > window:
                problems.append(source.problem(
                    (), f"{name} was last updated on {column.newest.isoformat()}, {(today - column.newest).days} "
                        f"days before the build date {today.isoformat()} (a {spec.freshness} column is "
                        f"updated within {window} days)",
                    f"publish newer information, or change the window in content/{SETTINGS_FILE}", WARNING))
    if empty_total >= EMPTY_COLUMNS_FAIL:
        problems.append(Problem(
            f"{catalog.content_dir.name}/{COLUMNS_FILE}", 1, 1, "",
            f"{empty_total} empty columns (空白栏目) in the site: the audit fails a site with "
            f"{EMPTY_COLUMNS_FAIL} or more", "fill them, or mark those a body has nothing for as not_applicable",
            WARNING))
    return problems
