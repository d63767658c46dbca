"""The power list's adjustments (清单动态调整) between two refs: what was added, cancelled,
delegated, deleted or changed, item by item, and the tables the auditors read.

- power_snapshot: the published power items at a ref, read from git (History.files_at, iter_blobs)
  without loading the content: only the fields that place an item are parsed
- adjustments / changes_between → ItemChange: one snapshot against the next, by code
- ADJUSTMENT_KINDS, counts_by_category, totals_by_category, by_unit: the 清单动态调整 page's and
  `gongkai changes`' tables

Above history.git and history.diff: imports both, and neither imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..model.assembly.catalog import Catalog
from ..model.schema import Unit
from ..model.schema.fields import STATUS_ACTIONS
from .diff import FieldChange, block_value, diff_blocks, masked_text, top_level_blocks
from .git import History, iter_blobs

REMOVING_ACTIONS = ("取消", "下放")
ADJUSTMENT_KINDS = ("新增", "取消", "下放", "删除", "调整")
POWER_FILE = re.compile(r"^units/([^/]+)/powers/[^/]+\.md$")


# --- the power list at a ref ------------------------------------------------------------------------
SNAPSHOT_FIELDS = ("code", "name", "category", "status", "draft")
FLAG = TypeAdapter(bool)


def is_draft(value: Any) -> bool:
    """The draft flag read as the schema reads it (draft: True, yes, 'true' are all set). A flag
    the schema rejects makes the file invalid, and an invalid file is not published either."""
    if value is None:
        return False
    try:
        return FLAG.validate_python(value)
    except ValidationError:
        return True


def power_snapshot(history: History, ref: str) -> dict[str, dict]:
    """The published power items at a ref: {code: {unit, path, blob, blocks, data}}; drafts are
    not there. One ls-tree and one cat-file run, whatever the number of items."""
    entries = []
    for rel, blob in history.files_at(ref, "units"):
        match = POWER_FILE.match(rel)
        if match:
            entries.append((match.group(1), rel, blob))
    entries.sort(key=lambda e: e[1])
    blobs = iter_blobs([blob for _, _, blob in entries], history.content_dir)
    items: dict[str, dict] = {}
    for (unit, rel, blob), (_, raw) in zip(entries, blobs):
        # Only the fields that place an item are parsed here; the others only when they differ
        # between two snapshots (adjustments → diff_blocks).
        blocks = top_level_blocks(raw)
        data = {key: block_value(blocks.get(key)) for key in SNAPSHOT_FIELDS if key != "status"}
        status = blocks.get("status", "")
        # The status history matters here only when it may end in a removal.
        data["status"] = block_value(status) if any(word in status for word in REMOVING_ACTIONS) else None
        if is_draft(data["draft"]) or not isinstance(data["code"], str):
            continue
        items.setdefault(data["code"], {"unit": unit, "path": rel, "blob": blob, "blocks": blocks, "data": data})
    blobs.close()  # every blob was read: let cat-file end now, not when the generator is collected
    return items


def _last_action(data: dict) -> str | None:
    status = data.get("status")
    if isinstance(status, list) and status and isinstance(status[-1], dict):
        action = status[-1].get("action")
        return action if action in STATUS_ACTIONS else None
    return None


def is_removed(data: dict) -> bool:
    return _last_action(data) in REMOVING_ACTIONS


# --- one snapshot against the next ------------------------------------------------------------------
@dataclass
class ItemChange:
    code: str
    name: str
    category: str
    unit: str
    kind: str  # 新增, 取消, 下放, 删除, 调整
    changes: list[FieldChange] = field(default_factory=list)
    path: str = ""  # the item's file, relative to the content directory
    hidden: tuple[str, ...] = ()  # what was masked in name and changes, as reports show it

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "category": self.category, "unit": self.unit,
                "kind": self.kind, "changes": [c.text for c in self.changes]}


def adjustments(before: dict[str, dict], after: dict[str, dict],
                unit_names: dict[str, str] | None = None) -> list[ItemChange]:
    """The power list's adjustments from one snapshot to the next, by unit and code. A move
    between units names them by `unit_names` (the catalog's), not by their folder ids."""
    names = unit_names or {}
    result: list[ItemChange] = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code), after.get(code)
        data = (new or old)["data"]
        unit, path = (new or old)["unit"], (new or old)["path"]
        # A snapshot's name was checked only if that version is the current one: it is masked.
        name, hidden = masked_text(str(data.get("name", "")))
        category = str(data.get("category", ""))

        def change(kind: str, changes: list[FieldChange] | None = None) -> ItemChange:
            found = hidden + [h for c in changes or [] for h in c.hidden]
            return ItemChange(code, name, category, unit, kind, changes or [], path, tuple(dict.fromkeys(found)))

        if new is None or (old is None and is_removed(new["data"])):
            if old is not None and not is_removed(old["data"]):
                result.append(change("删除"))
            continue
        if old is None or is_removed(old["data"]) and not is_removed(new["data"]):
            result.append(change("新增"))
            continue
        if is_removed(new["data"]) and not is_removed(old["data"]):
            result.append(change(_last_action(new["data"]) or "取消"))
            continue
        changes = [] if old["blob"] == new["blob"] else diff_blocks(old["blocks"], new["blocks"])
        if old["unit"] != new["unit"]:
            changes.insert(0, FieldChange("unit", f"实施主体 {names.get(old['unit'], old['unit'])} → {names.get(new['unit'], new['unit'])}"))
        if changes:
            result.append(change("调整", changes))
    return sorted(result, key=lambda c: (c.unit, c.code))


def changes_between(history: History, since: str, until: str = "HEAD",
                    unit_names: dict[str, str] | None = None) -> list[ItemChange]:
    return adjustments(power_snapshot(history, since), power_snapshot(history, until), unit_names)


# --- the tables -------------------------------------------------------------------------------------
def counts_by_category(changes: list[ItemChange], categories: tuple[str, ...]) -> list[tuple[str, dict[str, int]]]:
    """Rows of the auditors' table: per category, how many items of each kind of adjustment."""
    table = {c: dict.fromkeys(ADJUSTMENT_KINDS, 0) for c in categories}
    for change in changes:
        table.setdefault(change.category, dict.fromkeys(ADJUSTMENT_KINDS, 0))[change.kind] += 1
    return [(c, row) for c, row in table.items() if any(row.values())]


def totals_by_category(snapshot: dict[str, dict], categories: tuple[str, ...]) -> list[tuple[str, int]]:
    """How many items a snapshot lists in each category (removed ones not counted), the given
    categories first, in their order; categories with none are left out."""
    counts = dict.fromkeys(categories, 0)
    for entry in snapshot.values():
        if is_removed(entry["data"]):
            continue
        category = str(entry["data"].get("category", ""))
        counts[category] = counts.get(category, 0) + 1
    return [(c, n) for c, n in counts.items() if n]


def by_unit(changes: list[ItemChange], catalog: Catalog) -> list[tuple[Unit | None, str, list[ItemChange]]]:
    """The changes grouped per unit: (the catalog's Unit or None, its name or folder id, changes),
    in the catalog's order of units; units it no longer has last, by name."""
    groups: dict[str, list[ItemChange]] = {}
    for change in changes:
        groups.setdefault(change.unit, []).append(change)
    named = []
    for unit_id, items in groups.items():
        unit = catalog.unit(unit_id)
        named.append((unit, unit.name if unit else unit_id, items))
    order = {u: i for i, u in enumerate(catalog.units)}
    return sorted(named, key=lambda g: (order.get(g[2][0].unit, len(order)), g[1]))
