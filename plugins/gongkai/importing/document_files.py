"""Documents into files: units/<unit>/documents/<slug>.md with its attachments in files/, or an
update of the document with the same 文号 (or series and issue) in what the 公文 says (its text,
once in the archive, is the editor's: a 公文 whose 正文 differs is reported, not copied over)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.primitives.problems import Problem, Severity
from ..model.primitives.text import reference_key
from ..model.primitives.tree import walk
from ..model.schema.fields import LABELS
from ..model.schema.kinds import DOCUMENT, UNITS_DIR
from ..model.schema.records import Document
from .plan import Output, comparable, encoded, has_placeholder, markdown_file, read_front, replace_field


def existing_documents(content_dir: Path) -> dict[str, tuple[str, str, dict]]:
    """{文号 key, or series#issue: (content-relative path, text, front matter)} of every document."""
    out = {}
    for rel in walk(content_dir).under(UNITS_DIR, ".md"):
        parts = rel.split("/")
        if len(parts) < 4 or parts[2] != DOCUMENT.plural:
            continue
        text, front = read_front(content_dir, rel)
        if front is not None:
            for key in _document_keys(front):
                out[key] = (rel, text, front)
    return out


def _document_keys(front: dict) -> list[str]:
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
                if name not in front_new or (has_placeholder(front_new[name]) and front.get(name) is not None):
                    continue  # what the 公文 does not say, the file keeps
                if comparable(front_new[name]) != comparable(front.get(name)):
                    new_text = _replace_document_field(new_text, name, front_new[name])
                    changes.append(LABELS.get(name, name))
            # The text is the editor's once it is in the archive (links to its 解读, corrections):
            # a 公文 whose 正文 differs is reported, and the file's text kept.
            if _body_of(text).strip() != body.strip():
                problems.append(Problem(shown, 1, 1, "正文", f"the 公文's text differs from {rel}'s; the file's is kept",
                                        "copy what changed by hand", Severity.WARNING))
            outputs += _attachment_outputs(content_dir, folder, files, label, shown, True, problems)
            if changes:
                outputs.append(Output(rel, encoded(new_text), "更新", label, changes, exists=True, before=encoded(text)))
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


def _body_of(text: str) -> str:
    """What follows the front matter's closing line."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), len(lines))
    return "\n".join(lines[end + 1:])


def _replace_document_field(text: str, name: str, value: Any) -> str:
    return replace_field(text, name, value, order=list(Document.model_fields))
