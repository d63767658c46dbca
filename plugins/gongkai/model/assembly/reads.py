"""What the cross-file stage reads of each record: the inputs a cached `gongkai check` compares.

The stage that relates records to each other (assembly: rules, periods, index numbers, columns,
reports) is deterministic. Given the same site-wide data, the same record files and, of each
record, the same values of what it read, it does the same and finds the same problems. So a check
records, per record, which fields (and which positions in the file) the stage read and a digest of
their values; the next check re-reads only the files that changed and, when each of them gives
the same values for what was read of it before, the stage's findings stand as they were.

Why by recording and not a declared list of "cross-file fields": a list must be kept in step with
every rule by hand, and a field forgotten there gives a stale result without a sign. Recording
follows the code as it runs.

What is recorded, on a record: each schema field, at its first read (a later read after the stage
wrote the field, as index numbers are written, is the stage's own output); the values bound
before the stage as a whole (`BOUND`: unit id, slug, page, the body's links — a body edit that
keeps its links changes nothing the stage sees); of its Source, the path, the body's first line and
each position asked for (`where`). Names starting with '_' are not: the bound ones are read
through the properties above, and the rest is written by the stage itself. Methods and other
properties are not recorded as such; the fields they read are.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..primitives.frontmatter import Source
from ..schema.records import Record

# Record properties read as one value (state bound before the stage, by bind and place_at).
BOUND = frozenset({"unit_id", "slug", "page", "body", "body_links"})
# Of a Source: plain attributes read as values; `where` is recorded per field path asked.
SOURCE_VALUES = frozenset({"path", "rel", "body_line", "positions"})

Key = tuple  # ("field", name) | ("source", name) | ("where", *field path)


@dataclass
class Reads:
    """One record's reads: the keys in the order first read, and a digest of their values."""

    keys: list[Key] = field(default_factory=list)
    seen: set = field(default_factory=set)
    written: set = field(default_factory=set)
    hasher: Any = field(default_factory=lambda: hashlib.blake2b(digest_size=16))

    def note(self, key: Key, value: Any) -> None:
        if key in self.seen or key in self.written:
            return
        self.seen.add(key)
        self.keys.append(key)
        _feed(self.hasher, key, value)

    def digest(self) -> bytes:
        return self.hasher.digest()


def _feed(hasher, key: Key, value: Any) -> None:
    # repr: deterministic for what records hold (str, numbers, dates, lists, dicts in insertion
    # order, pydantic models, frozen dataclasses). A value whose repr were not (a set) would only
    # make the digests differ: a full check, never a wrong one.
    hasher.update(repr(key).encode("utf-8", "surrogatepass"))
    hasher.update(b"\x00")
    hasher.update(repr(value).encode("utf-8", "surrogatepass"))
    hasher.update(b"\x01")


class _Recorder:
    def __init__(self, records: Iterable[Record]):
        self.by_record: dict[int, Reads] = {}
        self.by_source: dict[int, Reads] = {}
        self.quiet = 0  # > 0 while a recorded value is being computed: its own reads are not the stage's
        for record in records:
            reads = Reads()
            self.by_record[id(record)] = reads
            source = object.__getattribute__(record, "source")
            if source is not None:
                self.by_source[id(source)] = reads


_active: _Recorder | None = None


def _read_record(self, name: str):
    recorder = _active
    if recorder is None or recorder.quiet or name[0] == "_":
        return object.__getattribute__(self, name)
    reads = recorder.by_record.get(id(self))
    if reads is None:
        return object.__getattribute__(self, name)
    if name in BOUND:
        recorder.quiet += 1
        try:
            value = object.__getattribute__(self, name)
        finally:
            recorder.quiet -= 1
        reads.note(("field", name), value)
        return value
    value = object.__getattribute__(self, name)
    if name in type(self).model_fields:
        reads.note(("field", name), value)
    return value


def _write_record(self, name: str, value: Any) -> None:
    recorder = _active
    if recorder is not None:
        reads = recorder.by_record.get(id(self))
        if reads is not None:
            reads.written.add(("field", name))
    _RECORD_SETATTR(self, name, value)


def _read_source(self, name: str):
    recorder = _active
    value = object.__getattribute__(self, name)
    if recorder is None or recorder.quiet:
        return value
    reads = recorder.by_source.get(id(self))
    if reads is None:
        return value
    if name in SOURCE_VALUES:
        reads.note(("source", name), value)
    elif name == "where":
        def where(*field_path):
            recorder.quiet += 1
            try:
                position = value(*field_path)
            finally:
                recorder.quiet -= 1
            reads.note(("where", *field_path), position)
            return position
        return where
    return value


_RECORD_SETATTR = Record.__setattr__  # pydantic's, inherited


@contextmanager
def recording(records: Iterable[Record]) -> Iterator[dict[int, Reads]]:
    """While inside, every read the code makes of these records is noted: {id(record): Reads}.
    Not reentrant, and not for threads: one check at a time records."""
    global _active
    if _active is not None:
        raise RuntimeError("reads are already being recorded")
    recorder = _Recorder(records)
    _active = recorder
    Record.__getattribute__ = _read_record
    Record.__setattr__ = _write_record
    Source.__getattribute__ = _read_source
    try:
        yield recorder.by_record
    finally:
        # Record and Source define neither: deleting brings back the inherited ones.
        del Record.__getattribute__, Record.__setattr__, Source.__getattribute__
        _active = None


def replay(record: Record, keys: Iterable[Key]) -> bytes:
    """The digest the same reads give on this record (one loaded anew, before any stage ran)."""
    hasher = hashlib.blake2b(digest_size=16)
    for key in keys:
        what, name = key[0], key[1] if len(key) > 1 else None
        if what == "field":
            value = getattr(record, name)
        elif what == "source":
            value = getattr(record.source, name)
        elif what == "where":
            value = record.source.where(*key[1:])
        else:  # a cache from another version: never equal
            return b""
        _feed(hasher, key, value)
    return hasher.digest()
