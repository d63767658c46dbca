"""What an import writes, and the writing.

A plan is a list of outputs, each a file under content/ with its bytes: a new item or document,
or an existing item with only the fields the sheet holds replaced. Nothing is written while any
source has an error; then every file is first written beside its place and renamed in, and a
failure on the way puts back what was renamed, so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import PydanticUndefined

from ..model.primitives.frontmatter import split_front_matter
from ..model.primitives.problems import Problem, Severity
from ..model.primitives.text import identifier_key
from ..model.primitives.tree import walk
from ..model.schema.fields import LABELS
from ..model.schema.kinds import POWER, UNITS_DIR
from ..model.schema.placeholders import PLACEHOLDER
from ..model.schema.records import PowerItem
from ..scaffold import CATEGORY_LETTERS, CodeBook
from .powers import ImportedItem


@dataclass
class Output:
    rel: str  # content-relative, posix
    data: bytes
    action: str  # 新增 or 更新
    label: str  # what the report calls it: a code and a name, a 文号 and a title
    changes: list[str] = field(default_factory=list)  # the fields an update changes
    exists: bool = False  # replaces a file


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


# --- power items ------------------------------------------------------------------------------

@dataclass
class ExistingItem:
    rel: str
    unit_id: str
    text: str
    front: dict


def existing_items(content_dir: Path) -> list[ExistingItem]:
    """Every item file's front matter, drafts and files with errors included (a file whose front
    matter cannot be read is left out: `gongkai check` reports it)."""
    out = []
    for rel in walk(content_dir).under(UNITS_DIR, ".md"):
        parts = rel.split("/")
        if len(parts) != 4 or parts[2] != POWER.plural:
            continue
        text = (content_dir / rel).read_text(encoding="utf-8", errors="replace")
        front_text, _, _, problems = split_front_matter(text, rel)
        try:
            front = yaml.safe_load(front_text or "") if not problems else None
        except yaml.YAMLError:
            front = None
        if isinstance(front, dict):
            out.append(ExistingItem(rel, parts[1], text, front))
    return out


def _name_key(unit_id: str, category: str, name: str) -> tuple:
    return unit_id, category, identifier_key(re.sub(r"\s+", "", name))


def plan_powers(content_dir: Path, items: list[ImportedItem], *, update: bool
                ) -> tuple[list[Output], int, list[Problem]]:
    """The outputs for the items, how many are unchanged, and the problems (an existing item
    without --update, a code twice in the sheets)."""
    problems: list[Problem] = []
    existing = existing_items(content_dir)
    by_code = {identifier_key(str(e.front.get("code", ""))): e for e in existing if e.front.get("code")}
    by_name = {_name_key(e.unit_id, str(e.front.get("category", "")), str(e.front.get("name", ""))): e
               for e in existing}
    codes = CodeBook(content_dir)
    outputs: list[Output] = []
    unchanged = 0
    seen: dict[str, ImportedItem] = {}
    matched: list[tuple[ImportedItem, ExistingItem | None]] = []
    for item in items:
        if not item.unit_id:
            continue  # reported where it was read
        keys = [identifier_key(item.code)] if item.code else []
        keys.append(repr(_name_key(item.unit_id, item.values.get("category", ""), item.name)))
        twice = next((seen[k] for k in keys if k in seen), None)
        if twice is not None:
            problems.append(_at(item, "code" if item.code else "name",
                                f"the item is in the sheets twice: also {twice.first.ref}",
                                "one row (or one group of rows) per item"))
            continue
        seen.update((k, item) for k in keys)
        found = (by_code.get(identifier_key(item.code)) if item.code else None) \
            or by_name.get(_name_key(item.unit_id, item.values.get("category", ""), item.name))
        matched.append((item, found))
        if item.code and found is None:
            codes.take(item.code, item.unit_id, item.code)
    for item, found in matched:
        if found is None:
            outputs.append(_new_item(content_dir, item, codes))
        elif not update:
            problems.append(_at(item, "name", f"the item is already in {found.rel}",
                                "give --update to update the fields the sheet holds"))
        else:
            output = _updated_item(found, item, problems)
            if output:
                outputs.append(output)
            else:
                unchanged += 1
    return outputs, unchanged, problems


def _at(item: ImportedItem, field_name: str, message: str, hint: str = "",
        severity: Severity = Severity.ERROR) -> Problem:
    return Problem(item.source, item.first.row + 1, item.first.col + 1, LABELS.get(field_name, field_name),
                   f"{item.first.ref}: {message}", hint, severity)


def _new_item(content_dir: Path, item: ImportedItem, codes: CodeBook) -> Output:
    category = item.values.get("category")
    if item.code:
        code, stem = item.code, item.code
    elif category in CATEGORY_LETTERS:
        code, stem = codes.fresh(item.unit_id, category)
    else:
        code, stem = PLACEHOLDER, f"new-{item.first.row + 1}"  # the category is reported as an error
    front = {"code": code, **{k: v for k, v in _clean(item.front()).items() if k != "code"}}
    rel = f"{UNITS_DIR}/{item.unit_id}/{POWER.plural}/{stem}.md"
    body = "\n\n".join(item.remarks)
    return Output(rel, markdown_file(front, body), "新增", f"{code} {item.name}")


def _clean(value: Any) -> Any:
    """Without the keys a reader left empty (a citation without a level) or at their default."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and _DEFAULTS.get(k) != v}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


# The defaults of fields a file may leave out, so that leaving one out equals writing it.
_DEFAULTS = {"kind": "设定依据"}


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in {**_DEFAULTS, **value}.items() if v is not None} \
            if "law" in value else {k: _comparable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, str):
        return value.strip()
    return value


def _updated_item(found: ExistingItem, item: ImportedItem, problems: list[Problem]) -> Output | None:
    """The item's file with the fields the sheet holds replaced where they differ; what editors
    added (a procedure, the status history, fields the sheet has no column for) is kept as written."""
    if found.unit_id != item.unit_id:
        problems.append(_at(item, "unit", f"the sheet puts the item in unit '{item.unit_id}'; it stays in "
                            f"{found.rel}", "move the file by hand if it changed hands", Severity.WARNING))
    text = found.text
    changes = []
    new_front = _clean(item.front())
    for name in PowerItem.model_fields:
        # The status history is the editors': a sheet's 动态调整 only starts a new file's.
        if name not in item.held or name not in new_front or name in ("status", "code"):
            continue
        new, old = new_front[name], found.front.get(name, _default(name))
        if _has_placeholder(new):
            if old is not None:
                continue  # what the sheet could not give, the file keeps
        if _comparable(new) == _comparable(old):
            continue
        text = replace_field(text, name, new)
        changes.append(_change(name, old, new))
    if not changes:
        return None
    code = found.front.get("code", "")
    return Output(found.rel, text.encode("utf-8"), "更新", f"{code} {item.name}", changes, exists=True)


def _default(name: str) -> Any:
    """A field's value when a file leaves it out (是否网办: false, 收费: 不收费)."""
    default = PowerItem.model_fields[name].default
    return None if default is PydanticUndefined else default


def _change(name: str, old: Any, new: Any) -> str:
    """设定依据 (2 → 3), 承办机构: 综合股 → 审批股."""
    label = LABELS.get(name, name)
    if isinstance(new, list) or isinstance(old, list):
        return f"{label} ({len(old or [])} → {len(new or [])})"
    return f"{label}: {'' if old is None else old} → {new}"


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return value == PLACEHOLDER


_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def replace_field(text: str, name: str, value: Any, order: list[str] | None = None) -> str:
    """The file with one top-level field of its front matter replaced (or added in the schema's
    order), every other line as it was.

    Written by hand rather than with a round-trip YAML library: the fields replaced are whole,
    so splicing their lines keeps the rest of the file byte for byte, comments and the editor's
    layout included, which re-emitting the whole document would not."""
    lines = text.split("\n")
    end = lines.index("---", 1)  # the front matter's closing line (the file was read with it)
    block = dump({name: value}).rstrip("\n").split("\n")
    keys = {}
    for i in range(1, end):
        match = _TOP_KEY.match(lines[i])
        if match:
            keys[match[1]] = i
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
    return "\n".join(lines)


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
    try:
        for output in outputs:
            target = (content_dir / output.rel).resolve()
            if not target.is_relative_to(root) or target == root:
                raise WriteError(f"{output.rel} is outside the content directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.parent / f".{target.name}.import-{os.getpid()}"
            temp.write_bytes(output.data)
            staged.append((temp, target, output))
        for temp, target, output in staged:
            if output.exists:
                before = target.read_bytes()
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
        if isinstance(exc, WriteError):
            raise
        raise WriteError(f"cannot write {getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}; "
                         "nothing was written") from None


# --- documents --------------------------------------------------------------------------------

def existing_documents(content_dir: Path) -> dict[str, tuple[str, str, dict]]:
    """{文号 key, or series#issue: (content-relative path, text, front matter)} of every document."""
    from ..model.schema.kinds import DOCUMENT

    out = {}
    for rel in walk(content_dir).under(UNITS_DIR, ".md"):
        parts = rel.split("/")
        if len(parts) < 4 or parts[2] != DOCUMENT.plural:
            continue
        text = (content_dir / rel).read_text(encoding="utf-8", errors="replace")
        front_text, _, _, problems = split_front_matter(text, rel)
        try:
            front = yaml.safe_load(front_text or "") if not problems else None
        except yaml.YAMLError:
            front = None
        if isinstance(front, dict):
            for key in _document_keys(front):
                out[key] = (rel, text, front)
    return out


def _document_keys(front: dict) -> list[str]:
    from ..model.primitives.text import reference_key

    keys = [reference_key(str(front["doc_no"]))] if front.get("doc_no") else []
    if front.get("series") and front.get("issue"):
        keys.append(f"{front['series']}#{front['issue']}")
    return keys


# What an update of a document takes from the 公文: what the Word file says; the editor's fields
# (发布日期, 主题分类, 内容概述 …) stay as written.
DOCUMENT_FIELDS = ("title", "doc_no", "issuers", "genre", "written", "disclosure", "series", "issue", "attachments")


def plan_documents(content_dir: Path, documents: list, *, update: bool) -> tuple[list[Output], int, list[Problem]]:
    """The outputs for the read documents: units/<unit>/documents/<slug>.md and its attachments in
    files/<slug>/, or an update of the document with the same 文号 (or series and issue)."""
    from ..model.schema.kinds import DOCUMENT

    problems: list[Problem] = []
    existing = existing_documents(content_dir)
    outputs: list[Output] = []
    unchanged = 0
    planned: dict[str, Path] = {}
    for path, document in documents:
        shown = path.as_posix()
        keys = _document_keys(document.front)
        twice = next((planned[k] for k in keys if k in planned), None)
        if twice is not None:
            problems.append(Problem(shown, 1, 1, LABELS["doc_no"], f"the same 公文 as {twice.as_posix()}",
                                    "import one of them"))
            continue
        planned.update((k, path) for k in keys)
        found = next((existing[k] for k in keys if k in existing), None)
        label = f"{document.front.get('doc_no') or document.front.get('title')}"
        if found is not None:
            rel, text, front = found
            if not update:
                problems.append(Problem(shown, 1, 1, LABELS["doc_no"], f"the document is already in {rel}",
                                        "give --update to update what the 公文 says"))
                continue
            folder = rel.rsplit("/", 1)[0]
            stem = rel.rsplit("/", 1)[1][: -len(".md")]
            front_new, body, files = _placed(document, stem)
            changes, new_text = [], text
            for name in DOCUMENT_FIELDS:
                if name not in front_new or (_has_placeholder(front_new[name]) and front.get(name) is not None):
                    continue  # what the 公文 does not say, the file keeps
                if _comparable(front_new[name]) != _comparable(front.get(name)):
                    new_text = _replace_document_field(new_text, name, front_new[name])
                    changes.append(LABELS.get(name, name))
            head, _, old_body = new_text.partition("\n---\n")
            if old_body.strip() != body.strip():
                new_text = f"{head}\n---\n{body.strip()}\n"
                changes.append("正文")
            outputs += _attachment_outputs(content_dir, folder, files, label, shown, True, problems)
            if changes:
                outputs.append(Output(rel, new_text.encode("utf-8"), "更新", label, changes, exists=True))
            else:
                unchanged += 1
            continue
        if not document.unit_id:
            continue  # reported by the reader
        folder = f"{UNITS_DIR}/{document.unit_id}/{DOCUMENT.plural}"
        stem = document.slug
        n = 1
        while (content_dir / folder / f"{stem}.md").exists() or f"{folder}/{stem}" in planned:
            n += 1
            stem = f"{document.slug}-{n}"
        planned[f"{folder}/{stem}"] = path
        front_new, body, files = _placed(document, stem)
        outputs.append(Output(f"{folder}/{stem}.md", markdown_file(front_new, body), "新增", label))
        outputs += _attachment_outputs(content_dir, folder, files, label, shown, False, problems)
    return outputs, unchanged, problems


def _placed(document, stem: str) -> tuple[dict, str, list[tuple[str, bytes]]]:
    """The front matter, body and attachment files (in files/, beside the documents, as editors
    keep them), the files renamed with the document when its file name had to change."""
    front, body = dict(document.front), document.body
    files, renamed = [], {}
    for name, data in document.attachments:
        new = stem + name[len(document.slug):] if stem != document.slug and name.startswith(document.slug) else name
        renamed[f"files/{name}"] = f"files/{new}"
        body = body.replace(f"](files/{name})", f"](files/{new})")
        files.append((f"files/{new}", data))
    if "attachments" in front:
        front["attachments"] = [{**a, "file": renamed.get(a.get("file"), a.get("file"))} for a in front["attachments"]]
    return front, body, files


def _attachment_outputs(content_dir: Path, folder: str, files: list[tuple[str, bytes]], label: str,
                        shown: str, update: bool, problems: list[Problem]) -> list[Output]:
    """The attachment files to write: those not already there as they are. A different file of
    the same name is replaced only by an update of its own document."""
    out = []
    for rel, data in files:
        target = content_dir / folder / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        if target.exists() and not update:
            problems.append(Problem(shown, 1, 1, LABELS["attachments"], f"{folder}/{rel} exists and is another file",
                                    "rename or move it, or give --update if it is this document's"))
            continue
        out.append(Output(f"{folder}/{rel}", data, "更新" if target.exists() else "新增", f"附件 of {label}",
                          exists=target.exists()))
    return out


def _replace_document_field(text: str, name: str, value: Any) -> str:
    from ..model.schema.records import Document

    return replace_field(text, name, value, order=list(Document.model_fields))
