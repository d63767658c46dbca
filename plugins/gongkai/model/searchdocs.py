"""Search documents: one per published unit, power item, guide, document and notice.

Every search consumer (the whoosh archive engine, the browser index, the offline bundle) reads
these, so what is searchable is decided once, here, from the Catalog.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .catalog import Catalog
from .text import book_title, doc_no_search_key

KIND_LABELS = {"unit": "单位", "power": "权责事项", "guide": "办事指南", "document": "政策文件", "notice": "公示公告"}


@dataclass
class SearchDoc:
    url: str  # site path with a trailing slash: units/zrzyj/powers/ZRZY-XK-001/
    kind: str  # unit | power | guide | document | notice
    title: str
    unit: str  # unit id
    unit_name: str
    category: str = ""  # power category (documents: 主题分类)
    year: int | None = None
    code: str = ""  # 事项编码
    doc_no: str = ""  # 文号 as written
    index_no: str = ""  # 索引号
    validity: str = ""
    aliases: str = ""  # a unit's other names, and the unit names of a record
    text: str = ""

    @property
    def doc_no_key(self) -> str:
        return doc_no_search_key(self.doc_no) if self.doc_no else ""

    def as_dict(self) -> dict:
        return asdict(self)


def url_of(page: str) -> str:
    """units/x/index.md → units/x/; units/x/powers/A.md → units/x/powers/A/ (directory URLs)."""
    path = page[: -len(".md")]
    return path[: -len("index")] if path.endswith("index") else path + "/"


def _join(*parts) -> str:
    out = []
    for part in parts:
        if not part:
            continue
        out.append("\n".join(str(p) for p in part) if isinstance(part, (list, tuple)) else str(part))
    return "\n".join(out)


def search_documents(catalog: Catalog) -> list[SearchDoc]:
    docs: list[SearchDoc] = []

    def unit_names(unit_id: str) -> tuple[str, str]:
        unit = catalog.unit(unit_id)
        return unit.name, " ".join(filter(None, [unit.short_name, *unit.aliases, *unit.plaques]))

    for unit in catalog.units.values():
        docs.append(SearchDoc(
            url_of(unit.page), "unit", unit.name, unit.unit_id, unit.name, category=unit.type,
            aliases=" ".join(filter(None, [unit.short_name, *unit.aliases, *unit.plaques])),
            text=_join(unit.functions, [f"{u.name} {' '.join(u.duties)}" for u in unit.internal_units],
                       unit.address, unit.phone, unit.supervision_phone, unit.body)))
    for item in catalog.powers:
        name, aliases = unit_names(item.unit_id)
        docs.append(SearchDoc(
            url_of(item.page), "power", item.name, item.unit_id, name, category=item.category,
            code=item.code, aliases=aliases,
            text=_join(item.sub_items, [f"{book_title(c.law)}{c.article or ''}" for c in item.basis],
                       item.handled_by, item.conditions, item.materials,
                       [f"{r.stage} {r.duty}" for r in item.responsibilities], item.fee, item.place, item.body)))
    for guide in catalog.guides:
        name, aliases = unit_names(guide.unit_id)
        power = catalog.power_by_code.get(guide.power) if guide.power else None
        docs.append(SearchDoc(
            url_of(guide.page), "guide", guide.title, guide.unit_id, name,
            category=power.category if power else "", year=guide.updated.year if guide.updated else None,
            code=power.code if power else "", aliases=aliases,
            text=_join(power.name if power else "", guide.conditions, guide.materials, guide.steps,
                       guide.place, guide.fee, guide.body)))
    for doc in catalog.documents:
        name, aliases = unit_names(doc.unit_id)
        docs.append(SearchDoc(
            url_of(doc.page), "document", doc.title, doc.unit_id, name, category=doc.topic,
            year=doc.published.year, doc_no=doc.doc_no or "", index_no=doc.index_no or "",
            validity=doc.validity, aliases=aliases,
            text=_join(doc.genre, doc.series and f"{book_title(doc.series)}第{doc.issue}期",
                       doc.summary, doc.keywords, doc.body)))
    for notice in catalog.notices:
        name, aliases = unit_names(notice.unit_id)
        docs.append(SearchDoc(
            url_of(notice.page), "notice", notice.title, notice.unit_id, name, category=notice.kind,
            year=notice.start.year, aliases=aliases, text=_join(notice.subject, notice.body)))
    return docs
