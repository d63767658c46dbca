"""The annual reports (政府信息公开工作年度报告) as one long open-data table: a row per number, with
the body, the year, the part, the row and the column named as the 2021 format names them — the
shape an auditor filters or pivots in a spreadsheet (all bodies' 不予公开 of a year, one body's
years side by side). Only published reports (the Catalog's) are in it; drafts never are."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Catalog
from ..model.schema.kinds import ANNUAL_REPORT
from ..model.schema.report import (APPLICANT_COLUMNS, APPLICANT_ORGANISATIONS, DOCUMENT_COUNTS, DOCUMENT_ROWS,
                                   ENFORCEMENT_ROWS, FEES, LICENSING, LITIGATION_LABEL, REVIEW_BLOCKS,
                                   REVIEW_COLUMNS, AnnualReport, applications_table)

PARTS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "六、其他需要报告的事项")
ENTERED, COUNTED = "填报", "按网站文件统计"


@dataclass(frozen=True)
class ReportValue:
    """One number of one report."""

    report: AnnualReport
    part: str
    row: str
    column: str
    value: Any
    source: str = ENTERED

    @property
    def page(self) -> str:
        return self.report.page

    @property
    def unit_id(self) -> str:
        return self.report.unit_id


def _number(value: int | Decimal) -> int | float:
    """Counts as integers, amounts as decimals (JSON has no Decimal)."""
    return int(value) if value == int(value) else float(value)


def _applicant_column(i: int) -> str:
    name = APPLICANT_COLUMNS[i]
    return f"法人或其他组织 {name}" if name in APPLICANT_ORGANISATIONS and 0 < i < 6 else name


def report_values(catalog: Catalog) -> list[ReportValue]:
    """Every number of every published report, reports in the Catalog's order, numbers in the
    format's order."""
    values: list[ReportValue] = []
    for report in catalog.of_kind(ANNUAL_REPORT):
        part = PARTS[0]
        for row in DOCUMENT_ROWS:
            entered = getattr(report.proactive, row.key)
            for count in DOCUMENT_COUNTS:
                source = ENTERED if getattr(entered, count.key) is not None else COUNTED
                values.append(ReportValue(report, part, f"第二十条第（一）项 {row.label}", count.label,
                                          report.document_count(row.key, count.key), source))
        values.append(ReportValue(report, part, f"第二十条第（五）项 {LICENSING.label}", "本年处理决定数量",
                                  report.proactive.licensing))
        for row in ENFORCEMENT_ROWS:
            values.append(ReportValue(report, part, f"第二十条第（六）项 {row.label}", "本年处理决定数量",
                                      getattr(report.proactive, row.key)))
        values.append(ReportValue(report, part, f"第二十条第（八）项 {FEES.label}", "本年收费金额（单位：万元）",
                                  _number(report.proactive.fees)))
        part = PARTS[1]
        spanning: list = []  # the row labels over this row, with the rows each still spans
        for row in applications_table(report.applications):
            spanning = [(cell, left - 1) for cell, left in spanning if left > 1]
            spanning += [(cell, cell.rowspan) for cell in row.opens]
            label = " ".join(cell.label for cell, _ in spanning)
            for i, (value, _) in enumerate(row.cells):
                values.append(ReportValue(report, part, label, _applicant_column(i), value))
        part = PARTS[2]
        for block in REVIEW_BLOCKS:
            prefix = "" if block is REVIEW_BLOCKS[0] else f"{LITIGATION_LABEL} "
            for name, value in zip(REVIEW_COLUMNS, getattr(report.reviews, block.key)):
                values.append(ReportValue(report, part, f"{prefix}{block.label}", name, value))
        values.append(ReportValue(report, PARTS[3], "信息处理费", "收取金额（元）", _number(report.processing_fees)))
    return values

