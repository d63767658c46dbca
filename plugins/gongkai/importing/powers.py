"""Rows of a 权责清单 sheet into power items.

A row whose 事项名称 is new starts an item; rows under it that leave the name empty, or share
its merged name cell, are its 子项 or the rest of its cells (one law per row, a long text over
two rows). A row that is only a title (一、行政许可（12项）, a unit's name) sets the category or
the unit of the rows below it, as the sheet's name and the title rows above the header do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model.primitives.problems import Problem, Severity
from ..model.schema.fields import LABELS, POWER_CATEGORIES
from ..model.schema.placeholders import PLACEHOLDER
from ..model.schema.records import PowerItem
from . import values
from .headers import (IMPLEMENTING_BASIS, NOT_IMPORTED, REMARKS, SEQUENCE, UNIT, UNIT_ID, Header, Vocabulary,
                      find_header)
from .sheets import Grid
from .units import UnitMatcher

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
LIST_FIELDS = ("sub_items", "materials", "conditions", "accountability", "risks")
DAY_FIELDS = ("statutory_limit", "promised_limit")
TEXT_FIELDS = ("name", "handled_by", "level", "place", "supervision", "supervision_phone")


@dataclass
class Cell:
    grid: Grid
    row: int
    col: int

    @property
    def ref(self) -> str:
        return self.grid.ref(self.row, self.col)


@dataclass
class ImportedItem:
    """One item as the sheet gives it: its fields, and the cells they came from."""

    source: str  # the file, as messages name it
    first: Cell  # its 事项名称 cell
    unit_id: str | None = None
    code: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # front matter fields
    held: set[str] = field(default_factory=set)  # the fields the sheet has columns for
    remarks: list[str] = field(default_factory=list)  # 备注: the body of a new file
    unplaced: list[tuple[Cell, str, str]] = field(default_factory=list)  # (cell, field, text) → 待填写
    rows: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    def front(self) -> dict:
        """The front matter in the schema's field order."""
        return {f: self.values[f] for f in PowerItem.model_fields if f in self.values}


@dataclass
class SheetReport:
    """What the report says of one sheet: where its header is and where each column went."""

    grid: Grid
    header: Header | None
    items: int = 0

    def lines(self) -> list[str]:
        where = self.grid.name or "CSV"
        if self.header is None:
            return [f"  {where}: no header row found (事项名称 and one more column) in its first rows; skipped"]
        h = self.header
        rows = f"{h.first_row + 1}" + (f"–{h.first_row + 2}" if h.rows == 2 else "")
        out = [f"  {where}: header on row {rows}, {self.items} item(s)"]
        for col, name in sorted(h.names.items()):
            target = h.fields.get(col)
            out.append(f"    {self.grid.ref(h.first_row, col).split('!')[-1].rstrip('0123456789')} "
                       f"{name} → {_describe(target)}")
        return out


def _describe(target: str | None) -> str:
    if target is None:
        return "not imported (no field has this name; add it to content/_vocab/import-columns.yml)"
    if target == NOT_IMPORTED:
        return "not imported"
    return {SEQUENCE: "序号 (tells items apart)", UNIT: "实施主体 (the unit)", UNIT_ID: "the unit's id",
            IMPLEMENTING_BASIS: "basis (设定依据, as 实施依据)", REMARKS: "备注 (the text of a new item's page)"
            }.get(target, f"{target} ({LABELS.get(target, target)})")


@dataclass
class Defaults:
    """What the command line says for every row: --unit, --category."""

    unit: str | None = None
    category: str | None = None


def read_powers(grids: list[Grid], shown: str, vocab: Vocabulary, units: UnitMatcher,
                defaults: Defaults) -> tuple[list[ImportedItem], list[SheetReport], list[Problem]]:
    items: list[ImportedItem] = []
    reports: list[SheetReport] = []
    problems: list[Problem] = []
    for grid in grids:
        if grid.hidden:
            problems.append(Problem(shown, 1, 1, "", f"{grid.name}: a hidden sheet; not imported",
                                    "show it in Excel (取消隐藏) if its rows are items", Severity.WARNING))
            continue
        header = find_header(grid, vocab)
        report = SheetReport(grid, header)
        reports.append(report)
        if header is None:
            continue
        found, sheet_problems = _read_sheet(grid, header, shown, vocab, units, defaults)
        report.items = len(found)
        items += found
        problems += sheet_problems
    if not any(r.header for r in reports):
        problems.append(Problem(shown, 1, 1, "", "no sheet has a recognisable header: a row naming the item "
                                "(事项名称, 权责事项, 职权名称 …) and at least one more column (权力类型, 设定依据 …)",
                                "add the header names your list uses to content/_vocab/import-columns.yml"))
    return items, reports, problems


def _read_sheet(grid: Grid, header: Header, shown: str, vocab: Vocabulary, units: UnitMatcher,
                defaults: Defaults) -> tuple[list[ImportedItem], list[Problem]]:
    problems: list[Problem] = []

    def problem(cell: Cell, field_name: str, message: str, hint: str = "",
                severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(shown, cell.row + 1, cell.col + 1, LABELS.get(field_name, field_name),
                                f"{cell.ref}: {message}", hint, severity))

    for col in sorted(header.hidden_columns(grid)):
        problems.append(Problem(shown, header.first_row + 1, col + 1, "", f"{grid.ref(header.first_row, col)}: "
                                f"the column '{header.names.get(col, '')}' is hidden; not imported",
                                "show it in Excel (取消隐藏) if it holds the list's values", Severity.WARNING))
    hidden_rows = sorted(r for r in grid.hidden_rows if r >= header.data_start and any(grid.rows[r]))
    if hidden_rows:
        problems.append(Problem(shown, hidden_rows[0] + 1, 1, "", f"{grid.ref(hidden_rows[0], 0)}: {len(hidden_rows)} "
                                "hidden row(s) not imported (rows " + ", ".join(str(r + 1) for r in hidden_rows[:10])
                                + ("…" if len(hidden_rows) > 10 else "") + ")",
                                "show them in Excel (取消隐藏) if they are items", Severity.WARNING))
    columns = {f: c for c, f in header.fields.items()}
    name_col = columns["name"]
    # The unit and category the sheet gives all its rows: its name (a sheet per unit or per
    # category), the title rows above its header, the command line.
    titles = " ".join(grid.text(r, c) for r in range(header.first_row) for c in range(grid.width))
    sheet_unit = _one(units.find(grid.name)) or _one(units.in_text(titles))
    sheet_category = vocab.category_of(grid.name)
    section_category = section_unit = None

    items: list[ImportedItem] = []
    current: ImportedItem | None = None
    taken: set[tuple[int, int]] = set()  # merged ranges already read for the current item
    for row in range(header.data_start, len(grid.rows)):
        if row in grid.hidden_rows:
            continue
        cells = [grid.text(row, c) for c in range(grid.width)]
        filled = [t for t in cells if t]
        if not filled:
            continue
        if row == header.data_start and _is_column_numbering(filled):
            continue
        if _is_not_an_item(grid, row, cells, header):
            continue
        if len(set(filled)) == 1 and (_is_title(filled[0], vocab, units) or _spans_row(grid, row, cells)):
            category, unit = vocab.category_of(filled[0]), _one(units.find(filled[0])) or _one(units.in_text(filled[0]))
            if category:
                section_category = category
            elif unit:
                section_unit = unit
            current = None
            continue
        name_anchor = grid.anchor(row, name_col)
        name = grid.text(row, name_col)
        continues = current is not None and (
            (name_anchor != (row, name_col) and name_anchor == grid.anchor(current.first.row, name_col))
            or (not name and not _new_sequence(grid, row, columns, current))
            # A flattened list repeats the name (and 序号) on each 子项 row.
            or (re.sub(r"\s+", " ", name).strip() == current.name and "sub_items" in columns
                and bool(grid.text(row, columns["sub_items"]))))
        if continues:
            _check_continuation(current, grid, row, columns, problem)
        if not continues:
            if not name:
                problem(Cell(grid, row, name_col), "name", "the row has values but no 事项名称",
                        "fill in the name, or merge the cell with the item's above if it is a 子项")
                current = None
                continue
            current = ImportedItem(shown, Cell(grid, row, name_col))
            current.values["name"] = re.sub(r"\s+", " ", name).strip()
            items.append(current)
            taken = set()
            # What the row does not say itself: its section's, its sheet's, the command line's.
            fallback = Defaults(section_unit or sheet_unit or defaults.unit,
                                section_category or sheet_category or defaults.category)
            _start(current, grid, row, columns, header, units, vocab, fallback, problem)
        current.rows.append(row)
        for col, target in header.fields.items():
            anchor = grid.anchor(row, col)
            if anchor in taken:
                continue  # a value merged over the item's rows: read once
            taken.add(anchor)
            text = grid.text(row, col)
            if text and target not in (SEQUENCE, UNIT, UNIT_ID, "code", "category", "name", NOT_IMPORTED):
                _read_value(current, Cell(grid, row, col), target, text, problem)
    for item in items:
        _finish(item, header, grid, problem)
    return items, problems


def _one(ids: list[str]) -> str | None:
    return ids[0] if len(ids) == 1 else None


def _is_column_numbering(filled: list[str]) -> bool:
    """The row of column numbers (1 2 3 …) some lists put under the header."""
    return all(t.isdigit() for t in filled) and [int(t) for t in filled] == list(range(1, len(filled) + 1))


def _is_title(text: str, vocab: Vocabulary, units: UnitMatcher) -> bool:
    """The text of a title row within the data: a category (一、行政许可（12项）), a unit's name,
    a numbered part (三、其他)."""
    return bool(vocab.category_of(text) or units.find(text) or re.match(r"^[一二三四五六七八九十]+、", text))


def _spans_row(grid: Grid, row: int, cells: list[str]) -> bool:
    """Whether the row's one text is merged across at least half of it (a title, not an item's
    only cell, and not a 子项 row whose other cells are empty)."""
    col = next(c for c, t in enumerate(cells) if t)
    anchor = grid.anchor(row, col)
    return sum(grid.anchor(row, c) == anchor for c in range(len(cells))) * 2 >= len(cells)


# A 子项's own number under its item's: 1-1, 1.1, 2．3, （一）, (1).
SUB_NUMBER = re.compile(r"^\d+\s*[-－.．]\s*\d+$|^[（(][一二三四五六七八九十\d]{1,3}[)）]$")
# Rows under a list that are not items: 合计, 注：…, 填报人：…, a signature or date line.
FOOTER = re.compile(r"^(?:合计|小计|总计|注|说明|附注|备注|填报人|填表人|审核人|制表人|制表|负责人|联系人|填报单位|填报日期)"
                    r"\s*[:：]?")


def _new_sequence(grid: Grid, row: int, columns: dict[str, int], current: ImportedItem) -> bool:
    """Whether the row's 序号 starts a new item: a 序号 of its own (not merged with the item's,
    not a 子项's number like 1-1)."""
    col = columns.get(SEQUENCE)
    if col is None:
        return False
    text = grid.text(row, col)
    return bool(text) and grid.anchor(row, col) != grid.anchor(current.first.row, col) and not SUB_NUMBER.match(text)


def _is_not_an_item(grid: Grid, row: int, cells: list[str], header: Header) -> bool:
    """A row that holds no item: only a 序号, the header repeated (a list pasted from pages of
    a print), a footer (合计, 注：…, 填报人：…)."""
    filled = {c for c, t in enumerate(cells) if t}
    sequence = [c for c, f in header.fields.items() if f == SEQUENCE]
    if filled and filled <= set(sequence):
        return True
    repeated = sum(1 for c, name in header.names.items() if cells[c] and cells[c] == name.split("/")[-1])
    if repeated >= 2:
        return True
    first = cells[min(filled)] if filled else ""
    return bool(FOOTER.match(first)) and len(set(t for t in cells if t)) <= 2


# The columns an item has one value of: a row under it that names another is not its 子项.
ONCE = {"category": "权力类型", UNIT: "实施主体", "code": "编码", UNIT_ID: "单位标识"}


def _check_continuation(item: ImportedItem, grid: Grid, row: int, columns: dict[str, int], problem) -> None:
    for target, label in ONCE.items():
        col = columns.get(target)
        if col is None:
            continue
        text = grid.text(row, col)
        if text and grid.anchor(row, col) != grid.anchor(item.first.row, col) \
                and text != grid.text(item.first.row, col):
            problem(Cell(grid, row, col), label, f"the row continues '{item.name}' ({item.first.ref}) but names "
                    f"another {label} '{text}'", "give the row its own 事项名称 if it is another item")


def _start(item: ImportedItem, grid: Grid, row: int, columns: dict[str, int], header: Header, units: UnitMatcher,
           vocab: Vocabulary, fallback: Defaults, problem) -> None:
    """The fields read once per item: its unit, category and code."""
    item.held = {f for f in header.fields.values() if f in PowerItem.model_fields}
    if IMPLEMENTING_BASIS in header.fields.values():
        item.held.add("basis")
    # The unit: the export's 单位标识, else 实施主体, else the sheet's, else --unit.
    unit = None
    if UNIT_ID in columns and grid.text(row, columns[UNIT_ID]) in units.units:
        unit = grid.text(row, columns[UNIT_ID])
    elif UNIT in columns and grid.text(row, columns[UNIT]):
        cell = Cell(grid, row, columns[UNIT])
        text = grid.text(row, cell.col)
        found = units.find(text)
        if len(found) > 1:
            problem(cell, "实施主体", f"'{text}' names {len(found)} units: {units.describe(found)}",
                    "write the unit's full name, or give --unit")
        elif not found:
            problem(cell, "实施主体", f"'{text}' is no unit of the site",
                    "add it to the unit's aliases (unit.md), or give --unit")
        unit = _one(found)
        item.unit_id = unit or ""  # reported: not looked for elsewhere
    if item.unit_id is None:
        item.unit_id = unit or fallback.unit
    if item.unit_id is None:
        problem(item.first, "实施主体", "no unit for the item: the sheet has no 实施主体 column and names none",
                "give --unit, or add a 实施主体 column")
    # The category: its cell, else the section or sheet it is in, else --category.
    category = None
    if "category" in columns and grid.text(row, columns["category"]):
        cell = Cell(grid, row, columns["category"])
        text = grid.text(row, cell.col)
        category = vocab.category_of(text)
        if category is None:
            problem(cell, "category", f"'{text}' is not a power category",
                    "one of " + "、".join(POWER_CATEGORIES) + "; or add it under categories: in "
                    "content/_vocab/import-columns.yml")
            category = ""
    category = category if category is not None else fallback.category
    if category is None:
        problem(item.first, "category", "no 权力类型 for the item: no column, section title or sheet name gives it",
                "give --category, or add a 权力类型 column")
    elif category:
        item.values["category"] = category
    item.held.add("category")
    if "code" in columns and grid.text(row, columns["code"]):
        cell = Cell(grid, row, columns["code"])
        code = re.sub(r"\s+", "", grid.text(row, cell.col))
        if CODE.match(code) and len(code) <= 64:
            item.code = code
            if code.isdigit() and len(code) > 15:
                problem(cell, "code", f"'{code}' may have been stored as a number: Excel keeps 15 digits, the "
                        "rest may be wrong", "format the column as text (文本) in the sheet and check the codes",
                        Severity.WARNING)
        else:
            problem(cell, "code", f"'{code}' cannot be an item code (letters, digits, - _ . only, at most 64)",
                    "a new code is given instead; keep the old one in the item's text if it is needed",
                    Severity.WARNING)


def _read_value(item: ImportedItem, cell: Cell, target: str, text: str, problem) -> None:
    """One cell's value into the item: lists extend, a second different text is reported."""
    if target in ("basis", IMPLEMENTING_BASIS):
        kind = "实施依据" if target == IMPLEMENTING_BASIS else "设定依据"
        citations = values.read_citations(text, kind)
        if citations is None:
            item.unplaced.append((cell, "basis", text))
        else:
            _extend(item, "basis", citations)
    elif target == "responsibilities":
        duties, _ = values.read_responsibilities(text)
        for duty in duties:
            if duty["stage"] is None or duty["duty"] is None:
                item.unplaced.append((cell, "responsibilities", duty["duty"] or text))
            duty["stage"] = duty["stage"] or PLACEHOLDER
            duty["duty"] = duty["duty"] or PLACEHOLDER
        _extend(item, "responsibilities", duties)
    elif target in LIST_FIELDS:
        _extend(item, target, values.split_list(text))
    elif target in DAY_FIELDS or target in ("online", "visits"):
        reader = {"online": values.read_yes_no, "visits": values.read_count}.get(target, values.read_days)
        value = reader(text)
        if value is None:
            item.unplaced.append((cell, target, text))
            _set(item, cell, target, PLACEHOLDER, problem)
        elif value != "":
            _set(item, cell, target, value, problem)
    elif target == "fee":
        _set(item, cell, target, values.read_fee(text), problem)
    elif target == "status":
        status = values.read_status(text)
        if status is None:
            problem(cell, "status", f"'{text}' is not a list of 日期 调整类型（文件）; not imported",
                    "add the 动态调整 to the item by hand", Severity.WARNING)
        else:
            _extend(item, "status", status)
    elif target == REMARKS:
        if not values.is_nothing(text):
            item.remarks.append(text)
    elif not values.is_nothing(text):
        _set(item, cell, target, text, problem)


def _extend(item: ImportedItem, field_name: str, entries: list) -> None:
    have = item.values.setdefault(field_name, [])
    have += [e for e in entries if e not in have]


def _set(item: ImportedItem, cell: Cell, field_name: str, value: Any, problem) -> None:
    if field_name in item.values and item.values[field_name] != value:
        problem(cell, field_name, f"'{value}' differs from '{item.values[field_name]}' in the item's first row; "
                "the first is kept", "one item has one value: split the rows into items if they differ",
                Severity.WARNING)
        return
    item.values[field_name] = value


def _finish(item: ImportedItem, header: Header, grid: Grid, problem) -> None:
    """What the schema requires and the sheet did not give: 待填写, reported with its cell."""
    for cell, field_name, text in item.unplaced:
        problem(cell, field_name, f"'{_short(text)}' could not be read; written as {PLACEHOLDER}",
                "fill it in by hand in the item's file", Severity.WARNING)
    if not item.values.get("basis"):
        item.values["basis"] = [{"law": PLACEHOLDER}]
        if not any(field_name == "basis" for _, field_name, _ in item.unplaced):
            problem(item.first, "basis", f"the item has no 设定依据; written as {PLACEHOLDER}",
                    "fill it in by hand in the item's file", Severity.WARNING)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"
