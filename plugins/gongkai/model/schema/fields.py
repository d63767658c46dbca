"""The vocabulary of the schemas: enumerations, field types, labels, and the public-contact mark.

Field names are English (they are code); values are Chinese (they are content). The Chinese
labels below name each field on the site, in exports and in editors' did-you-mean hints.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ..primitives.dates import DateError, parse_date

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


def choice(options: tuple[str, ...], what: str):
    def check(value: Any) -> Any:
        if isinstance(value, str) and value.strip() in options:
            return value.strip()
        raise PydanticCustomError("gk_choice", f"'{value}' is not {what}", {"options": options})

    return BeforeValidator(check)


Date = Annotated[dt.date, BeforeValidator(_date)]
Text = Annotated[str, Field(min_length=1)]
Days = Annotated[int, Field(ge=0, le=3650)]
Category = Annotated[str, choice(POWER_CATEGORIES, "a power category")]

# The fields that publish contact data on purpose: a unit's phones, its contacts, a grid roster.
# The sensitive-data rules (sensitive/files.py) let mobile numbers through in these fields and nowhere else.
PUBLIC_CONTACT = "public contact"
ContactPhone = Annotated[str | None, PUBLIC_CONTACT]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


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
    "amends": "修改文件", "supersedes": "替代文件", "repealed_by": "废止文件", "interprets": "解读的文件", "series": "刊物/系列",
    "issue": "期号", "summary": "内容概述", "keywords": "主题词", "attachments": "附件",
    "kind": "类别", "subject": "公示对象", "start": "开始日期", "end": "结束日期",
    "period_days": "公示期（天）", "contact": "异议受理", "procedure": "流程图", "allow": "允许公开",
    # Fields of nested schemas, as 'parent.field': their own labels, not a top-level namesake's.
    "basis.law": "法律法规名称", "basis.article": "条款", "basis.level": "依据层级", "basis.kind": "依据类别",
    "responsibilities.stage": "环节", "responsibilities.duty": "责任内容", "status.action": "调整类型",
    "status.date": "调整日期", "status.document": "调整文件", "status.note": "调整说明",
    # 政府信息公开指南 (第十二条) and the 法定主动公开内容 columns.
    "classification": "政府信息的分类", "arrangement": "编排体系", "obtaining": "获取方式",
    "obtaining.proactive": "主动公开信息的获取方式", "obtaining.on_request": "依申请公开的程序",
    "office": "政府信息公开工作机构", "office.name": "政府信息公开工作机构名称", "office.address": "办公地址",
    "office.hours": "办公时间", "office.phone": "联系电话", "office.fax": "传真号码",
    "office.web": "互联网联系方式", "office.email": "电子邮箱", "not_applicable": "不涉及栏目",
    "columns": "公开栏目",
    # 执法人员 (schema/officers.py).
    "officers": "执法人员", "officers.name": "姓名", "officers.cert_no": "执法证号",
    "officers.field": "执法类别/领域", "officers.internal_unit": "所属机构", "officers.valid_until": "有效期至",
    "officers.note": "备注",
    # 行政执法公示 (enforcement.py).
    "party": "当事人", "party.name": "当事人名称", "party.credit_code": "统一社会信用代码", "party.person": "自然人",
    "offence": "违法行为/事由", "outcomes": "处罚/决定内容", "outcomes.type": "决定内容类别",
    "outcomes.amount": "金额（元）", "outcomes.length": "期限", "decided": "决定日期", "minor": "未成年人",
    "withdrawn": "撤回", "withdrawn.date": "撤回日期", "withdrawn.reason": "撤回原因",
    "withdrawn.document": "撤回依据文件", "withdrawn.decided": "变更决定日期",
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
