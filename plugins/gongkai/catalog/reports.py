"""The list of the annual reports (政府信息公开工作年度报告): by year, newest first, then by body in
the unit directory's order. The 政府信息公开 section links to it; it is not in the navigation."""

from __future__ import annotations

from collections import defaultdict

from ..model import Catalog
from ..model.schema.kinds import ANNUAL_REPORT

REPORTS_PAGE = "disclosure/reports/index.md"
REPORTS_TEMPLATE = "gongkai/annual_reports.html"


def reports_by_year(catalog: Catalog) -> list[tuple[int, list]]:
    """[(year, reports)], newest year first; within a year, bodies in the unit directory's order."""
    order = {unit_id: i for i, unit_id in enumerate(catalog.units)}
    years: dict[int, list] = defaultdict(list)
    for report in catalog.of_kind(ANNUAL_REPORT):
        years[report.year].append(report)
    return [(year, sorted(years[year], key=lambda r: (order[r.unit_id], r.unit_id)))
            for year in sorted(years, reverse=True)]
