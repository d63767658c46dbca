"""A workbook (.xlsx, .xls) or a CSV file as grids of cell text, with each merged range kept: a
value merged over rows (a 事项名称 over its 子项) is read in every cell of the range, and the
range's first cell tells rows of one merge apart from rows that repeat a value."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .sources import REFUSED


class SheetError(Exception):
    """The file cannot be read as a table: the message says why and what to do."""


@dataclass
class Grid:
    """One sheet: rows of cell text (0-based here, 1-based in references)."""

    name: str  # the sheet's name; '' for a CSV file
    rows: list[list[str]]
    # For each cell of a merged range: the range's first cell (row, column).
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # What Excel hides (withdrawn items kept for reference, a superseded column): not imported.
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, row: int, col: int) -> str:
        """The cell's text; in a merged range, the range's value."""
        r, c = self.merged.get((row, col), (row, col))
        line = self.rows[r] if r < len(self.rows) else []
        return line[c] if c < len(line) else ""

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        return self.merged.get((row, col), (row, col))

    def spans_across(self, row: int, col: int) -> bool:
        """Whether the cell is merged with cells beside it (a group header over columns)."""
        r, c = self.anchor(row, col)
        return any(self.merged.get((row, x)) == (r, c) for x in (col - 1, col + 1))

    def ref(self, row: int, col: int) -> str:
        """Sheet1!C12, or C12 in a CSV file."""
        cell = f"{column_letter(col)}{row + 1}"
        return f"{self.name}!{cell}" if self.name else cell


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Excel keeps a carriage return typed in a cell as _x000D_; Word-pasted text brings NBSPs.
_ESCAPED_CR = re.compile(r"_x000[dD]_")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _ESCAPED_CR.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return text.strip()


def read_grids(path: Path, fmt: str) -> list[Grid]:
    """Every sheet of the file. SheetError when it cannot be read."""
    try:
        if fmt == "xlsx":
            return _xlsx(path)
        if fmt == "xls":
            return _xls(path)
        return [_csv(path)]
    except SheetError:
        raise
    except OSError as exc:
        raise SheetError(f"cannot read the file: {exc.strerror or exc}") from None
    except Exception as exc:  # the libraries raise many kinds on a damaged file
        raise SheetError(f"the workbook is damaged or not what its name says ({type(exc).__name__}: {exc}); "
                         "open it in Excel or WPS and save it again") from None


def _xlsx(path: Path) -> list[Grid]:
    from openpyxl import load_workbook

    # Not read-only: only a full load knows the merged ranges. data_only: a formula's last value.
    workbook = load_workbook(path, data_only=True)
    grids = []
    for sheet in workbook.worksheets:
        rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        merged = {}
        for rng in sheet.merged_cells.ranges:
            for r in range(rng.min_row - 1, rng.max_row):
                for c in range(rng.min_col - 1, rng.max_col):
                    merged[(r, c)] = (rng.min_row - 1, rng.min_col - 1)
        from openpyxl.utils import column_index_from_string

        hidden_rows = {r - 1 for r, d in sheet.row_dimensions.items() if d.hidden}
        hidden_cols = set()
        for letter, d in sheet.column_dimensions.items():
            if d.hidden:  # a dimension may cover several columns (min … max)
                first = column_index_from_string(letter)
                hidden_cols.update(range((d.min or first) - 1, (d.max or first)))
        grids.append(Grid(sheet.title, rows, merged, sheet.sheet_state != "visible", hidden_rows, hidden_cols))
    workbook.close()
    return grids


def _xls(path: Path) -> list[Grid]:
    import xlrd

    try:
        # formatting_info: xlrd reads the merged ranges of .xls only with it.
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise SheetError(REFUSED["encrypted"]) from None
        raise
    grids = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        rows = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(cell_text(bool(cell.value)))
                else:
                    row.append(cell_text(cell.value))
            rows.append(row)
        merged = {}
        for rlo, rhi, clo, chi in sheet.merged_cells:
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    merged[(r, c)] = (rlo, clo)
        hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
        hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
        grids.append(Grid(sheet.name, rows, merged, sheet.visibility != 0, hidden_rows, hidden_cols))
        book.unload_sheet(index)
    return grids


# The encodings of CSV files met in Chinese offices, tried in order: UTF-8 (with or without the
# byte-order mark Excel writes) and GB18030, which covers GBK and GB2312 (Excel's 'CSV' on a
# Chinese Windows). UTF-8 first: GB18030 would decode most UTF-8 bytes into nonsense.
ENCODINGS = ("utf-8-sig", "gb18030")


def _csv(path: Path) -> Grid:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError("the CSV file is neither UTF-8 nor GB18030 (GBK); save it again as "
                         "'CSV UTF-8 (逗号分隔)'")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Grid("", rows)
