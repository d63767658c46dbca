"""The browser search of the public site: a static index of the search documents, in small files.

The search page (themes/gongkai/gongkai/search.html, assets/javascripts/gongkai-search.js) loads
only the few files a query needs: for each token of the query the one postings file (bucket) that
holds it, then one small record file per result shown.

Why not Pagefind (measured, bench/browser_search.py, 10,000 power items = 12,550 records): its
index chunks are small enough (the first query moved 0.6-1 MB), but its WebAssembly search takes
time that grows with the square of the number of pages a term matches: 0.3 s for 行政许可, 0.8 s for
行政 (11,191 pages), 0.5 s for a word on every page of a synthetic 12,000-page index, whatever its
ranking options, filters or worker - past the 300 ms budget for the most ordinary queries. Its
Chinese segmentation also disagreed with itself: jieba when indexing, the browser's ICU
dictionary when searching, so 行政复议 (one word to ICU, two to jieba) missed 36 of 37 sample pages.

Tokens (the same rules in the page's JavaScript): the text in search_text form (NFKC, Simplified,
lower case, 文号 brackets 〔〕), then
- every Chinese character and every pair of adjacent Chinese characters: a query finds the records
  containing all the pairs of each of its terms (行政许可 → 行政 政许 许可), one character its
  records, whatever a segmenter would make of the words;
- every run of other letters and digits (zrzy, xk, 001, 2021, 20213 of the 文号 key 安府发20213号)
  and its prefixes of 2 to 12 characters, so that a code can be typed in part;
- one token per filter value (FILTER_PREFIX + unit/category/kind + value), so that a filter is one
  more list to intersect.

A posting is record id × 4 + weight: 3 the token is in the title, 2 in the rest of the head (事项编码,
文号, 索引号, unit, other names), 1 in the text three times or more, 0 in the text.

Files under site_dir/search/data/ (DATA_DIR), all written in sorted order (same content, same bytes):
  manifest.json              format, content hash, record count, bucket count
  p/<bucket>.bin             the postings of every token whose FNV-1a hash falls in the bucket:
                             per token varint(len) token(UTF-8) varint(count) varint(bytes) then
                             the postings as varint deltas, tokens in sorted order
  r/<id // 1000>/<id>.json   one record: url, title, unit, category, kind, 文号, year, text
The Traditional→Simplified map and the synonyms go to DATA_FILE, loaded by the search page only.

Offline (the bundle opened from the file system, where browsers refuse fetch()), every file also
has a script twin, <path>.js, that hands its content to the page when loaded with a <script> tag:
  gongkaiSearchFile("<path>", <JSON value, or the bytes of a .bin file in base64>);
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import re
import shutil
from array import array
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from .documents import KIND_LABELS, SearchDoc
from ..model.primitives.text import search_text, simplify

log = logging.getLogger("mkdocs.plugins.gongkai.search")

FORMAT = 1
DATA_DIR = "search/data"
DATA_FILE = "assets/javascripts/gongkai-search-data.js"
CJK_RANGE = (0x3400, 0x9FFF)  # the characters of the Traditional→Simplified map
BUCKET_BYTES = 12_000  # the postings files' target size
TEXT_CHARS = 1500  # the text kept in a record file, for excerpts
PREFIX_MIN, PREFIX_MAX = 2, 12
FILTER_PREFIX = "|"  # never in a query's tokens
FILTERS = ("unit", "category", "kind")
TITLE, HEAD, OFTEN, ONCE = 3, 2, 1, 0

# Chinese characters: the same class as HAN in gongkai-search.js.
HAN = "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(f"([{HAN}]+)|((?:(?![{HAN}])[^\\W_])+)")


# --- tokens -----------------------------------------------------------------------------------

def tokens(text: str, normalised: bool = False) -> Counter:
    """Every token of a text with how often it occurs (see the module's docstring)."""
    counts: Counter = Counter()
    for han, word in _RUNS.findall(text if normalised else search_text(text)):
        if han:
            counts.update(han)
            counts.update(map(str.__add__, han, han[1:]))
        else:
            counts.update(word[:k] for k in range(min(PREFIX_MIN, len(word)), min(PREFIX_MAX, len(word)) + 1))
            if len(word) > PREFIX_MAX:
                counts[word] += 1
    return counts


def query_tokens(term: str) -> list[str]:
    """The tokens a query term must all match (what the page computes): its pairs of Chinese
    characters (a lone character itself), its other words whole (the first 12 characters)."""
    out = []
    for han, word in _RUNS.findall(search_text(term)):
        if han:
            out += [han] if len(han) == 1 else list(map(str.__add__, han, han[1:]))
        else:
            out.append(word if len(word) <= PREFIX_MAX else word[:PREFIX_MAX])
    return list(dict.fromkeys(out))


_MARKDOWN = [
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),          # links and images: their text
    (re.compile(r"</?[A-Za-z][^<>\n]*>"), " "),                      # HTML tags
    (re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.M), ""),  # table rules
    (re.compile(r"^\s{0,3}(?:#{1,6}|>)\s*", re.M), ""),              # headings, quotes
    (re.compile(r"\*\*|__|`+|\|"), " "),                             # emphasis, code, cells
    (re.compile(r"[ \t]{2,}"), " "),
]


def markdown_to_text(markdown: str) -> str:
    """Markdown as the text a reader sees (near enough for excerpts and search): no table rules,
    pipes, heading marks, emphasis or link targets."""
    for pattern, replacement in _MARKDOWN:
        markdown = pattern.sub(replacement, markdown)
    return markdown


def filter_values(doc: SearchDoc) -> dict[str, str]:
    return {"unit": doc.unit_name, "category": doc.category, "kind": KIND_LABELS.get(doc.kind, doc.kind)}


def filter_token(name: str, value: str) -> str:
    return f"{FILTER_PREFIX}{name}{FILTER_PREFIX}{value}"


def record_tokens(doc: SearchDoc, text: str) -> dict[str, int]:
    """{token: weight} of one record."""
    weights: dict[str, int] = {}
    for token, count in tokens(text).items():
        weights[token] = OFTEN if count >= 3 else ONCE
    head = [doc.code, doc.doc_no, doc.doc_no_key, doc.index_no, doc.unit_name, doc.aliases]
    for token in tokens(" ".join(p for p in head if p)):
        weights[token] = HEAD
    for token in tokens(doc.title):
        weights[token] = TITLE
    for name, value in filter_values(doc).items():
        if value:
            weights[filter_token(name, value)] = TITLE
    return weights


def record_file(doc: SearchDoc, text: str, url: str | None = None) -> dict:
    values = filter_values(doc)
    record = {"u": url or doc.url, "t": doc.title, "n": values["unit"], "c": values["category"], "k": values["kind"]}
    if doc.doc_no:
        record["d"] = doc.doc_no
    if doc.year:
        record["y"] = doc.year
    text = re.sub(r"\s+", " ", text).strip()
    record["x"] = text[:TEXT_CHARS]
    return record


# --- the files --------------------------------------------------------------------------------

def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (the page computes the same with Math.imul)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_postings(postings: array) -> bytes:
    deltas = [b - a for a, b in zip((0, *postings), postings)]
    if max(deltas) < 0x80:
        return bytes(deltas)
    return b"".join(map(varint, deltas))


def bucket_count(total_bytes: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(1, total_bytes / BUCKET_BYTES))))


def index_files(docs: list[SearchDoc], links: dict[str, str] | None = None) -> dict[str, bytes]:
    """{path under DATA_DIR: bytes} for these search documents. links maps a document's URL to the
    one its result links to (a site built without directory URLs); the records keep their order,
    and so the ranking, whatever the form of their links."""
    links = links or {}
    docs = sorted(docs, key=lambda d: d.url)
    postings: dict[str, array] = defaultdict(lambda: array("I"))
    files: dict[str, bytes] = {}
    for number, doc in enumerate(docs):
        text = markdown_to_text(doc.text or "")
        for token, weight in record_tokens(doc, text).items():
            postings[token].append(number * 4 + weight)
        files[f"r/{number // 1000}/{number}.json"] = json.dumps(
            record_file(doc, text, links.get(doc.url)), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    entries = {}
    for token in sorted(postings):
        raw = token.encode("utf-8")
        data = encode_postings(postings[token])
        entries[token] = varint(len(raw)) + raw + varint(len(postings[token])) + varint(len(data)) + data
    buckets = bucket_count(sum(map(len, entries.values())))
    grouped: dict[int, list[bytes]] = defaultdict(list)
    for token, entry in entries.items():  # sorted
        grouped[fnv1a(token) % buckets].append(entry)
    for bucket in range(buckets):
        files[f"p/{bucket}.bin"] = b"".join(grouped.get(bucket, []))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode("utf-8") + b"\0" + files[path])
    manifest = {"format": FORMAT, "hash": digest.hexdigest()[:16], "records": len(docs), "buckets": buckets,
                "filter": FILTER_PREFIX, "prefix": [PREFIX_MIN, PREFIX_MAX]}
    files["manifest.json"] = json.dumps(manifest, sort_keys=True).encode("utf-8")
    return files


# --- the Traditional→Simplified map and synonyms for the browser ------------------------------

def t2s_map(start: int = CJK_RANGE[0], end: int = CJK_RANGE[1]) -> dict[str, str]:
    """Every CJK character OpenCC's t2s changes, on its own, to exactly one other character."""
    chars = "".join(chr(c) for c in range(start, end + 1))
    converted = simplify("\n".join(chars)).split("\n")
    assert len(converted) == len(chars)
    return {t: s for t, s in zip(chars, converted) if s != t and len(s) == 1}


def search_data(synonyms: Iterable[Iterable[str]] | None) -> dict:
    """What the page needs to normalise queries: the T→S map as two strings of equal length in
    code points, and the synonym groups in search_text form."""
    mapping = t2s_map()
    groups = []
    for group in synonyms or []:
        words = sorted({search_text(str(w)).strip() for w in group} - {""})
        if len(words) > 1:
            groups.append(words)
    return {"t": "".join(mapping), "s": "".join(mapping.values()), "synonyms": sorted(groups)}


def write_search_data(site_dir: Path, synonyms) -> Path:
    path = site_dir / DATA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(search_data(synonyms), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(f"window.GONGKAI_SEARCH_DATA={data};\n", encoding="utf-8")
    return path


def script_file(rel: str, data: bytes) -> bytes:
    """The script twin of an index file (see the module's docstring)."""
    if rel.endswith(".json"):
        value = data.decode("utf-8")
    else:
        value = json.dumps(base64.b64encode(data).decode("ascii"))
    return f"gongkaiSearchFile({json.dumps(rel)},{value});\n".encode("utf-8")


def build_browser_index(site_dir: Path, docs: list[SearchDoc], synonyms, scripts: bool = False,
                        links: dict[str, str] | None = None) -> Path:
    """Write the index to site_dir/search/data/ and the query data asset; returns the index dir.
    With scripts, each file also gets its script twin for pages opened from the file system."""
    site_dir = Path(site_dir)
    output = site_dir / DATA_DIR
    files = index_files(docs, links)
    if scripts:
        files.update({rel.rsplit(".", 1)[0] + ".js": script_file(rel, data) for rel, data in list(files.items())})
    shutil.rmtree(output, ignore_errors=True)
    for rel in sorted(files):
        path = output / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])
    write_search_data(site_dir, synonyms)
    log.info("browser search index: %d records, %d files in %s", len(docs), len(files), output)
    return output
