"""Open-data tables as files: a Table (columns with their types, rows) written as CSV, JSON and
XLSX, the schema that documents every column, and the fixed timestamps that make the same
tables the same bytes. What goes into the tables is data.py's."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Callable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DATA_DIR = "data"
LIST_SEPARATOR = "；"  # lists in one CSV/XLSX cell
FORMATS = ("csv", "xlsx", "json")
XLSX_TABLES = ("powers",)  # the table people open in Excel; the others are CSV and JSON
SUMMARY_SHEET = "汇总"

@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str  # string | integer | boolean | date | list
    description: str
    get: Callable[[Any], Any]


@dataclass
class Table:
    name: str  # file stem: powers, units …
    title: str  # 权责清单 …
    columns: list[Column]
    rows: list[list[Any]]  # values in the columns' types (lists as lists, dates as ISO strings)


TYPE_TEXT = {
    "string": "文本",
    "integer": "整数（工作日、次数等）；空表示未填写",
    "boolean": "是/否（JSON 中为 true/false）",
    "date": "日期，格式 YYYY-MM-DD",
    "list": "多个值；CSV 中以“；”分隔，Excel 中每行一个，JSON 中为数组",
    "number": "数值（件数为整数，金额可有小数）",
}



def cell_text(value: Any) -> str:
    """A value as a CSV or XLSX cell shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Digits with the signs, spaces and punctuation of numbers and phone numbers: nothing a
# spreadsheet could run (no function name, no cell reference), so left as written.
PLAIN_NUMBER = re.compile(r"[-+]?[\d\s().,/-]*\d[\d\s().,/-]*")
CSV_FORMULA_NOTE = ("CSV 中以 =、+、-、@、制表符或回车开头的文本（纯数字和电话号码如“+86 …”“-5”除外）前加一个"
                    "英文单引号 '，以免电子表格把它当作公式执行；JSON 和 Excel 文件中为原文。")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: text that a spreadsheet would take for a formula (=HYPERLINK(…)
    runs when the file is opened) gets a leading ' (OWASP, CSV injection)."""
    text = cell_text(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens it as UTF-8; CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def to_json(table: Table, build_date: dt.date) -> bytes:
    data = {"table": table.name, "title": table.title, "build_date": build_date.isoformat(),
            "schema": "schema.json", "count": len(table.rows),
            "records": [dict(zip((c.key for c in table.columns), row)) for row in table.rows]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def schema(tables_: dict[str, Table]) -> bytes:
    """schema.json: every column of every table, with its label, type and meaning."""
    data = {
        "description": "政务公开数据下载：各表的列说明。CSV 为 UTF-8（带 BOM）编码，首行为中文列名；"
                       "JSON 的 records 以列标识为键。" + CSV_FORMULA_NOTE,
        "types": TYPE_TEXT,
        "tables": {
            name: {"title": t.title, "files": [f"{name}.{f}" for f in FORMATS if f != "xlsx" or name in XLSX_TABLES],
                   "columns": [{"key": c.key, "label": c.label, "type": c.type, "description": c.description}
                               for c in t.columns]}
            for name, t in tables_.items()},
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique worksheet names (at most 31 characters, none of []:*?/\\)."""
    out: list[str] = []
    taken = {SUMMARY_SHEET}
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip("'") or "单位"
        candidate, n = base[:31], 1
        while candidate in taken:
            n += 1
            candidate = f"{base[:31 - len(str(n)) - 1]}_{n}"
        taken.add(candidate)
        out.append(candidate)
    return out


def to_xlsx(sheets: list[tuple[str, Table]], build_date: dt.date, summary: list[list[Any]] | None = None) -> bytes:
    """A workbook: an optional summary sheet, then one sheet per table; header rows frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    stamp = dt.datetime.combine(build_date, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "Gongkai"
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]], widths: list[int]):
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths):
            ws.column_dimensions[_letter(i)].width = width
        cells = []
        for label in header:
            cell = WriteOnlyCell(ws, value=label)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            ws.append([_xlsx_cell(ws, v) for v in row])

    if summary is not None:
        header, *rows = summary
        sheet(SUMMARY_SHEET, header, rows, [28, 14, 14] + [10] * (len(header) - 3))
    for title, table in sheets:
        widths = [min(40, max(10, len(c.label) * 2 + 4)) for c in table.columns]
        sheet(title, [c.label for c in table.columns], table.rows, widths)
    # ExcelWriter rather than wb.save(), which stamps the document with the clock.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip_times(buffer.getvalue(), build_date)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@functools.cache
def _wrap():
    """The style of list cells, made once."""
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _xlsx_cell(ws, value: Any):
    """Numbers as numbers; all else as text. openpyxl would take '=…' for a formula: such text
    goes in a cell typed as text (only then: a cell object per value costs a fifth more CPU)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, list) and len(value) > 1:
        # One entry a line, wrapped: an entry may hold a ；itself (…50个；个人会员…), so a joined
        # cell could not be split back into its entries (gongkai import reads this file).
        cell = WriteOnlyCell(ws, value="\n".join(ILLEGAL_CHARACTERS_RE.sub("", str(v)) for v in value))
        cell.data_type = "s"
        cell.alignment = _wrap()
        return cell
    # XML 1.0 cannot hold most control characters (a stray \x0b pasted from Word): openpyxl
    # refuses the cell, which would stop the whole build. Excel could not show them anyway.
    text = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_time(build_date: dt.date) -> tuple:
    """The timestamp of every zip member: the build date at midnight (zip cannot go before 1980)."""
    return max(ZIP_EPOCH, (build_date.year, build_date.month, build_date.day, 0, 0, 0))


def fixed_zip_times(data: bytes, build_date: dt.date) -> bytes:
    """The same zip with every member's timestamp and permissions fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, zip_time(build_date))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info))
    return out.getvalue()
