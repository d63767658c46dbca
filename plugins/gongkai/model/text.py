"""The one text normaliser (DESIGN principle 6), shared by validation, matching and search.

Display always keeps the original text; these functions only produce keys for comparison.
"""

from __future__ import annotations

import re
import unicodedata

# 文号 brackets: the standard is 六角括号 〔〕; editors type [] () 【】 （） ［］ 〔〕 variants.
_OPEN = "[(（【［〔﹝"
_CLOSE = "])）】］〕﹞"
_BRACKET_FOLD = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})

DOC_NO = re.compile(r"^(?P<agency>\S+?)\s*(?P<open>[\[(（【［〔﹝])\s*(?P<year>\d{4})\s*(?P<close>[\])）】］〕﹞])\s*(?P<serial>\d+)\s*号$")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), then lower case: the key for matching text."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def doc_no_key(doc_no: str) -> str:
    """A 文号 key where every bracket form and width matches: 定府发[2020]1号 == 定府发〔2020〕1号."""
    folded = unicodedata.normalize("NFKC", doc_no).translate(_BRACKET_FOLD)
    return re.sub(r"\s+", "", folded)


def canonical_doc_no(doc_no: str) -> str | None:
    """The correctly written 文号 (机关代字〔年份〕序号号), or None when it is not one."""
    match = DOC_NO.match(unicodedata.normalize("NFKC", doc_no.strip()).translate(_BRACKET_FOLD))
    if not match:
        return None
    return f"{match['agency']}〔{match['year']}〕{int(match['serial'])}号"


def book_title(name: str) -> str:
    """A law or document name wrapped once in 《》."""
    name = name.strip().strip("《》<>〈〉")
    return f"《{name}》"
