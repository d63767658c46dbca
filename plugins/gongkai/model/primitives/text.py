"""The one text normaliser (DESIGN principle 6), shared by validation, matching and search.

Display always keeps the original text; these functions only produce keys for comparison.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

# 文号 brackets: the standard is 六角括号 〔〕; editors type [] () 【】 （） ［］ 〔〕 variants.
_OPEN = "[(（【［〔﹝"
_CLOSE = "])）】］〕﹞"
_BRACKET_FOLD = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})

DOC_NO = re.compile(r"^(?P<agency>\S+?)\s*(?P<open>[\[(（【［〔﹝])\s*(?P<year>\d{4})\s*(?P<close>[\])）】］〕﹞])\s*(?P<serial>\d+)\s*号$")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), then lower case: the key for matching text."""
    return unicodedata.normalize("NFKC", text).lower().strip()


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional → Simplified (OpenCC), also for half-converted text such as 規范, 并聯."""
    return _t2s().convert(text)


def search_text(text: str) -> str:
    """The text search indexes and queries compare: NFKC, Simplified, lower case, and every
    文号 bracket folded to 〔〕. Display always keeps the original."""
    return simplify(unicodedata.normalize("NFKC", text)).lower().translate(_BRACKET_FOLD)


def doc_no_search_key(text: str) -> str:
    """A 文号 as one searchable token: 安府发〔2021〕3号, 安府发[2021]3号 and 安府发2021 3号 → 安府发20213号."""
    return re.sub(r"[\s〔〕]+", "", search_text(text))


class Synonyms:
    """Groups of words that mean the same to a searcher (权力清单 = 权责清单, 督察 = 督查, …),
    from content/_vocab/synonyms.yml; compared in search_text form."""

    def __init__(self, groups: list[list[str]] | None = None):
        self.groups = [sorted({search_text(w) for w in group}) for group in groups or []]

    def expand(self, query: str) -> list[list[str]]:
        """For each group met in the (normalised) query: the group's words."""
        return [group for group in self.groups if any(w in query for w in group)]


def doc_no_key(doc_no: str) -> str:
    """A 文号 key where every bracket form and width matches: 定府发[2020]1号 == 定府发〔2020〕1号."""
    folded = unicodedata.normalize("NFKC", doc_no).translate(_BRACKET_FOLD)
    return re.sub(r"\s+", "", folded)


# The invisible format characters (Unicode category Cf, Unicode 14 as in Python 3.11): zero-width
# spaces and joiners, bidi marks, the BOM, soft hyphens … Written out because `re` has no \p{Cf}
# and testing each character's category in Python costs a page as much as the rest of the gate;
# tests/test_text.py checks this class against the running Python's unicodedata.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


# The other characters Unicode says to show as nothing (Default_Ignorable_Code_Point outside Cf):
# the combining grapheme joiner, Hangul fillers, Khmer and Mongolian ignorables, the variation
# selectors. They hide a value the same way (3301021990\u034f01011234 reads as one number).
OTHER_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0"
                             "\U000e0100-\U000e01ef]")


def without_format_characters(text: str) -> str:
    """text without the invisible characters (format characters, and the other ignorables), which
    hide a value from a search or a check but not from a reader."""
    if text.isascii():
        return text
    return OTHER_INVISIBLE.sub("", FORMAT_CHARACTERS.sub("", text))


def identifier_key(text: str) -> str:
    """The form in which identifiers (文号, 索引号, 事项编码, unit codes, file names) are compared
    for uniqueness: NFKC, without format characters (Unicode category Cf: zero-width spaces and
    joiners, BOM, bidi controls), case-folded. Two values with one key look alike to a reader, or
    land in one file on a case-insensitive file system: they are one identifier."""
    text = unicodedata.normalize("NFKC", text)
    text = without_format_characters(text)
    return unicodedata.normalize("NFKC", text.casefold()).strip()


def reference_key(ref: str) -> str:
    """How a document is looked up by 文号 or 索引号: any bracket form, full-width, traditional,
    look-alikes (identifier_key) included."""
    return identifier_key(doc_no_key(ref))


def canonical_doc_no(doc_no: str) -> str | None:
    """The correctly written 文号 (机关代字〔年份〕序号号), or None when it is not one."""
    match = DOC_NO.match(unicodedata.normalize("NFKC", doc_no.strip()).translate(_BRACKET_FOLD))
    if not match:
        return None
    return f"{match['agency']}〔{match['year']}〕{int(match['serial'])}号"


_OPEN, _CLOSE = "《〈<", "》〉>"


def book_title(name: str) -> str:
    """A law or document name wrapped once in 《》: marks around the whole name, or left over on one
    side, are taken off; titles quoted inside it take the inner marks 〈〉, as in print
    (《关于印发〈…办法〉的通知》, 《〈…办法〉政策解读》)."""
    name = name.strip()
    while name and name[0] in _OPEN:
        end = _closing(name)
        if end is None:
            name = name[1:].strip()  # an opening mark never closed
        elif end == len(name) - 1:
            name = name[1:-1].strip()  # the whole name is quoted
        else:
            break
    while name and name[-1] in _CLOSE and _opening(name) is None:
        name = name[:-1].strip()  # a closing mark never opened
    return "《" + name.replace("《", "〈").replace("》", "〉") + "》"


def _closing(name: str) -> int | None:
    """Where the title mark opening name closes, or None."""
    depth = 0
    for i, char in enumerate(name):
        depth += (char in _OPEN) - (char in _CLOSE)
        if depth == 0:
            return i
    return None


def _opening(name: str) -> int | None:
    """Where the title mark closing name opens, or None."""
    depth = 0
    for i in range(len(name) - 1, -1, -1):
        depth += (name[i] in _CLOSE) - (name[i] in _OPEN)
        if depth == 0:
            return i
    return None
