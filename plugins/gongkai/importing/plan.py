"""What an import writes, and the writing: the part both imports share.

An output is a file under content/ with its bytes: a new item or document, or an existing file
with only some fields of its front matter replaced (item_files.py, document_files.py say which).
Nothing is written while any source has an error; then every file is first written beside its
place and renamed in, and a failure on the way puts back what was renamed, so an import is all
or nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model.primitives.frontmatter import split_front_matter
from ..model.schema.placeholders import PLACEHOLDER
from ..model.schema.records import PowerItem


@dataclass
class Output:
    rel: str  # content-relative, posix
    data: bytes
    action: str  # 新增 or 更新
    label: str  # what the report calls it: a code and a name, a 文号 and a title
    changes: list[str] = field(default_factory=list)  # the fields an update changes
    exists: bool = False  # replaces a file
    before: bytes | None = None  # the replaced file as the plan read it: if it changed since, nothing is written


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key (  - law: …), as the content's files are written."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000)


def markdown_file(front: dict, body: str = "") -> bytes:
    body = body.strip()
    return f"---\n{dump(front)}---\n{body + chr(10) if body else ''}".encode("utf-8")


def read_front(content_dir: Path, rel: str) -> tuple[str, dict | None]:
    """A content file's text and front matter (None when it cannot be read: `gongkai check`
    reports that file)."""
    # surrogateescape: the text encodes back to the very bytes read (Output.before), whatever they are.
    text = (content_dir / rel).read_bytes().decode("utf-8", errors="surrogateescape")
    front_text, _, _, problems = split_front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n"), rel)
    try:
        front = yaml.safe_load(front_text or "") if not problems else None
    except yaml.YAMLError:
        front = None
    return text, front if isinstance(front, dict) else None


def encoded(text: str) -> bytes:
    """Text read by read_front, as bytes again."""
    return text.encode("utf-8", errors="surrogateescape")


def clean(value: Any) -> Any:
    """Without the keys a reader left empty (a citation without a level) or at their default."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None and DEFAULTS.get(k) != v}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


# The defaults of fields a file may leave out, so that leaving one out equals writing it.
DEFAULTS = {"kind": "设定依据"}


def comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in {**DEFAULTS, **value}.items() if v is not None} \
            if "law" in value else {k: comparable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, str):
        return value.strip()
    return value


def has_placeholder(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(has_placeholder(v) for v in value)
    return value == PLACEHOLDER


_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def replace_field(text: str, name: str, value: Any, order: list[str] | None = None) -> str:
    """The file with one top-level field of its front matter replaced (or added in the schema's
    order), every other line as it was, its byte-order mark and line ends (CRLF) kept.

    Written by hand rather than with a round-trip YAML library: the fields replaced are whole,
    so splicing their lines keeps the rest of the file byte for byte, comments and the editor's
    layout included, which re-emitting the whole document would not."""
    bom, crlf = text.startswith("\ufeff"), "\r\n" in text
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    # The front matter's closing line (the file was read with one; trailing spaces allowed, as the loader does).
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    block = dump({name: value}).rstrip("\n").split("\n")
    keys = {}
    for i in range(1, end):
        match = _TOP_KEY.match(lines[i])
        if match:
            keys.setdefault(match[1], i)
    if name in keys:
        start = keys[name]
        stop = start + 1
        while stop < end and (lines[stop][:1] in (" ", "\t", "-") or (lines[stop] == "" and _continues(lines, stop, end))):
            stop += 1
        lines[start:stop] = block
    else:
        order = order or list(PowerItem.model_fields)
        later = [keys[k] for k in keys if k in order and order.index(k) > order.index(name)]
        at = min(later) if later else end
        lines[at:at] = block
    out = "\n".join(lines)
    return ("\ufeff" if bom else "") + (out.replace("\n", "\r\n") if crlf else out)


def _continues(lines: list[str], i: int, end: int) -> bool:
    """Whether a blank line sits inside a block (more indented lines follow)."""
    while i < end and lines[i] == "":
        i += 1
    return i < end and lines[i][:1] in (" ", "\t")


# --- writing ----------------------------------------------------------------------------------

class WriteError(Exception):
    pass


def write_outputs(content_dir: Path, outputs: list[Output]) -> None:
    """Write every output or none: each to a temporary file beside its place, then renamed in; a
    new file never replaces one made meanwhile; on any failure, what was renamed is put back."""
    root = content_dir.resolve()
    staged: list[tuple[Path, Path, Output]] = []
    done: list[tuple[Path, bytes | None]] = []  # (path, bytes before, None for a new file)
    made: list[Path] = []  # folders this write made, removed again when it fails
    try:
        for output in outputs:
            target = (content_dir / output.rel).resolve()
            if not target.is_relative_to(root) or target == root:
                raise WriteError(f"{output.rel} is outside the content directory")
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            made += reversed(missing)
            temp = target.parent / f".{target.name}.import-{os.getpid()}"
            temp.write_bytes(output.data)
            staged.append((temp, target, output))
        for temp, target, output in staged:
            if output.exists:
                before = target.read_bytes()
                if output.before is not None and before != output.before:
                    raise WriteError(f"{output.rel} was changed meanwhile (by an editor, or another import); "
                                     "run the import again")
                os.replace(temp, target)
                done.append((target, before))
            else:
                try:
                    os.link(temp, target)  # fails when the file exists: never overwrite one
                except FileExistsError:
                    raise WriteError(f"{output.rel} was made by someone else meanwhile") from None
                os.unlink(temp)
                done.append((target, None))
    except (OSError, WriteError) as exc:
        for path, before in reversed(done):
            try:
                if before is None:
                    path.unlink()
                else:
                    path.write_bytes(before)
            except OSError:
                pass
        for temp, _, _ in staged:
            temp.unlink(missing_ok=True)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(exc, WriteError):
            raise
        where = str(getattr(exc, "filename", "") or "")
        for temp, target, output in staged:  # name the file, not its temporary twin
            where = where.replace(str(temp), output.rel)
        raise WriteError(f"cannot write {where}: {exc.strerror or exc}") from None


