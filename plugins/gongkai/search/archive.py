"""Querying the archive's whoosh index: the Archive, which answers a query with a page of hits,
their total and facet counts.

User input is never handed to a query parser: queries are built from the normalised terms
(search.analysis), so no syntax can make one malformed or expensive; length and term count are
capped (MAX_QUERY, MAX_TERMS), and a query still running after search.scoring.TIME_LIMIT is
refused. Filters (unit, category, kind, year, validity) must name something that exists, or the
QueryError says what was meant.

A query is an Or of clauses that say what matches (its words in the title, a unit's names or the
text; the synonyms of its words; exact lookups of a 文号, 索引号 or 事项编码, and the texts citing a
文号), AndMaybe'd with boosts that only reorder (the units it names; every word present): its
QueryPlan. The matches are ranked in two tiers: first those a selective clause found (a word few
documents have, an exact lookup), then those only common words found; each tier by whoosh's
BM25F, computed from the postings for just the documents ranked (search.scoring). Facets are
counted from columns of each document's values kept in memory, and each hit carries a snippet of
its text with the query's words marked.

An Archive is shared between threads: its searchers are pooled, and its Scorer locks the cache of
postings and keeps a query's deadline per thread.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import json
import queue
import re
import unicodedata
from html import escape
from pathlib import Path
from typing import NamedTuple

from whoosh import index as whoosh_index
from whoosh.query import And, AndMaybe, Or, Query, Term, Wildcard

from ..model.primitives.problems import did_you_mean
from ..model.primitives.text import Synonyms, search_text
from ..model.schema import VALIDITY
from .analysis import DOC_NO_IN_QUERY, STOP_WORDS, printable_text, terms, words
from .documents import KIND_LABELS
from .index import FIELDS, index_damage
from .scoring import OutOfTime, Scorer

MAX_QUERY = 200
MAX_TERMS = 32
PAGE_SIZE = 10
SNIPPET_SCAN = 20_000  # characters of a text searched for a snippet
SEARCHER_POOL = 32  # open searchers kept for reuse (one per concurrent query)
UNIT_BOOST = 3.0  # a record of a unit the query names
# A clause matching at most this many documents (or share of them) is selective: what it finds
# ranks before what only common words find.
SELECTIVE_MIN, SELECTIVE_SHARE = 50, 0.05
FACETS = ("unit", "category", "kind", "year")


class QueryError(ValueError):
    """A query or parameter the archive refuses, with a message for the user."""


class IndexUnusable(Exception):
    """The index is missing or damaged: the message says which, in one line."""


class QueryPlan(NamedTuple):
    """What the archive makes of a user's text (Archive._query)."""

    ranking: Query | None  # the query whose scores order the hits: `matching`, AndMaybe'd with boosts
    matching: Or | None  # the Or of the clauses that say what matches; each counts alone (tiers)
    marks: set[str]  # the words to mark in snippets, in search_text form


def _clip_for_message(value, length: int = 40) -> str:
    """A value as an error message quotes it: cut after `length` characters."""
    value = str(value)
    return value if len(value) <= length else value[:length] + "…"


def _contains(field_name: str, phrase: str, boost: float = 1.0):
    """A query for a field holding every word of a phrase (a word, or several jieba cuts apart)."""
    parts = [Term(field_name, w) for w in words(phrase)] or [Term(field_name, search_text(phrase))]
    return parts[0].with_boost(boost) if len(parts) == 1 else And(parts, boost=boost)


class Archive:
    """An open index: answers queries; safe to share between threads (a pool of searchers, one
    borrowed per query: whoosh readers are not meant to be used by two threads at once)."""

    def __init__(self, index_dir: Path):
        index_dir = self.index_dir = Path(index_dir)
        if not (index_dir / "FINGERPRINT").is_file():
            raise IndexUnusable(f"no search index in {index_dir}; build the site first (make site)")
        damage = index_damage(index_dir)
        if damage is not None:
            raise IndexUnusable(f"the search index {index_dir} is damaged: {damage}; rebuild it (mkdocs build)")
        try:
            self._open(index_dir)
        except Exception as exc:  # noqa: BLE001 - a damaged file can fail in any of whoosh's readers
            raise IndexUnusable(f"the search index {index_dir} is damaged: cannot read it "
                                f"({type(exc).__name__}); rebuild it (mkdocs build)") from None

    def _open(self, index_dir: Path) -> None:
        self.ix = whoosh_index.open_dir(index_dir)
        meta = json.loads((index_dir / "meta.json").read_text())
        self.synonyms = Synonyms(meta["synonyms"])
        self.units: dict[str, dict] = meta["units"]
        self.categories: list[str] = meta["categories"]
        self._unit_names = {search_text(n): uid for uid, u in self.units.items()
                            for n in [uid, u["name"], *u["aliases"]] if n}
        # A unit named in a query, also without the county's name (安澜县政务大厅, 县政务大厅 → 政务大厅).
        counties = sorted((u["name"][: -len("人民政府")] for u in self.units.values()
                           if u["name"].endswith("县人民政府") or u["name"].endswith("市人民政府")
                           or u["name"].endswith("区人民政府")), key=len)
        prefix = re.compile("^(" + "|".join(map(re.escape, [*(search_text(c) for c in counties[:1]),
                                                             *(search_text(c[:-1]) for c in counties[:1]),
                                                             "县", "市", "区"])) + ")")
        self._unit_mentions: dict[str, set[str]] = {}
        for uid, unit in self.units.items():
            for name in [unit["name"], *unit["aliases"]]:
                name = re.sub(r"\s+", "", search_text(name))
                for variant in {name, prefix.sub("", name)}:
                    if len(variant) >= 2:
                        self._unit_mentions.setdefault(variant, set()).add(uid)
        # Each unit's names as one string, to find the units a query word names (民政 → 民政局).
        self._unit_text = {uid: re.sub(r"\s+", "", search_text(" ".join([u["name"], *u["aliases"]])))
                           for uid, u in self.units.items()}
        self._pool: queue.LifoQueue = queue.LifoQueue()
        self._filters: dict[tuple[str, str], frozenset[int]] = {}
        with self.ix.reader() as reader:
            # Each document's facet values, by document number: facet counts without whoosh's
            # per-query categorizers (which dominate the time of a query at 10,000 documents).
            self._columns = {name: self._column(reader, name) for name in FACETS}
            self._scorer = Scorer(reader, self.ix.schema)

    @contextlib.contextmanager
    def _searcher(self):
        try:
            searcher = self._pool.get_nowait()
        except queue.Empty:
            searcher = self.ix.searcher(weighting=self._scorer.weighting)
        try:
            yield searcher
        finally:
            if self._pool.qsize() < SEARCHER_POOL:
                self._pool.put(searcher)
            else:
                searcher.close()

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                break
        self.ix.close()

    @staticmethod
    def _column(reader, name: str) -> list[str]:
        values = [""] * reader.doc_count_all()
        for value in reader.field_terms(name):
            for docnum in reader.postings(name, value).all_ids():
                values[docnum] = value
        return values

    def _docs(self, searcher, name: str, value: str) -> frozenset[int]:
        """The documents with a field value (filters), cached: the values are few."""
        key = (name, value)
        if key not in self._filters:
            reader = searcher.reader()
            docs = frozenset(reader.postings(name, value).all_ids()) if (name, value) in reader else frozenset()
            if len(self._filters) < 4096:
                self._filters[key] = docs
            return docs
        return self._filters[key]

    # --- parameters -------------------------------------------------------------------------
    def _unit(self, value: str) -> str:
        key = re.sub(r"\s+", "", search_text(value))
        if key in self._unit_names:
            return self._unit_names[key]
        if len(self._unit_mentions.get(key, ())) == 1:  # 工商局 for 县工商局
            return next(iter(self._unit_mentions[key]))
        hint = did_you_mean(value, [u["name"] for u in self.units.values()], 0.3)
        raise QueryError(f"unknown unit '{_clip_for_message(value)}'" + (f"; {hint}" if hint else ""))

    def _choice(self, name: str, value: str, options) -> str:
        """The option a value names, compared in search_text form (行政許可 = 行政许可)."""
        by_key = {search_text(o): o for o in options}
        if search_text(value) in by_key:
            return by_key[search_text(value)]
        hint = did_you_mean(value, options, 0.3)
        raise QueryError(f"unknown {name} '{_clip_for_message(value)}'" + (f"; {hint}" if hint else ""))

    def _filter(self, unit=None, category=None, kind=None, year=None, validity=None) -> list[tuple[str, str]]:
        """The (field, value) pairs a result must have; QueryError for a value that names nothing."""
        parts = []
        if unit:
            parts.append(("unit", self._unit(unit)))
        if category:
            parts.append(("category", self._choice("category", category, self.categories)))
        if kind:
            by_label = {v: k for k, v in KIND_LABELS.items()}
            parts.append(("kind", self._choice("kind", by_label.get(kind, kind), list(KIND_LABELS))))
        if year:
            value = unicodedata.normalize("NFKC", str(year)).strip()
            if not re.fullmatch(r"[0-9]{4}", value):
                raise QueryError(f"year must be four digits, got '{_clip_for_message(year)}'")
            parts.append(("year", value))
        if validity:
            parts.append(("validity", self._choice("validity", validity, list(VALIDITY))))
        return parts

    def _query(self, text: str) -> QueryPlan:
        """For a user's text: the whoosh query that ranks, the query whose clauses say what matches
        (an Or), and the words to mark in snippets (no queries when nothing in it can match)."""
        normal = search_text(text)
        compact = re.sub(r"\s+", "", normal)
        clauses, marks = [], set()
        # Exact lookups win: 文号 in any bracket form (or just 〔2020〕1号), 索引号, 事项编码.
        # A 文号 is looked up whole and as cited in other texts, not as words (号, 1, 2020 …).
        for match in DOC_NO_IN_QUERY.finditer(normal):
            year, serial = match["year"], str(int(match["serial"]))
            key = f"〔{year}〕{serial}号"
            agency = re.sub(r"\W+", "", match["agency"])
            if agency:
                clauses.append(Term("doc_no_key", agency + key, boost=1000.0))
                if len(agency) >= 2:  # 府发〔2021〕3号, or words before the 文号
                    clauses.append(Wildcard("doc_no_key", f"*{agency[-2:]}{key}", boost=300.0))
            clauses.append(Wildcard("doc_no_key", f"*{key}", boost=100.0 if agency else 1000.0))
            clauses.append(Term("cites", key, boost=3.0))  # documents citing it
            if len(agency) >= 2:
                clauses.append(Term("cites", agency[-2:] + key, boost=2.0))
            marks.add(key)
        rest = DOC_NO_IN_QUERY.sub(" ", normal)
        if "/" in compact:
            clauses.append(Term("index_no_key", compact, boost=1000.0))
        for code in re.findall(r"[0-9a-z]+(?:-[0-9a-z]+)+", normal):
            clauses.append(Term("code_key", code, boost=1000.0))
            clauses.append(And([Term("code_key", code), Term("kind", "power")], boost=500.0))
        # Words, in title, unit names and text.
        query_terms = [w for w in dict.fromkeys(terms(rest)) if w not in STOP_WORDS][:MAX_TERMS]
        for word in query_terms:
            clauses += [Term(name, word) for name in FIELDS]
        keys = words(rest)[:8]
        marks.update(w for w in [*keys, *query_terms] if len(w) > 1 or len(keys) == 1)
        # Synonyms: every other word of a group met in the query, as a whole (all its words).
        groups = self.synonyms.expand(rest)[:8]
        for group in groups:
            for synonym in group:
                if synonym not in rest:
                    clauses += [_contains(name, synonym, 0.9) for name in FIELDS]
                    marks.add(synonym)
        # Units a query names (住建局 施工许可) or a query word is part of the names of (民政, 清水镇):
        # their records rank higher, the fewer units the word names the more.
        named: dict[str, float] = {}
        key_units: dict[str, list[str]] = {}
        for mention, uids in self._unit_mentions.items():
            if len(mention) >= 3 and mention in compact:
                for uid in uids:
                    named[uid] = max(named.get(uid, 0.0), UNIT_BOOST)
                for key in keys:
                    if key in mention or mention in key:
                        key_units.setdefault(key, []).extend(uids)
        many = max(3, len(self._unit_text) // 4)
        for key in keys:
            uids = [uid for uid, names in self._unit_text.items() if len(key) >= 2 and key in names]
            if 0 < len(uids) <= many:
                key_units.setdefault(key, []).extend(uids)
                for uid in uids:
                    named[uid] = max(named.get(uid, 0.0), UNIT_BOOST / len(uids) ** 0.5)
        # Scores that only raise what the clauses found: the units named, and coordination.
        boosts = [Term("unit", uid, boost=boost) for uid, boost in sorted(named.items())]
        # Coordination: pages holding every word of the query (or a synonym of it, or being of the
        # unit the word names) come first.
        if len(keys) >= 2:
            parts = []
            for key in keys:
                alternatives = {key} | {w for g in groups if any(key in x or x in key for x in g) for w in g}
                parts.append(Or([_contains(name, a) for a in sorted(alternatives) for name in FIELDS]
                                + [Term("unit", uid) for uid in sorted(set(key_units.get(key, ())))]))
            boosts.append(And(parts, boost=3.0))
        # A unit asked for by name or short name: its own page first.
        for uid in sorted(self._unit_mentions.get(compact, ())):
            clauses.append(And([Term("kind", "unit"), Term("unit", uid)], boost=100.0))
        if not clauses:
            return QueryPlan(None, None, marks)
        found = Or(clauses)
        return QueryPlan(AndMaybe(found, Or(boosts)) if boosts else found, found, marks)

    # --- searching ----------------------------------------------------------------------------
    def search(self, text: str = "", unit=None, category=None, kind=None, year=None, validity=None,
               page: int | str = 1) -> dict:
        text = printable_text(text)
        if len(text) > MAX_QUERY:
            raise QueryError(f"the query is too long: at most {MAX_QUERY} characters")
        # A filter given but unreadable (only control characters, say) is refused, not dropped.
        unit, category, kind, year, validity = (
            None if v is None or not str(v).strip() else printable_text(v).strip() or "\ufffd"
            for v in (unit, category, kind, year, validity))
        try:
            page = int(printable_text(page).strip() if isinstance(page, str) else page)
        except (TypeError, ValueError):
            raise QueryError(f"page must be a whole number, got '{_clip_for_message(printable_text(page))}'") from None
        if page < 1:
            raise QueryError("page must be 1 or more")
        filters = self._filter(unit, category, kind, year, validity)
        plan = self._query(text)
        if plan.ranking is None and not filters:
            if not text.strip():
                raise QueryError("empty query: give words to search for, or a filter")
            return {"total": 0, "page": page, "hits": [], "facets": {f: {} for f in FACETS}}
        start = (page - 1) * PAGE_SIZE
        with self._searcher() as searcher:
            allowed = None
            for name, value in filters:
                docs = self._docs(searcher, name, value)
                allowed = docs if allowed is None else allowed & docs
            if plan.ranking is None:  # filters only: the newest first
                matched = set(allowed)
                years = self._columns["year"]
                ranked = sorted(matched, key=lambda d: (-int(years[d] or 0), d))[start:start + PAGE_SIZE]
                hits = [self._hit(searcher.stored_fields(d), plan.marks) for d in ranked]
            else:
                try:
                    with self._scorer.time_bound():
                        matched, tier = self._match(searcher, plan.matching, allowed)
                        hits = [self._hit(fields, plan.marks)
                                for fields in self._rank(searcher, plan.ranking, matched, tier, start)]
                except OutOfTime:
                    raise QueryError("the query took too long; use fewer or more specific words") from None
        return {"total": len(matched), "page": page, "hits": hits, "facets": self._facets(matched)}

    def _match(self, searcher, found, allowed) -> tuple[set[int], set[int] | None]:
        """Every document the query's clauses match (unscored: for the total and the facets),
        and the first tier of them: those matched by a selective clause (a word few documents
        have, an exact lookup, a synonym), or failing that those with every word in the title.
        None when the ranking is not split (then every match is scored alike)."""
        reader = searcher.reader()
        selective = max(SELECTIVE_MIN, int(reader.doc_count_all() * SELECTIVE_SHARE))
        matched: set[int] = set()
        tier: set[int] = set()
        title_sets: list[set[int]] = []
        for clause in found.subqueries:
            self._scorer.in_time()
            if isinstance(clause, Term):
                docs = self._scorer.postings(searcher, clause.fieldname, clause.text)[0]
            else:
                docs = list(clause.docs(searcher))
            matched.update(docs)
            if len(docs) <= selective:
                tier.update(docs)
            elif isinstance(clause, Term) and clause.fieldname == "title":
                title_sets.append(set(docs))
        if allowed is not None:
            matched &= allowed
            tier &= allowed
        if not tier and title_sets:
            tier = set.intersection(*title_sets) & matched
        if not tier or len(tier) == len(matched):
            return matched, None
        return matched, tier

    def _rank(self, searcher, query, matched: set[int], tier: set[int] | None, start: int) -> list:
        """The stored fields of one page of hits: the first tier by score, then the rest by score
        (documents of equal score in index order)."""
        end = start + PAGE_SIZE
        if start >= len(matched):
            return []
        ranked: list[int] = []
        for docs in ([matched] if tier is None else [tier, matched - tier]):
            if len(ranked) >= end:
                break
            if len(ranked) + len(docs) <= start:  # a whole tier before the page: skip, unscored
                ranked += sorted(docs)
                continue
            scores = self._scorer.scores(searcher, query, docs)
            ranked += sorted(docs, key=lambda d: (-scores.get(d, 0.0), d))
        return [searcher.stored_fields(d) for d in ranked[start:end]]

    def _facets(self, matched) -> dict[str, dict[str, int]]:
        counts = {}
        for name in FACETS:
            column = self._columns[name]
            tally = collections.Counter(column[d] for d in matched)
            tally.pop("", None)
            counts[name] = dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
        counts["unit"] = {self.units.get(k, {}).get("name", k): v for k, v in counts["unit"].items()}
        counts["kind"] = {KIND_LABELS.get(k, k): v for k, v in counts["kind"].items()}
        return counts

    def _hit(self, hit: dict, marks) -> dict:
        """A result as the CLI and the API give it, from a document's stored fields."""
        return {"url": hit["url"], "title": hit["title"], "kind": KIND_LABELS.get(hit["kind"], hit["kind"]),
                "unit": hit["unit_name"], "category": hit.get("category", ""),
                "doc_no": hit.get("doc_no", ""), "code": hit.get("code", ""),
                "snippet": snippet(hit.get("text", "") or hit["title"], marks)}


@functools.lru_cache(maxsize=65536)
def _char_key(ch: str) -> str:
    return search_text(ch)[:1] or " "


def snippet(text: str, marks, width: int = 80) -> str:
    """A window of the original text where most of the marked words meet, as HTML with the words
    in <mark>. `marks` is a query (its words are marked) or a set of words in search_text form.
    Matching is done on a per-character normalised copy, so positions map back to the original and
    the snippet shows the text as written (Traditional stays Traditional, [2020] stays [2020])."""
    text = text[:SNIPPET_SCAN]
    if isinstance(marks, str):
        marks = set(words(marks)) | {w for w in terms(marks) if len(w) > 1}
    normal = "".join(_char_key(ch) for ch in text)  # same length as text
    spans = []
    for word in sorted({m for m in marks if m.strip()}, key=len, reverse=True):
        spans += [(m.start(), m.end(), word) for m in re.finditer(re.escape(word), normal)][:50]
    if not spans:
        return escape(text[:width].replace("\n", " ")) + ("…" if len(text) > width else "")
    spans.sort()
    # The window (starting a little before a match) that holds the most different words.
    best, best_start = -1, 0
    for s, _, _ in spans[:200]:
        start = max(0, s - width // 4)
        seen = {w for b, e, w in spans if b >= start and e <= start + width}
        if len(seen) > best:
            best, best_start = len(seen), start
    start = best_start
    end = min(len(text), start + width)
    parts, cursor = [], start
    for s, e, _ in spans:
        if s < cursor or e > end:
            continue
        parts += [escape(text[cursor:s]), f"<mark>{escape(text[s:e])}</mark>"]
        cursor = e
    parts.append(escape(text[cursor:end]))
    body = "".join(parts).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")

