"""A unit as sheets and 公文 name it: its full name, short name or an alias, in any width, with
or without the county's name in front (安澜县市场监管局 is 县市场监管局)."""

from __future__ import annotations

import re
import unicodedata

from ..model.schema.records import Unit

# Spaces, and the brackets some lists put around a part of a name (安澜县人民政府（办公室）).
_NOISE = re.compile(r"[\s\u3000·•]+")


def unit_key(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()


class UnitMatcher:
    """Finds units by the names a county writes them by."""

    def __init__(self, units: dict[str, Unit]):
        self.units = units
        self.names: dict[str, set[str]] = {}
        county = self._county_prefix(units)
        for unit_id, unit in units.items():
            for name in (unit_id, unit.name, unit.short_name, *unit.aliases, *unit.plaques):
                if not name:
                    continue
                key = unit_key(name)
                self.names.setdefault(key, set()).add(unit_id)
                # 县市场监管局 is also 安澜县市场监管局, and the other way round.
                if county and key.startswith("县") and not key.startswith(county):
                    self.names.setdefault(county + key[1:], set()).add(unit_id)
                elif county and key.startswith(county):
                    self.names.setdefault("县" + key[len(county):], set()).add(unit_id)
                    if len(key) - len(county) >= 4:  # 清水镇人民政府 for 安澜县清水镇人民政府
                        self.names.setdefault(key[len(county):], set()).add(unit_id)

    @staticmethod
    def _county_prefix(units: dict[str, Unit]) -> str:
        """安澜县 from the 县人民政府's name: the prefix the short names leave out."""
        for unit in units.values():
            if unit.type == "县人民政府" and unit.name.endswith("人民政府"):
                return unit_key(unit.name[: -len("人民政府")])
        return ""

    def find(self, text: str) -> list[str]:
        """The ids of the units the text names: one, none, or (ambiguous) several."""
        return sorted(self.names.get(unit_key(text), ()))

    def describe(self, unit_ids: list[str]) -> str:
        return "、".join(f"{self.units[u].name}（{u}）" for u in unit_ids)

    def in_text(self, text: str) -> list[str]:
        """The units whose full name occurs in the text (a title row 安澜县市场监督管理局权责清单,
        a 发文机关标志): the longest names first, so that a 所 does not hide behind its 局."""
        key = unit_key(text)
        found: list[str] = []
        for name, ids in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            if len(name) >= 4 and name in key:
                key = key.replace(name, "\0")
                found += sorted(ids - set(found))
        return found
