"""政府信息公开: the 公开指南 (a kind of content), the column vocabulary and the section's settings.

- DisclosureGuide: one per disclosing body (第十二条 of the 条例): 政府信息的分类、编排体系、获取方式,
  and the 政府信息公开工作机构's 名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式. Every
  element is required: a guide without one is what 第五十三条 calls a defective guide.
- ColumnSpec: one column of the 法定主动公开内容 tree (第二十条 (1)–(15), 第二十一条), read from
  content/_vocab/disclosure-columns.yml with the selectors that fill it from the Catalog.
- DisclosureSettings: content/_vocab/disclosure.yml (freshness windows, the 公开制度 selector, …).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from .fields import POWER_CATEGORIES, NOTICE_KINDS, PUBLIC_CONTACT, Date, Schema, Text, choice
from .enforcement import DECISION_KINDS
from .records import Record

# A required public phone: the office's 联系电话 and 传真号码 are published on purpose.
RequiredContact = Annotated[str, Field(min_length=1), PUBLIC_CONTACT]


class DisclosureOffice(Schema):
    """政府信息公开工作机构 with the contact data 第十二条 requires."""

    name: Text  # 名称
    address: Text  # 办公地址
    hours: Text  # 办公时间
    phone: RequiredContact  # 联系电话
    fax: RequiredContact  # 传真号码
    web: Text  # 互联网联系方式: a web address or an e-mail address
    email: str | None = None  # a second internet channel, when there are both


class Obtaining(Schema):
    """获取方式: where proactively disclosed information is found, and how to apply for the rest."""

    proactive: Annotated[list[Text], Field(min_length=1)]  # 主动公开: channels (网站、公报、查阅场所 …)
    on_request: Text  # 依申请公开: the procedure (form, submission, 补正, time limits, fees)


class DisclosureGuide(Record):
    """政府信息公开指南 of one body (at most one per unit)."""

    title: Text
    classification: Annotated[list[Text], Field(min_length=1)]  # 政府信息的分类
    arrangement: Text  # 编排体系
    obtaining: Obtaining  # 获取方式
    office: DisclosureOffice  # 政府信息公开工作机构
    updated: Date  # 更新日期 (第五十三条: a stale guide is a violation, so its date is shown)
    # Statutory columns the body has nothing for (e.g. no 政府集中采购): shown as 本机关不涉及, never
    # reported as empty. Each a column's slug or number.
    not_applicable: list[Text] = []
    draft: bool = False

    @property
    def own_date(self) -> dt.date | None:
        return self.updated


# --- the column vocabulary (content/_vocab/disclosure-columns.yml) ------------------------------

# Freshness classes of a column, after the audit rules (国办秘函〔2019〕19号): 动态 columns go stale
# after two weeks, 通知公告/政策文件 columns after six months; 常态 columns (机构职能, 权责事项 …)
# have no window by default, only an empty one is reported.
FRESHNESS_CLASSES = ("动态", "通知公告", "常态")
DEFAULT_WINDOWS: dict[str, int | None] = {"动态": 14, "通知公告": 183, "常态": None}
# Which bodies a column belongs to: every body (第二十条), county-level bodies (第二十一条 first
# list) or townships (its second list); a column may be in both of the last two.
SCOPES = ("全部", "县级", "乡镇")


class DocumentRule(Schema):
    """Documents whose 主题分类 starts with one of `topics` (一级 or 一级\\二级) and whose 文种 is one
    of `genres`; a rule without topics (or genres) takes any."""

    topics: list[Text] = []
    genres: list[Text] = []

    @model_validator(mode="after")
    def _selects_something(self) -> DocumentRule:
        # An empty rule would take every document of the body into the column.
        if not self.topics and not self.genres:
            raise ValueError("a rule takes documents by 'topics', 'genres' or both: give at least one")
        return self

    def matches(self, topic: str, genre: str | None) -> bool:
        return (not self.topics or any(topic == t or topic.startswith(t + "\\") for t in self.topics)) and (
            not self.genres or (genre or "") in self.genres)


class ColumnSelect(Schema):
    """What fills a column from the Catalog; a record is in the column when any selector takes it."""

    documents: list[DocumentRule] = []
    powers: list[Annotated[str, choice(POWER_CATEGORIES, "a power category")]] = []
    guides: bool = False  # the body's 办事指南
    notices: list[Annotated[str, choice(NOTICE_KINDS, "a kind of notice")]] = []
    unit: bool = False  # the body's own unit record (机关职能、机构设置、办公地址 …)
    # 执法决定 of these kinds (行政处罚, 行政强制 …), those in their display period.
    decisions: list[Annotated[str, choice(tuple(DECISION_KINDS), "a kind of decision")]] = []


class ColumnSpec(Schema):
    """One column of the 法定主动公开内容 tree."""

    number: Annotated[int, Field(ge=1, le=99)]  # referred to by documents' `columns:` and guides' `not_applicable:`
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
    basis: Text  # 第二十条第（一）项 …
    title: Text  # the item's text as the 条例 words it
    freshness: Annotated[str, choice(FRESHNESS_CLASSES, "a freshness class")] = "常态"
    scope: Annotated[list[Annotated[str, choice(SCOPES, "a scope")]], Field(min_length=1)] = ["全部"]
    select: ColumnSelect = ColumnSelect()

    def applies_to(self, township: bool) -> bool:
        return "全部" in self.scope or ("乡镇" if township else "县级") in self.scope


# --- the section's settings (content/_vocab/disclosure.yml) -------------------------------------

Window = Annotated[int, Field(ge=1, le=3660)] | None


class Freshness(Schema):
    """Days after which a column of each class is stale (None: never, only emptiness counts)."""

    动态: Window = DEFAULT_WINDOWS["动态"]
    通知公告: Window = DEFAULT_WINDOWS["通知公告"]
    常态: Window = DEFAULT_WINDOWS["常态"]

    def window(self, freshness_class: str) -> int | None:
        return getattr(self, freshness_class)


class DisclosureSettings(Schema):
    """content/_vocab/disclosure.yml; every key optional."""

    freshness: Freshness = Freshness()
    # Read by the 政策解读 rule: a 规范性文件 without a 解读 is a warning when true.
    require_interpretation: bool = False
    # 公开制度: the documents listed as the site's disclosure rules — by default those filed under
    # 综合政务\政务公开 whose 文种 is a rule-making one (管理办法, 制度, 规定 …).
    policies: DocumentRule = DocumentRule(
        topics=["综合政务\\政务公开"],
        genres=["管理办法", "规范性文件", "制度", "规定", "办法", "实施办法", "细则", "规程", "工作规程"])
    # The unit types of the 人民政府 itself: its annual report is due by 3月31日, every other body's by 1月31日.
    government_types: Annotated[list[Text], Field(min_length=1)] = ["县人民政府"]
    # The unit types whose bodies get 第二十一条's township items instead of the county ones.
    township_types: Annotated[list[Text], Field(min_length=1)] = ["乡镇"]
