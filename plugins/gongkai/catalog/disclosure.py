"""The 政府信息公开 section: its front page, and each disclosing body's 法定主动公开内容 tree with a
page per column. (Each 公开指南 is a record page of its kind; 公开目录 and 年度报告 are pages of
their own under disclosure/catalog/ and disclosure/reports/, linked from here by path.)"""

from __future__ import annotations

from ..model import Catalog
from ..model.assembly.columns import policy_documents
from ..model.schema.kinds import KINDS
from .sitepage import SitePage

SECTION = "disclosure/index.md"
SECTION_TITLE = "政府信息公开"
CATALOG_PAGE = "disclosure/catalog/index.md"  # 政府信息公开目录
REPORTS_PAGE = "disclosure/reports/index.md"  # 政府信息公开工作年度报告

# A record's kind, by schema: the 类别 of a column's entries.
_LABEL_BY_SCHEMA = {kind.schema: kind.label for kind in KINDS}


def disclosure_pages(catalog: Catalog) -> list[SitePage]:
    """The section page, and per disclosing body its column tree and one page per column."""
    bodies = list(catalog.disclosure.values())
    policies = policy_documents(catalog)
    # 最后更新 of the section and of a tree: the newest of what they show — each body's 公开指南,
    # its columns' entries (the trees' 最新日期), the 公开制度 — never the build date.
    trees = {body.unit.unit_id: [body.guide, *(r for column in body.columns for r in column.items)]
             for body in bodies}
    pages = [SitePage(SECTION, SECTION_TITLE, "gongkai/disclosure.html",
                      {"bodies": bodies, "policies": policies,
                       "catalog_page": CATALOG_PAGE, "reports_page": REPORTS_PAGE},
                      dated=[*policies, *(r for tree in trees.values() for r in tree)])]
    for body in bodies:
        groups: dict[str, list] = {}
        for column in body.columns:  # 第二十条, then 第二十一条: the basis without its 第（N）项
            groups.setdefault(column.spec.basis.split("第（")[0], []).append(column)
        pages.append(SitePage(body.index_page, f"{body.unit.name}法定主动公开内容", "gongkai/disclosure_columns.html",
                              {"body": body, "groups": list(groups.items())}, dated=trees[body.unit.unit_id]))
        for column in body.columns:
            rows = [(record, _LABEL_BY_SCHEMA.get(type(record), ""), record.own_date) for record in column.items]
            # Every body has a column of this name: the page's title says whose it is.
            title = f"{column.spec.title}（{body.unit.short_name or body.unit.name}）"
            # An empty column (or one the body does not have) is as its 公开指南 declares it.
            pages.append(SitePage(body.column_page(column), title, "gongkai/disclosure_column.html",
                                  {"body": body, "column": column, "rows": rows},
                                  dated=list(column.items) or [body.guide]))
    return pages
