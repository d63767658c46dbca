"""Text analysis for the archive: how a text becomes index terms, and a query the words it is about.

Text passes through the one normaliser (model.text.search_text) before segmentation, at indexing
and at query time alike, so Traditional/Simplified, full/half width and 文号 brackets all match.
Here are jieba's segmentation (ChineseTokenizer/ANALYZER, the analyzer of the index's text
fields; `terms` for indexing, `words` for what a query asks), the stop words dropped from
queries, the indexed forms of 文号 and of the 文号 a text cites, and printable_text, which makes
user input safe to analyse. Nothing here knows about whoosh's index or queries beyond the
tokenizer interface: search.index and search.archive both build on this module.

Changing what this module produces for a text changes the index: bump search.index.FORMAT.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
import warnings

with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources, which warns on import
    warnings.simplefilter("ignore")
    import jieba
from whoosh.analysis import Token, Tokenizer

from ..model.primitives.text import canonical_doc_no, doc_no_search_key, search_text

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[0-9a-z]+(?:[-_.][0-9a-z]+)*|[^\W\d_a-z]", re.I)
# A 文号 in a query: 安府发〔2021〕3号, 安府发20213号, 〔2021〕3号, 2021年3号 (as said aloud).
DOC_NO_IN_QUERY = re.compile(r"(?P<agency>[^\s〔\d]*?)〔?(?P<year>(?:19|20)\d\d)(?:〕|年)?\s*(?P<serial>\d{1,4})号")
# A 文号 cited in a text, in its canonical brackets, with up to two characters of its issuer.
_CITED = re.compile(r"(?P<agency>[^\W\d_]{0,2})〔(?P<year>(?:19|20)\d\d)〕(?P<serial>\d{1,4})号")
_jieba_lock = threading.Lock()
# Words of a question that say nothing about what is sought (怎么办结婚登记, 低保需要什么材料):
# dropped from queries only; the index keeps every word.
STOP_WORDS = frozenset("""
    怎么 怎样 怎么样 如何 哪里 哪儿 哪个 哪些 什么 啥 需要 要 我 我要 我想 想 的 了 吗 呢 啊 吧 在 去 带
    请问 可以 能 能不能 有 是 和 与 及 或 个 一下 办 办理 咋 谁 多少 多久 文
""".split())


def printable_text(value) -> str:
    """User input made safe to analyse: control characters and lone surrogates (from undecodable
    bytes) become spaces, invisible format characters (zero-width space, BOM) go."""
    value = "" if value is None else str(value)
    if value.isprintable():
        return value
    out = []
    for ch in value:
        category = unicodedata.category(ch)
        out.append(" " if category in ("Cc", "Cs", "Zl", "Zp") else "" if category == "Cf" else ch)
    return "".join(out)


class ChineseTokenizer(Tokenizer):
    """jieba's search-mode segmentation of normalised text, plus runs of letters and digits.

    whoosh pickles the schema, and with it this class by its module path, into every index: moving
    or renaming it makes older indexes unreadable, so bump search.index.FORMAT when it moves."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(terms(value)):
            token.text = token.original = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(word)
            yield token


def terms(text: str) -> list[str]:
    """The index terms of a text: jieba words (search mode), letter-digit runs, single characters
    of words jieba could not place, and the bigrams of words longer than two characters (recall
    when a query is cut differently). Stop-like punctuation is dropped."""
    out: list[str] = []
    for line in search_text(text).split("\n"):
        out.extend(_line_terms(line))
    return out


@functools.lru_cache(maxsize=100_000)
def _line_terms(line: str) -> tuple[str, ...]:
    """The terms of one normalised line. Cached: items repeat lines (材料, 责任事项, 收费) a lot.

    jieba's search mode (the dictionary words inside a long word, then the word), except that a
    long word with no dictionary word inside (田长制, 好差评: names jieba does not know) gives its
    bigrams instead, so that part of it can be found."""
    with _jieba_lock:  # jieba's lazy initialisation is not thread-safe
        cut = list(jieba.cut(line))
    freq = jieba.dt.FREQ
    out = []
    for word in cut:
        word = word.strip()
        if not word or not _WORD.search(word):
            continue
        if len(word) > 2 and not word.isascii():
            inner = [word[i:i + n] for n in (2, 3) if len(word) > n
                     for i in range(len(word) - n + 1) if freq.get(word[i:i + n])]
            if not inner and word.isalpha():
                inner = [word[i:i + 2] for i in range(len(word) - 1)]
            out.extend(inner)
        out.append(word)
    return tuple(out)


def words(text: str) -> list[str]:
    """The words of a query as jieba's precise mode cuts them (no sub-words, no bigrams), without
    punctuation and stop words: what the query is about, word by word."""
    with _jieba_lock:
        cut = list(jieba.cut(search_text(text)))
    out = []
    for word in cut:
        word = word.strip()
        if word and _WORD.search(word) and word not in STOP_WORDS and word not in out:
            out.append(word)
    return out


ANALYZER = ChineseTokenizer()


def doc_no_index_key(doc_no: str) -> str:
    """The indexed form of a 文号: canonical, normalised, brackets kept so that a search for
    〔2021〕3号 cannot end inside 〔2020〕213号: 安府办发[2020]12号 → 安府办发〔2020〕12号."""
    if not doc_no:
        return ""
    canonical = canonical_doc_no(doc_no)
    return re.sub(r"\s+", "", search_text(canonical)) if canonical else doc_no_search_key(doc_no)


def citations(text: str) -> list[str]:
    """The 文号 a text cites, as keys: 〔2021〕3号, and with the last two characters of the
    issuer's code before it (府发〔2021〕3号), so that searching a 文号 finds what cites it."""
    keys = set()
    for match in _CITED.finditer(search_text(text)):
        key = f"〔{match['year']}〕{int(match['serial'])}号"
        keys.add(key)
        if len(match["agency"]) == 2:
            keys.add(match["agency"] + key)
    return sorted(keys)
