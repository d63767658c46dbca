"""Each kind of output file as its reader receives it: pieces of text with where they stand.

- a page (.html): its visible text (primitives.markup: no comments or scripts, references decoded,
  inline markup joined, format characters gone) and the attribute values a reader sees (alt, title …);
- structured data (.json): every string value, with its path in the document;
- the sitemap and other XML, CSV and text files: their text, tags removed;
- office files (.xlsx …): the text of each XML part; `.gz`: what it holds.

Binary search postings (search/data/p/*.bin) and the script twins of the search data files (.js
beside a .json or .bin of the same name) are not read: they hold the same words as the search
documents and record files, which are judged themselves. Images, fonts and PDFs carry no text the
build wrote; a PDF attachment is the source scan's (a warning to check it by hand).
"""

from __future__ import annotations

import gzip
import zlib
import hashlib
import json
import re
from pathlib import PurePosixPath
from typing import Iterator

from ..model.primitives.markup import shown_attributes, visible_text, without_hidden
from ..model.sensitive.attachments import OFFICE_FILES, decode_text, readable_parts

PAGES = {".html", ".htm", ".xhtml"}
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_HEADER_TITLE = re.compile(r'<div class="md-header__topic" data-md-component="header-topic">.*?</div>', re.S)
_NAV_TAG = re.compile(r"<(/?)nav\b[^>]*>")
_LINK_VALUES = re.compile(r'(?:href|src)="[^"]*"')
MARKUP = {".xml", ".svg"}
NOT_TEXT = {".bin", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot",
            ".otf", ".pdf", ".map", ".zip"}


def _json_strings(value, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{where}[{i}]")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield where, str(value)


# The browser index's record files: each the title, unit, category and text of one search
# document, which the gate judged as a search record before any index was written (more strictly:
# with Markdown's marks read through). Read again they would double the gate's work.
SEARCH_RECORDS = "search/data/r/"


def judged_as_search_record(rel: str) -> bool:
    return rel.startswith(SEARCH_RECORDS)


def is_script_twin(rel: str, names: set[str]) -> bool:
    """A search data file's script twin (<path>.js beside <path>.json or <path>.bin)."""
    if not rel.endswith(".js"):
        return False
    stem = rel[: -len(".js")]
    return f"{stem}.json" in names or f"{stem}.bin" in names


def _without_page_own(frame: str) -> str:
    """The frame without what repeats the page's own text: the page title in the header (the
    <title> is read) and the table of contents (the article's headings, read in the article)."""
    frame = _HEADER_TITLE.sub("", frame)
    start = frame.find('<nav class="md-nav md-nav--secondary"')
    if start < 0:
        return frame
    depth, at = 0, start
    for match in _NAV_TAG.finditer(frame, start):
        depth += -1 if match.group(1) else 1
        at = match.end()
        if depth == 0:
            break
    return frame[:start] + frame[at:]


def page_parts(html: str, seen_frames: set | None) -> list[str]:
    """The parts of a page to read: its <title>, its <article> (the record) and the frame around
    them (header, navigation, footer) — the frame only when no page read before had the same one.
    Pages of a site share a handful of frames (they differ in their links' relative paths, which
    readers do not read): reading each once is most of what keeps the gate cheap."""
    start, end = html.find("<article"), html.rfind("</article>")
    if seen_frames is None or start < 0 or end < start:
        return [html]
    head = html.find("</head>")
    title = _TITLE.search(html, 0, head if head >= 0 else start)
    frame = _without_page_own(html[max(head, 0):start] + html[end:])
    key = hashlib.sha1(_LINK_VALUES.sub("", frame).encode("utf-8", "surrogatepass")).digest()
    parts = [title.group(0) if title else "", html[start:end]]
    if key not in seen_frames:
        seen_frames.add(key)
        parts.append(frame)
    return parts


def reader_pieces(rel: str, data: bytes, seen_frames: set | None = None) -> Iterator[tuple[str, str]]:
    """(where in the file, text) for what a reader of the output file receives; nothing for files
    without text. seen_frames: the page frames already read (page_parts)."""
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            # Damaged, or with bytes after its end: a browser or `curl --compressed` still
            # inflates what it can. Judge that, and the rest as bytes.
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                inflated = inflater.decompress(data)
            except zlib.error:
                inflated = b""
            yield from reader_pieces(rel[: -len(".gz")], inflated, seen_frames) if inflated else ()
            yield "", (inflater.unused_data if inflated else data).decode("latin-1")
            return
        rel, suffix = rel[: -len(".gz")], PurePosixPath(rel[: -len(".gz")]).suffix.lower()
    if suffix in NOT_TEXT:
        return
    if suffix in OFFICE_FILES:
        parts, _ = readable_parts(data, suffix)
        yield from parts
        return
    text = decode_text(data)
    if text is None:  # neither UTF-8 nor GB18030: judge what it would show as Latin-1 bytes
        text = data.decode("latin-1")
    if suffix in PAGES:
        for part in page_parts(text, seen_frames):
            part = without_hidden(part)
            yield "", visible_text(part, hidden_removed=True)
            for value in shown_attributes(part, hidden_removed=True):
                yield "attribute", value
    elif suffix in MARKUP:
        yield "", visible_text(text)
    elif suffix == ".json":
        try:
            yield from _json_strings(json.loads(text))
        except ValueError:
            yield "", text
    else:  # CSV, text, scripts, and any kind of file not known here: judged by its text
        yield "", text
