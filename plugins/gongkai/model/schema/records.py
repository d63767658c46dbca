"""One schema per kind of content: what an editor may write in a file's front matter.

Every field an editor can write is declared here, so unknown fields are reported with a
did-you-mean. A record also knows the facts that follow from its own fields (whether it is
published on a date, the keys a document is referred to by, a notice's last day, the date it
carries itself).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr, field_validator

from ..primitives.text import reference_key
from ..primitives.tree import file_links
from .fields import (BASIS_KINDS, BASIS_LEVELS, DISCLOSURE, NOTICE_KINDS, SECRECY, STATUS_ACTIONS, VALIDITY,
                     Category, ContactPhone, Date, Days, Schema, Text, choice)
from .procedure import Procedure

class Record(Schema):
    """A content file's object: its schema fields plus where it lives (set by the Catalog)."""

    _source: Any = PrivateAttr(None)
    _unit_id: str = PrivateAttr("")
    _slug: str = PrivateAttr("")
    _page: str = PrivateAttr("")
    _body: str = PrivateAttr("")
    _body_links: list | None = PrivateAttr(None)
    # Findings of the sensitive-data rules an editor allows, with a reason: [{rule, match,
    # reason}]. Read and checked by sensitive.files.read_allowances, which free pages use too.
    allow: Any = None

    def bind(self, source: Any, unit_id: str, slug: str, body: str) -> None:
        self._source, self._unit_id, self._slug, self._body = source, unit_id, slug, body
        self._body_links = None

    def place_at(self, page: str) -> None:
        self._page = page

    @property
    def body(self) -> str:
        """The Markdown text below the front matter."""
        return self._body

    @property
    def body_links(self) -> list:
        """The files its body links or embeds (primitives.tree.file_links), found once."""
        if self._body_links is None:
            self._body_links = file_links(self._source.rel, self._body)
        return self._body_links

    @property
    def source(self):
        """The file it came from, with the position of every field (frontmatter.Source)."""
        return self._source

    @property
    def unit_id(self) -> str:
        return self._unit_id

    @property
    def slug(self) -> str:
        return self._slug

    @property
    def page(self) -> str:
        """The site path of its page, e.g. units/zrzyj/powers/XK-001.md."""
        return self._page

    @property
    def page_title(self) -> str:
        """The title of its page and of its entries in lists and search."""
        return self.title

    def is_published(self, on: dt.date) -> bool:
        """Whether the site built as of `on` publishes it: drafts (`draft: true`, a field of every
        kind but the unit) never are."""
        return not getattr(self, "draft", False)

    @property
    def own_date(self) -> dt.date | None:
        """The date it carries itself, if any: its 最后更新 on a site built outside git."""
        return None


class Contact(Schema):
    """A named contact channel shown on unit and item pages."""

    label: Text
    phone: ContactPhone = None
    address: str | None = None
    email: str | None = None
    url: str | None = None


class InternalUnit(Schema):
    """内设机构 with its duties."""

    name: Text
    duties: list[Text] = []
    phone: ContactPhone = None


class GridMember(Schema):
    """One line of a grid roster (网格员名册): staff of a public-facing post, public by precedent."""

    role: Text
    name: Text
    phone: ContactPhone = None
    duties: str | None = None
    area: str | None = None


class Unit(Record):
    """部门/单位, 乡镇/街道, their 职能机构, villages and grids."""

    name: Text  # 全称
    short_name: str | None = None  # 简称
    aliases: list[Text] = []
    type: Text  # from content/_vocab/unit-types.yml
    code: str | None = None  # 机构代码, used in 索引号
    parents: list[Text] = []
    order: int = 1000
    functions: list[Text] = []  # 主要职责
    internal_units: list[InternalUnit] = []  # 内设机构
    plaques: list[Text] = []  # 挂牌
    address: str | None = None
    hours: str | None = None  # 办公时间
    phone: ContactPhone = None  # 咨询电话
    supervision_phone: ContactPhone = None  # 监督电话
    email: str | None = None
    contacts: list[Contact] = []
    roster: list[GridMember] = []  # 网格员名册 (grids, villages)

    @property
    def page_title(self) -> str:
        return self.name


class Citation(Schema):
    """设定依据/实施依据: 《law》 article, at a legal level."""

    law: Text
    article: str | None = None
    level: Annotated[str, choice(BASIS_LEVELS, "a level of legal basis")] | None = None
    kind: Annotated[str, choice(BASIS_KINDS, "a kind of basis")] = "设定依据"

    @field_validator("law")
    @classmethod
    def _strip_title_marks(cls, value: str) -> str:
        return value.strip("《》<>〈〉 ")


class Responsibility(Schema):
    """责任事项 for one stage of the procedure."""

    stage: Text
    duty: Text


class StatusChange(Schema):
    """动态调整: what happened to an item, when, decided by which document."""

    action: Annotated[str, choice(STATUS_ACTIONS, "a status change")]
    date: Date
    document: str | None = None  # 文号 of the deciding document; linked when it is in the archive
    note: str | None = None


class PowerItem(Record):
    """权责事项."""

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
    name: Text
    sub_items: list[Text] = []
    category: Category
    basis: list[Citation] = Field(min_length=1)
    handled_by: str | None = None  # 承办机构: an internal unit of the owning unit
    level: str | None = None  # 行使层级
    responsibilities: list[Responsibility] = []
    accountability: list[Text] = []  # 追责情形
    risks: list[Text] = []  # 廉政风险点
    supervision: str | None = None  # 监督方式
    supervision_phone: ContactPhone = None
    statutory_limit: Days | None = None  # 法定时限, working days
    promised_limit: Days | None = None  # 承诺时限, working days
    fee: str = "不收费"
    materials: list[Text] = []
    conditions: list[Text] = []
    place: str | None = None
    online: bool = False  # 是否网办
    visits: Annotated[int, Field(ge=0, le=10)] | None = None  # 到现场次数
    status: list[StatusChange] = []
    procedure: Procedure | None = None  # 权力运行流程图
    draft: bool = False

    @property
    def page_title(self) -> str:
        return self.name

    @property
    def own_date(self) -> dt.date | None:
        """The date of its last status change."""
        return max(s.date for s in self.status) if self.status else None


class ServiceGuide(Record):
    """办事指南."""

    title: Text
    power: str | None = None  # code of the power item it serves
    conditions: list[Text] = []
    materials: list[Text] = []
    steps: list[Text] = []
    statutory_limit: Days | None = None
    promised_limit: Days | None = None
    fee: str = "不收费"
    place: str | None = None
    hours: str | None = None
    online_url: str | None = None
    visits: Annotated[int, Field(ge=0, le=10)] | None = None
    phone: ContactPhone = None
    updated: Date | None = None
    procedure: Procedure | None = None
    draft: bool = False

    @property
    def own_date(self) -> dt.date | None:
        return self.updated


# One reference or several: `interprets: 安府发〔2024〕5号` or a list of them.
References = Annotated[list[Text], BeforeValidator(lambda value: [value] if isinstance(value, str) else value)]


class Attachment(Schema):
    title: Text
    file: Text  # path relative to the document file


# 文种 (genre) that make a document a 行政规范性文件 or a 规章: the editor says so by its 文种, as
# the issuer registered it (备案). 管理办法, 实施方案 … are not: many are work documents. A county
# issues no 规章; a city's 政府规章 or 部门规章 are. Read by the annual report's 第二部分 and the
# 政策解读 rule.
NORMATIVE_GENRES = frozenset({"规范性文件", "行政规范性文件"})
RULE_GENRES = frozenset({"规章", "政府规章", "部门规章"})


class Document(Record):
    """政策文件 and every other disclosed document, with the 公开目录 metadata."""

    title: Text
    doc_no: str | None = None  # 文号
    index_no: str | None = None  # 索引号; generated when absent
    issuers: list[Text] = []  # 发布机构 (unit ids); default: the owning unit
    genre: str | None = None  # 文种: 通知, 实施方案, 管理办法, 督查通报 …
    topic: Text  # 主题分类
    written: Date | None = None  # 成文日期
    published: Date  # 发布日期
    effective: Date | None = None  # 实施日期
    expires: Date | None = None  # 失效日期
    disclosure: Annotated[str, choice(DISCLOSURE, "a disclosure attribute (公开属性)")] = "主动公开"
    secrecy: Annotated[str, choice(SECRECY, "publishable: only 非涉密 documents go on the site")] = "非涉密"
    validity: Annotated[str, choice(VALIDITY, "a validity (有效性)")] = "有效"
    implements: list[Text] = []  # 文号 of the documents it implements (may be outside the archive)
    amends: list[Text] = []  # 文号 / 索引号 in the archive
    supersedes: list[Text] = []
    repealed_by: str | None = None
    interprets: References = []  # 政策解读: 文号 / 索引号 of the policies it interprets (model/assembly/interpretation.py)
    series: str | None = None  # 《政务督查》, 《定南政务》 …
    issue: Annotated[int, Field(ge=1)] | None = None  # 期号 in the series
    summary: Annotated[str, Field(max_length=100)] | None = None  # 内容概述
    keywords: list[Text] = []  # 主题词
    attachments: list[Attachment] = []
    # 法定主动公开内容: the columns (slug or number) it belongs in, instead of those the mapping in
    # content/_vocab/disclosure-columns.yml gives it.
    columns: list[Text] = []
    draft: bool = False

    def is_published(self, on: dt.date) -> bool:
        """Only 主动公开 documents, from their 发布日期 on."""
        return super().is_published(on) and self.disclosure == "主动公开" and self.published <= on

    @property
    def is_normative(self) -> bool:
        """A 行政规范性文件 (by its 文种)."""
        return self.genre in NORMATIVE_GENRES

    @property
    def reference_keys(self) -> list[str]:
        """The keys other documents refer to it by: its 文号 and 索引号 (text.reference_key)."""
        return [reference_key(k) for k in (self.doc_no, self.index_no) if k]

    @property
    def own_date(self) -> dt.date | None:
        return self.published


class Notice(Record):
    """公示/公告 with a start and an end (or a period in days)."""

    title: Text
    kind: Annotated[str, choice(NOTICE_KINDS, "a kind of notice")] = "公示"
    subject: str | None = None  # 公示对象/事项
    start: Date
    end: Date | None = None
    period_days: Annotated[int, Field(ge=1, le=366)] | None = None
    published: Date | None = None
    contact: ContactPhone = None  # 异议受理 phone or office
    draft: bool = False

    def is_published(self, on: dt.date) -> bool:
        """From its publication date on, when it gives one."""
        return super().is_published(on) and (self.published is None or self.published <= on)

    @property
    def last_day(self) -> dt.date:
        """The end date, or the last day of its period (one day when it gives neither)."""
        if self.end:
            return self.end
        return self.start + dt.timedelta(days=(self.period_days or 1) - 1)

    def is_current(self, on: dt.date) -> bool:
        return self.start <= on <= self.last_day

    @property
    def own_date(self) -> dt.date | None:
        return self.published or self.start


