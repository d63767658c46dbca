"""执法人员: the enforcement officers of a unit, published by law (行政执法公示).

A unit keeps one list, content/units/<unit>/officers.md, the way its personnel office keeps it:
one line per officer with 姓名, 执法证号, 执法类别/领域 and 所属机构 (the unit's 内设机构). Those four
fields are public by law, so the schema declares them public: the sensitive-data rules let a
certificate number that happens to look like a mobile through there, and nowhere else (a note
is scanned like any text).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr
from pydantic_core import PydanticCustomError

from .fields import PUBLIC_CONTACT, Date, Schema
from .records import Record

# 行政执法证 numbers are digits (11–13 in most provinces' series), some with the issuing
# province's one-character prefix (琼, 赣 …) before the digits.
CERT_NO = re.compile(r"^(?:[\u4e00-\u9fff]{1,2})?[0-9]{8,13}$")
CERT_HINT = "write the number on the 行政执法证: 11–13 digits, or the province's prefix and digits (e.g. 琼12345678901)"


def _cert_no(value: Any) -> Any:
    # Full-width digits and spaces typed by mistake are the same number.
    text = (unicodedata.normalize("NFKC", str(value)).replace(" ", "")
            if isinstance(value, (str, int)) and not isinstance(value, bool) else value)
    if isinstance(text, str) and CERT_NO.match(text):
        return text
    raise PydanticCustomError("gk_format", f"'{value}' is not a 执法证号", {"hint": CERT_HINT})


# Published by law (disclosure-rules.md, 行政执法公示): declared public like a public contact.
PublicText = Annotated[str, Field(min_length=1), PUBLIC_CONTACT]
CertNo = Annotated[str, BeforeValidator(_cert_no), PUBLIC_CONTACT]


class Officer(Schema):
    """One 执法人员 of the list."""

    name: PublicText  # 姓名
    cert_no: CertNo  # 执法证号
    field: PublicText  # 执法类别/领域
    internal_unit: PublicText  # 所属机构: one of the unit's internal_units
    valid_until: Date | None = None  # 有效期至: after it the officer is no longer shown
    note: str | None = None  # 备注 (not public by law: scanned)

    _page: str = PrivateAttr("")
    _unit_id: str = PrivateAttr("")

    def is_valid(self, on: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= on

    @property
    def anchor(self) -> str:
        """The id of the officer's row on the unit's officers page."""
        return f"officer-{self.cert_no}"

    @property
    def unit_id(self) -> str:
        """The unit whose list names the officer (所属单位)."""
        return self._unit_id

    @property
    def page(self) -> str:
        """The site path of the page listing the officer (units/<unit>/officers/index.md)."""
        return self._page


class OfficerList(Record):
    """执法人员名单 of a unit: content/units/<unit>/officers.md."""

    officers: list[Officer] = Field(min_length=1)
    updated: Date | None = None  # 更新日期 of the list, if the editor states it
    draft: bool = False

    def place_at(self, page: str) -> None:
        super().place_at(page)
        for officer in self.officers:
            officer._page, officer._unit_id = page, self.unit_id

    def shown(self, on: dt.date) -> list[Officer]:
        """The officers the site shows as of `on`: an expired certificate is not shown."""
        return [o for o in self.officers if o.is_valid(on)]

    @property
    def page_title(self) -> str:
        return "执法人员"

    @property
    def own_date(self) -> dt.date | None:
        return self.updated
