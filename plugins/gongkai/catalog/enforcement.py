"""行政执法公示 pages: per unit its decisions in force by kind and year, the county's overview, and
the withdrawal notice (撤回公告) that replaces a withdrawn decision at its address.

Only the Catalog's published decisions are listed (those in their display period, not withdrawn,
publishable); a withdrawal notice is made of the decision's 文号, kind, unit, the withdrawal's date,
reason and deciding document — never the party or the decision's content, and never the record
itself, so nothing else of it can reach the page or its dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..model import Catalog
from ..model.schema.enforcement import DECISION_KINDS
from ..model.schema.kinds import DECISION
from .sitepage import SitePage

OVERVIEW = "enforcement/index.md"
OVERVIEW_TITLE = "行政执法公示"
# Anchors of the kinds on a unit's page (the filter without JavaScript).
KIND_SLUGS = {"行政处罚": "penalty", "行政许可": "licence", "行政强制": "coercion", "行政检查结果": "inspection",
              "行政确认": "confirmation", "行政征收": "levy", "行政裁决": "ruling"}


def unit_page(unit_id: str) -> str:
    return f"units/{unit_id}/{DECISION.plural}/index.md"


@dataclass(frozen=True)
class WithdrawalNotice:
    """What a withdrawal notice publishes: no party, no outcome."""

    page: str
    unit_id: str
    doc_no: str
    kind: str
    date: dt.date
    reason: str
    document: str | None


def by_kind_and_year(decisions: list) -> list[tuple[str, str, int, list[tuple[int, list]]]]:
    """[(kind, anchor, total, [(year, decisions newest first)])], kinds in the registry's order."""
    groups: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for decision in decisions:
        groups[decision.kind][decision.decided.year].append(decision)
    return [(kind, KIND_SLUGS[kind], sum(map(len, groups[kind].values())), sorted(groups[kind].items(), reverse=True))
            for kind in DECISION_KINDS if kind in groups]


def enforcement_pages(catalog: Catalog) -> list[SitePage]:
    pages: list[SitePage] = []
    rows = []
    for unit in catalog.units.values():
        decisions = catalog.of_unit(unit.unit_id, DECISION.plural)
        withdrawn = [w for w in catalog.withdrawals if w.unit_id == unit.unit_id]
        if not decisions and not withdrawn:
            continue
        groups = by_kind_and_year(decisions)
        notices = [notice(w) for w in withdrawn]
        rows.append((unit, [(kind, anchor, total) for kind, anchor, total, _ in groups],
                     len(decisions)))
        pages.append(SitePage(unit_page(unit.unit_id), f"{unit.name}行政执法公示", "gongkai/decisions.html",
                              {"unit": unit, "groups": groups, "total": len(decisions), "withdrawals": notices},
                              dated=decisions))
    totals: dict[str, int] = defaultdict(int)
    for decision in catalog.decisions:
        totals[decision.kind] += 1
    pages.append(SitePage(OVERVIEW, OVERVIEW_TITLE, "gongkai/enforcement.html",
                          {"rows": rows, "totals": [(k, totals[k]) for k in DECISION_KINDS if totals[k]],
                           "total": len(catalog.decisions), "unit_page": unit_page},
                          dated=list(catalog.decisions)))
    for withdrawn in catalog.withdrawals:
        n = notice(withdrawn)
        pages.append(SitePage(n.page, f"撤回公告 {n.doc_no}", "gongkai/withdrawal.html",
                              {"notice": n, "list_page": unit_page(n.unit_id)}, dated=[]))
    return pages


def notice(decision) -> WithdrawalNotice:
    w = decision.withdrawn
    return WithdrawalNotice(decision.page, decision.unit_id, decision.doc_no, decision.kind, w.date, w.reason,
                            w.document)
