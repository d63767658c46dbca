"""执法人员 across the site: the lists' cross-file rules and the lookup by 执法证号.

Rules (over every list, drafts included): 所属机构 is one of the owning unit's 内设机构; a
执法证号 belongs to one officer in the whole county; a certificate past its 有效期 on the build
date is a warning, and the officer leaves every output (officers are shown by `OfficerList.shown`).

The lookup is what other pages link by: an enforcement decision names its officers by 执法证号,
and `Catalog.officer(cert_no)` answers the officer shown on the site, whose `page` and `anchor`
make the link (`officer_url`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from ..primitives.problems import Severity, did_you_mean
from ..schema.kinds import url_of
from ..schema.officers import Officer, OfficerList
from ..schema.records import Unit


def cert_key(cert_no: str) -> str:
    """The same number however it is typed: full-width digits, spaces."""
    return unicodedata.normalize("NFKC", str(cert_no)).replace(" ", "")


def check(lists: list[OfficerList], units: dict[str, Unit], on: dt.date) -> list:
    problems: list = []
    first: dict[str, tuple[OfficerList, int]] = {}
    for officers in sorted(lists, key=lambda r: r.source.path):
        unit = units.get(officers.unit_id)
        internal = [iu.name for iu in unit.internal_units] if unit else []
        for i, officer in enumerate(officers.officers):
            where = ("officers", i)
            if unit is not None and officer.internal_unit not in internal:
                hint = (did_you_mean(officer.internal_unit, internal) if internal else
                        f"add internal_units to content/units/{officers.unit_id}/unit.md")
                problems.append(officers.source.problem(
                    (*where, "internal_unit"), f"'{officer.internal_unit}' is not an internal unit of "
                    f"{unit.name}", hint or "one of: " + "、".join(internal)))
            key = cert_key(officer.cert_no)
            if key in first:
                other, j = first[key]
                line, _ = other.source.where("officers", j, "cert_no")
                problems.append(officers.source.problem(
                    (*where, "cert_no"), f"执法证号 {officer.cert_no} is already {other.officers[j].name}'s "
                    f"({other.source.path}:{line})", "a certificate belongs to one officer: check the number"))
            else:
                first[key] = (officers, i)
            if not officer.is_valid(on):
                problems.append(officers.source.problem(
                    (*where, "valid_until"), f"{officer.name}'s 执法证 expired on {officer.valid_until.isoformat()}; "
                    "the officer is not shown", "enter the renewed certificate's date, or remove the officer",
                    Severity.WARNING))
    return problems


def index(lists: list[OfficerList], on: dt.date) -> dict[str, Officer]:
    """The officers the site shows, by 执法证号 (normalised)."""
    out: dict[str, Officer] = {}
    for officers in lists:
        for officer in officers.shown(on):
            out.setdefault(cert_key(officer.cert_no), officer)
    return out


def officer_url(officer: Officer) -> str:
    """The officer's row on the unit's officers page: units/<unit>/officers/#officer-<执法证号>."""
    return f"{url_of(officer.page)}#{officer.anchor}"
