"""行政执法公示: the 执法决定 (a kind of content) and the period rules (content/_vocab/enforcement.yml).

A decision says what a unit did under one of its power items: its 决定文号, kind, 当事人, 违法行为,
依据, outcomes, 决定日期 and 公示日期. Whether it is shown on a date is not the editor's to say: the
period rules give the deadline to publish it, how long it stays (by its outcomes) and what is
never published; assembly/enforcement.py applies them and sets what `is_published` reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import Field, PrivateAttr

from .fields import Date, Schema, Text, choice
from .records import Record

# The kinds of decision, with the power category of the item a decision of that kind exercises.
DECISION_KINDS: dict[str, str] = {
    "行政处罚": "行政处罚", "行政许可": "行政许可", "行政强制": "行政强制", "行政检查结果": "行政检查",
    "行政确认": "行政确认", "行政征收": "行政征收", "行政裁决": "行政裁决",
}
# 处罚/决定内容 (行政处罚法 第九条, and the outcomes of the other kinds).
OUTCOMES = (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级", "吊销许可证件",
    "吊销营业执照", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留",
    "准予许可", "不予许可", "变更许可", "延续许可", "注销许可",
    "查封场所设施财物", "扣押财物", "冻结存款汇款", "加处罚款", "代履行", "责令改正", "其他",
)
# Outcomes that last a while: their length (`length:`) can make the display period longer.
BANS = ("暂扣许可证件", "限制开展生产经营活动", "责令停产停业", "限制从业")

# 统一社会信用代码 (GB 32100-2015): 登记管理部门码, 机构类别码, 行政区划码 (6 digits), 主体标识码
# (9) and a check character, from the 31 characters without I, O, Z, S, V.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# A natural person's name as published: the surname kept, the whole given name masked (张某, 张某某,
# 张**, 欧阳某). A two-character surname only from the compound surnames (else 张三* would pass as
# the surname 张三). Anything else where masking is required is a full name.
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
                     "宇文", "司徒", "夏侯", "端木", "独孤", "南宫", "西门", "百里", "呼延", "轩辕", "申屠",
                     "钟离", "闻人", "澹台", "公冶", "太史", "万俟", "赫连", "拓跋")
MASKED_NAME = re.compile(rf"^(?:{'|'.join(COMPOUND_SURNAMES)}|[\u4e00-\u9fff])(?:某{{1,2}}|[*＊×Ｘx]{{1,3}})$")


class Party(Schema):
    """当事人: an organisation (name and 统一社会信用代码) or a natural person (masked name)."""

    name: Text
    credit_code: str | None = None  # 统一社会信用代码, for organisations and 个体工商户
    person: bool = False  # a natural person: the name must be masked


class Outcome(Schema):
    """One 处罚/决定内容: its type, a fine's amount in 元, a ban's length ('6个月', '3年')."""

    type: Annotated[str, choice(OUTCOMES, "an outcome of a decision (处罚/决定内容)")]
    amount: Annotated[float, Field(ge=0)] | None = None  # 元
    length: str | None = None  # 期限 of a ban or a 暂扣
    note: str | None = None


class Withdrawal(Schema):
    """撤回: the decision was 变更、撤销、确认违法或无效 (行政处罚法 第四十八条)."""

    date: Date | None = None  # 撤回日期: the day it was taken off the site
    reason: str | None = None  # 撤回原因, published in the withdrawal notice
    document: str | None = None  # 文号 of the deciding document
    decided: Date | None = None  # when the change was decided (the 3 working days count from it)


class EnforcementDecision(Record):
    """执法决定 (行政处罚决定书, 准予行政许可决定书 …) as published: its 公示 summary."""

    doc_no: Text  # 决定文号
    kind: Annotated[str, choice(tuple(DECISION_KINDS), "a kind of decision")]
    power: Text  # 事项编码 of the power item it exercises
    party: Party  # 当事人
    offence: str | None = None  # 违法行为类型 / 许可事项 / 事由
    basis: list[Text] = []  # 依据
    outcomes: Annotated[list[Outcome], Field(min_length=1)]  # 处罚/决定内容
    decided: Date  # 决定日期
    officers: list[Text] = []  # 执法证号 of the 执法人员 who handled it (linked to the unit's 执法人员名单)
    published: Date | None = None  # 公示日期 (none: not published yet)
    minor: bool = False  # 未成年人: never published
    withdrawn: Withdrawal | None = None
    draft: bool = False

    # Set by assembly/enforcement.apply from the period rules: whether it may ever be published,
    # and its last day on the site (None: its period could not be computed, so never shown).
    _publishable: bool = PrivateAttr(False)
    _shown_until: dt.date | None = PrivateAttr(None)
    _period: str = PrivateAttr("")

    def set_period(self, publishable: bool, shown_until: dt.date | None, period: str) -> None:
        self._publishable, self._shown_until, self._period = publishable, shown_until, period

    @property
    def shown_until(self) -> dt.date | None:
        """公示期至: its last day on the site."""
        return self._shown_until

    @property
    def period(self) -> str:
        """Its display period in words (3个月, 3年)."""
        return self._period

    @property
    def publishable(self) -> bool:
        return self._publishable

    def is_published(self, on: dt.date) -> bool:
        """From its 公示日期 to the end of its display period, unless withdrawn or never publishable."""
        return (super().is_published(on) and self._publishable and self.withdrawn is None
                and self.published is not None and self._shown_until is not None
                and self.published <= on <= self._shown_until)

    @property
    def page_title(self) -> str:
        return f"{self.kind}决定 {self.doc_no}"

    @property
    def own_date(self) -> dt.date | None:
        return self.published


# --- the period rules (content/_vocab/enforcement.yml) -----------------------------------------

class PeriodRule(Schema):
    """The rules of one scope of decisions: units and kinds (empty: all). The first rule of the file
    that matches a decision applies, so specific rules come first."""

    name: Text
    units: list[Text] = []  # unit ids
    kinds: list[Annotated[str, choice(tuple(DECISION_KINDS), "a kind of decision")]] = []
    publish_within: str | int  # 公示时限: '7个工作日'
    short_period: str = "3个月"  # 通报批评 and low fines
    long_period: str = "3年"  # every other outcome
    short_outcomes: list[Annotated[str, choice(OUTCOMES, "an outcome")]] = ["通报批评"]
    short_fine_up_to: Annotated[float, Field(ge=0)] | None = None  # 元 (the province's threshold)
    never_alone: list[Annotated[str, choice(OUTCOMES, "an outcome")]] = []  # decisions of only these: never published


class PeriodRules(Schema):
    rules: Annotated[list[PeriodRule], Field(min_length=1)]
    withdraw_within: str | int = "3个工作日"  # 行政处罚法 第四十八条, 第八十五条
