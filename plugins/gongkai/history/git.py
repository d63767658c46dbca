"""What git knows about the content: when each file last changed, what changed, release tags.

Git is read once per History: one `git log` over the content directory (first parent only,
renames detected, raw blob ids), one more for each merge commit on that line (see Attribution)
and, for the field diffs and the snapshots of refs, one `git cat-file --batch` run fed every blob
id at once. Nothing here runs a git command per file.

Attribution: the history is the first-parent line of the branch being built, and a merge commit
is diffed against its first parent, so a change made on a side branch is dated by the merge that
brought it in — the day it reached the published line.

Commit text: subjects and bodies are the editors' internal communication and are never kept
here. A revision carries only the commit's public note, its `修订说明:` trailer (history.notes),
'' when the editor wrote none. A merge's own note describes all it brought in; besides, each
file the merge changed gets the notes of the merged commits that changed it (one more `git log`
per merge, not per file), so a note written on a side branch or in a pull request is not lost
when it is merged.

Field diffs compare the front matter of two versions of a file top-level block by top-level
block: only the blocks whose text changed are parsed (with the model's own YAML loader) and
described in Chinese with the schema's labels (history.diff).

Here: GitError, running git (git, iter_blobs), Revision, Tag and local dates, and History: the
log read once, each file's revisions, their field changes, refs, tags and the files at a ref.
The power list at a ref and its adjustments are history.adjustments'. Imports history.diff and
history.notes, nothing else of the history package.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import subprocess
import threading
from collections import defaultdict
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from .diff import FieldChange, diff_blocks, top_level_blocks
from .notes import public_note

GIT_TIMEOUT = 600


class GitError(Exception):
    """A git command failed in a way the user must hear about (a bad ref, not a repository)."""


@dataclass
class Revision:
    """One commit that touched one content file."""

    commit: str
    time: int  # committer time, seconds since the epoch
    author: str
    # The commit's public note (its 修订说明 trailers; for a merge, with those of the merged
    # commits that changed this file), '' when none. Not masked yet: the plugin masks what it shows.
    note: str
    status: str  # A, M, R, D
    path: str  # the file's path at this commit, relative to the content directory
    old_blob: str | None
    new_blob: str | None
    changes: list[FieldChange] = field(default_factory=list)
    offset: int = 0  # the committer's UTC offset in seconds: the date is the one the editor saw

    @property
    def date(self) -> dt.date:
        return local_date(self.time, self.offset)


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    time: int
    offset: int = 0

    @property
    def date(self) -> dt.date:
        return local_date(self.time, self.offset)


def local_date(time: int, offset: int) -> dt.date:
    return dt.datetime.fromtimestamp(time, dt.timezone(dt.timedelta(seconds=offset))).date()


def utc_offset(iso: bytes | str) -> int:
    """Seconds east of UTC of git's strict ISO date (%cI, e.g. 2025-10-01T07:30:00+08:00); 0 when
    unreadable. (git 2.39 has no placeholder for the offset alone.)"""
    try:
        when = dt.datetime.fromisoformat((iso.decode() if isinstance(iso, bytes) else iso).strip())
    except ValueError:
        return 0
    return int(when.utcoffset().total_seconds()) if when.utcoffset() else 0


def git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, timeout=GIT_TIMEOUT)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish within {GIT_TIMEOUT} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return proc.stdout


class History:
    """The git history of a content directory, or the reason there is none (`reason`)."""

    def __init__(self, content_dir: str | Path):
        self.content_dir = Path(content_dir).resolve()
        self.available = False
        self.shallow = False
        self.reason = ""  # why there is no history, when there is none
        self.prefix = ""  # the content directory's path inside the repository, with a trailing '/'
        self.head: str | None = None
        self._by_file: dict[str, list[Revision]] = {}
        try:
            inside = git(["rev-parse", "--is-inside-work-tree"], self.content_dir).strip()
        except GitError:
            inside = b""
        if inside != b"true":
            self.reason = f"{self.content_dir} is not in a git repository"
            return
        self.prefix = git(["rev-parse", "--show-prefix"], self.content_dir).decode("utf-8", "replace").strip()
        try:
            self.head = git(["rev-parse", "--verify", "HEAD^{commit}"], self.content_dir).decode().strip()
        except GitError:
            self.reason = "the git repository has no commits yet"
            return
        self.shallow = git(["rev-parse", "--is-shallow-repository"], self.content_dir).strip() == b"true"
        self.available = True
        self._read_log()

    @property
    def note(self) -> str:
        """What the site says when there is no history."""
        return f"{self.reason}: dates are the content's own dates" if self.reason else ""

    # --- the log ----------------------------------------------------------------------------------
    def _read_log(self) -> None:
        out = git(["-c", "core.quotepath=off", "log", "--first-parent", "--diff-merges=first-parent",
                   "-M", "--raw", "--no-abbrev", "-z", "--encoding=UTF-8",
                   "--format=%x1e%H%x1f%P%x1f%ct%x1f%cI%x1f%e%x1f%an%x1f%B", "HEAD",
                   "--", "."], self.content_dir)
        # Walking newest to oldest, `lineage` maps a path at the commit being read to the path the
        # same file has today. A rename moves it to the old name; before an addition, and before
        # a deletion (a file deleted and later re-added is two files), the path names another
        # file, whose revisions belong to no page of today ('' lineage).
        lineage: dict[str, str] = {}
        by_file: dict[str, list[Revision]] = defaultdict(list)
        merges: dict[str, list[Revision]] = {}  # merge commit → its revisions
        for chunk in out.split(b"\x1e")[1:]:
            header, _, raw = chunk.partition(b"\0")
            commit, parents, time, zone, encoding, author, message = (header.split(b"\x1f", 6) + [b""] * 6)[:7]
            commit, time, offset = commit.decode(), int(time or 0), utc_offset(zone)
            if len(parents.split()) > 1:
                merges[commit] = []
            # The message is read for its note only, then dropped: subjects never leave here.
            author, note = _decode(author, encoding), public_note(_decode(message, encoding))
            tokens = raw.lstrip(b"\n").split(b"\0")
            i = 0
            while i < len(tokens) and tokens[i].startswith(b":"):
                meta = tokens[i].decode().split()
                status = meta[4][0]
                paths = [self._rel(tokens[i + 1])]
                if status in "RC":
                    paths.append(self._rel(tokens[i + 2]))
                i += 1 + len(paths)
                path = paths[-1]
                if status == "D":
                    lineage[path] = ""
                    continue
                today = lineage.get(path, path)
                if today:
                    old_blob = None if status == "A" or set(meta[2]) == {"0"} else meta[2]
                    revision = Revision(commit, time, author, note, status, path, old_blob, meta[3],
                                        offset=offset)
                    by_file[today].append(revision)
                    if commit in merges:
                        merges[commit].append(revision)
                if status in "AC":
                    lineage[path] = ""
                elif status == "R":
                    lineage[path] = ""
                    lineage[paths[0]] = today
        self._by_file = dict(by_file)
        for merge, revisions in merges.items():
            if revisions:
                self._add_merged_notes(merge, revisions)

    def _add_merged_notes(self, merge: str, revisions: list[Revision]) -> None:
        """Add to each revision of a merge, after the merge's own note, the notes of the merged
        commits (those in merge^1..merge) that changed its file, newest first, each once.

        Merges on the side are read too, each diffed against its first parent as on the main
        line: a note is deliberate wherever the editor wrote it, and a side merge may itself have
        changed the file (a conflict resolved)."""
        out = git(["-c", "core.quotepath=off", "log", "--diff-merges=first-parent", "--date-order", "-M",
                   "--name-status", "-z", "--encoding=UTF-8", "--format=%x1e%e%x1f%B", f"{merge}^1..{merge}",
                   "--", "."], self.content_dir)
        # Newest first (--date-order shows no commit before its children), so a rename moves the
        # file's lineage to its old name for the older commits, as in _read_log.
        lineage = {revision.path: revision.path for revision in revisions}
        notes: dict[str, list[str]] = defaultdict(list)
        for chunk in out.split(b"\x1e")[1:]:
            header, _, names = chunk.partition(b"\0")
            encoding, _, message = header.partition(b"\x1f")
            note = public_note(_decode(message, encoding))
            tokens = names.lstrip(b"\n").split(b"\0")
            i = 0
            while i < len(tokens) and tokens[i]:
                status = tokens[i][:1]
                paths = [self._rel(tokens[i + 1])]
                if status in b"RC":
                    paths.append(self._rel(tokens[i + 2]))
                i += 1 + len(paths)
                at_merge = lineage.get(paths[-1])
                if at_merge is None:
                    continue
                if note and note not in notes[at_merge]:
                    notes[at_merge].append(note)
                if status == b"R":
                    lineage[paths[0]] = at_merge
        for revision in revisions:
            merged = [n for n in notes.get(revision.path, []) if n != revision.note]
            revision.note = "；".join([n for n in (revision.note, *merged) if n])

    def _rel(self, raw: bytes) -> str:
        path = raw.decode("utf-8", "replace")
        return path[len(self.prefix):] if path.startswith(self.prefix) else path

    # --- per file -------------------------------------------------------------------------------
    def revisions(self, rel: str) -> list[Revision]:
        """The commits that changed the file now at `rel`, newest first (following renames)."""
        return self._by_file.get(rel, [])

    def read_field_changes(self, rels: list[str]) -> None:
        """Read every version of these files from git (one cat-file run) and fill in each of their
        revisions' `changes`: what the commit changed in the front matter, field by field.

        The blobs stream in file by file, newest first, and each is dropped once its neighbours
        are compared: memory holds one file's versions, not the whole history."""
        wanted = [r for rel in rels for r in self._by_file.get(rel, [])]
        # A file's revisions are newest first: one's old version is the next one's new version,
        # requested once. The requests and the loop below walk the same way.
        requests, previous = [], ""
        for revision in wanted:
            if revision.new_blob != previous:
                requests.append(revision.new_blob)
            if revision.old_blob:
                requests.append(revision.old_blob)
            previous = revision.old_blob or ""
        blobs = iter_blobs(requests, self.content_dir)
        last: tuple[str, dict] = ("", {})
        for revision in wanted:
            new = last[1] if revision.new_blob == last[0] else top_level_blocks(next(blobs)[1])
            if revision.old_blob:
                old = top_level_blocks(next(blobs)[1])
                revision.changes = diff_blocks(old, new)
                last = (revision.old_blob, old)
            else:
                revision.changes = []
                last = ("", {})
        for _ in blobs:  # let cat-file finish
            pass

    # --- refs and tags --------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        if not self.available:
            raise GitError(self.reason)
        try:
            return git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                       self.content_dir).decode().strip()
        except GitError:
            hint = "; this is a shallow clone: fetch the full history (git fetch --unshallow --tags)" \
                if self.shallow else ""
            raise GitError(f"'{ref}' is not a commit, branch or tag of this repository{hint}") from None

    def tags(self, pattern: str) -> list[Tag]:
        """Tags matching the glob pattern, oldest commit first."""
        if not self.available:
            return []
        out = git(["for-each-ref", "--format=%(refname:short)%00%(objectname)%00%(*objectname)", "refs/tags"],
                  self.content_dir).decode("utf-8", "replace")
        found = []
        for line in out.splitlines():
            name, obj, peeled = line.split("\0")
            if fnmatch.fnmatchcase(name, pattern):
                found.append((name, peeled or obj))
        if not found:
            return []
        times = git(["show", "-s", "--format=%H %ct %cI", *{c for _, c in found}], self.content_dir).decode().split()
        time_of = {c: (int(t), utc_offset(z)) for c, t, z in zip(times[::3], times[1::3], times[2::3])}
        tags = [Tag(name, commit, *time_of.get(commit, (0, 0))) for name, commit in found]
        return sorted(tags, key=lambda t: (t.time, t.name))

    def files_at(self, ref: str, folder: str) -> list[tuple[str, str]]:
        """(path relative to the content directory, blob id) of every file under `folder` (of the
        content directory) at a ref, in git's order; one ls-tree run."""
        commit = self.resolve(ref)
        out = git(["-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--full-tree", commit, "--",
                   self.prefix + folder if self.prefix else folder], self.content_dir)
        files = []
        for line in out.split(b"\0"):
            if not line:
                continue
            meta, _, path = line.partition(b"\t")
            if meta.split()[1] == b"blob":
                files.append((self._rel(path), meta.split()[2].decode()))
        return files


def _decode(raw: bytes, encoding: bytes) -> str:
    """Commit text as git gives it with --encoding=UTF-8: converted from the encoding the commit
    declares (i18n.commitEncoding, e.g. GBK), so read as UTF-8. Git leaves the whole commit as it
    is when any of it fails to convert (a UTF-8 author name in a commit declared GBK): then the
    field is still in its declared encoding. Bytes that are neither become U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(encoding.decode("ascii", "replace").strip() or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace")


def iter_blobs(blobs: list[str], cwd: Path) -> Generator[tuple[str, bytes], None, None]:
    """(blob id, contents) for each requested blob in order, streamed from one `git cat-file --batch`
    (requests are written by a thread, so neither side waits on a full pipe). A requested blob
    that git lacks gives b''."""
    if not blobs:
        return
    try:
        proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=cwd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None

    def feed() -> None:
        try:
            for start in range(0, len(blobs), 1024):
                proc.stdin.write(("\n".join(blobs[start:start + 1024]) + "\n").encode())
            proc.stdin.close()
        except OSError:  # git stopped early; the reader reports it
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for blob in blobs:
            header = proc.stdout.readline().split()
            if not header:
                raise GitError("git cat-file stopped early")
            if len(header) < 3 or header[1] == b"missing":
                yield blob, b""
                continue
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)
            yield blob, data
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()
