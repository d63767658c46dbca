"""One schema per kind of content: what an editor may write in a file's front matter.

Field names are English (they are code); values are Chinese (they are content). Every field an
editor can write is declared here, so unknown fields are reported with a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .dates import DateError, parse_date

POWER_CATEGORIES = (
    "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
    "行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务",
)
STATUS_ACTIONS = ("新增", "保留", "取消", "下放", "承接", "合并", "调整")
BASIS_LEVELS = ("法律", "行政法规", "地方性法规", "规章", "规范性文件")
BASIS_KINDS = ("设定依据", "实施依据")
DISCLOSURE = ("主动公开", "依申请公开", "不予公开")
SECRECY = ("非涉密",)
VALIDITY = ("有效", "失效", "废止", "已修订")
NOTICE_KINDS = ("公示", "公告")
GRID_ROLES = ("网格长", "网格员", "专职网格员", "兼职网格员", "民警", "楼栋长", "网格指导员", "村(社区)干部")


def _date(value: Any) -> dt.date:
    try:
        return parse_date(value)
    except DateError as exc:
        raise PydanticCustomError("gk_date", str(exc), {"hint": "write a date as 2021-05-20 or 2021年5月20日"})


def _choice(options: tuple[str, ...], what: str):
    def check(value: Any) -> Any:
        if isinstance(value, str) and value.strip() in options:
            return value.strip()
        raise PydanticCustomError("gk_choice", f"'{value}' is not {what}", {"options": options})

    return BeforeValidator(check)


Date = Annotated[dt.date, BeforeValidator(_date)]
Text = Annotated[str, Field(min_length=1)]
Days = Annotated[int, Field(ge=0, le=3650)]
Category = Annotated[str, _choice(POWER_CATEGORIES, "a power category")]

# The fields that publish contact data on purpose: a unit's phones, its contacts, a grid roster.
# Personal data rules (sensitive.py) let mobile numbers through in these fields and nowhere else.
PUBLIC_CONTACT = "public contact"
ContactPhone = Annotated[str | None, PUBLIC_CONTACT]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class Record(Schema):
    """A content file's object: its schema fields plus where it lives (set by the Catalog)."""

    _source: Any = PrivateAttr(None)
    _unit_id: str = PrivateAttr("")
    _slug: str = PrivateAttr("")
    _page: str = PrivateAttr("")
    _body: str = PrivateAttr("")
    # Findings of the sensitive-data rules an editor allows, with a reason: [{rule, match,
    # reason}]. Read and checked by sensitive.read_allowances, which free pages use too.
    allow: Any = None

    def bind(self, source: Any, unit_id: str, slug: str, body: str) -> None:
        self._source, self._unit_id, self._slug, self._body = source, unit_id, slug, body

    def place_at(self, page: str) -> None:
        self._page = page

    @property
    def body(self) -> str:
        """The Markdown text below the front matter."""
        return self._body

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


class Citation(Schema):
    """设定依据/实施依据: 《law》 article, at a legal level."""

    law: Text
    article: str | None = None
    level: Annotated[str, _choice(BASIS_LEVELS, "a level of legal basis")] | None = None
    kind: Annotated[str, _choice(BASIS_KINDS, "a kind of basis")] = "设定依据"

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

    action: Annotated[str, _choice(STATUS_ACTIONS, "a status change")]
    date: Date
    document: str | None = None  # 文号 of the deciding document; linked when it is in the archive
    note: str | None = None


# --- procedures (权力运行流程) --------------------------------------------------------------
StepId = Annotated[str, Field(pattern=r"^[^\s,:]+$", max_length=40)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Branch(Schema):
    to: StepId
    when: str | None = None  # the condition labelling the arrow


class StepChanges(Schema):
    """What an item may change in a template's step."""

    name: str | None = None
    limit: Days | None = None  # working days
    by: str | None = None  # responsible post or internal unit
    output: Annotated[list[Text], BeforeValidator(_as_list)] | None = None  # documents issued
    next: StepId | list[Branch] | None = None


class Step(Schema):
    id: StepId
    name: Text
    limit: Days | None = None
    by: str | None = None
    output: Annotated[list[Text], BeforeValidator(_as_list)] = []
    next: StepId | list[Branch] | None = None  # none: an end

    @property
    def branches(self) -> list[Branch]:
        if self.next is None:
            return []
        if isinstance(self.next, str):
            return [Branch(to=self.next)]
        return list(self.next)


class Procedure(Schema):
    template: str | None = None
    overrides: dict[StepId, StepChanges] = {}
    steps: list[Step] = []

    @model_validator(mode="after")
    def _one_way(self):
        if bool(self.template) == bool(self.steps):
            raise ValueError("give either 'template:' or 'steps:'")
        if self.overrides and not self.template:
            raise ValueError("'overrides:' change a template's steps; with 'steps:' write them directly")
        return self


class ProcedureTemplate(Schema):
    """A standard procedure in content/_procedures/*.yml."""

    name: Text
    description: str | None = None
    steps: list[Step] = Field(min_length=1)
    _source: Any = PrivateAttr(None)

    def bind(self, source: Any) -> None:
        self._source = source

    @property
    def source(self):
        return self._source



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


class Attachment(Schema):
    title: Text
    file: Text  # path relative to the document file


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
    disclosure: Annotated[str, _choice(DISCLOSURE, "a disclosure attribute (公开属性)")] = "主动公开"
    secrecy: Annotated[str, _choice(SECRECY, "publishable: only 非涉密 documents go on the site")] = "非涉密"
    validity: Annotated[str, _choice(VALIDITY, "a validity (有效性)")] = "有效"
    implements: list[Text] = []  # 文号 of the documents it implements (may be outside the archive)
    amends: list[Text] = []  # 文号 / 索引号 in the archive
    supersedes: list[Text] = []
    repealed_by: str | None = None
    series: str | None = None  # 《政务督查》, 《定南政务》 …
    issue: Annotated[int, Field(ge=1)] | None = None  # 期号 in the series
    summary: Annotated[str, Field(max_length=100)] | None = None  # 内容概述
    keywords: list[Text] = []  # 主题词
    attachments: list[Attachment] = []
    draft: bool = False


class Notice(Record):
    """公示/公告 with a start and an end (or a period in days)."""

    title: Text
    kind: Annotated[str, _choice(NOTICE_KINDS, "a kind of notice")] = "公示"
    subject: str | None = None  # 公示对象/事项
    start: Date
    end: Date | None = None
    period_days: Annotated[int, Field(ge=1, le=366)] | None = None
    published: Date | None = None
    contact: ContactPhone = None  # 异议受理 phone or office
    draft: bool = False


KIND_SCHEMAS: dict[str, type[Schema]] = {
    "unit": Unit,
    "powers": PowerItem,
    "guides": ServiceGuide,
    "documents": Document,
    "notices": Notice,
}

# Chinese labels of the fields: table headers on the site, column names in exports, and the
# words an editor may type by mistake as a field name (an unknown field '事项名称' → 'name').
LABELS: dict[str, str] = {
    "name": "名称", "short_name": "简称", "aliases": "别名", "type": "单位类型", "code": "编码",
    "parents": "上级单位", "functions": "主要职责", "internal_units": "内设机构", "plaques": "挂牌",
    "address": "地址", "hours": "办公时间", "phone": "咨询电话", "supervision_phone": "监督电话",
    "email": "电子邮箱", "contacts": "联系方式", "roster": "网格员名册", "order": "排序",
    "sub_items": "子项", "category": "权力类型", "basis": "设定依据", "handled_by": "承办机构",
    "level": "行使层级", "responsibilities": "责任事项", "accountability": "追责情形",
    "risks": "廉政风险点", "supervision": "监督方式", "statutory_limit": "法定时限",
    "promised_limit": "承诺时限", "fee": "收费依据及标准", "materials": "申请材料",
    "conditions": "办理条件", "place": "办理地点", "online": "是否网办", "visits": "到现场次数",
    "status": "动态调整", "draft": "草稿", "title": "标题", "power": "对应事项", "steps": "办理流程",
    "online_url": "网上办理", "updated": "更新日期", "doc_no": "文号", "index_no": "索引号",
    "issuers": "发布机构", "genre": "文种", "topic": "主题分类", "written": "成文日期",
    "published": "发布日期", "effective": "实施日期", "expires": "失效日期",
    "disclosure": "公开属性", "secrecy": "涉密状态", "validity": "有效性", "implements": "依据文件",
    "amends": "修改文件", "supersedes": "替代文件", "repealed_by": "废止文件", "series": "刊物/系列",
    "issue": "期号", "summary": "内容概述", "keywords": "主题词", "attachments": "附件",
    "kind": "类别", "subject": "公示对象", "start": "开始日期", "end": "结束日期",
    "period_days": "公示期（天）", "contact": "异议受理", "procedure": "流程图", "allow": "允许公开",
    # Fields of nested schemas, as 'parent.field': their own labels, not a top-level namesake's.
    "basis.law": "法律法规名称", "basis.article": "条款", "basis.level": "依据层级", "basis.kind": "依据类别",
    "responsibilities.stage": "环节", "responsibilities.duty": "责任内容", "status.action": "调整类型",
    "status.date": "调整日期", "status.document": "调整文件", "status.note": "调整说明",
    "attachments.title": "附件标题", "attachments.file": "附件文件", "procedure.template": "流程模板",
}
# Common Chinese spellings editors use for a field, beyond LABELS.
ALIASES: dict[str, str] = {
    "事项编码": "code", "事项名称": "name", "实施依据": "basis", "依据": "basis", "全称": "name",
    "发文字号": "doc_no", "发文机关": "issuers", "成文时间": "written", "发布时间": "published",
    "权力类别": "category", "类型": "type", "收费标准": "fee", "职责": "functions",
}


def is_public_contact(schema: type[Schema], field_path: tuple) -> bool:
    """Whether the field at field_path (e.g. ('roster', 0, 'phone')) is declared a public contact."""
    current: Any = schema
    info = None
    for part in field_path:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return False
        info = fields[part]
        current = _nested_schema(info.annotation)
    return info is not None and PUBLIC_CONTACT in info.metadata


def _nested_schema(annotation: Any) -> Any:
    """The Schema inside list[X], X | None …, or None for plain values."""
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _nested_schema(arg)
        if found is not None:
            return found
    return None
