"""The check cache: what the last `gongkai check` found, keyed by the content it read.

One file per content directory in the cache folder (.cache/check/ beside content/): a header, a
digest of the rest, and the rest in `marshal` (plain data only: nothing in it is run or trusted
as code). Anything unexpected — another format, a digest that does not match, data of the wrong
shape — and the cache is ignored and the check done in full.

Content is known by a BLAKE2 hash of each file's bytes. As git does, a file whose size, times and
inode are those recorded with its hash is not read again; a file changed within the last seconds
before a check is not recorded so (a change in the same tick of the file system's clock could keep
its times), and its ctime cannot be set back by any tool short of the clock.

The context a snapshot holds for: this format and the code (every file of the gongkai package,
the libraries that judge, Python), the content directory, the build date, whether the content is
in git, mkdocs.yml, the list of files and folders, and the bytes of every file that is not a
record (vocabularies, templates, attachments, free pages). A change to any of them and the
snapshot is not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import sys
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..primitives.problems import Problem, Severity
from ..primitives.tree import ContentTree
from .load import RecordFile

FORMAT = 1
MAGIC = b"gongkai check cache\n"
_DIGEST = 32
RACY_NS = 2_000_000_000  # files changed this close to a check are hashed again next time
# The libraries whose judgement is part of a check's result.
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "chinesecalendar", "Markdown", "pymdown-extensions", "nh3")


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Every file of the gongkai package (code and data), the judging libraries' versions, Python."""
    package = Path(__file__).resolve().parents[2]
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(sys.version.encode())
    for name in _LIBRARIES:
        try:
            hasher.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{name}=\n".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(package).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x01")
    return hasher.digest()


def _problem_data(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.column, problem.field, problem.message, problem.hint,
            problem.severity.value)


def _problem(data) -> Problem:
    return Problem(*data[:6], Severity(data[6]))


class Snapshot:
    """What one check found, in plain data: by record file, and of assembly."""

    def __init__(self, context: bytes, data: dict | None = None):
        self.data = data if data is not None else {
            "format": FORMAT, "context": context, "stats": {}, "files": {}, "keys": [],
            "assembly": [], "shown": [], "counts": {}, "categories": {}}
        self._key_ids = {tuple(map(tuple, keys)): i for i, keys in enumerate(self.data["keys"])}
        self._shown = set(self.data["shown"])

    # --- written by a full check ----------------------------------------------------------
    def keep_assembly(self, problems: list[Problem], shown: set[str], counts: dict, categories: dict) -> None:
        self.data["assembly"] = [_problem_data(p) for p in problems]
        self.data["shown"] = sorted(shown)
        self._shown = set(shown)
        self.data["counts"], self.data["categories"] = dict(counts), dict(categories)

    def intern(self, reads) -> tuple:
        """A record's reads (reads.Reads) as kept: the id of its list of keys (many records share
        one) and its digest."""
        keys = tuple(reads.keys)
        key_id = self._key_ids.get(keys)
        if key_id is None:
            key_id = self._key_ids[keys] = len(self.data["keys"])
            self.data["keys"].append(keys)
        return key_id, reads.digest()

    def keep_file(self, rel: str, content_hash: bytes, problems: list[Problem], markdown: list[Problem],
                  allowances: list[dict], read: tuple | None) -> None:
        """A record file's findings; `read`: its record's interned reads, None when it had none."""
        self.data["files"][rel] = (content_hash, [_problem_data(p) for p in problems],
                                   [_problem_data(p) for p in markdown], list(allowances), read)

    # --- read by a check that reuses it ---------------------------------------------------
    def knows(self, rel: str) -> bool:
        return rel in self.data["files"]

    def hash_of(self, rel: str) -> bytes | None:
        entry = self.data["files"].get(rel)
        return entry[0] if entry else None

    def read_of(self, rel: str) -> tuple | None:
        """The interned reads of the file's record (None: it had none)."""
        return self.data["files"][rel][4]

    def keys(self, read: tuple) -> tuple:
        return self.data["keys"][read[0]]

    def findings(self, rel: str) -> tuple[list[Problem], list[Problem], list[dict]]:
        _, problems, markdown, allowances, _ = self.data["files"][rel]
        return [_problem(p) for p in problems], [_problem(p) for p in markdown], allowances

    def is_shown(self, rel: str) -> bool:
        return rel in self._shown

    def assembly_problems(self) -> list[Problem]:
        return [_problem(p) for p in self.data["assembly"]]

    @property
    def counts(self) -> dict:
        return self.data["counts"]

    @property
    def categories(self) -> dict:
        return self.data["categories"]


class CheckCache:
    """The cache file of one content directory, and the hashes of its files for this check."""

    def __init__(self, directory: Path, content_dir: Path):
        self.root = content_dir
        self._root = str(content_dir)
        name = _hash(str(content_dir.resolve()).encode("utf-8", "surrogateescape")).hex()
        self.file = directory / f"check-{name}.bin"
        self.started = time.time_ns()
        self._hashes: dict[str, bytes] = {}
        self._stats: dict[str, tuple] = {}
        self._stored, self.note = self._read()
        self._old_stats = self._stored.get("stats", {}) if self._stored else {}

    def _read(self) -> tuple[dict | None, str]:
        try:
            raw = self.file.read_bytes()
        except FileNotFoundError:
            return None, ""
        except OSError as exc:
            return None, f"the check cache could not be read ({exc.strerror})"
        damaged = (None, "the check cache was damaged and is not used")
        if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + _DIGEST:
            return damaged
        digest, payload = raw[len(MAGIC):len(MAGIC) + _DIGEST], raw[len(MAGIC) + _DIGEST:]
        if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
            return damaged
        try:
            data = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return damaged
        if not _well_formed(data):
            return damaged
        if data["format"] != FORMAT:
            return None, ""
        return data, ""

    def content_hash(self, rel: str) -> bytes:
        """The hash of a file's bytes now (b"" when it cannot be read: never equal to a stored one)."""
        known = self._hashes.get(rel)
        if known is not None:
            return known
        path = os.path.join(self._root, rel)
        try:
            st = os.lstat(path)
            stat_key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            old = self._old_stats.get(rel)
            if old is not None and tuple(old[:5]) == stat_key:
                digest = old[5]
            else:
                with open(path, "rb") as file:
                    digest = _hash(file.read())
            if max(st.st_mtime_ns, st.st_ctime_ns) < self.started - RACY_NS:
                self._stats[rel] = (*stat_key, digest)
        except OSError:
            digest = b""
        self._hashes[rel] = digest
        return digest

    def context(self, tree: ContentTree, files: list[RecordFile], build_date: dt.date, in_git: bool,
                config: Path | None) -> bytes:
        """The digest of everything a snapshot holds for besides the record files' content."""
        hasher = hashlib.blake2b(digest_size=16)

        def add(*parts) -> None:
            hasher.update(repr(parts).encode("utf-8", "surrogateescape") + b"\n")

        # The directory as given too: messages name files by it (content/…, or another name for the
        # same folder).
        add(FORMAT, code_fingerprint(), str(self.root.resolve()), str(self.root),
            build_date.isoformat(), in_git)
        if config is not None:
            try:
                add("config", str(config), config.read_bytes())
            except OSError as exc:
                add("config", str(config), exc.strerror)
        records = {f.rel: f.kind.name for f in files}
        for rel in sorted(tree.files):
            add(rel, records[rel] if rel in records else self.content_hash(rel))
        add("dirs", sorted(tree.dirs))
        add("problems", [p.format() for p in tree.problems])
        return hasher.digest()

    def load(self, context: bytes) -> tuple[Snapshot | None, str]:
        """The stored snapshot when it holds for this context; else None, and a note if damaged."""
        if self._stored is None or self._stored["context"] != context:
            return None, self.note
        return Snapshot(context, self._stored), ""

    def stats_as_stored(self) -> bool:
        """Whether every file was known by its stored stat (nothing new to write)."""
        return self._stats == self._old_stats

    def save(self, snapshot: Snapshot, files: list[RecordFile]) -> None:
        """Write the snapshot with this check's file hashes, all at once (a check stopped half-way,
        or two at the same time, leave one whole file). A cache that cannot be written is no error."""
        for file in files:
            self.content_hash(file.rel)
        snapshot.data["stats"] = self._stats
        payload = marshal.dumps(snapshot.data)
        temporary = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload)
            os.replace(temporary, self.file)
        except OSError:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass  # no folder to have written it in


def _well_formed(data) -> bool:
    """The shape a snapshot has; values are checked where they are read."""
    shapes = {"format": int, "context": bytes, "stats": dict, "files": dict, "keys": list, "assembly": list,
              "shown": list, "counts": dict, "categories": dict}
    if not isinstance(data, dict) or set(data) != set(shapes):
        return False
    if not all(isinstance(data[k], t) for k, t in shapes.items()):
        return False
    try:
        for entry in data["files"].values():
            content_hash, problems, markdown, allowances, read = entry
            if not isinstance(content_hash, bytes) or not all(len(p) == 7 for p in problems + markdown):
                return False
            if read is not None and not (0 <= read[0] < len(data["keys"]) and isinstance(read[1], bytes)):
                return False
        for problem in data["assembly"]:
            Severity(problem[6])
            if len(problem) != 7:
                return False
        for stat in data["stats"].values():
            if len(stat) != 6:
                return False
    except (TypeError, ValueError, IndexError):
        return False
    return True
