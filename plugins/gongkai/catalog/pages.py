"""The pages the site is made of: one per record, plus the generated lists and indexes.

Every page is a virtual MkDocs file (never written into content/); its template in
themes/gongkai/gongkai/ renders the record or list handed to it as `gk`.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

from ..model import Catalog
from ..model.schema import KINDS, POWER_CATEGORIES, RECORD_KINDS, Kind, Record
from ..model.schema.kinds import ANNUAL_REPORT, DOCUMENT, GUIDE, NOTICE, POWER, UNIT
from ..search.documents import search_documents
from .reports import REPORTS_PAGE, REPORTS_TEMPLATE, reports_by_year
from .directory import TEMPLATE as DIRECTORY_TEMPLATE, directory_pages
from .sitemap import SITEMAP_PAGE, TEMPLATE as SITEMAP_TEMPLATE, TITLE as SITEMAP_TITLE, sitemap_data
from .disclosure import disclosure_pages
from .enforcement import OVERVIEW as ENFORCEMENT_PAGE, OVERVIEW_TITLE as ENFORCEMENT_TITLE, enforcement_pages
from .sitepage import SitePage

VALIDITY_SLUGS = {"有效": "valid", "失效": "expired", "废止": "repealed", "已修订": "revised"}


def record_page(kind: Kind, record: Record, **data: Any) -> SitePage:
    """A record's own page: its kind's template renders it as `gk.record` (with any extra data)."""
    return SitePage(record.page, record.page_title, kind.template, {"record": record, **data}, record.body)


def plan_pages(catalog: Catalog) -> list[SitePage]:
    pages: list[SitePage] = []
    pages.append(SitePage("units/index.md", UNIT.title, "gongkai/units.html",
                          {"groups": unit_groups(catalog)}))
    for unit in catalog.units.values():
        powers = catalog.of_unit(unit.unit_id, POWER.plural)
        by_category: dict[str, list] = defaultdict(list)
        for item in powers:
            by_category[item.category].append(item)
        categories = [(c, by_category[c]) for c in catalog.categories(powers) if by_category[c]]
        pages.append(record_page(UNIT, unit, categories=categories))
    for kind in RECORD_KINDS:
        pages += [record_page(kind, record) for record in catalog.of_kind(kind)]

    pages.append(SitePage("powers/index.md", POWER.title, "gongkai/powers.html", {"items": catalog.powers}))
    pages.append(SitePage("guides/index.md", GUIDE.title, "gongkai/guides.html", {"guides": catalog.guides}))
    years: dict[int, list] = defaultdict(list)
    validity: dict[str, list] = defaultdict(list)
    for doc in catalog.documents:
        years[doc.published.year].append(doc)
        validity[doc.validity].append(doc)
    year_list = sorted(years, reverse=True)
    validity_list = [(v, VALIDITY_SLUGS[v], len(validity[v])) for v in VALIDITY_SLUGS if validity[v]]
    archive = {"years": [(y, len(years[y])) for y in year_list], "validity": validity_list}
    pages.append(SitePage("documents/index.md", DOCUMENT.title, "gongkai/documents.html",
                          {**archive, "docs": catalog.documents, "heading": "全部文件"}))
    for year in year_list:
        pages.append(SitePage(f"documents/{year}.md", f"{year}年文件", "gongkai/documents.html",
                              {**archive, "docs": years[year], "heading": f"{year}年"}))
    for name, slug, _ in validity_list:
        pages.append(SitePage(f"documents/{slug}.md", f"{name}文件", "gongkai/documents.html",
                              {**archive, "docs": validity[name], "heading": name}))
    current = [n for n in catalog.notices if catalog.notice_is_current(n)]
    ended = [n for n in catalog.notices if n.last_day < catalog.build_date]
    upcoming = [n for n in catalog.notices if n.start > catalog.build_date]
    pages.append(SitePage("notices/index.md", NOTICE.title, "gongkai/notices.html",
                          {"current": current, "ended": ended, "upcoming": upcoming}))
    pages.append(SitePage("search/index.md", "检索", "gongkai/search.html", search_filters(catalog)))
    pages.append(SitePage(REPORTS_PAGE, ANNUAL_REPORT.title, REPORTS_TEMPLATE, {"years": reports_by_year(catalog)}))
    pages += [SitePage(p.src_uri, p.title, DIRECTORY_TEMPLATE, p.data) for p in directory_pages(catalog)]
    pages += disclosure_pages(catalog)
    pages += enforcement_pages(catalog)
    pages.append(SitePage(SITEMAP_PAGE, SITEMAP_TITLE, SITEMAP_TEMPLATE,  # last: it maps the pages above
                          sitemap_data(catalog, navigation(catalog), pages)))
    return pages


# What a search document's category is, by kind: the optgroups of the category filter.
CATEGORY_GROUPS = {"power": "权力类型", "guide": "权力类型", "document": "文件主题", "notice": "公示公告类别",
                   "unit": "单位类型"}


def search_filters(catalog: Catalog) -> dict[str, list]:
    """The values of the browser search's filters (unit, category, kind), exactly as the search
    documents carry them, in the order a reader expects: units by type as in the unit directory,
    power categories in the official order before the other categories, kinds in the registry's order."""
    docs = search_documents(catalog)
    unit_names = {d.unit_name for d in docs}
    units = [(t, [u.name for u in us if u.name in unit_names]) for t, us in unit_groups(catalog)]
    by_kind: dict[str, set] = defaultdict(set)
    for d in docs:
        if d.category:
            by_kind[d.kind].add(d.category)
    topics = catalog.topics.names if catalog.topics else []  # 文件主题 in the national order
    order = {c: i for i, c in enumerate([*POWER_CATEGORIES, *catalog.unit_types, *topics])}
    categories = []
    for kind, label in CATEGORY_GROUPS.items():
        seen = {c for group in categories for c in group[1]}
        values = sorted(by_kind[kind] - seen, key=lambda c: (order.get(c, len(order)), c))
        if values and categories and categories[-1][0] == label:
            categories[-1] = (label, categories[-1][1] + values)
        elif values:
            categories.append((label, values))
    kinds = [kind.label for kind in KINDS if any(d.kind == kind.name for d in docs)]
    return {"units": [g for g in units if g[1]], "categories": categories, "kinds": kinds}


def unit_groups(catalog: Catalog) -> list[tuple[str, list]]:
    """Units grouped by type, in the order of content/_vocab/unit-types.yml."""
    groups: dict[str, list] = defaultdict(list)
    for unit in catalog.units.values():
        groups[unit.type].append(unit)
    return [(t, groups[t]) for t in catalog.unit_types if groups[t]]


def navigation(catalog: Catalog) -> list:
    """Top-level pages and unit pages only: items never go into the navigation (DESIGN §2)."""
    unit_section: list = [{"全部单位": "units/index.md"}]
    for unit_type, units in unit_groups(catalog):
        unit_section.append({html.escape(unit_type): [{html.escape(u.short_name or u.name): u.page} for u in units]})
    return [
        {"首页": "index.md"},
        {UNIT.title: unit_section},
        {POWER.title: "powers/index.md"},
        {GUIDE.title: "guides/index.md"},
        {DOCUMENT.title: "documents/index.md"},
        {NOTICE.title: "notices/index.md"},
        {"政府信息公开": "disclosure/index.md"},
        {ENFORCEMENT_TITLE: ENFORCEMENT_PAGE},
        {"检索": "search/index.md"},
    ]
