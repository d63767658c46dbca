"""Building the archive's whoosh index from the search documents.

The index's schema (what is stored, what is analysed by search.analysis, what is an exact key),
its fingerprint (FORMAT, the documents and the synonyms: an index whose fingerprint matches is
current and not rebuilt), and its writing: into a staging directory swapped into place whole, so
a reader never sees half an index; in segments of SEGMENT_DOCS documents; by update_index in
this process, or by IndexBuild in a spawned one while MkDocs renders the pages. Besides the
index, meta.json holds what search.archive needs to read queries: the synonyms, the units'
names and the categories. Reading the index is search.archive's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from ..atomic import remove_stale, replace_directory
from ..model.primitives.text import search_text
from .analysis import ANALYZER, citations, doc_no_index_key
from .documents import SearchDoc

# Bump when the schema or the analysis changes: forces a rebuild. (7: the schema's analyzer moved
# from search.engine to search.analysis; whoosh pickles its module path into the index. 8: the
# CHECKSUMS file.)
FORMAT = "gongkai-search-8"
# Size and SHA-256 of every other file of the index, written last: an index whose files do not
# match (truncated by a full disk, damaged by a crash or a hand) is not current and is not read.
CHECKSUMS = "CHECKSUMS.json"
FIELDS = ("title", "aliases", "text")  # the analysed fields, where a query's words are looked up
SEGMENT_DOCS = 2000  # documents per index segment (see update_index)
WRITER_MB = 512  # whoosh's posting pool before it spills to disk: a segment never does


def schema() -> Schema:
    return Schema(
        url=ID(stored=True, unique=True),
        title=TEXT(analyzer=ANALYZER, stored=True, field_boost=4.0, phrase=False),
        aliases=TEXT(analyzer=ANALYZER, stored=True, field_boost=1.0, phrase=False),
        text=TEXT(analyzer=ANALYZER, stored=True, phrase=False),
        kind=ID(stored=True), unit=ID(stored=True), unit_name=STORED, category=ID(stored=True),
        year=ID(stored=True), validity=ID(stored=True),
        code=ID(stored=True), code_key=ID, doc_no=STORED, doc_no_key=ID, index_no=ID(stored=True),
        index_no_key=ID, cites=KEYWORD(scorable=True),
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
    if _is_current(index_dir, stamp):
        return False
    staging = _staging(index_dir)
    write_index(staging, docs, synonyms, stamp)
    replace_directory(staging, index_dir)
    return True


def _is_current(index_dir: Path, stamp: str) -> bool:
    marker = index_dir / "FINGERPRINT"
    try:
        if not (marker.is_file() and marker.read_text() == stamp):
            return False
    except (OSError, UnicodeError):
        return False
    return index_damage(index_dir) is None  # a damaged index is rebuilt, never trusted


def _file_sums(index_dir: Path) -> dict[str, list]:
    sums = {}
    for path in sorted(index_dir.iterdir()):
        if path.name != CHECKSUMS and path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            sums[path.name] = [path.stat().st_size, digest.hexdigest()]
    return sums


def index_damage(index_dir: Path) -> str | None:
    """Why the index in index_dir cannot be trusted (missing, incomplete, altered), or None. Reads
    every file once: cheap next to opening the index (tens of MB at 10,000 documents)."""
    index_dir = Path(index_dir)
    try:
        if not index_dir.is_dir():
            return "there is no index"
        recorded = json.loads((index_dir / CHECKSUMS).read_text())
        actual = _file_sums(index_dir)
    except FileNotFoundError:
        return "it is incomplete (no checksums: written by an older Gongkai, or interrupted)"
    except (OSError, ValueError) as exc:
        return f"it cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not isinstance(recorded, dict):
        return "its checksums are damaged"
    for name in sorted(set(recorded) | set(actual)):
        if name not in actual:
            return f"its file {name} is missing"
        if recorded.get(name) != actual[name]:
            return f"its file {name} was changed or truncated"
    return None


def _staging(index_dir: Path) -> Path:
    """This build's staging directory, named by its process: a build killed mid-way leaves its own
    behind, never one that the next build would share; the next build removes it."""
    remove_stale(index_dir.parent, f"{index_dir.name}.building-", "")
    return index_dir.with_name(f"{index_dir.name}.building-{os.getpid()}")


def write_index(staging: Path, docs: list[SearchDoc], synonyms: list[list[str]], stamp: str) -> None:
    """A whole new index in `staging` (emptied first), marked with the content's fingerprint."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    ix = whoosh_index.create_in(staging, schema())
    # Segments of SEGMENT_DOCS documents, each written whole from memory: whoosh's posting pool
    # spilling to disk and merging back (one segment of 10,000 items) costs half the time again
    # and more memory than several segments do. The archive reads the segments as one.
    writer = None
    for number, doc in enumerate(docs):
        if number % SEGMENT_DOCS == 0:
            if writer is not None:
                writer.commit(mergetype=writing.NO_MERGE)
            writer = ix.writer(limitmb=WRITER_MB)
        writer.add_document(
            # A unit's names on its own page; a record's unit is found through the unit field.
            url=doc.url, title=doc.title, aliases=doc.aliases if doc.kind == "unit" else "", text=doc.text,
            kind=doc.kind, unit=doc.unit, unit_name=doc.unit_name, category=doc.category,
            year=str(doc.year or ""), validity=doc.validity, code=doc.code, code_key=doc.code.lower(),
            doc_no=doc.doc_no, doc_no_key=doc_no_index_key(doc.doc_no), index_no=doc.index_no,
            index_no_key=search_text(doc.index_no), cites=" ".join(citations(doc.text)))
    if writer is not None:
        writer.commit(mergetype=writing.NO_MERGE)
    else:  # no documents: an empty index
        ix.writer().commit()
    (staging / "FINGERPRINT").write_text(stamp)
    (staging / "meta.json").write_text(json.dumps({
        "synonyms": synonyms,
        "units": {d.unit: {"name": d.title, "aliases": d.aliases.split()} for d in docs if d.kind == "unit"},
        "categories": sorted({d.category for d in docs if d.category}),
    }, ensure_ascii=False))
    (staging / CHECKSUMS).write_text(json.dumps(_file_sums(staging)))


class IndexWriteError(Exception):
    """The new index could not be written (a full disk, a read-only folder): why, in a few words."""


class IndexBuild:
    """The index written by a separate process, so that the pages render meanwhile (on a second
    core the index then costs the build little wall time): start it as soon as the search
    documents are known, wait() for it at the end of the build. The process only writes the
    staging directory; wait() swaps it in, so a build that fails or is killed never changes the
    index in use. Nothing is started when the index is current. The process is spawned, not
    forked: safe in a process with threads."""

    def __init__(self, index_dir: Path, docs: list[SearchDoc], synonyms: list[list[str]]):
        self.index_dir = Path(index_dir)
        self.staging = _staging(self.index_dir)
        self.process = None
        stamp = fingerprint(docs, synonyms)
        if _is_current(self.index_dir, stamp):
            return
        import multiprocessing

        # The spawned process imports this module afresh to find _write_index: the target must
        # stay a module-level function of an importable module.
        context = multiprocessing.get_context("spawn")
        # The process says why it failed through this pipe: one line for the build's message,
        # not a traceback of its own on the terminal.
        self.reason, reason_end = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_write_index,
            args=(str(self.staging), [d.as_dict() for d in docs], synonyms, stamp, os.getpid(), reason_end),
            name="gongkai-search-index", daemon=True)
        self.process.start()
        reason_end.close()

    def wait(self) -> bool:
        """True when a new index was written (not yet in use: publish() swaps it in), False when
        it was current; IndexWriteError on failure (the previous index, if any, is left in place,
        and the staging directory removed)."""
        if self.process is None:
            return False
        self.process.join()
        try:
            reason = self.reason.recv() if self.reason.poll() else None
        except (EOFError, OSError):
            reason = None
        if self.process.exitcode != 0:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise IndexWriteError(reason or f"the process writing it ended with status {self.process.exitcode}")
        return True

    def publish(self) -> None:
        """Swap the new index in: only once the build has passed the egress gate. IndexWriteError
        when it cannot be (the previous index stays, the staging directory is removed)."""
        if self.process is None or not self.staging.is_dir():
            return
        try:
            replace_directory(self.staging, self.index_dir)
        except OSError as exc:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise IndexWriteError(exc.strerror or str(exc)) from None

    def cancel(self) -> None:
        """Stop the process of a build that failed; the index in use stays as it was."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        shutil.rmtree(self.staging, ignore_errors=True)


def _write_index(staging: str, docs: list[dict], synonyms: list[list[str]], stamp: str, build_pid: int,
                 reason) -> None:
    def stop_with_the_build() -> None:
        # A build killed outright (SIGKILL) cannot stop its helper: the helper stops itself.
        while os.getppid() == build_pid:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=stop_with_the_build, daemon=True).start()
    try:
        write_index(Path(staging), [SearchDoc(**d) for d in docs], synonyms, stamp)
    except OSError as exc:  # no space, no permission, a read-only file system: said by the build
        shutil.rmtree(staging, ignore_errors=True)
        reason.send(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
        reason.close()
        os._exit(1)
