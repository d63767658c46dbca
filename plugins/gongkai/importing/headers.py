"""The header of a 权责清单 sheet: which row it is (under title rows), one row or two (a group
header merged over the columns below it), and which field each column goes to.

There is no national column standard: the names below are the ones met in published lists
(../shared/reference/disclosure-rules.md), the labels the site's own export writes (LABELS), and
what content/_vocab/import-columns.yml adds, so an editor extends the mapping without code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..model.primitives.frontmatter import parse_yaml
from ..model.primitives.problems import Problem, did_you_mean
from ..model.schema.fields import LABELS, POWER_CATEGORIES
from ..model.schema.records import PowerItem
from .sheets import Grid

VOCAB_FILE = "_vocab/import-columns.yml"

# Columns that are not fields of an item but steer the import.
SEQUENCE = "序号"  # 序号: tells a new item from a continued one
UNIT = "unit"  # 实施主体: matched to a unit
UNIT_ID = "unit_id"  # 单位标识 of the site's own export
IMPLEMENTING_BASIS = "basis.实施依据"  # citations that are 实施依据
REMARKS = "remarks"  # 备注: the item's text (its Markdown body) in a new file
NOT_IMPORTED = "-"  # recognised, deliberately left out (流程图 images, the export's page address)

# Header names met in real lists, by the field they fill (a field's LABELS entry counts too).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    SEQUENCE: ("序号", "编号", "序列号"),
    "code": ("事项编码", "职权编码", "权力编码", "权责事项编码", "基本编码", "行政权力实施事项编码", "实施编码", "编码"),
    "name": ("事项名称", "权责事项", "权力事项名称", "职权名称", "项目名称", "权力名称", "权责事项名称",
             "主项名称", "主项", "事项"),
    "sub_items": ("子项名称", "子项", "子项事项名称"),
    "category": ("权力类型", "权力类别", "职权类型", "职权类别", "事项类型", "权种类型", "事项类别", "类型", "类别"),
    "basis": ("设定依据", "法律依据", "法定依据", "设定和实施依据", "依据"),
    IMPLEMENTING_BASIS: ("实施依据",),
    UNIT: ("实施主体", "行使主体", "责任主体", "实施主体和责任主体", "法定主体", "实施机关", "实施部门", "实施单位"),
    UNIT_ID: ("单位标识",),
    "handled_by": ("承办机构", "承办科室", "责任科室", "承办股室", "责任股室", "责任岗位", "内设机构"),
    "level": ("实施层级", "行使层级", "层级"),
    "responsibilities": ("责任事项", "责任事项内容"),
    "accountability": ("追责情形", "问责情形", "追责情形及依据", "责任追究情形", "追责依据"),
    "risks": ("廉政风险点", "廉政风险", "风险点"),
    "statutory_limit": ("法定时限", "法定办结时限"),
    "promised_limit": ("承诺时限", "承诺办结时限"),
    "fee": ("收费依据及标准", "收费标准", "是否收费"),
    REMARKS: ("备注",),
    NOT_IMPORTED: ("权力运行流程图", "流程图", "运行流程图", "页面地址"),
}
# The fields of an item a sheet may fill, besides those above (by their LABELS).
LABELLED_FIELDS = ("materials", "conditions", "place", "online", "visits", "supervision", "supervision_phone",
                   "status")

# 权力类型 as lists write it: the "9+X" categories and their short and long forms.
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "行政许可": ("许可", "行政审批"),
    "行政处罚": ("处罚",),
    "行政强制": ("强制", "行政强制措施", "行政强制执行"),
    "行政征收": ("征收", "行政征用", "行政征收征用"),
    "行政给付": ("给付",),
    "行政检查": ("检查", "行政监督检查", "监督检查"),
    "行政确认": ("确认",),
    "行政奖励": ("奖励",),
    "行政裁决": ("裁决",),
    "其他行政权力": ("其他职权", "其他权力", "其他行政职权", "其他", "X"),
    "公共服务": ("公共服务事项",),
}


def header_key(text: str) -> str:
    """A header as compared: NFKC, no spaces or line breaks, no note in brackets at the end
    (设定依据（法律法规名称及条款） is 设定依据), no trailing colon."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    key = re.sub(r"\([^()]*\)$", "", key)
    return key.rstrip(":*")


@dataclass
class Vocabulary:
    """Header names → fields, 权力类型 names → categories."""

    columns: dict[str, str]
    categories: dict[str, str]

    def field_of(self, header: str) -> str | None:
        key = header_key(header)
        if key in self.columns:
            return self.columns[key]
        # 设定依据及条款, 实施主体/责任主体: a known name and a joined note; not 事项总数 (事项 + 总数).
        starts = [name for name in self.columns
                  if len(name) >= 2 and key.startswith(name) and key[len(name):][:1] in ("及", "和", "/", "、", "(")]
        return self.columns[max(starts, key=len)] if starts else None

    def category_of(self, text: str) -> str | None:
        key = category_key(text)
        return self.categories.get(key)


def category_key(text: str) -> str:
    """行政许可类 / 行政许可事项 / （一）行政许可（12项） → 行政许可."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    key = re.sub(r"^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[.、])", "", key)
    key = re.sub(r"\((?:共)?\d+项\)$|共\d+项$", "", key)
    key = re.sub(r"\([^()]*\)$", "", key)  # 行政许可(前置审批)
    key = key.replace("其它", "其他")
    key = re.sub(r"(?:类|事项|类事项)$", "", key)
    return key.upper() if key.isascii() else key


def load_vocabulary(content_dir: Path) -> tuple[Vocabulary, list[Problem]]:
    """The built-in names and those of content/_vocab/import-columns.yml:

        columns:                  # field (or its Chinese label): [header names]
          handled_by: [牵头股室]
        categories:               # 权力类型: [names lists use for it]
          行政检查: [日常检查]
    """
    columns: dict[str, str] = {}
    for target, names in COLUMN_NAMES.items():
        for name in names:
            columns.setdefault(header_key(name), target)
    for name in (*PowerItem.model_fields, *LABELLED_FIELDS):
        if name in LABELS and name not in ("draft", "allow", "procedure"):
            columns.setdefault(header_key(LABELS[name]), name)
    categories = {category_key(c): c for c in POWER_CATEGORIES}
    for category, names in CATEGORY_NAMES.items():
        for name in names:
            categories.setdefault(category_key(name), category)
    problems: list[Problem] = []
    path = content_dir / VOCAB_FILE
    if path.is_file():
        problems = _extend(path, f"content/{VOCAB_FILE}", columns, categories)
    return Vocabulary(columns, categories), problems


def _extend(path: Path, shown: str, columns: dict[str, str], categories: dict[str, str]) -> list[Problem]:
    data, positions, problems = parse_yaml(path.read_text(encoding="utf-8"), shown, 1)
    if problems:
        return problems
    data = data or {}

    def at(where: tuple, field: str, message: str, hint: str = "") -> Problem:
        line, column = positions.get(where, (1, 1))
        return Problem(shown, line, column, field, message, hint)

    if not isinstance(data, dict):
        return [at((), "", "write two mappings, columns: and categories:")]
    targets = {t for t in COLUMN_NAMES} | set(PowerItem.model_fields) | set(LABELLED_FIELDS)
    by_label = {LABELS[f]: f for f in targets if f in LABELS}
    for key in data:
        if key not in ("columns", "categories"):
            problems.append(at((key,), str(key), "unknown section", "the sections are columns: and categories:"))
    for target, names in (data.get("columns") or {}).items():
        field = by_label.get(target, target)
        if field not in targets:
            problems.append(at(("columns", target), "columns", f"'{target}' is not a field of a power item",
                               did_you_mean(target, sorted(targets | set(by_label)))))
        elif not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            problems.append(at(("columns", target), "columns", "write a list of header names, e.g. [牵头股室]"))
        else:
            for name in names:
                columns[header_key(name)] = field  # the editor's word wins over a built-in one
    for category, names in (data.get("categories") or {}).items():
        if category not in POWER_CATEGORIES:
            problems.append(at(("categories", category), "categories", f"'{category}' is not a power category",
                               did_you_mean(category, POWER_CATEGORIES)))
        elif not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            problems.append(at(("categories", category), "categories", "write a list of names, e.g. [日常检查]"))
        else:
            for name in names:
                categories[category_key(name)] = category
    return problems


@dataclass
class Header:
    """Where a sheet's header is and what each column holds."""

    first_row: int  # 0-based
    rows: int  # 1 or 2
    fields: dict[int, str]  # column → field (a key of COLUMN_NAMES or a PowerItem field)
    names: dict[int, str]  # column → the header text as written
    unmapped: list[int]  # columns with a header no name matched

    @property
    def data_start(self) -> int:
        return self.first_row + self.rows

    def hidden_columns(self, grid: Grid) -> set[int]:
        """The columns with a header that Excel hides (never mapped to a field)."""
        return {c for c in self.names if c in grid.hidden_cols}


SCAN_ROWS = 20  # title rows above a header: two or three in real lists; more is not a list


def find_header(grid: Grid, vocab: Vocabulary) -> Header | None:
    """The first row that names an item's name and at least one other field; with the row below
    when it holds the names under a group header (实施主体 | 承办机构 under 责任主体)."""
    for row in range(min(SCAN_ROWS, len(grid.rows))):
        fields = _fields(grid, row, vocab)
        if "name" not in fields.values() or len(set(fields.values())) < 2:
            continue
        rows = 1
        below = _fields(grid, row + 1, vocab) if row + 1 < len(grid.rows) else {}
        grouped = [c for c in range(grid.width) if grid.spans_across(row, c)]
        # The row below is header too: names under a merged group, or (the merge lost, a CSV
        # saved from the sheet) names only, under empty or repeated cells of this row.
        below_filled = [c for c in range(grid.width) if grid.text(row + 1, c)] if row + 1 < len(grid.rows) else []
        names_only = bool(below) and set(below_filled) <= set(below) \
            and any(not grid.text(row, c) or grid.text(row, c) == grid.text(row, c - 1) for c in below)
        if below and ((grouped and set(below) & set(grouped)) or names_only):
            grouped = grouped or [c for c in below]
            rows = 2
            for col, field in below.items():
                if col in grouped or col not in fields:
                    fields[col] = field
        names = {c: _header_text(grid, row, c, rows) for c in range(grid.width)}
        # Two columns of one field: the first is read, the others reported as not imported.
        seen: set[str] = set()
        for col in sorted(fields):
            if fields[col] in seen and fields[col] != NOT_IMPORTED:
                fields[col] = NOT_IMPORTED
            seen.add(fields[col])
        for col in grid.hidden_cols:
            if names.get(col):
                fields[col] = NOT_IMPORTED  # reported as hidden
        unmapped = [c for c, name in names.items() if name and c not in fields]
        return Header(row, rows, fields, {c: n for c, n in names.items() if n}, unmapped)
    return None


def _fields(grid: Grid, row: int, vocab: Vocabulary) -> dict[int, str]:
    out = {}
    for col in range(grid.width):
        if col in grid.hidden_cols:
            continue
        text = grid.text(row, col)
        field = vocab.field_of(text) if text and len(text) <= 40 else None
        if field:
            out[col] = field
    return out


def _header_text(grid: Grid, row: int, col: int, rows: int) -> str:
    top = grid.text(row, col)
    if rows == 2:
        below = grid.text(row + 1, col)
        if below and below != top:
            return f"{top}/{below}" if top else below
    return top
