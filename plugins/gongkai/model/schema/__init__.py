"""Layer 2, the schema: what one content file may say, and the kinds of content.

- fields: enumerations (权力类型, 有效性 …), field types, Chinese labels, the public-contact mark
- records: one schema per kind (Unit, PowerItem, ServiceGuide, Document, Notice) with the facts
  that follow from a record's own fields
- procedure: procedures (steps, templates) and their checks
- report: the annual report (政府信息公开工作年度报告) and the 2021 format's rows and columns
- disclosure: 政府信息公开 — the 公开指南 schema, the statutory columns' vocabulary, the section's settings
- kinds: the Kind registry, the one place a kind of content is declared
- validation: a schema's errors as located problems; placeholders: the 待填写 rule

Imports only the primitives and sensitive layers below it.
"""

from .fields import LABELS, POWER_CATEGORIES, VALIDITY
from .kinds import KINDS, RECORD_KINDS, Kind
from .records import Document, Notice, PowerItem, Record, ServiceGuide, Unit

__all__ = ["Document", "KINDS", "Kind", "LABELS", "Notice", "POWER_CATEGORIES", "PowerItem", "RECORD_KINDS",
           "Record", "ServiceGuide", "Unit", "VALIDITY"]
