"""Cross-file rules: what a single file's schema cannot know (uniqueness, references, limits).

Each rule appends located problems; none raises. Rules see every record, drafts included, so an
editor learns about a broken draft before publishing it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from . import procedure
from .problems import Problem, Severity
from .schema import Document, Notice, PowerItem, Record, ServiceGuide, Unit
from .text import canonical_doc_no, doc_no_key, normalize
from .validation import did_you_mean

if TYPE_CHECKING:
    from .catalog import Catalog

WARNING = Severity.WARNING


def is_published(record: Record, today: dt.date) -> bool:
    """Drafts, non-public documents and documents dated after the build date stay out."""
    if getattr(record, "draft", False):
        return False
    if isinstance(record, Document):
        return record.disclosure == "主动公开" and record.published <= today
    if isinstance(record, Notice) and record.published:
        return record.published <= today
    return True


def reference_key(ref: str) -> str:
    return normalize(doc_no_key(ref))


def document_keys(doc: Document) -> list[str]:
    return [reference_key(k) for k in (doc.doc_no, doc.index_no) if k]


def notice_end(notice: Notice) -> dt.date:
    if notice.end:
        return notice.end
    return notice.start + dt.timedelta(days=(notice.period_days or 1) - 1)


def check(catalog: Catalog, records: list[tuple[str, Record]]) -> list[Problem]:
    problems: list[Problem] = []
    by_kind: dict[str, list] = defaultdict(list)
    for kind, record in records:
        by_kind[kind].append(record)
    units = {u.unit_id: u for u in by_kind["unit"]}
    _check_units(units, catalog.unit_types, problems)
    _check_powers(by_kind["powers"], units, problems)
    _check_guides(by_kind["guides"], {p.code for p in by_kind["powers"]}, problems)
    _check_documents(by_kind["documents"], units, catalog, problems)
    _check_notices(by_kind["notices"], problems)
    _check_procedures(catalog, records, problems)
    return problems


def _check_procedures(catalog: Catalog, records: list[tuple[str, Record]], problems: list[Problem]) -> None:
    """Procedures in power items and guides, and ```procedure blocks in any body text."""
    templates, template_problems = procedure.load_templates(catalog.content_dir)
    problems += template_problems
    catalog.templates = templates
    powers = {r.code: r for kind, r in records if kind == "powers"}
    for kind, record in records:
        if getattr(record, "procedure", None) is not None:
            promised, statutory = record.promised_limit, record.statutory_limit
            linked = powers.get(getattr(record, "power", None) or "")
            if linked is not None:  # a guide without its own limits inherits its item's
                promised = promised if promised is not None else linked.promised_limit
                statutory = statutory if statutory is not None else linked.statutory_limit
            flow, found = procedure.check_procedure(record.procedure, templates, record.source,
                                                    ("procedure",), promised, statutory)
            problems += found
            if flow is not None:
                catalog.flows[id(record)] = flow
        problems += check_fences(record.body, record.source.path, record.source.body_line, templates)


def check_fences(body: str, path: str, body_line: int, templates: dict) -> list[Problem]:
    found: list[Problem] = []
    for line, text in procedure.fenced_procedures(body):
        parsed, source, problems = procedure.parse_fence(text, path, body_line + line)
        found += problems
        if parsed is not None:
            found += procedure.check_procedure(parsed, templates, source, ())[1]
    return found


def _unknown_unit(record: Record, field: tuple, unit_id: str, units: dict, problems: list) -> None:
    hint = did_you_mean(unit_id, units) or "a unit is named by its folder under content/units/"
    problems.append(record.source.problem(field, f"unknown unit '{unit_id}'", hint))


def _check_units(units: dict[str, Unit], unit_types: list[str], problems: list[Problem]) -> None:
    codes: dict[str, Unit] = {}
    for unit_id, unit in units.items():
        if unit.type not in unit_types:
            hint = did_you_mean(unit.type, unit_types, 0.3) or "unit types are listed in content/_vocab/unit-types.yml"
            problems.append(unit.source.problem(("type",), f"'{unit.type}' is not a unit type", hint))
        for i, parent in enumerate(unit.parents):
            if parent == unit_id:
                problems.append(unit.source.problem(("parents", i), "a unit cannot be its own parent"))
            elif parent not in units:
                _unknown_unit(unit, ("parents", i), parent, units, problems)
        if unit.code:
            if unit.code in codes:
                other = codes[unit.code]
                problems.append(unit.source.problem(
                    ("code",), f"unit code '{unit.code}' is also used by {other.source.path}",
                    "a unit code makes 索引号 unique: give each unit its own"))
            codes.setdefault(unit.code, unit)
    # Parent cycles make the directory tree endless; report each unit on a cycle once.
    for unit_id, unit in units.items():
        seen, todo = set(), list(unit.parents)
        while todo:
            current = todo.pop()
            if current == unit_id:
                problems.append(unit.source.problem(("parents",), "parents form a cycle back to this unit"))
                break
            if current in seen or current not in units:
                continue
            seen.add(current)
            todo.extend(units[current].parents)


def _check_limits(record, problems: list[Problem]) -> None:
    if record.statutory_limit is not None and record.promised_limit is not None:
        if record.promised_limit > record.statutory_limit:
            problems.append(record.source.problem(
                ("promised_limit",),
                f"承诺时限 {record.promised_limit} working days is longer than 法定时限 {record.statutory_limit}",
                "the promised limit may not exceed the statutory one"))


def _check_powers(powers: list[PowerItem], units: dict[str, Unit], problems: list[Problem]) -> None:
    first: dict[str, PowerItem] = {}
    for item in sorted(powers, key=lambda p: p.source.path):
        if item.code in first:
            problems.append(item.source.problem(
                ("code",), f"duplicate code '{item.code}', first used in {first[item.code].source.path}",
                "事项编码 must be unique in the site"))
        first.setdefault(item.code, item)
        _check_limits(item, problems)
        unit = units.get(item.unit_id)
        if item.handled_by and unit is not None:
            names = [u.name for u in unit.internal_units]
            if item.handled_by not in names:
                hint = did_you_mean(item.handled_by, names, 0.3) or (
                    f"list it under internal_units in {unit.source.path}" if names else
                    f"{unit.source.path} lists no internal_units")
                problems.append(item.source.problem(
                    ("handled_by",), f"'{item.handled_by}' is not an internal unit of {unit.name}", hint, WARNING))
        dates = [change.date for change in item.status]
        if dates != sorted(dates):
            problems.append(item.source.problem(("status",), "status changes are not in date order",
                                                "list them oldest first", WARNING))


def _check_guides(guides: list[ServiceGuide], codes: set[str], problems: list[Problem]) -> None:
    for guide in guides:
        _check_limits(guide, problems)
        if guide.power and guide.power not in codes:
            problems.append(guide.source.problem(
                ("power",), f"unknown power item '{guide.power}'", did_you_mean(guide.power, codes) or
                "give the 事项编码 (code) of a power item"))


def _check_documents(documents: list[Document], units: dict[str, Unit], catalog: Catalog,
                     problems: list[Problem]) -> None:
    _assign_index_numbers(documents, units, problems)
    seen_no: dict[str, Document] = {}
    seen_index: dict[str, Document] = {}
    seen_issue: dict[tuple, Document] = {}
    for doc in sorted(documents, key=lambda d: d.source.path):
        if doc.doc_no:
            canonical = canonical_doc_no(doc.doc_no)
            if canonical is None:
                problems.append(doc.source.problem(
                    ("doc_no",), f"'{doc.doc_no}' is not a 文号",
                    "write 机关代字〔年份〕序号号, e.g. 定府发〔2020〕1号"))
            elif canonical != doc.doc_no:
                problems.append(doc.source.problem(
                    ("doc_no",), f"'{doc.doc_no}' is not written in the standard form",
                    f"write {canonical}", WARNING))
            key = reference_key(doc.doc_no)
            if key in seen_no:
                problems.append(doc.source.problem(
                    ("doc_no",), f"文号 '{doc.doc_no}' is also used by {seen_no[key].source.path}"))
            seen_no.setdefault(key, doc)
        if doc.index_no:
            key = reference_key(doc.index_no)
            if key in seen_index:
                problems.append(doc.source.problem(
                    ("index_no",), f"索引号 '{doc.index_no}' is also used by {seen_index[key].source.path}"))
            seen_index.setdefault(key, doc)
        if doc.series and doc.issue:
            key = (doc.series, doc.issue)
            if key in seen_issue:
                problems.append(doc.source.problem(
                    ("issue",), f"{doc.series} 第{doc.issue}期 is also {seen_issue[key].source.path}"))
            seen_issue.setdefault(key, doc)
        elif doc.issue and not doc.series:
            problems.append(doc.source.problem(("issue",), "an issue number needs a series", "add 'series:'"))
        for i, issuer in enumerate(doc.issuers):
            if issuer not in units:
                _unknown_unit(doc, ("issuers", i), issuer, units, problems)
        if doc.written and doc.written > doc.published:
            problems.append(doc.source.problem(("written",), "成文日期 is after 发布日期"))
        if doc.effective and doc.expires and doc.expires < doc.effective:
            problems.append(doc.source.problem(("expires",), "失效日期 is before 实施日期"))
        if doc.repealed_by and doc.validity == "有效":
            problems.append(doc.source.problem(
                ("validity",), "a document with repealed_by cannot be 有效", "set validity: 废止"))
        for i, attachment in enumerate(doc.attachments):
            target = (catalog.content_dir.parent / doc.source.path).parent / attachment.file
            if not target.is_file():
                problems.append(doc.source.problem(
                    ("attachments", i, "file"), f"attachment '{attachment.file}' not found",
                    "give the path relative to this document file"))
    keys = {k for d in documents for k in document_keys(d)}
    for doc in documents:
        refs = [("amends", i, r) for i, r in enumerate(doc.amends)]
        refs += [("supersedes", i, r) for i, r in enumerate(doc.supersedes)]
        if doc.repealed_by:
            refs.append(("repealed_by", None, doc.repealed_by))
        for field, index, ref in refs:
            if reference_key(ref) not in keys:
                where = (field,) if index is None else (field, index)
                problems.append(doc.source.problem(
                    where, f"unknown document '{ref}'",
                    "refer to a document in the archive by its 文号 or 索引号"))


def _assign_index_numbers(documents: list[Document], units: dict[str, Unit], problems: list[Problem]) -> None:
    """索引号 = unit code / year - serial, for documents that do not give one.

    Serials count a unit's documents of a year in order of publication (then file name), skipping
    serials taken by explicit 索引号, so the same content always gets the same numbers and adding
    a newer document never renumbers older ones.
    """
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


def _check_notices(notices: list[Notice], problems: list[Problem]) -> None:
    for notice in notices:
        if notice.end is None and notice.period_days is None:
            problems.append(notice.source.problem(
                ("end",), "a notice needs an end date or a period", "add 'end:' or 'period_days:'"))
        elif notice.end and notice.end < notice.start:
            problems.append(notice.source.problem(("end",), "the end date is before the start date"))
        elif notice.end and notice.period_days and (
                notice.start + dt.timedelta(days=notice.period_days - 1) != notice.end):
            problems.append(notice.source.problem(
                ("period_days",), f"a period of {notice.period_days} days from {notice.start} does not end on {notice.end}",
                "give either end or period_days", WARNING))
