"""政府信息公开工作年度报告: the annual report of a body, in the 2021 format (国办公开办函〔2021〕30号).

One file per body and year, content/units/<unit>/annual-reports/<year>.md. The six sections:

- 一、总体情况: the body of the file (Markdown, the report's long prose);
- 二、主动公开政府信息情况: `proactive`, the four blocks of 第二十条 items (一)(五)(六)(八); the
  规章 and 行政规范性文件 counts may be left out, they are then counted from the site's documents
  (model/assembly/report_rules.py);
- 三、收到和处理政府信息公开申请情况: `applications`, every row a list of 7 numbers
  [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计];
- 四、政府信息公开行政复议、行政诉讼情况: `reviews`, three lists of 5 numbers
  [结果维持, 结果纠正, 其他结果, 尚未审结, 总计];
- 五、存在的主要问题及改进情况: `improvements`;
- 六、其他需要报告的事项: `other_matters`, with the 信息处理费 collected (`processing_fees`, 元).

The Chinese row and column labels are declared once, below: the page, the open data and the
rules' messages all read them from here.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PrivateAttr
from pydantic_core import PydanticCustomError

from .fields import LABELS, Date, Schema, Text
from .records import Record

# The column headers of 第三部分 (申请人情况): 自然人, then 法人或其他组织's five, then 总计.
APPLICANT_ORGANISATIONS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_COLUMNS = ("自然人", *APPLICANT_ORGANISATIONS, "总计")
# 第四部分: each of 行政复议, 未经复议直接起诉 and 复议后起诉 has these five.
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Line:
    """A row of 第三部分: its key in the front matter and its exact label in the format."""

    key: str
    label: str


@dataclass(frozen=True)
class Group:
    """（三）–（六）: a row label spanning its numbered sub-rows."""

    key: str
    label: str
    lines: tuple[Line, ...]


# 第三部分, every row in the format's order, with its exact label: the one table the schema, the
# page, the open data and the 勾稽 messages read. (The sub-rows of the groups are 1. 2. … below
# their group; 三、本年度办理结果 spans （一）…（七）.)
RESULTS_LABEL = "三、本年度办理结果"
NEW = Line("new", "一、本年新收政府信息公开申请数量")
CARRIED_OVER = Line("carried_over", "二、上年结转政府信息公开申请数量")
GRANTED = Line("granted", "（一）予以公开")
PARTLY_GRANTED = Line("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
REFUSED = Group("refused", "（三）不予公开", (
    Line("state_secret", "1.属于国家秘密"),
    Line("prohibited", "2.其他法律行政法规禁止公开"),
    Line("three_safeties", '3.危及"三安全一稳定"'),
    Line("third_party", "4.保护第三方合法权益"),
    Line("internal_affairs", "5.属于三类内部事务信息"),
    Line("process_information", "6.属于四类过程性信息"),
    Line("enforcement_files", "7.属于行政执法案卷"),
    Line("inquiry", "8.属于行政查询事项"),
))
UNAVAILABLE = Group("unavailable", "（四）无法提供", (
    Line("not_held", "1.本机关不掌握相关政府信息"),
    Line("needs_making", "2.没有现成信息需要另行制作"),
    Line("still_unclear", "3.补正后申请内容仍不明确"),
))
NOT_PROCESSED = Group("not_processed", "（五）不予处理", (
    Line("petitions", "1.信访举报投诉类申请"),
    Line("repeated", "2.重复申请"),
    Line("publications", "3.要求提供公开出版物"),
    Line("excessive", "4.无正当理由大量反复申请"),
    Line("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
))
OTHER = Group("other", "（六）其他处理", (
    Line("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Line("fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    Line("others", "3.其他"),
))
TOTAL = Line("total", "（七）总计")
CARRIED_FORWARD = Line("carried_forward", "四、结转下年度继续办理")
GROUPS = (REFUSED, UNAVAILABLE, NOT_PROCESSED, OTHER)
RESULTS: tuple[Line | Group, ...] = (GRANTED, PARTLY_GRANTED, *GROUPS, TOTAL)  # 三's rows
APPLICATION_ROWS: tuple[Line | Group, ...] = (NEW, CARRIED_OVER, *RESULTS, CARRIED_FORWARD)

# 第四部分: the three blocks of five.
REVIEW_BLOCKS = (Line("review", "行政复议"), Line("direct_suit", "未经复议直接起诉"),
                 Line("suit_after_review", "复议后起诉"))
LITIGATION_LABEL = "行政诉讼"

# 第二部分: the four blocks, titled by the item of 第二十条, with their rows.
DOCUMENT_COUNTS = (Line("issued", "本年制发件数"), Line("repealed", "本年废止件数"), Line("in_force", "现行有效件数"))
DOCUMENT_ROWS = (Line("rules", "规章"), Line("normative", "行政规范性文件"))
LICENSING = Line("licensing", "行政许可")
ENFORCEMENT_ROWS = (Line("penalties", "行政处罚"), Line("coercion", "行政强制"))
FEES = Line("fees", "行政事业性收费")


def line_label(path: tuple) -> str:
    """The Chinese label of a row of 第三部分 by its keys, e.g. ('refused', 'third_party') →
    （三）不予公开 4.保护第三方合法权益 (messages name rows as the format does)."""
    for row in APPLICATION_ROWS:
        if row.key == path[0]:
            if isinstance(row, Group) and len(path) > 1:
                if path[1] == "subtotal":
                    return f"{row.label}小计"
                return f"{row.label} " + next(line.label for line in row.lines if line.key == path[1])
            return row.label
    raise KeyError(path)


def _row_of(length: int, what: str, columns: tuple[str, ...]):
    def check(values: list[int]) -> list[int]:
        if len(values) != length:
            raise PydanticCustomError(
                "gk_row", "expected {length} numbers ({what}), got {got}",
                {"length": length, "what": what, "got": len(values),
                 "hint": "write the row as [" + ", ".join(columns) + "]"})
        return values
    return AfterValidator(check)


# Strict: true, 1.5 or "3" in a table of counts is a typing error, not a number to convert.
Count = Annotated[int, Field(ge=0, le=99_999_999, strict=True)]
# A row of 第三部分: 自然人, the five kinds of 法人或其他组织, 总计.
ApplicantRow = Annotated[list[Count], _row_of(7, "one per applicant column", APPLICANT_COLUMNS)]
# A block of 第四部分: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
ReviewRow = Annotated[list[Count], _row_of(5, "one per column", REVIEW_COLUMNS)]


class Refused(Schema):
    """（三）不予公开, by reason."""

    state_secret: ApplicantRow
    prohibited: ApplicantRow
    three_safeties: ApplicantRow
    third_party: ApplicantRow
    internal_affairs: ApplicantRow
    process_information: ApplicantRow
    enforcement_files: ApplicantRow
    inquiry: ApplicantRow
    # 小计: not a row of the format, but of many counties' working sheets; when written, it is
    # checked against the sub-rows (the page shows the sub-rows only, as the format does).
    subtotal: ApplicantRow | None = None


class Unavailable(Schema):
    """（四）无法提供."""

    not_held: ApplicantRow
    needs_making: ApplicantRow
    still_unclear: ApplicantRow
    subtotal: ApplicantRow | None = None


class NotProcessed(Schema):
    """（五）不予处理."""

    petitions: ApplicantRow
    repeated: ApplicantRow
    publications: ApplicantRow
    excessive: ApplicantRow
    confirmation: ApplicantRow
    subtotal: ApplicantRow | None = None


class OtherHandling(Schema):
    """（六）其他处理."""

    no_correction: ApplicantRow
    fee_unpaid: ApplicantRow
    others: ApplicantRow
    subtotal: ApplicantRow | None = None


class Applications(Schema):
    """第三部分: 收到和处理政府信息公开申请情况."""

    new: ApplicantRow
    carried_over: ApplicantRow
    granted: ApplicantRow
    partly_granted: ApplicantRow
    refused: Refused
    unavailable: Unavailable
    not_processed: NotProcessed
    other: OtherHandling
    total: ApplicantRow
    carried_forward: ApplicantRow

    def row(self, path: tuple) -> list[int] | None:
        """A row by its keys: ('new',) or ('refused', 'third_party')."""
        value: Any = self
        for key in path:
            value = getattr(value, key)
        return value

    def group_sum(self, group: Group) -> list[int]:
        """A group's row as the sum of its sub-rows (the format shows no subtotal)."""
        rows = [self.row((group.key, line.key)) for line in group.lines]
        return [sum(column) for column in zip(*rows)]


class Reviews(Schema):
    """第四部分: 行政复议, 行政诉讼 (未经复议直接起诉, 复议后起诉)."""

    review: ReviewRow
    direct_suit: ReviewRow
    suit_after_review: ReviewRow


class DocumentCounts(Schema):
    """本年制发件数, 本年废止件数, 现行有效件数 of 规章 or 行政规范性文件. Each may be left out:
    it is then the count of the site's own documents."""

    issued: Count | None = None
    repealed: Count | None = None
    in_force: Count | None = None


Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]


class Proactive(Schema):
    """第二部分: 主动公开政府信息情况."""

    rules: DocumentCounts = DocumentCounts()  # 规章 (a county issues none)
    normative: DocumentCounts = DocumentCounts()  # 行政规范性文件
    licensing: Count  # 第（五）项 行政许可 本年处理决定数量
    penalties: Count  # 第（六）项 行政处罚
    coercion: Count  # 第（六）项 行政强制
    fees: Amount  # 第（八）项 行政事业性收费 本年收费金额（万元）


@dataclass(frozen=True)
class Counted:
    """What the site's documents say for one row of 第二十条第（一）项: the three counts and the
    documents counted in each (for the editor's warning when an entered value differs)."""

    issued: tuple
    repealed: tuple
    in_force: tuple

    def value(self, key: str) -> int:
        return len(getattr(self, key))


class AnnualReport(Record):
    """政府信息公开工作年度报告 of one body for one year."""

    year: Annotated[int, Field(ge=2008, le=2200)]
    published: Date  # 发布日期
    proactive: Proactive  # 二
    applications: Applications  # 三
    reviews: Reviews  # 四
    improvements: Text  # 五、存在的主要问题及改进情况
    other_matters: str | None = None  # 六、其他需要报告的事项
    processing_fees: Amount = Decimal(0)  # 六: 信息处理费 collected, 元
    draft: bool = False

    # Set once the Catalog is loaded (report_rules.reconcile): the unit's full name and what the
    # site's documents count for 规章 and 行政规范性文件.
    _body_name: str = PrivateAttr("")
    _counted: dict = PrivateAttr(default_factory=dict)

    def is_published(self, on: dt.date) -> bool:
        """From its 发布日期 on, never as a draft."""
        return super().is_published(on) and self.published <= on

    @property
    def own_date(self) -> dt.date | None:
        return self.published

    @property
    def page_title(self) -> str:
        return f"{self._body_name}{self.year}年政府信息公开工作年度报告"

    def name_body(self, name: str) -> None:
        self._body_name = name

    def count(self, row: str, counted: Counted) -> None:
        self._counted[row] = counted

    def counted(self, row: str) -> Counted | None:
        return self._counted.get(row)

    def document_count(self, row: str, key: str) -> int | None:
        """A count of 第二十条第（一）项 as the page shows it: as entered, else as counted."""
        entered = getattr(getattr(self.proactive, row), key)
        if entered is not None:
            return entered
        counted = self.counted(row)
        return counted.value(key) if counted is not None else None

    @property
    def labels(self):
        """This module: the format's labels and ids, for the page template (which imports nothing)."""
        return sys.modules[__name__]

    def applications_table(self) -> list[TableRow]:
        """第三部分 laid out as the format's table (see TableRow)."""
        return applications_table(self.applications)

    @property
    def fees_text(self) -> str:
        return amount_text(self.proactive.fees)

    @property
    def processing_fees_text(self) -> str:
        return amount_text(self.processing_fees)


def amount_text(value: Decimal) -> str:
    """12.50 → '12.5', 100 → '100': an amount as the format prints it, never in exponent form."""
    return format(value.normalize(), "f") if value else "0"  # never '-0'



@dataclass(frozen=True)
class HeaderCell:
    id: str
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableRow:
    """A row of 第三部分's table: the row-header cells it opens (a group's label spans its rows,
    so only its first row opens it), and each number with the ids of every header that applies
    to it (the `headers` attribute: a screen reader names a cell by row and column)."""

    opens: tuple[HeaderCell, ...]
    cells: tuple[tuple[int, str], ...]


# The ids of 第三部分's column headers: 申请人情况 over all, 法人或其他组织 over its five.
APPLICANT_IDS = "gk-applicant"
ORGANISATION_IDS = "gk-applicant-org"
APPLICANT_COLUMN_IDS = tuple(f"gk-applicant-{i}" for i in range(len(APPLICANT_COLUMNS)))


def _column_headers(column: int) -> str:
    ids = [APPLICANT_IDS, APPLICANT_COLUMN_IDS[column]]
    if 1 <= column <= len(APPLICANT_ORGANISATIONS):
        ids.insert(1, ORGANISATION_IDS)
    return " ".join(ids)


def applications_table(applications: Applications) -> list[TableRow]:
    """The rows of 第三部分 as the format lays them out: 一 and 二 and 四 span the three label
    columns; 三、本年度办理结果 spans its 22 rows; （一）（二）（七） span two label columns;
    （三）–（六） span their numbered sub-rows."""
    rows: list[TableRow] = []

    def add(path: tuple, opens: list[HeaderCell], row_ids: list[str]) -> None:
        values = applications.row(path)
        rows.append(TableRow(tuple(opens), tuple(
            (value, " ".join(row_ids) + " " + _column_headers(i)) for i, value in enumerate(values))))

    for line in (NEW, CARRIED_OVER):
        cell = HeaderCell(f"gk-row-{line.key}", line.label, colspan=3)
        add((line.key,), [cell], [cell.id])
    results = HeaderCell("gk-row-results", RESULTS_LABEL,
                         rowspan=sum(len(r.lines) if isinstance(r, Group) else 1 for r in RESULTS))
    lead = [results]
    for row in RESULTS:
        if isinstance(row, Group):
            group = HeaderCell(f"gk-row-{row.key}", row.label, rowspan=len(row.lines))
            for i, line in enumerate(row.lines):
                cell = HeaderCell(f"gk-row-{row.key}-{line.key}", line.label)
                add((row.key, line.key), lead + ([group] if i == 0 else []) + [cell], [results.id, group.id, cell.id])
                lead = []
        else:
            cell = HeaderCell(f"gk-row-{row.key}", row.label, colspan=2)
            add((row.key,), lead + [cell], [results.id, cell.id])
            lead = []
    cell = HeaderCell(f"gk-row-{CARRIED_FORWARD.key}", CARRIED_FORWARD.label, colspan=3)
    add((CARRIED_FORWARD.key,), [cell], [cell.id])
    return rows


# The Chinese names of the report's fields: headers, messages, and did-you-mean for an editor who
# writes the label instead of the key. Added to the schemas' one LABELS table.
LABELS.update({
    "year": "年度", "proactive": "主动公开政府信息情况", "applications": "收到和处理政府信息公开申请情况",
    "reviews": "政府信息公开行政复议、行政诉讼情况", "improvements": "存在的主要问题及改进情况",
    "other_matters": "其他需要报告的事项", "processing_fees": "信息处理费（元）",
    **{f"proactive.{line.key}": line.label for line in (*DOCUMENT_ROWS, LICENSING, *ENFORCEMENT_ROWS, FEES)},
    **{f"reviews.{line.key}": line.label for line in REVIEW_BLOCKS},
})
