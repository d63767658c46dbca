"""Power items into files: each imported item matched to its file (by code, else by unit, type
and name), a new file with the next free code, or an update of the fields the sheet holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import PydanticUndefined

from ..model.primitives.problems import Problem, Severity
from ..model.primitives.text import identifier_key
from ..model.primitives.tree import walk
from ..model.schema.fields import LABELS
from ..model.schema.kinds import POWER, UNITS_DIR
from ..model.schema.placeholders import PLACEHOLDER
from ..model.schema.records import PowerItem
from ..scaffold import CATEGORY_LETTERS, CodeBook
from .plan import Output, clean, comparable, encoded, has_placeholder, markdown_file, read_front, replace_field
from .powers import ImportedItem


@dataclass
class ExistingItem:
    rel: str
    unit_id: str
    text: str
    front: dict


def existing_items(content_dir: Path) -> list[ExistingItem]:
    """Every item file's front matter, drafts and files with errors included (a file whose front
    matter cannot be read is left out: `gongkai check` reports it)."""
    out = []
    for rel in walk(content_dir).under(UNITS_DIR, ".md"):
        parts = rel.split("/")
        if len(parts) != 4 or parts[2] != POWER.plural:
            continue
        text, front = read_front(content_dir, rel)
        if front is not None:
            out.append(ExistingItem(rel, parts[1], text, front))
    return out


def _name_key(unit_id: str, name: str) -> tuple:
    return unit_id, identifier_key(re.sub(r"\s+", "", name))


class ItemIndex:
    """The content's items by code and by unit and name: an item whose 权力类型 changed in the
    sheet is still the same item (by category as well only where a unit has two of one name)."""

    def __init__(self, existing: list[ExistingItem]):
        self.by_code = {identifier_key(str(e.front.get("code", ""))): e for e in existing if e.front.get("code")}
        self.by_name: dict[tuple, list[ExistingItem]] = {}
        for e in existing:
            self.by_name.setdefault(_name_key(e.unit_id, str(e.front.get("name", ""))), []).append(e)

    def find(self, item: ImportedItem) -> ExistingItem | None:
        if item.code and identifier_key(item.code) in self.by_code:
            return self.by_code[identifier_key(item.code)]
        named = self.by_name.get(_name_key(item.unit_id, item.name), [])
        if len(named) > 1:
            named = [e for e in named if e.front.get("category") == item.values.get("category")]
        return named[0] if len(named) == 1 else None


def plan_powers(content_dir: Path, items: list[ImportedItem], *, update: bool
                ) -> tuple[list[Output], int, list[Problem]]:
    """The outputs for the items, how many are unchanged, and the problems (an existing item
    without --update, a code twice in the sheets)."""
    problems: list[Problem] = []
    index = ItemIndex(existing_items(content_dir))
    codes = CodeBook(content_dir)
    outputs: list[Output] = []
    unchanged = 0
    seen: dict[str, ImportedItem] = {}
    matched: list[tuple[ImportedItem, ExistingItem | None]] = []
    for item in items:
        if not item.unit_id:
            continue  # reported where it was read
        keys = [identifier_key(item.code)] if item.code else []
        keys.append(repr((*_name_key(item.unit_id, item.name), item.values.get("category", ""))))
        twice = next((seen[k] for k in keys if k in seen), None)
        if twice is not None:
            problems.append(_at(item, "code" if item.code else "name",
                                f"the item is in the sheets twice: also {twice.first.ref}",
                                "one row (or one group of rows) per item"))
            continue
        seen.update((k, item) for k in keys)
        found = index.find(item)
        matched.append((item, found))
        if item.code and found is None:
            codes.codes.add(item.code.upper())  # before fresh codes are given: none is this one
    for item, found in matched:
        if found is None:
            outputs.append(_new_item(content_dir, item, codes))
        elif not update:
            problems.append(_at(item, "name", f"the item is already in {found.rel}",
                                "give --update to update the fields the sheet holds"))
        else:
            output = _updated_item(found, item, problems)
            if output:
                outputs.append(output)
            else:
                unchanged += 1
    return outputs, unchanged, problems


def _at(item: ImportedItem, field_name: str, message: str, hint: str = "",
        severity: Severity = Severity.ERROR) -> Problem:
    return Problem(item.source, item.first.row + 1, item.first.col + 1, LABELS.get(field_name, field_name),
                   f"{item.first.ref}: {message}", hint, severity)


def _new_item(content_dir: Path, item: ImportedItem, codes: CodeBook) -> Output:
    category = item.values.get("category")
    if item.code:
        code, stem = item.code, item.code
        # The code may be another item's file name (XK-001.md holds SCJG-XK-001): a free one.
        n = 1
        while (content_dir / UNITS_DIR / item.unit_id / POWER.plural / f"{stem}.md").exists() \
                or stem.upper() in codes.files.get(item.unit_id, set()) - {item.code.upper()}:
            n += 1
            stem = f"{item.code}-{n}"
        codes.take(code, item.unit_id, stem)
    elif category in CATEGORY_LETTERS:
        code, stem = codes.fresh(item.unit_id, category)
    else:
        code, stem = PLACEHOLDER, f"new-{item.first.row + 1}"  # the category is reported as an error
    front = {"code": code, **{k: v for k, v in clean(item.front()).items() if k != "code"}}
    rel = f"{UNITS_DIR}/{item.unit_id}/{POWER.plural}/{stem}.md"
    body = "\n\n".join(item.remarks)
    return Output(rel, markdown_file(front, body), "新增", f"{code} {item.name}")


def _updated_item(found: ExistingItem, item: ImportedItem, problems: list[Problem]) -> Output | None:
    """The item's file with the fields the sheet holds replaced where they differ; what editors
    added (a procedure, the status history, fields the sheet has no column for) is kept as written."""
    if found.unit_id != item.unit_id:
        problems.append(_at(item, "unit", f"the sheet puts the item in unit '{item.unit_id}'; it stays in "
                            f"{found.rel}", "move the file by hand if it changed hands", Severity.WARNING))
    text = found.text
    changes = []
    new_front = clean(item.front())
    for name in PowerItem.model_fields:
        # The status history is the editors': a sheet's 动态调整 only starts a new file's.
        if name not in item.held or name not in new_front or name in ("status", "code"):
            continue
        new, old = new_front[name], found.front.get(name, _default(name))
        if name in MERGED and isinstance(old, list):
            new = _merged(new, old, MERGED[name])
        if has_placeholder(new):
            if old is not None:
                continue  # what the sheet could not give, the file keeps
        if comparable(new) == comparable(old):
            continue
        text = replace_field(text, name, new)
        changes.append(_change(name, old, new))
    if not changes:
        return None
    code = found.front.get("code", "")
    return Output(found.rel, encoded(text), "更新", f"{code} {item.name}", changes, exists=True,
                  before=encoded(found.text))


# Lists of entries an editor may complete (a citation's 依据层级): the sheet's entry, and what
# the file's entry of the same key adds, so an unchanged sheet never wipes an editor's detail.
MERGED = {"basis": ("law", "article"), "responsibilities": ("stage",)}


def _merged(new: list, old: list, key: tuple[str, ...]) -> list:
    olds = {tuple(e.get(k) for k in key): e for e in old if isinstance(e, dict)}
    return [{**olds.get(tuple(e.get(k) for k in key), {}), **e} if isinstance(e, dict) else e for e in new]


def _default(name: str) -> Any:
    """A field's value when a file leaves it out (是否网办: false, 收费: 不收费)."""
    default = PowerItem.model_fields[name].default
    return None if default is PydanticUndefined else default


def _change(name: str, old: Any, new: Any) -> str:
    """设定依据 (2 → 3), 承办机构: 综合股 → 审批股."""
    label = LABELS.get(name, name)
    if isinstance(new, list) or isinstance(old, list):
        return f"{label} ({len(old or [])} → {len(new or [])})"
    return f"{label}: {'' if old is None else old} → {new}"


