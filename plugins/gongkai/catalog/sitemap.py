"""The 网站地图 page: the site's structure, readable without JavaScript, linked from every footer.

It is derived, never written by hand: the top-level sections in the order of the navigation
(pages.navigation, so the two never disagree), the unit directory by unit type with each unit
(as the navigation has them), and under each section the other generated list pages planned
for it down to MAP_LEVELS (a year of the archive, a validity, the 公开目录, each body's 法定主动公开内容
tree …), so a section or list page added to plan_pages appears here without an edit. The map shows
the site's structure, not its leaves: record pages — items, documents, guides, notices, reports —
and the pages deeper than MAP_LEVELS (a tree's single column, a 公开目录 topic or year) are reached
from the pages above them, never listed here: the map grows with units and sections, not with content.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..model import Catalog
from ..model.schema import Record

SITEMAP_PAGE = "sitemap/index.md"
TITLE = "网站地图"


@dataclass
class Entry:
    """A page on the map, with the pages under it (unit types, units, list pages)."""

    title: str
    page: str | None = None
    children: list[Entry] = field(default_factory=list)


# How deep a planned list page may be to be on the map: a section (disclosure/), its parts
# (disclosure/catalog/, documents/2021), and a part's page per unit or per facet
# (disclosure/columns/zrj/). Below that are the leaves those pages list.
MAP_LEVELS = 3


def level(page: str) -> int:
    """How many steps below the home page a page's address is: index.md 0, documents/2021.md 2,
    disclosure/columns/zrj/index.md 3 (an index page is its folder's address)."""
    parts = page.split("/")
    return len(parts) - 1 if parts[-1] == "index.md" else len(parts)


def section_of(page: str) -> str:
    """The top-level folder a page belongs to (documents/2021.md → documents); '' for the home page."""
    return page.split("/", 1)[0] if "/" in page else ""


def _is_section_index(page: str) -> bool:
    """units/index.md, disclosure/index.md: a top-level folder's own page (not units/x/index.md)."""
    return page.count("/") == 1 and page.endswith("/index.md")


def _entries(nav: list, titles: dict[str, str]) -> list[Entry]:
    """The navigation (MkDocs' form, titles escaped for it) as entries with plain titles; a page
    the navigation names without a title has its page's."""
    entries = []
    for item in nav:
        if isinstance(item, str):
            entries.append(Entry(titles.get(item, item), item))
            continue
        if not isinstance(item, dict):
            continue
        for title, target in item.items():
            if isinstance(target, list):
                children = _entries(target, titles)
                # A section whose first entry is its folder's index page (全部单位: units/index.md):
                # the section links it.
                first = children[0] if children and children[0].page and not children[0].children else None
                page = first.page if first is not None and _is_section_index(first.page) else None
                entries.append(Entry(html.unescape(title), page, children[1:] if page else children))
            else:
                entries.append(Entry(html.unescape(title), target))
    return entries


def sitemap_data(catalog: Catalog, nav: list, pages: list, others: list[tuple[str, str]] = ()) -> dict[str, Any]:
    """The sections of the map: the navigation's, each with the list pages planned under its folder
    (down to MAP_LEVELS) that the navigation does not name, then the `others` (src_uri, title):
    pages not planned here (free pages of content/, another plugin's such as 清单动态调整); those
    under no section last, under 其他."""
    lists = [(p.src_uri, p.title) for p in pages if not isinstance(p.data.get("record"), Record)]
    sections = _entries(nav, dict(lists + list(others)))
    lists = [(src_uri, title) for src_uri, title in lists if level(src_uri) <= MAP_LEVELS]
    named = {page for entry in sections for page in _pages(entry)}
    by_folder: dict[str, Entry] = {}
    for entry in sections:
        folder = section_of(entry.page) if entry.page else ""
        if folder and folder not in by_folder:
            by_folder[folder] = entry
    rest = Entry("其他")
    for src_uri, title in [*lists, *others]:
        if src_uri in named or src_uri == SITEMAP_PAGE:
            continue
        named.add(src_uri)
        by_folder.get(section_of(src_uri), rest).children.append(Entry(title, src_uri))
    if rest.children:
        sections.append(rest)
    return {"sections": sections}


def _pages(entry: Entry):
    if entry.page:
        yield entry.page
    for child in entry.children:
        yield from _pages(child)


TEMPLATE = "gongkai/sitemap.html"
