"""Search documents: one per published record of every kind (units, power items, guides …).

Every search consumer (the whoosh archive engine, the browser index, the offline bundle) reads
these, so what is searchable is decided once, here, from the Catalog.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..model import KINDS, Catalog
from ..model.schema.kinds import url_of
from ..model.primitives.markup import visible_text
from ..model.primitives.text import book_title, doc_no_search_key

# The kinds as readers see them in results and filters: the registry's labels.
KIND_LABELS = {kind.name: kind.label for kind in KINDS}


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


def _join(*parts) -> str:
    out = []
    for part in parts:
        if not part:
            continue
        out.append("\n".join(str(p) for p in part) if isinstance(part, (list, tuple)) else str(part))
    return "\n".join(out)


def search_documents(catalog: Catalog) -> list[SearchDoc]:
    """One search document per published record of every kind, in the registry's order. A kind
    with no describer below is searched by its title and body."""
    docs: list[SearchDoc] = []
    for kind in KINDS:
        describe = _DESCRIBERS.get(kind.name, _no_more)
        for record in catalog.of_kind(kind):
            unit = catalog.unit(record.unit_id)
            # The body as its page shows it: comments, scripts and the like are no one's to search.
            body = visible_text(record.body)
            fields = {"aliases": _unit_aliases(unit), "text": body, **describe(catalog, record, body)}
            docs.append(SearchDoc(url_of(record.page), kind.name, record.page_title, record.unit_id, unit.name,
                                  **fields))
    return docs


def _unit_aliases(unit) -> str:
    """A unit's other names: the words a reader may search a record of the unit by."""
    return " ".join(filter(None, [unit.short_name, *unit.aliases, *unit.plaques]))


def _no_more(catalog: Catalog, record, body: str) -> dict:
    return {}


def _unit(catalog: Catalog, unit, body: str) -> dict:
    return {"category": unit.type,
            "text": _join(unit.functions, [f"{u.name} {' '.join(u.duties)}" for u in unit.internal_units],
                          unit.address, unit.phone, unit.supervision_phone, body)}


def _power(catalog: Catalog, item, body: str) -> dict:
    return {"category": item.category, "code": item.code,
            "text": _join(item.sub_items, [f"{book_title(c.law)}{c.article or ''}" for c in item.basis],
                          item.handled_by, item.conditions, item.materials,
                          [f"{r.stage} {r.duty}" for r in item.responsibilities], item.fee, item.place, body)}


def _guide(catalog: Catalog, guide, body: str) -> dict:
    power = catalog.power_by_code.get(guide.power) if guide.power else None
    return {"category": power.category if power else "", "year": guide.updated.year if guide.updated else None,
            "code": power.code if power else "",
            "text": _join(power.name if power else "", guide.conditions, guide.materials, guide.steps,
                          guide.place, guide.fee, body)}


def _document(catalog: Catalog, doc, body: str) -> dict:
    return {"category": doc.topic, "year": doc.published.year, "doc_no": doc.doc_no or "",
            "index_no": doc.index_no or "", "validity": doc.validity,
            "text": _join(doc.genre, doc.series and f"{book_title(doc.series)}第{doc.issue}期",
                          doc.summary, doc.keywords, body)}


def _notice(catalog: Catalog, notice, body: str) -> dict:
    return {"category": notice.kind, "year": notice.start.year, "text": _join(notice.subject, body)}


def _annual_report(catalog: Catalog, report, body: str) -> dict:
    """Found by its title (body and year), the year, and its prose: 一、五、六."""
    unit = catalog.unit(report.unit_id)
    return {"year": report.year,
            "text": _join(f"{unit.name}{report.year}年度政府信息公开工作年度报告 公开年报", body,
                          report.improvements, report.other_matters)}
def _disclosure_guide(catalog: Catalog, guide, body: str) -> dict:
    office = guide.office
    return {"year": guide.updated.year,
            "text": _join(guide.classification, guide.arrangement, guide.obtaining.proactive,
                          guide.obtaining.on_request, office.name, office.address, office.phone, body)}


def _officers(catalog: Catalog, officers, body: str) -> dict:
    """执法人员 are public by law: a citizen looks an officer up by name or 执法证号 (shown ones only)."""
    shown = officers.shown(catalog.build_date)
    return {"text": _join([f"{o.name} {o.cert_no} {o.field} {o.internal_unit}" for o in shown], body)}


def _decision(catalog: Catalog, decision, body: str) -> dict:
    """Found by 文号, party (as published: masked), offence and outcomes."""
    return {"category": decision.kind, "year": decision.decided.year, "doc_no": decision.doc_no,
            "text": _join(decision.party.name, decision.party.credit_code, decision.offence, decision.basis,
                          [o.type for o in decision.outcomes], body)}


# What each kind adds to its search documents beyond title, unit and body, by Kind.name.
_DESCRIBERS = {"unit": _unit, "power": _power, "guide": _guide, "document": _document, "notice": _notice,
               "disclosure_guide": _disclosure_guide, "annual_report": _annual_report, "decision": _decision,
               "officers": _officers}
