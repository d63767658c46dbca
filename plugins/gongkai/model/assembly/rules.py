"""Cross-file rules: what a single file's schema cannot know (uniqueness, references, limits).

Each rule appends located problems; none raises. Rules see every record, drafts included, so an
editor learns about a broken draft before publishing it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from ..primitives.problems import Problem, Severity, did_you_mean
from ..primitives.text import canonical_doc_no, identifier_key, reference_key
from ..primitives.tree import inside
from ..schema.kinds import ANNUAL_REPORT, DECISION, DOCUMENT, GUIDE, NOTICE, OFFICERS, POWER, UNIT, Kind
from .columns import check_disclosure
from ..schema.records import Document, Notice, PowerItem, Record, ServiceGuide, Unit
from . import enforcement, officers, report_rules
from ..schema.topics import check_topics
from .interpretation import check_interpretations, interpretation_required, missing_interpretations

if TYPE_CHECKING:
    from .catalog import Catalog

WARNING = Severity.WARNING


def check(catalog: Catalog, records: list[tuple[Kind, Record]]) -> list[Problem]:
    """Every cross-file problem of the records (drafts included). Reads the catalog's vocabularies
    and templates; changes nothing."""
    problems: list[Problem] = []
    by_kind: dict[Kind, list] = defaultdict(list)
    for kind, record in records:
        by_kind[kind].append(record)
    units = {u.unit_id: u for u in by_kind[UNIT]}
    _check_units(units, catalog.unit_types, problems)
    _check_powers(by_kind[POWER], units, problems)
    _check_guides(by_kind[GUIDE], {p.code for p in by_kind[POWER]}, problems)
    _check_documents(by_kind[DOCUMENT], units, catalog, problems)
    problems += check_topics(by_kind[DOCUMENT], catalog.topics)
    problems += check_interpretations(by_kind[DOCUMENT], catalog.build_date)
    problems += missing_interpretations(by_kind[DOCUMENT], catalog.build_date, interpretation_required(catalog))
    _check_notices(by_kind[NOTICE], problems)
    problems += report_rules.check(by_kind[ANNUAL_REPORT], catalog.build_date)
    _check_pages(records, problems)
    _check_body_links(catalog, [r for _, r in records], problems)
    problems += check_disclosure(catalog, records)
    problems += enforcement.check(catalog, by_kind[DECISION], {p.code: p for p in by_kind[POWER]})
    problems += officers.check(by_kind[OFFICERS], units, catalog.build_date)
    return problems


def _check_pages(records: list[tuple[Kind, Record]], problems: list[Problem]) -> None:
    """Two records whose pages differ only in case (guides/A.md, guides/a.md) overwrite each
    other once the site or the bundle is unpacked on a case-insensitive file system (Windows,
    macOS). A power item's page is named by its code, an annual report's by its year: their own
    rules report those."""
    first: dict[str, Record] = {}
    for kind, record in sorted(records, key=lambda kr: kr[1].source.path):
        if kind is POWER or kind is ANNUAL_REPORT:
            continue
        key = identifier_key(record.page)
        if key in first:
            problems.append(Problem(record.source.path, 1, 1, "",
                                    f"its page {record.page} is also the page of {first[key].source.path} "
                                    "on a case-insensitive file system",
                                    "rename one of the files (names may not differ only in case)"))
        first.setdefault(key, record)


def _check_body_links(catalog: Catalog, records: list[Record], problems: list[Problem]) -> None:
    """A body's link to a file publishes that file (Catalog.published_files): one written as an
    absolute path or leaving content/ is an error, never followed. (A link from the site's root,
    /x, breaks in the offline bundle and under a sub-path anyway.)"""
    for record in records:
        for link in record.body_links:
            if link.path is None:
                problems.append(Problem(
                    record.source.path, record.source.body_line + link.line, link.column, "",
                    f"link '{link.target}' is an absolute path or leaves the content folder",
                    "link a file in content/ relative to this file (e.g. files/附件1.pdf)"))


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
            key = identifier_key(unit.code)
            if key in codes:
                other = codes[key]
                problems.append(unit.source.problem(
                    ("code",), f"unit code '{unit.code}' is also used by {other.source.path}",
                    "a unit code makes 索引号 unique: give each unit its own"))
            codes.setdefault(key, unit)
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
        # Compared as identifier_key: 'zrj-xk-001' is ZRJ-XK-001's page on a case-insensitive file
        # system, and one with a zero-width space reads the same.
        key = identifier_key(item.code)
        if key in first:
            other = first[key]
            same = "" if other.code == item.code else f" (looks like '{other.code}')"
            problems.append(item.source.problem(
                ("code",), f"duplicate code '{item.code}'{same}, first used in {other.source.path}",
                "事项编码 must be unique in the site, also ignoring case and invisible characters"))
        first.setdefault(key, item)
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
            # Only regular files inside content/ are read or published (a link is not one).
            target = inside(doc.source.rel, attachment.file)
            if target is None:
                problems.append(doc.source.problem(
                    ("attachments", i, "file"), f"attachment '{attachment.file}' is an absolute path or leaves the content folder",
                    "give the path relative to this document file, inside content/"))
            elif target not in catalog.files:
                problems.append(doc.source.problem(
                    ("attachments", i, "file"), f"attachment '{attachment.file}' not found",
                    "give the path relative to this document file"))
    keys = {k for d in documents for k in d.reference_keys}
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
