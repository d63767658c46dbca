"""The labelled search queries (tests/search_queries.yml) and how an engine is scored on them.

Shared by every search consumer's tests and benchmarks: give `evaluate` a function from a query
to the ranked list of result URLs, get recall@k and MRR back.

    from search_eval import load_queries, evaluate      # tests/ is on sys.path under pytest
    report = evaluate(lambda q: [hit["url"] for hit in archive.search(q)["hits"]], load_queries())
    print(report.summary())

URLs are compared without a leading slash, a trailing "index.html" or a trailing slash, so a
browser engine's "/units/mzj/index.html" and the archive's "units/mzj/" are the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import yaml

QUERIES = Path(__file__).with_name("search_queries.yml")


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    expect: tuple[str, ...]  # URLs that must be in the first k results; the first is the one sought
    type: str = ""
    note: str = ""


def load_queries(path: Path | str = QUERIES) -> list[LabelledQuery]:
    """The labelled queries of a YAML file of {query, expect: [url, …], type, note} entries."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    queries = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not str(entry.get("query", "")).strip() or not entry.get("expect"):
            raise ValueError(f"{path}: entry {number} needs a query and a non-empty expect list: {entry!r}")
        queries.append(LabelledQuery(str(entry["query"]), tuple(str(u) for u in entry["expect"]),
                                     str(entry.get("type", "")), str(entry.get("note", "") or "")))
    return queries


def page_key(url: str) -> str:
    """A URL as a comparable page key: no scheme/host, no leading slash, no index.html, no
    trailing slash, no fragment or query."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    if "://" in url:
        url = url.split("://", 1)[1].partition("/")[2]
    url = url.strip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")].rstrip("/")
    elif url.endswith(".html"):
        url = url[: -len(".html")]
    return url


@dataclass
class QueryResult:
    query: LabelledQuery
    ranked: list[str]  # page keys of the first k results
    found: list[str]  # expected keys among them
    rank: int | None  # 1-based rank of the first expected page, None when none is in the first k

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.query.expect)

    @property
    def missing(self) -> list[str]:
        return [u for u in map(page_key, self.query.expect) if u not in self.found]


@dataclass
class Report:
    k: int
    results: list[QueryResult] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Mean over queries of the share of expected pages in the first k results."""
        return sum(r.recall for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank of the first expected page (0 when it is not in the first k)."""
        return sum(1 / r.rank if r.rank else 0.0 for r in self.results) / len(self.results) if self.results else 0.0

    def by_type(self) -> dict[str, tuple[int, float, float]]:
        out = {}
        for kind in sorted({r.query.type for r in self.results}):
            rs = [r for r in self.results if r.query.type == kind]
            out[kind] = (len(rs), sum(r.recall for r in rs) / len(rs),
                         sum(1 / r.rank if r.rank else 0.0 for r in rs) / len(rs))
        return out

    def failures(self) -> list[QueryResult]:
        return [r for r in self.results if r.recall < 1.0]

    def summary(self, name: str = "engine") -> str:
        lines = [f"{name}: {len(self.results)} labelled queries, recall@{self.k} = {self.recall:.3f}, "
                 f"MRR = {self.mrr:.3f}"]
        for kind, (n, recall, mrr) in self.by_type().items():
            lines.append(f"  {kind or '-':12} {n:3d} queries  recall@{self.k} {recall:.3f}  MRR {mrr:.3f}")
        for r in self.failures():
            lines.append(f"  miss: {r.query.query!r}: {', '.join(r.missing)} (first expected at "
                         f"{r.rank or '-'}; got {', '.join(r.ranked[:3])} …)")
        return "\n".join(lines)


def evaluate(search: Callable[[str], Iterable[str]], queries: list[LabelledQuery] | None = None,
             k: int = 10) -> Report:
    """Score `search` (query → ranked result URLs) on the labelled queries."""
    report = Report(k)
    for labelled in load_queries() if queries is None else queries:
        ranked = [page_key(u) for u in list(search(labelled.query))[:k]]
        expected = [page_key(u) for u in labelled.expect]
        found = [u for u in expected if u in ranked]
        rank = next((i for i, u in enumerate(ranked, 1) if u in expected), None)
        report.results.append(QueryResult(labelled, ranked, found, rank))
    return report
