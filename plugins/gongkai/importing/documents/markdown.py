"""The body in Markdown and the attachments for the front matter, written from the parts the
reader found: headings by their marks or styles, tables as pipe tables, pictures linked where they
stand, 附件 pages as a heading and their text or as files."""

from __future__ import annotations

import re
from collections.abc import Callable

from docx.table import Table

from ...model.schema.fields import LABELS
from ...model.schema.placeholders import PLACEHOLDER
from .blocks import Block
from .files import Files
from .lines import HEADING_MARKS, SENTENCE_END, SPACES, escape
from .parts import Appendix, Parts

_HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.I)
_HEADING_MAX = 40  # characters: a longer line is a paragraph that starts with a mark


def _heading_level(block: Block) -> int | None:
    """The Markdown level of a heading paragraph (2 for 一、), or None for a paragraph."""
    style = block.item.style
    named = _HEADING_STYLE.match(style.name or "") if style is not None else None
    if named:
        return min(int(named[2]) + 1, 6)
    if len(block.text) > _HEADING_MAX or SENTENCE_END.search(block.text) or "\n" in block.text:
        return None
    return next((level for mark, level in HEADING_MARKS if mark.match(block.text)), None)


class Markdown:
    """The body of a 公文 in Markdown, its pictures and embedded files written by `files`."""

    def __init__(self, files: Files, warn: Callable[..., None]):
        self.files = files
        self.warn = warn  # the reader's: (line, field, message, hint)

    def body(self, parts: Parts) -> tuple[str, list[dict]]:
        """The Markdown body, and the attachments (title, file) for the front matter."""
        attachments: list[dict] = []
        pieces: list[str] = []
        claimed = {appendix.number for appendix in parts.appendices}
        unclaimed = [n for n in sorted(parts.listed) if n not in claimed]
        for block in parts.main + parts.after_date:
            text, files = self.render(block, 0)
            pieces.append(text)
            for name in files:
                title = parts.listed[unclaimed.pop(0)][0] if unclaimed else f"附件{len(attachments) + 1}"
                attachments.append({"title": title, "file": f"files/{name}"})
        for appendix in parts.appendices:
            pieces += self.appendix(appendix, parts, attachments)
        for number in unclaimed:
            self.missing_file(number, *parts.listed[number], attachments)
        body = "\n\n".join(piece for piece in pieces if piece)
        return body + "\n" if body else "", attachments

    def appendix(self, appendix: Appendix, parts: Parts, attachments: list[dict]) -> list[str]:
        """An 附件 page: its text under a heading, or, when it holds only pictures and embedded files,
        those files as attachments named by the 附件说明."""
        listed = parts.listed[appendix.number][0] if appendix.number in parts.listed else ""
        title = listed or appendix.title or f"附件{appendix.number}"
        if not any(block.text for block in appendix.blocks):
            objects = [o for block in appendix.blocks for o in self.files.objects(block)]
            for k, obj in enumerate(objects, 1):
                attachments.append({"title": title if k == 1 else f"{title}（{k}）", "file": f"files/{obj.name}"})
            if not objects:
                line = parts.listed[appendix.number][1] if listed else appendix.label.number
                self.missing_file(appendix.number, title, line, attachments)
            return []
        name = appendix.title or listed
        pieces = [f"## {escape(f'附件{appendix.number}' + (f'：{name}' if name else ''))}"]
        for block in appendix.blocks:
            text, files = self.render(block, 1)
            pieces.append(text)
            attachments += [{"title": title, "file": f"files/{name}"} for name in files]
        return pieces

    def missing_file(self, number: int, title: str, line: int, attachments: list[dict]) -> None:
        """An 附件 the .docx names but does not hold: listed with its file still to fill in."""
        attachments.append({"title": title, "file": PLACEHOLDER})
        self.warn(line, LABELS["attachments"], f"附件{number} '{title}' is not in the .docx: its file is {PLACEHOLDER}",
                  "put the file in files/ and name it in attachments, or delete the entry")

    def render(self, block: Block, depth: int) -> tuple[str, list[str]]:
        """A block's Markdown (pictures linked where they stand) and the embedded files it holds."""
        if block.is_table:
            return self.table(block)
        objects = self.files.objects(block)
        pieces = []
        if block.text:
            level = _heading_level(block)
            if level:
                pieces.append("#" * min(level + depth, 6) + " " + escape(block.text))
            else:  # a line break typed inside a paragraph separates paragraphs in a 公文
                pieces += [escape(line.strip(SPACES)) for line in block.text.splitlines() if line.strip(SPACES)]
        pieces += [f"![{o.alt}](files/{o.name})" for o in objects if o.kind == "image"]
        return "\n\n".join(pieces), [o.name for o in objects if o.kind == "file"]

    def table(self, block: Block) -> tuple[str, list[str]]:
        """A pipe table; a merged cell's text repeated in each grid cell it covers (python-docx's
        row.cells), rows padded to the grid; a first row that is one cell across is the caption."""
        table: Table = block.item
        files: list[str] = []
        rows: list[list[str]] = []
        spans: list[bool] = []
        rendered: dict = {}  # a merged cell, met once for every grid cell it covers, is read once
        for row in table.rows:
            cells = row.cells
            spans.append(len(cells) > 1 and all(cell._element is cells[0]._element for cell in cells))
            for cell in cells:
                if cell._element not in rendered:
                    rendered[cell._element] = self.cell(cell, files, block.number)
            rows.append([""] * row.grid_cols_before + [rendered[cell._element] for cell in cells]
                        + [""] * row.grid_cols_after)
        if not rows:
            return "", files
        caption = ""
        if len(rows) > 1 and spans[0]:
            caption = rows.pop(0)[0] + "\n\n"
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
        lines.insert(1, "|" + " --- |" * width)
        return caption + "\n".join(lines), files

    def cell(self, cell, files: list[str], number: int) -> str:
        """A cell's paragraphs (and tables inside it) as one line of a pipe table."""
        lines: list[str] = []
        for item in cell.iter_inner_content():
            if isinstance(item, Table):
                lines += ["　".join(self.cell(inner, files, number) for inner in row.cells) for row in item.rows]
                continue
            text = item.text.strip(SPACES + "\n")
            if text:
                lines.append(escape(text).replace("|", "\\|").replace("\n", "<br>"))
            for obj in self.files.objects_in(item._element, number):
                if obj.kind == "image":
                    lines.append(f"![{obj.alt}](files/{obj.name})")
                elif obj.name not in files:
                    files.append(obj.name)
        return "<br>".join(lines)
