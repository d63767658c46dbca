"""Scoring the archive's matches: whoosh's BM25F, computed straight from the postings.

whoosh scores a query by walking its matcher tree, whose cost grows with the number of clauses
for every document visited. The Scorer computes the same BM25F for just the documents the
archive ranks, from each term's postings (read a block at a time and cached, POSTING_CACHE
terms: common words recur in queries): 10-20x faster for the queries people type (10,000
items), over one segment or several. tests/test_search_engine.py checks that the scores are
whoosh's. Queries of other kinds are left to whoosh's own scoring (`top`), whose weighting reads
the documents' field lengths from memory too when the index is one segment (Weighting).

A query's cost is bounded: within Scorer.time_bound, matching or scoring still running
TIME_LIMIT seconds after it began raises OutOfTime, as does a whoosh search (`top`) running
longer than TIME_LIMIT itself. A Scorer is shared between threads: its posting cache is locked,
and the deadline is kept per thread.
Nothing here knows about the archive's queries, filters or hits (search.archive).
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import functools
import threading
import time
from array import array

from whoosh import collectors
from whoosh.collectors import TimeLimit
from whoosh.query import And, AndMaybe, Or, Term, Wildcard
from whoosh.scoring import BM25F, BM25FScorer, bm25

TIME_LIMIT = 2.0  # seconds a query may take to match and score
POSTING_CACHE = 512  # terms whose postings are kept in memory (common words recur in queries)


class OutOfTime(Exception):
    """A query still running after TIME_LIMIT (the archive refuses it with a QueryError)."""


def leaves(reader) -> list[tuple[object, int]]:
    """The segment readers of a reader, each with the number of its first document."""
    return [(reader, 0)] if reader.is_atomic() else list(reader.leaf_readers())


class Weighting(BM25F):
    """BM25F with the documents' field lengths read from lists in memory rather than from the
    index file for every posting scored (a third of the time of a query with common words)."""

    def __init__(self, lengths: dict[str, list[int]]):
        super().__init__()
        self.lengths = lengths

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if fieldname in self.lengths and isinstance(scorer, BM25FScorer):
            scorer.dfl = self.lengths[fieldname].__getitem__
        return scorer


def TimeLimitCollector(collector, seconds: float):
    return collectors.TimeLimitCollector(collector, timelimit=seconds, use_alarm=False)


def top(searcher, query, limit: int, allowed=None) -> list:
    """whoosh's own top documents (several segments; and the tests, to check Scorer.scores)."""
    best = collectors.TopCollector(limit=limit)
    # Not whoosh's matcher replacement: with AndMaybe over boosted compound queries it drops
    # documents that belong at the top (whoosh3 0.x); block skipping stays.
    best.replace = 0
    collector = collectors.FilterCollector(best, allow=allowed) if allowed is not None else best
    try:
        searcher.search_with_collector(query, TimeLimitCollector(collector, TIME_LIMIT))
    except TimeLimit:
        raise OutOfTime from None
    return list(collector.results())


class Scorer:
    """whoosh's BM25F scores of an index's documents, from the postings; safe to share between
    threads (the searchers passed in are each used by one thread at a time)."""

    def __init__(self, reader, schema):
        # Every document's field lengths, by document number, for scoring.
        self.lengths = {name: [length for leaf, offset in leaves(reader)
                               for length in map(functools.partial(leaf.doc_field_length, fieldname=name,
                                                                   default=1), range(leaf.doc_count_all()))]
                        for name, field_type in schema.items() if field_type.scorable}
        # The weighting of the archive's searchers (of whoosh's own scoring, `top`).
        self.weighting = BM25F()
        if reader.is_atomic():  # whoosh's own scoring (tests) reads them too
            self.weighting = Weighting(self.lengths)
        self._lock = threading.Lock()
        self._local = threading.local()  # the deadline of the query this thread is answering
        self._posting_cache: collections.OrderedDict = collections.OrderedDict()

    @contextlib.contextmanager
    def time_bound(self):
        """The query this thread answers within: in_time raises OutOfTime after TIME_LIMIT."""
        self._local.deadline = time.monotonic() + TIME_LIMIT
        try:
            yield
        finally:  # the bound is this query's: a thread's next call must not inherit it
            self._local.deadline = float("inf")

    def in_time(self) -> None:
        """The bound on a query's cost: a query still running after TIME_LIMIT is refused."""
        if time.monotonic() > getattr(self._local, "deadline", float("inf")):
            raise OutOfTime

    def postings(self, searcher, field: str, text: str) -> tuple[array, array]:
        """The document numbers and weights of a term's postings."""
        key = (field, text)
        with self._lock:
            cached = self._posting_cache.get(key)
            if cached is not None:
                self._posting_cache.move_to_end(key)
                return cached
        ids, weights = array("i"), array("f")
        for leaf, offset in leaves(searcher.reader()):
            if key not in leaf:
                continue
            matcher = leaf.postings(field, text)
            if all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights")):
                while matcher.is_active():  # whoosh3's leaf matcher: a block at a time
                    matcher._read_ids()
                    matcher._read_weights()
                    ids.extend([d + offset for d in matcher._ids] if offset else matcher._ids)
                    weights.extend(matcher._weights)
                    matcher._next_block()
            else:
                for docnum, weight in matcher.items_as("weight"):
                    ids.append(docnum + offset)
                    weights.append(weight)
        with self._lock:
            self._posting_cache[key] = (ids, weights)
            while len(self._posting_cache) > POSTING_CACHE:
                self._posting_cache.popitem(last=False)
        return ids, weights

    def scores(self, searcher, query, docs: set[int]) -> dict[int, float]:
        """{document: score} of the documents of `docs` the query matches, as whoosh scores them."""
        self.in_time()
        boost = getattr(query, "boost", 1.0)
        if isinstance(query, Term):
            ids, weights = self.postings(searcher, query.fieldname, query.text)
            if len(docs) * 16 < len(ids):
                found = []
                for docnum in docs:
                    i = bisect.bisect_left(ids, docnum)
                    if i < len(ids) and ids[i] == docnum:
                        found.append((docnum, weights[i]))
            else:
                found = [(d, w) for d, w in zip(ids, weights) if d in docs]
            if not found:
                return {}
            if not searcher.schema[query.fieldname].scorable:
                return {d: w * boost for d, w in found}
            idf = searcher.idf(query.fieldname, query.text)
            average = searcher.avg_field_length(query.fieldname) or 1
            lengths = self.lengths.get(query.fieldname)
            length = lengths.__getitem__ if lengths else (lambda d: searcher.doc_field_length(d, query.fieldname, 1))
            b, k1 = self.weighting.B, self.weighting.K1
            return {d: bm25(idf, w, length(d), average, b, k1) * boost for d, w in found}
        if isinstance(query, AndMaybe):
            first = self.scores(searcher, query.a, docs)
            more = self.scores(searcher, query.b, set(first)) if first else {}
            return {d: score + more.get(d, 0.0) for d, score in first.items()}
        if isinstance(query, And):
            parts = []
            for sub in query.subqueries:
                part = self.scores(searcher, sub, docs)
                if not part:
                    return {}
                parts.append(part)
                docs = docs & part.keys()
            return {d: sum(part[d] for part in parts) * boost for d in docs}
        if isinstance(query, Or):
            total: dict[int, float] = {}
            for sub in query.subqueries:
                for d, score in self.scores(searcher, sub, docs).items():
                    total[d] = total.get(d, 0.0) + score
            return {d: score * boost for d, score in total.items()} if boost != 1.0 else total
        if isinstance(query, Wildcard):
            found = set()
            for text in query._btexts(searcher.reader()):
                text = searcher.schema[query.fieldname].from_bytes(text) if isinstance(text, bytes) else text
                found.update(self.postings(searcher, query.fieldname, text)[0])
            if query.constantscore:
                return {d: boost for d in found & docs}
            field = searcher.schema[query.fieldname]
            texts = [field.from_bytes(t) if isinstance(t, bytes) else t for t in query._btexts(searcher.reader())]
            return self.scores(searcher, Or([Term(query.fieldname, t) for t in texts], boost=boost), docs)
        # Anything else: whoosh scores it, over these documents.
        return {hit.docnum: hit.score for hit in top(searcher, query, len(docs) or 1, allowed=docs)}
