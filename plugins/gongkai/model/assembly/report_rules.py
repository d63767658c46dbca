"""The rules of the annual report (政府信息公开工作年度报告): its 勾稽 relations, its year and
file, its 第二部分 against the site's own documents, and the reports a body owes.

Two entry points:

- check(): with the cross-file rules (rules.check), over every report, drafts included — the
  勾稽 relations of 第三部分 and 第四部分, the year (not one still running), the file name, one
  report per body and year;
- reconcile(): once the Catalog is loaded (load_catalog) — 第二十条第（一）项 counted from the
  published documents, an entered count that differs is a warning with both; and, from the build
  date, a warning at each body whose report of last year is missing after its deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from ..primitives.dates import format_date
from ..primitives.problems import Problem, Severity
from ..schema.records import NORMATIVE_GENRES, RULE_GENRES, Document, Unit
from ..schema.report import (APPLICANT_COLUMNS, CARRIED_FORWARD, CARRIED_OVER, DOCUMENT_COUNTS, DOCUMENT_ROWS,
                             GROUPS, NEW, RESULTS, REVIEW_BLOCKS, REVIEW_COLUMNS, TOTAL, AnnualReport, Counted,
                             Group, line_label)

if TYPE_CHECKING:
    from .catalog import Catalog

WARNING = Severity.WARNING
FIRST_YEAR = 2021  # the 2021 format (国办公开办函〔2021〕30号) is the only one generated
# Which documents 第二十条第（一）项 counts, by 文种 (genre): records.py declares them.
GENRES = {"normative": NORMATIVE_GENRES, "rules": RULE_GENRES}
ENDED = ("失效", "废止", "已修订")  # 有效性 values of a document no longer in force
GUIDES = "disclosure-guides"  # the plural of the 公开指南 kind: a body with one owes a report


# --- the rules over every report, drafts included ----------------------------------------------
def check(reports: list[AnnualReport], build_date: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, int], AnnualReport] = {}
    # The file named by its year is the first of a body's reports of a year: a second one is the
    # misnamed copy.
    for report in sorted(reports, key=lambda r: (r.slug != str(r.year), r.source.path)):
        _check_year(report, build_date, problems)
        key = (report.unit_id, report.year)
        if key in seen:
            problems.append(report.source.problem(
                ("year",), f"a second report for {report.year}: {seen[key].source.path} is the first",
                "a body publishes one report a year: merge them, or correct 'year'"))
        seen.setdefault(key, report)
        problems += balance(report)
    return problems


def _check_year(report: AnnualReport, build_date: dt.date, problems: list[Problem]) -> None:
    year = report.year
    if report.slug != str(year):
        problems.append(report.source.problem(
            ("year",), f"the file is named {report.slug}.md, but the report is for {year}",
            f"name the file {year}.md (its page is …/annual-reports/{year}/), or correct 'year'"))
    if year < FIRST_YEAR:
        problems.append(report.source.problem(
            ("year",), f"the 2021 format applies to the reports of {FIRST_YEAR} on, not {year}",
            "publish an earlier report as a document"))
    # A report covers a whole year. One for a year after the build date's is an error (a year that
    # has not begun: a typing error); one for the build date's own year is premature unless it
    # is not published yet — a draft, or one dated (发布日期) after the build date, prepared ahead.
    if year > build_date.year:
        problems.append(report.source.problem(
            ("year",), f"the year {year} is in the future (the build date is {format_date(build_date)})",
            f"a report covers a year that has ended: the report on {build_date.year - 1} is due in {build_date.year}"))
    elif year == build_date.year and report.is_published(build_date):
        problems.append(report.source.problem(
            ("year",), f"the year {year} has not ended (the build date is {format_date(build_date)})",
            f"the report on {year} is published in {year + 1}; mark it 'draft: true' until then"))
    if report.published <= dt.date(year, 12, 31):
        problems.append(report.source.problem(
            ("published",), f"发布日期 {format_date(report.published)} is before the end of {year}, "
            "the year the report covers", f"a report on {year} is published from {year + 1}年1月1日 on"))


def _cells(row: list[int], columns: tuple[str, ...]) -> str:
    return " + ".join(f"{name} {value}" for name, value in zip(columns, row))


def balance(report: AnnualReport) -> list[Problem]:
    """The 勾稽 relations of 第三部分 and 第四部分: one problem per failing rule and column, at the
    cell the rule concludes in, naming both sides and their values."""
    problems: list[Problem] = []
    applications = report.applications
    where = ("applications",)

    # Every row: 总计 = 自然人 + the five kinds of 法人或其他组织.
    paths = [(row.key,) for row in (NEW, CARRIED_OVER)]
    for row in RESULTS:
        if isinstance(row, Group):
            paths += [(row.key, line.key) for line in row.lines]
            if applications.row((row.key, "subtotal")) is not None:
                paths.append((row.key, "subtotal"))
        else:
            paths.append((row.key,))
    paths.append((CARRIED_FORWARD.key,))
    for path in paths:
        values = applications.row(path)
        if values[6] != sum(values[:6]):
            problems.append(report.source.problem(
                (*where, *path, 6),
                f"{line_label(path)}: 总计 is {values[6]}, but its six columns add up to {sum(values[:6])} "
                f"({_cells(values[:6], APPLICANT_COLUMNS)})",
                "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他"))

    for column, name in enumerate(APPLICANT_COLUMNS):
        # A group's 小计, when written: the sum of its sub-rows.
        for group in GROUPS:
            subtotal = applications.row((group.key, "subtotal"))
            if subtotal is None:
                continue
            parts = [(line.label, applications.row((group.key, line.key))[column]) for line in group.lines]
            added = sum(v for _, v in parts)
            if subtotal[column] != added:
                problems.append(report.source.problem(
                    (*where, group.key, "subtotal", column),
                    f"{group.label}小计 is {subtotal[column]} in column {name}, but its sub-rows add up to {added} "
                    f"({' + '.join(f'{label} {v}' for label, v in parts)})",
                    f"{group.label} = the sum of its {len(group.lines)} sub-rows, per column"))
        # （七）总计 = （一）+（二）+（三）+（四）+（五）+（六）.
        parts = []
        for row in RESULTS[:-1]:
            value = applications.group_sum(row)[column] if isinstance(row, Group) else applications.row((row.key,))[column]
            parts.append((_short(row.label), value))
        added = sum(v for _, v in parts)
        total = applications.total[column]
        if total != added:
            problems.append(report.source.problem(
                (*where, TOTAL.key, column),
                f"{TOTAL.label} is {total} in column {name}, but （一）–（六） add up to {added} "
                f"({' + '.join(f'{label} {v}' for label, v in parts)})",
                "（七）总计 = （一）予以公开 + （二）部分公开 + （三）不予公开 + （四）无法提供 + （五）不予处理 "
                "+ （六）其他处理, per column (（三）–（六） as the sums of their sub-rows)"))
        # 一 + 二 = 三（七） + 四, per column: the format's own note.
        received = applications.new[column] + applications.carried_over[column]
        settled = total + applications.carried_forward[column]
        if received != settled:
            problems.append(report.source.problem(
                (*where, CARRIED_FORWARD.key, column),
                f"in column {name}, 一 + 二 = {applications.new[column]} + {applications.carried_over[column]} "
                f"= {received}, but 三（七）总计 + 四 = {total} + {applications.carried_forward[column]} = {settled}",
                "第一项加第二项之和，等于第三项加第四项之和: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度"))

    # 第四部分: each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
    for block in REVIEW_BLOCKS:
        values = getattr(report.reviews, block.key)
        if values[4] != sum(values[:4]):
            problems.append(report.source.problem(
                ("reviews", block.key, 4),
                f"{block.label}: 总计 is {values[4]}, but its four columns add up to {sum(values[:4])} "
                f"({_cells(values[:4], REVIEW_COLUMNS)})",
                "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"))
    return problems


def _short(label: str) -> str:
    """（二）部分公开（区分处理的，…） → （二）部分公开: the row's name without its note."""
    head, _, rest = label.partition("）")
    return head + "）" + rest.split("（", 1)[0]


# --- once the Catalog is loaded ----------------------------------------------------------------
def reconcile(catalog: Catalog, reports: list[AnnualReport]) -> list[Problem]:
    """Name each report's body, count its 第二十条第（一）项 from the published documents (drafts
    included, so an editor sees a draft's differences too), and warn where an entered count differs
    and where a body's report of last year is missing."""
    problems: list[Problem] = []
    documents = _documents_by_issuer(catalog)
    for report in reports:
        unit = catalog.unit(report.unit_id)
        if unit is None:
            continue  # the unit folder's missing unit.md is reported for the folder
        report.name_body(unit.name)
        for row in DOCUMENT_ROWS:
            counted = count_documents(catalog, documents[row.key].get(report.unit_id, []), report.year)
            report.count(row.key, counted)
            problems += _compare(report, row, counted)
    problems += missing_reports(catalog)
    return problems


def _documents_by_issuer(catalog: Catalog) -> dict[str, dict[str, list[Document]]]:
    """{row: {unit id: documents}}: the published documents of each row's 文种 by each of their
    发布机构 (the owning unit when a document names none). One pass over the documents."""
    found: dict[str, dict[str, list[Document]]] = {row: defaultdict(list) for row in GENRES}
    for doc in catalog.documents:
        for row, genres in GENRES.items():
            if (doc.genre or "").strip() in genres:
                for issuer in doc.issuers or [doc.unit_id]:
                    found[row][issuer].append(doc)
    return found


def ended_on(catalog: Catalog, doc: Document) -> dt.date | None:
    """The day a document stopped being in force, when the site knows it: its 失效日期 (the first
    day it is 失效), else the day the document that repealed or superseded it took effect: its
    实施日期, or its 发布日期 when it gives none."""
    if doc.expires:
        return doc.expires
    successor = catalog.successor_of(doc)
    return (successor.effective or successor.published) if successor is not None else None


def count_documents(catalog: Catalog, documents: list[Document], year: int) -> Counted:
    """本年制发件数 (published in the year), 本年废止件数 (stopped being in force in the year) and
    现行有效件数 (published by 12月31日 and still in force that day; a document the site marks
    失效/废止/已修订 without a date it stopped is not counted as in force)."""
    last_day = dt.date(year, 12, 31)
    issued, repealed, in_force = [], [], []
    for doc in documents:
        if doc.published.year == year:
            issued.append(doc)
        end = ended_on(catalog, doc)
        if end is not None and end.year == year:
            repealed.append(doc)
        if doc.published <= last_day:
            if (end is None and doc.validity not in ENDED) or (end is not None and end > last_day):
                in_force.append(doc)
    order = lambda d: (d.published, d.doc_no or d.title)  # noqa: E731
    return Counted(*(tuple(sorted(docs, key=order)) for docs in (issued, repealed, in_force)))


def _names(documents: tuple) -> str:
    return "、".join(d.doc_no or f"《{d.title}》" for d in documents) or "none"


def _compare(report: AnnualReport, row, counted: Counted) -> list[Problem]:
    problems = []
    for count in DOCUMENT_COUNTS:
        entered = getattr(getattr(report.proactive, row.key), count.key)
        if entered is None or entered == counted.value(count.key):
            continue
        problems.append(report.source.problem(
            ("proactive", row.key, count.key),
            f"{row.label} {count.label}: entered {entered}, but the site's documents count "
            f"{counted.value(count.key)}",
            f"counted ({row.label} of {report.year}): {_names(getattr(counted, count.key))}; correct the number, "
            "or leave it out to show the count", WARNING))
    return problems


def deadline(unit: Unit, year: int, government_types: list[str]) -> dt.date:
    """When a body's report on `year` is due (条例第四十九、五十条): the government's by 3月31日 (its
    unit types: disclosure.yml `government_types`), every other body's (departments, and townships,
    which report to the county) by 1月31日."""
    return dt.date(year + 1, 3, 31) if unit.type in government_types else dt.date(year + 1, 1, 31)


def missing_reports(catalog: Catalog) -> list[Problem]:
    """A warning at the unit.md of each body that owes last year's report and has not published it
    after its deadline. A body owes one when it has a 公开指南 or reported on an earlier year."""
    last_year = catalog.build_date.year - 1
    problems = []
    reports = catalog.collections.get("annual-reports", [])
    years: dict[str, set[int]] = defaultdict(set)
    for report in reports:
        years[report.unit_id].add(report.year)
    for unit in catalog.units.values():
        has_guide = bool(catalog.of_unit(unit.unit_id, GUIDES))
        earlier = sorted(y for y in years[unit.unit_id] if y < last_year)
        if not (has_guide or earlier) or last_year in years[unit.unit_id]:
            continue
        due = deadline(unit, last_year, catalog.disclosure_settings.government_types)
        if catalog.build_date <= due:
            continue
        why = "it has a 公开指南" if has_guide else f"it reported on {earlier[-1]}"
        problems.append(Problem(
            unit.source.path, 1, 1, "",
            f"no published {last_year}年 政府信息公开工作年度报告: it was due by {format_date(due)} ({why})",
            _publish_hint(catalog, unit.unit_id, last_year), WARNING))
    return problems


def _publish_hint(catalog: Catalog, unit_id: str, year: int) -> str:
    """Add the file, or, when it is there (a draft, dated later, or with errors reported at it),
    publish it: never ask for a file that exists."""
    rel = f"units/{unit_id}/annual-reports/{year}.md"
    if rel in catalog.files:
        return (f"content/{rel} is not published: correct its errors, take out 'draft: true' or check "
                "its 发布日期")
    return f"add content/{rel}"
