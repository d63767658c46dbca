"""The kinds of content: the one place a kind is declared.

A kind names its folder, its schema, its page template and its Chinese words; the loader, the
Catalog, the rules' counts, `gongkai new`, the search documents and the open data read them from
here. Adding a kind is an entry below, a schema in records.py and a page template in
themes/gongkai/gongkai/ (what the kind says in search and open data is declared beside those).

Where each kind lives in content/ (what editors commit):

    content/units/<unit>/unit.md           the unit (部门/单位)
    content/units/<unit>/<plural>/*.md     its records of each other kind: powers/, guides/, …
    content/units/<unit>/<file>            a kind a unit keeps one of, beside unit.md: officers.md
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .disclosure import DisclosureGuide
from .enforcement import EnforcementDecision
from .officers import OfficerList
from .records import Document, Notice, PowerItem, Record, ServiceGuide, Unit
from .report import AnnualReport

UNITS_DIR = "units"
UNIT_FILE = "unit.md"


@dataclass(frozen=True)
class Kind:
    name: str  # singular, in code: search documents' kind, `gongkai new NAME`
    plural: str  # the folder under a unit, the Catalog's collection, the open-data table, the counts' key
    label: str  # one record, in Chinese: search results and filters (权责事项)
    title: str  # all of them, in Chinese: the list page, the navigation, the open-data table (权责清单)
    schema: type[Record]
    template: str  # the page template, under themes/gongkai/
    counted: str  # after a number, in Chinese: '153 项权责事项' (gongkai check's summary)
    # The page's file name below the unit's folder for the kind, without .md.
    page_name: Callable[[Record], str] = lambda record: record.slug
    new: bool = True  # `gongkai new NAME` writes one
    # A kind a unit keeps one of: its file beside unit.md (officers.md), not a folder of files.
    file: str | None = None

    def page_path(self, record: Record) -> str:
        """The stable site path of a record's page (DESIGN principle 7): from its unit and its
        code or file name, so an address never changes with its title."""
        if self is UNIT:
            return f"{UNITS_DIR}/{record.unit_id}/index.md"
        return f"{UNITS_DIR}/{record.unit_id}/{self.plural}/{self.page_name(record)}.md"


def url_of(page: str) -> str:
    """units/x/index.md → units/x/; units/x/powers/A.md → units/x/powers/A/ (directory URLs)."""
    path = page[: -len(".md")]
    return path[: -len("index")] if path.endswith("index") else path + "/"


UNIT = Kind("unit", "units", "单位", "单位目录", Unit, "gongkai/unit.html", "个单位", new=False)
POWER = Kind("power", "powers", "权责事项", "权责清单", PowerItem, "gongkai/power.html", "项权责事项",
             page_name=lambda item: item.code)
GUIDE = Kind("guide", "guides", "办事指南", "办事指南", ServiceGuide, "gongkai/guide.html", "个办事指南")
# Documents are archived by year: units/<unit>/documents/<year>/<file>/.
DOCUMENT = Kind("document", "documents", "政策文件", "政策文件", Document, "gongkai/document.html", "份文件",
                page_name=lambda doc: f"{doc.published.year}/{doc.slug}")
NOTICE = Kind("notice", "notices", "公示公告", "公示公告", Notice, "gongkai/notice.html", "条公示公告")

# 政府信息公开指南: at most one per unit; a unit with one is a disclosing body (catalog/disclosure.py).
DISCLOSURE_GUIDE = Kind("disclosure_guide", "disclosure-guides", "公开指南", "政府信息公开指南", DisclosureGuide,
                        "gongkai/disclosure_guide.html", "份公开指南")
# One per body and year: units/<unit>/annual-reports/<year>/ (report.py).
ANNUAL_REPORT = Kind("annual_report", "annual-reports", "公开年报", "政府信息公开工作年度报告", AnnualReport,
                     "gongkai/annual_report.html", "份年度报告", page_name=lambda report: str(report.year))

# 行政执法公示: decisions archived by the year decided: units/<unit>/decisions/<year>/<file>/.
DECISION = Kind("decision", "decisions", "执法决定", "行政执法决定", EnforcementDecision, "gongkai/decision.html",
                "件执法决定", page_name=lambda d: f"{d.decided.year}/{d.slug}")

# 执法人员 (行政执法公示): one list per unit, units/<unit>/officers.md, paged at units/<unit>/officers/.
OFFICERS = Kind("officers", "officers", "执法人员", "执法人员名单", OfficerList, "gongkai/officers.html",
                "份执法人员名单", page_name=lambda officers: "index", new=False, file="officers.md")

KINDS: tuple[Kind, ...] = (UNIT, POWER, GUIDE, DOCUMENT, NOTICE, DISCLOSURE_GUIDE, ANNUAL_REPORT, DECISION, OFFICERS)
RECORD_KINDS = tuple(k for k in KINDS if k is not UNIT)  # the kinds a unit's folder holds
KIND_BY_NAME = {k.name: k for k in KINDS}
KIND_BY_PLURAL = {k.plural: k for k in KINDS}
