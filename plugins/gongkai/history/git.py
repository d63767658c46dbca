"""What git knows about the content: when each file last changed, what changed, release tags.

Git is read once per History: one `git log` over the content directory (first parent only,
renames detected, raw blob ids), one more for each merge commit on that line (see Attribution)
and, for the field diffs and the snapshots of refs, one `git cat-file --batch` run fed every blob
id at once. Nothing here runs a git command per file.

Attribution: the history is the first-parent line of the branch being built, and a merge commit
is diffed against its first parent, so a change made on a side branch is dated by the merge that
brought it in — the day it reached the published line. A merge's subject ("Merge pull request
#12 …") tells a reader nothing, so each file the merge changed is described by the subjects of
the merged commits that changed it (one more `git log` per merge, not per file), or by the
merge's own subject when none did (e.g. a change made only while resolving a conflict).

Field diffs compare the front matter of two versions of a file top-level block by top-level
block: only the blocks whose text changed are parsed (with the model's own YAML loader) and
described in Chinese with the schema's labels.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import subprocess
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.primitives.dates import DateError, parse_date
from pydantic import TypeAdapter, ValidationError

from ..model.primitives.frontmatter import parse_yaml, reads_as_text
from ..model.schema.fields import LABELS, STATUS_ACTIONS, is_public_contact
from ..model.schema.records import PowerItem, ServiceGuide
from ..model.sensitive.detection import MOBILE, replace_findings, scan

GIT_TIMEOUT = 600
REMOVING_ACTIONS = ("取消", "下放")
DAY_FIELDS = ("statutory_limit", "promised_limit")
POWER_FILE = re.compile(r"^units/([^/]+)/powers/[^/]+\.md$")


class GitError(Exception):
    """A git command failed in a way the user must hear about (a bad ref, not a repository)."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    text: str  # in Chinese, e.g. '承诺时限 10 → 5 个工作日'
    hidden: tuple[str, ...] = ()  # what was masked in text, as reports show it: "手机号码 '139****1024'"


@dataclass
class Revision:
    """One commit that touched one content file."""

    commit: str
    time: int  # committer time, seconds since the epoch
    author: str
    subject: str
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
                   "--format=%x1e%H%x1f%P%x1f%ct%x1f%cI%x1f%e%x1f%an%x1f%s", "HEAD",
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
            commit, parents, time, zone, encoding, author, subject = (header.split(b"\x1f", 6) + [b""] * 6)[:7]
            commit, time, offset = commit.decode(), int(time or 0), utc_offset(zone)
            if len(parents.split()) > 1:
                merges[commit] = []
            author, subject = _decode(author, encoding), _decode(subject, encoding)
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
                    revision = Revision(commit, time, author, subject, status, path, old_blob, meta[3],
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
                self._name_by_merged_commits(merge, revisions)

    def _name_by_merged_commits(self, merge: str, revisions: list[Revision]) -> None:
        """Give each revision of a merge the subjects of the merged commits (those in merge^1..merge,
        merges left out: their subjects say no more than this one's) that changed its file."""
        out = git(["-c", "core.quotepath=off", "log", "--no-merges", "--date-order", "-M", "--name-status",
                   "-z", "--encoding=UTF-8", "--format=%x1e%e%x1f%s", f"{merge}^1..{merge}", "--", "."],
                  self.content_dir)
        # Newest first (--date-order shows no commit before its children), so a rename moves the
        # file's lineage to its old name for the older commits, as in _read_log.
        lineage = {revision.path: revision.path for revision in revisions}
        subjects: dict[str, list[str]] = defaultdict(list)
        for chunk in out.split(b"\x1e")[1:]:
            header, _, names = chunk.partition(b"\0")
            encoding, _, subject = header.partition(b"\x1f")
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
                text = _decode(subject, encoding)
                if text not in subjects[at_merge]:
                    subjects[at_merge].append(text)
                if status == b"R":
                    lineage[paths[0]] = at_merge
        for revision in revisions:
            if subjects.get(revision.path):
                revision.subject = "；".join(subjects[revision.path])

    def _rel(self, raw: bytes) -> str:
        path = raw.decode("utf-8", "replace")
        return path[len(self.prefix):] if path.startswith(self.prefix) else path

    # --- per file -------------------------------------------------------------------------------
    def revisions(self, rel: str) -> list[Revision]:
        """The commits that changed the file now at `rel`, newest first (following renames)."""
        return self._by_file.get(rel, [])

    def describe(self, rels: list[str]) -> None:
        """Fill in the field changes of every revision of these files (one cat-file run).

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

    def power_snapshot(self, ref: str) -> dict[str, dict]:
        """The published power items at a ref: {code: {unit, path, data}}; drafts are not there."""
        commit = self.resolve(ref)
        out = git(["-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--full-tree", commit, "--",
                   self.prefix + "units" if self.prefix else "units"], self.content_dir)
        entries = []
        for line in out.split(b"\0"):
            if not line:
                continue
            meta, _, path = line.partition(b"\t")
            rel = self._rel(path)
            match = POWER_FILE.match(rel)
            if match and meta.split()[1] == b"blob":
                entries.append((match.group(1), rel, meta.split()[2].decode()))
        entries.sort(key=lambda e: e[1])
        blobs = iter_blobs([blob for _, _, blob in entries], self.content_dir)
        items: dict[str, dict] = {}
        for (unit, rel, blob), (_, raw) in zip(entries, blobs):
            # Only the fields that place an item are parsed here; the others only when they differ
            # between two snapshots (adjustments → diff_blocks).
            blocks = top_level_blocks(raw)
            data = {key: _value(blocks.get(key)) for key in SNAPSHOT_FIELDS if key != "status"}
            status = blocks.get("status", "")
            # The status history matters here only when it may end in a removal.
            data["status"] = _value(status) if any(word in status for word in REMOVING_ACTIONS) else None
            if is_draft(data["draft"]) or not isinstance(data["code"], str):
                continue
            items.setdefault(data["code"], {"unit": unit, "path": rel, "blob": blob, "blocks": blocks, "data": data})
        blobs.close()  # every blob was read: let cat-file end now, not when the generator is collected
        return items


SNAPSHOT_FIELDS = ("code", "name", "category", "status", "draft")
FLAG = TypeAdapter(bool)


def is_draft(value: Any) -> bool:
    """The draft flag read as the schema reads it (draft: True, yes, 'true' are all set). A flag
    the schema rejects makes the file invalid, and an invalid file is not published either."""
    if value is None:
        return False
    try:
        return FLAG.validate_python(value)
    except ValidationError:
        return True


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


def iter_blobs(blobs: list[str], cwd: Path):
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


# --- field diffs ------------------------------------------------------------------------------------
FRONT_END = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\n|$)")
TOP_LEVEL = re.compile(r"^(?=[^\s#-])", re.M)  # a line that starts a top-level field


def top_level_blocks(raw: bytes) -> dict[str, str]:
    """{field: its YAML text} for each top-level field of a file's front matter."""
    text = raw.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---") or "\n" not in text:
        return {}
    first = text.index("\n")  # the end of the opening '---' line
    end = FRONT_END.search(text, first)
    if end is None:
        return {}
    blocks: dict[str, str] = {}
    for part in TOP_LEVEL.split(text[first + 1:end.start()]):
        if part and not part[0].isspace() and part[0] not in "#-":
            blocks.setdefault(part.split(":", 1)[0].strip().strip("'\""), part.rstrip())
    return blocks


PLAIN_SCALAR = re.compile(r"^[A-Za-z_]+:[ ]+([^\s'\"#&*!|>%@`\[\]{},:?-][^#:]*?)\s*$")


def _value(block: str | None) -> Any:
    if block is None:
        return None
    if "\n" not in block:  # most fields are one 'key: text' line: no YAML parser needed for those
        match = PLAIN_SCALAR.match(block)
        if match and reads_as_text(match.group(1)):  # 'draft: True' is a bool, never the text 'True'
            return match.group(1)
    data, _, problems = parse_yaml(block, "", 1)
    if problems or not isinstance(data, dict):
        return None
    return next(iter(data.values()), None)


def diff_blocks(old: dict[str, str], new: dict[str, str]) -> list[FieldChange]:
    changes = []
    for key in [*new, *(k for k in old if k not in new)]:
        if old.get(key) == new.get(key):
            continue
        before, after = _value(old.get(key)), _value(new.get(key))
        if before == after:
            continue  # a comment or the layout changed, not the value
        # An old version was never checked: what it held is masked before it is described (and
        # before it is shortened, which could cut a number past recognition).
        hidden: list[str] = []
        before, after = masked_value(before, (key,), hidden), masked_value(after, (key,), hidden)
        text = describe_change(key, before, after)
        if text:
            changes.append(FieldChange(key, text, tuple(dict.fromkeys(hidden))))
    return changes


# --- what git kept that the content checks never saw ---------------------------------------------
HIDDEN_MARKING = "〔已隐去〕"


def masked_text(text: str, contact: bool = False) -> tuple[str, list[str]]:
    """text with its sensitive findings masked (139****1024; a secrecy marking dropped), and the
    findings as reports show them. contact: a public contact field, where mobile numbers pass."""
    findings = [f for f in scan(text) if not (contact and f.rule == MOBILE)]
    if not findings:
        return text, []
    return replace_findings(text, findings, HIDDEN_MARKING), [f"{f.rule} '{f.masked}'" for f in findings]


def masked_value(value: Any, path: tuple, hidden: list[str]) -> Any:
    """A front matter value with every text in it masked; what was masked is added to hidden."""
    if isinstance(value, dict):
        return {k: masked_value(v, (*path, k), hidden) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_value(v, (*path, i), hidden) for i, v in enumerate(value)]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return value
    text, found = masked_text(str(value), _is_contact(path))
    if not found:
        return value
    hidden += found
    return text


def _is_contact(path: tuple) -> bool:
    return is_public_contact(PowerItem, path) or is_public_contact(ServiceGuide, path)


def describe_change(key: str, before: Any, after: Any) -> str:
    label = LABELS.get(key, key)
    if key == "basis":
        label = "依据"
    if key == "procedure":  # a graph: the page's flowchart shows it, a diff in words would not
        return f"{label} " + ("新增" if before is None else "删除" if after is None else "修改")
    if isinstance(before, list) or isinstance(after, list):
        old = [shown(key, v) for v in before or []]
        new = [shown(key, v) for v in after or []]
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = [f"{verb} {_some(values)}" for verb, values in (("新增", added), ("删除", removed)) if values]
        if not parts:
            parts.append("调整顺序")
        return f"{label} " + "；".join(parts)
    unit = " 个工作日" if key in DAY_FIELDS else ""
    if before is None:
        return f"{label} 新增 {shown(key, after)}{unit}"
    if after is None:
        return f"{label} 删除（原为 {shown(key, before)}{unit}）"
    return f"{label} {shown(key, before)} → {shown(key, after)}{unit}"


def shown(key: str, value: Any) -> str:
    """A field value as a reader sees it: 《law》第X条 for citations, 是/否 for yes/no."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "law" in value:
            law = str(value.get("law") or "").strip("《》<>〈〉 ")
            text = f"《{law}》{value.get('article') or ''}"
            return f"{text}（{value['kind']}）" if value.get("kind") and value.get("kind") != "设定依据" else text
        if "action" in value:
            try:
                date = parse_date(value.get("date")).isoformat()
            except DateError:
                date = value.get("date")
            extra = "，".join(str(v) for v in (date, value.get("document")) if v)
            return f"{value['action']}（{extra}）" if extra else str(value["action"])
        if "stage" in value:
            return f"{value['stage']}：{_short(value.get('duty'))}"
        return "，".join(f"{LABELS.get(k, k)} {_short(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(shown(key, v) for v in value)
    return _short(value)


def _some(values: list[str], limit: int = 3) -> str:
    """A few of many values: a revision record stays readable when a whole list was filled in."""
    if len(values) <= limit:
        return "、".join(values)
    return "、".join(values[:limit]) + f" 等 {len(values)} 项"


def _short(value: Any, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- list adjustments between two refs --------------------------------------------------------------
@dataclass
class ItemChange:
    code: str
    name: str
    category: str
    unit: str
    kind: str  # 新增, 取消, 下放, 删除, 调整
    changes: list[FieldChange] = field(default_factory=list)
    path: str = ""  # the item's file, relative to the content directory
    hidden: tuple[str, ...] = ()  # what was masked in name and changes, as reports show it

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "category": self.category, "unit": self.unit,
                "kind": self.kind, "changes": [c.text for c in self.changes]}


def _last_action(data: dict) -> str | None:
    status = data.get("status")
    if isinstance(status, list) and status and isinstance(status[-1], dict):
        action = status[-1].get("action")
        return action if action in STATUS_ACTIONS else None
    return None


def is_removed(data: dict) -> bool:
    return _last_action(data) in REMOVING_ACTIONS


def adjustments(before: dict[str, dict], after: dict[str, dict],
                unit_names: dict[str, str] | None = None) -> list[ItemChange]:
    """The power list's adjustments from one snapshot to the next, by unit and code. A move
    between units names them by `unit_names` (the catalog's), not by their folder ids."""
    names = unit_names or {}
    result: list[ItemChange] = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code), after.get(code)
        data = (new or old)["data"]
        unit, path = (new or old)["unit"], (new or old)["path"]
        # A snapshot's name was checked only if that version is the current one: it is masked.
        name, hidden = masked_text(str(data.get("name", "")))
        category = str(data.get("category", ""))

        def change(kind: str, changes: list[FieldChange] | None = None) -> ItemChange:
            found = hidden + [h for c in changes or [] for h in c.hidden]
            return ItemChange(code, name, category, unit, kind, changes or [], path, tuple(dict.fromkeys(found)))

        if new is None or (old is None and is_removed(new["data"])):
            if old is not None and not is_removed(old["data"]):
                result.append(change("删除"))
            continue
        if old is None or is_removed(old["data"]) and not is_removed(new["data"]):
            result.append(change("新增"))
            continue
        if is_removed(new["data"]) and not is_removed(old["data"]):
            result.append(change(_last_action(new["data"]) or "取消"))
            continue
        changes = [] if old["blob"] == new["blob"] else diff_blocks(old["blocks"], new["blocks"])
        if old["unit"] != new["unit"]:
            changes.insert(0, FieldChange("unit", f"实施主体 {names.get(old['unit'], old['unit'])} → {names.get(new['unit'], new['unit'])}"))
        if changes:
            result.append(change("调整", changes))
    return sorted(result, key=lambda c: (c.unit, c.code))


def changes_between(history: History, since: str, until: str = "HEAD",
                    unit_names: dict[str, str] | None = None) -> list[ItemChange]:
    return adjustments(history.power_snapshot(since), history.power_snapshot(until), unit_names)


ADJUSTMENT_KINDS = ("新增", "取消", "下放", "删除", "调整")


def counts_by_category(changes: list[ItemChange], categories: tuple[str, ...]) -> list[tuple[str, dict[str, int]]]:
    """Rows of the auditors' table: per category, how many items of each kind of adjustment."""
    table = {c: dict.fromkeys(ADJUSTMENT_KINDS, 0) for c in categories}
    for change in changes:
        table.setdefault(change.category, dict.fromkeys(ADJUSTMENT_KINDS, 0))[change.kind] += 1
    return [(c, row) for c, row in table.items() if any(row.values())]
