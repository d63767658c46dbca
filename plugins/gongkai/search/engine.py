"""The archive engine: a whoosh index of the search documents, with jieba segmentation.

Text passes through the one normaliser (model.text.search_text) before segmentation, at indexing
and at query time alike, so Traditional/Simplified, full/half width and 文号 brackets all match.
User input is never handed to a query parser: queries are built from the normalised terms, so
no syntax can make one malformed or expensive; length and term count are capped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
from html import escape
from dataclasses import dataclass, field
from pathlib import Path

import warnings

with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources, which warns on import
    warnings.simplefilter("ignore")
    import jieba
from whoosh import index as whoosh_index
from whoosh import sorting
from whoosh.analysis import Token, Tokenizer
from whoosh.collectors import TimeLimit
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import And, Every, Or, Term, Wildcard

from ..model.searchdocs import KIND_LABELS, SearchDoc
from ..model.text import Synonyms, doc_no_search_key, search_text
from ..model.validation import did_you_mean

jieba.setLogLevel(logging.WARNING)

FORMAT = "gongkai-search-2"  # bump when the schema or the analysis changes: forces a rebuild
MAX_QUERY = 200
MAX_TERMS = 32
PAGE_SIZE = 10
TIME_LIMIT = 2.0  # seconds a single query may run
FACETS = ("unit", "category", "kind", "year")
_WORD = re.compile(r"[0-9a-z]+(?:[-_.][0-9a-z]+)*|[^\W\d_a-z]", re.I)
_DOC_NO = re.compile(r"(?P<agency>[^\s〔\d]*?)〔?(?P<year>(?:19|20)\d\d)〕?\s*(?P<serial>\d{1,4})号")
_jieba_lock = threading.Lock()


class QueryError(ValueError):
    """A query or parameter the engine refuses, with a message for the user."""


class ChineseTokenizer(Tokenizer):
    """jieba's search-mode segmentation of normalised text, plus runs of letters and digits."""

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
    of words jieba could not place. Stop-like punctuation is dropped."""
    normal = search_text(text)
    with _jieba_lock:  # jieba's lazy initialisation is not thread-safe
        words = list(jieba.cut_for_search(normal))
    out = []
    for word in words:
        word = word.strip()
        if not word or not _WORD.search(word):
            continue
        out.append(word)
        if len(word) > 2 and word.isalpha() and not word.isascii():
            out.extend(word[i:i + 2] for i in range(len(word) - 1))  # bigrams: recall for odd splits
    return out


ANALYZER = ChineseTokenizer()


def schema() -> Schema:
    return Schema(
        url=ID(stored=True, unique=True),
        title=TEXT(analyzer=ANALYZER, stored=True, field_boost=4.0),
        aliases=TEXT(analyzer=ANALYZER, stored=True, field_boost=2.0),
        text=TEXT(analyzer=ANALYZER, stored=True),
        kind=ID(stored=True), unit=ID(stored=True), unit_name=STORED, category=ID(stored=True),
        year=ID(stored=True), validity=ID(stored=True),
        code=ID(stored=True), code_key=ID, doc_no=STORED, doc_no_key=ID, index_no=ID(stored=True),
        index_no_key=ID,
    )


def fingerprint(docs: list[SearchDoc], synonyms: list[list[str]]) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for doc in docs:
        digest.update(json.dumps(doc.as_dict(), ensure_ascii=False, sort_keys=True).encode())
    digest.update(json.dumps(synonyms, ensure_ascii=False).encode())
    return digest.hexdigest()


def update_index(index_dir: Path, docs: list[SearchDoc], synonyms: list[list[str]]) -> bool:
    """Build the index when the content changed; False when it was already current.

    Written into a sibling directory and renamed into place, so a reader never sees half an index.
    """
    index_dir = Path(index_dir)
    stamp = fingerprint(docs, synonyms)
    marker = index_dir / "FINGERPRINT"
    if marker.is_file() and marker.read_text() == stamp:
        return False
    staging = index_dir.with_name(index_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    ix = whoosh_index.create_in(staging, schema())
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(
            url=doc.url, title=doc.title, aliases=f"{doc.unit_name} {doc.aliases}", text=doc.text,
            kind=doc.kind, unit=doc.unit, unit_name=doc.unit_name, category=doc.category,
            year=str(doc.year or ""), validity=doc.validity, code=doc.code, code_key=doc.code.lower(),
            doc_no=doc.doc_no, doc_no_key=doc.doc_no_key, index_no=doc.index_no,
            index_no_key=search_text(doc.index_no))
    writer.commit()
    (staging / "FINGERPRINT").write_text(stamp)
    (staging / "meta.json").write_text(json.dumps({
        "synonyms": synonyms,
        "units": {d.unit: {"name": d.title, "aliases": d.aliases.split()} for d in docs if d.kind == "unit"},
        "categories": sorted({d.category for d in docs if d.category}),
    }, ensure_ascii=False))
    previous = index_dir.with_name(index_dir.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if index_dir.exists():
        os.replace(index_dir, previous)
    os.replace(staging, index_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return True


@dataclass
class Query:
    text: str = ""
    unit: str | None = None
    category: str | None = None
    kind: str | None = None
    year: str | None = None
    validity: str | None = None
    page: int = 1
    filters: dict = field(default_factory=dict)


class Archive:
    """An open index: answers queries; safe to share between threads (one searcher per query)."""

    def __init__(self, index_dir: Path):
        index_dir = Path(index_dir)
        if not whoosh_index.exists_in(index_dir):
            raise FileNotFoundError(f"no search index in {index_dir}; build the site first (make site)")
        self.ix = whoosh_index.open_dir(index_dir)
        meta = json.loads((index_dir / "meta.json").read_text())
        self.synonyms = Synonyms(meta["synonyms"])
        self.units: dict[str, dict] = meta["units"]
        self.categories: list[str] = meta["categories"]
        self._unit_names = {search_text(n): uid for uid, u in self.units.items()
                            for n in [uid, u["name"], *u["aliases"]] if n}

    # --- parameters -------------------------------------------------------------------------
    def _unit(self, value: str) -> str:
        key = search_text(value.strip())
        if key in self._unit_names:
            return self._unit_names[key]
        hint = did_you_mean(value, [u["name"] for u in self.units.values()], 0.3)
        raise QueryError(f"unknown unit '{value}'" + (f"; {hint}" if hint else ""))

    def _choice(self, name: str, value: str, options) -> str:
        if value in options:
            return value
        hint = did_you_mean(value, options, 0.3)
        raise QueryError(f"unknown {name} '{value}'" + (f"; {hint}" if hint else ""))

    def _filter(self, unit=None, category=None, kind=None, year=None, validity=None):
        parts = []
        if unit:
            parts.append(Term("unit", self._unit(unit)))
        if category:
            parts.append(Term("category", self._choice("category", category.strip(), self.categories)))
        if kind:
            by_label = {v: k for k, v in KIND_LABELS.items()}
            kind = by_label.get(kind.strip(), kind.strip())
            parts.append(Term("kind", self._choice("kind", kind, list(KIND_LABELS))))
        if year:
            if not str(year).strip().isdigit() or len(str(year).strip()) != 4:
                raise QueryError(f"year must be four digits, got '{year}'")
            parts.append(Term("year", str(year).strip()))
        if validity:
            parts.append(Term("validity", self._choice("validity", validity.strip(), ["有效", "失效", "废止", "已修订"])))
        return And(parts) if parts else None

    def _query(self, text: str):
        normal = search_text(text)
        words = list(dict.fromkeys(terms(text)))[:MAX_TERMS]
        clauses = []
        for word in words:
            clauses += [Term("title", word), Term("aliases", word), Term("text", word)]
        for group in self.synonyms.expand(normal):
            for synonym in group:
                for word in terms(synonym)[:4]:
                    clauses += [Term("title", word, boost=0.8), Term("text", word, boost=0.8)]
        # Exact lookups win: 文号 in any bracket form (or just 〔2020〕1号), 索引号, 事项编码.
        for match in _DOC_NO.finditer(normal):
            key = doc_no_search_key(match[0])
            if match["agency"]:
                clauses.append(Term("doc_no_key", key, boost=1000.0))
            else:
                clauses.append(Wildcard("doc_no_key", f"*{key}", boost=1000.0))
        compact = re.sub(r"\s+", "", normal)
        if "/" in compact:
            clauses.append(Term("index_no_key", compact, boost=1000.0))
        for code in re.findall(r"[0-9a-z]+(?:-[0-9a-z]+)+", normal):
            clauses.append(Term("code_key", code, boost=1000.0))
        return Or(clauses) if clauses else None

    # --- searching ----------------------------------------------------------------------------
    def search(self, text: str = "", unit=None, category=None, kind=None, year=None, validity=None,
               page: int | str = 1) -> dict:
        text = text or ""
        if len(text) > MAX_QUERY:
            raise QueryError(f"the query is too long: at most {MAX_QUERY} characters")
        if any(ord(ch) < 32 and ch not in "\t\n" for ch in text):
            text = "".join(ch if ord(ch) >= 32 else " " for ch in text)
        try:
            page = int(page)
        except (TypeError, ValueError):
            raise QueryError(f"page must be a whole number, got '{page}'") from None
        if page < 1:
            raise QueryError("page must be 1 or more")
        filter_query = self._filter(unit, category, kind, year, validity)
        query = self._query(text)
        if query is None:
            if not text.strip() and filter_query is None:
                raise QueryError("empty query: give words to search for, or a filter")
            if filter_query is None:  # only punctuation, '*' and the like: nothing to find
                return {"total": 0, "page": page, "hits": [], "facets": {f: {} for f in FACETS}}
            query = Every()
        facets = sorting.Facets()
        for name in FACETS:
            facets.add_field(name, maptype=sorting.Count)
        with self.ix.searcher() as searcher:
            collector = searcher.collector(limit=min(page, 10_000) * PAGE_SIZE, groupedby=facets,
                                           filter=filter_query)
            timed = TimeLimitCollector(collector, TIME_LIMIT)
            try:
                searcher.search_with_collector(query, timed)
            except TimeLimit:
                raise QueryError("the query took too long; use fewer or more specific words") from None
            results = collector.results()
            total = len(results)
            start = (page - 1) * PAGE_SIZE
            hits = [self._hit(hit, text) for hit in results[start:start + PAGE_SIZE]] if start < total else []
            counts = {name: dict(sorted(results.groups(name).items(), key=lambda kv: (-kv[1], kv[0])))
                      for name in FACETS}
        counts["unit"] = {self.units.get(k, {}).get("name", k): v for k, v in counts["unit"].items()}
        counts["kind"] = {KIND_LABELS.get(k, k): v for k, v in counts["kind"].items()}
        counts["year"] = {k: v for k, v in counts["year"].items() if k}
        counts["category"] = {k: v for k, v in counts["category"].items() if k}
        return {"total": total, "page": page, "hits": hits, "facets": counts}

    def _hit(self, hit, query: str) -> dict:
        return {"url": hit["url"], "title": hit["title"], "kind": KIND_LABELS.get(hit["kind"], hit["kind"]),
                "unit": hit["unit_name"], "category": hit.get("category", ""),
                "doc_no": hit.get("doc_no", ""), "code": hit.get("code", ""),
                "snippet": snippet(hit.get("text", "") or hit["title"], query)}


def TimeLimitCollector(collector, seconds: float):
    from whoosh.collectors import TimeLimitCollector as _TimeLimitCollector

    return _TimeLimitCollector(collector, timelimit=seconds, use_alarm=False)


def snippet(text: str, query: str, width: int = 80) -> str:
    """A window of the original text around the first matched words, as HTML with the words in
    <mark>. Matching is done on a per-character normalised copy, so positions map back to the
    original and the snippet shows the text as written (Traditional stays Traditional)."""
    normal = "".join(search_text(ch)[:1] or " " for ch in text)  # same length as text
    spans = []
    for word in sorted(set(terms(query)), key=len, reverse=True):
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(word), normal)]
    if not spans:
        return escape(text[:width].replace("\n", " ")) + ("…" if len(text) > width else "")
    spans.sort()
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    parts, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        parts += [escape(text[cursor:s]), f"<mark>{escape(text[s:e])}</mark>"]
        cursor = e
    parts.append(escape(text[cursor:end]))
    body = "".join(parts).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
