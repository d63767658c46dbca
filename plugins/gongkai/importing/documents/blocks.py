"""A .docx as the blocks of its body: the file opened (what stops it as problems), its paragraphs
and tables in body order, also inside content controls, each with its number; a table's lines, a
paragraph's alignment, the text in text boxes and Word's automatic numbering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ...model.primitives.problems import Problem
from ..sources import REFUSED, file_format
from .lines import SPACES, line_key

# Pictures and embedded objects in the XML, and Word's fallback copies of them (mc:Fallback).
_VML = "urn:schemas-microsoft-com:vml"
_OFFICE = "urn:schemas-microsoft-com:office:office"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
BLIP, OLE_OBJECT, VML_IMAGE = qn("a:blip"), f"{{{_OFFICE}}}OLEObject", f"{{{_VML}}}imagedata"
FALLBACK = f"{{{_MC}}}Fallback"


def open_docx(path: Path, shown: str):
    try:
        kind = file_format(path)
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot be read: {exc.strerror or exc}")]
    if kind in ("xlsx", "xls", "csv"):
        return None, [Problem(shown, 1, 1, "", f"a spreadsheet ({kind}), not a Word 公文 (.docx)",
                              "import lists from spreadsheets with the other `gongkai import` commands")]
    if kind != "docx":
        return None, [Problem(shown, 1, 1, "", f"not a Word document (.docx) that can be imported ({kind})",
                              REFUSED[kind])]
    try:
        return docx.Document(str(path)), []
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zip errors on a damaged package
        return None, [Problem(shown, 1, 1, "", f"the .docx cannot be opened: {exc}",
                              "open it in Word or WPS and save it again as .docx")]


# --- the body as numbered blocks ------------------------------------------------------------------

@dataclass
class Block:
    """A paragraph or a table of the body, with its number in body order (the line of problems)."""

    number: int
    item: Paragraph | Table
    text: str  # trimmed; a table's is the text of its cells, one a line
    indent: int  # leading spaces: offices push a 署名 or a date to the right by typing them

    @property
    def is_table(self) -> bool:
        return isinstance(self.item, Table)

    @property
    def key(self) -> str:
        return line_key(self.text)

    @property
    def has_objects(self) -> bool:
        return next(self.item._element.iter(BLIP, OLE_OBJECT, VML_IMAGE), None) is not None

    @property
    def is_blank(self) -> bool:
        return not self.text and not self.has_objects

    @property
    def alignment(self):
        return None if self.is_table else _alignment(self.item)

    @property
    def centred(self) -> bool:
        return self.alignment == WD_ALIGN_PARAGRAPH.CENTER


def body_blocks(document) -> list[Block]:
    blocks = []
    for number, item in enumerate(_body_items(document.element.body, document), 1):
        if isinstance(item, Table):
            blocks.append(Block(number, item, "\n".join(_table_lines(item)), 0))
        else:
            raw = item.text.replace("\t", " ")
            blocks.append(Block(number, item, raw.strip(SPACES + "\n"), len(raw) - len(raw.lstrip(SPACES))))
    return blocks


def _body_items(container, parent):
    """Paragraphs and tables in body order, also those inside content controls (w:sdt), which
    templates put around a title or a date and Document.iter_inner_content() passes over."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_items(content, parent)


def _table_lines(table: Table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        for cell in row.cells:
            text = cell.text.strip(SPACES + "\n")
            if text and (not lines or lines[-1] != text):
                lines.append(text)
    return lines


def _alignment(paragraph: Paragraph):
    """The paragraph's alignment, its own or its style's."""
    if paragraph.alignment is not None:
        return paragraph.alignment
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.alignment is not None:
            return style.paragraph_format.alignment
        style = style.base_style
    return None


def text_boxes(element) -> list[str]:
    """The lines of text in the text boxes of an element, Word's fallback copies (mc:Fallback)
    left out."""
    lines = []
    for box in element.iter(qn("w:txbxContent")):
        if any(a.tag == FALLBACK for a in box.iterancestors()):
            continue
        for paragraph in box.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip(SPACES)
            if text:
                lines.append(text)
    return lines


def word_numbered(paragraph: Paragraph) -> bool:
    """Whether Word numbers the paragraph itself (w:numPr on it or on its style, as 列表编号 has)."""
    formats = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        formats.append(style.element.pPr)
        style = style.base_style
    return any(f is not None and f.numPr is not None for f in formats)


def secrecy_marking(document) -> str | None:
    """A 密级 anywhere the 公文 can carry one: a line of its text (tables and text boxes
    included), its page headers and footers; or a marking the sensitive-data rules find in it.
    The first found, as written; None when there is none."""
    from ...model.primitives.text import without_format_characters
    from ...model.sensitive.detection import MARKING, scan
    from .lines import SECRECY

    texts: list[str] = []
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if part is not None and not part.is_linked_to_previous:
                parts.append(part._element)
    for element in parts:
        for paragraph in element.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            texts.append(text)
    for text in texts:
        key = line_key(without_format_characters(text))  # 秘\u200b密★1年 is 秘密★1年 to a reader
        if key and len(key) <= 30 and SECRECY.match(key):
            return text.strip()
    found = [f for f in scan("\n".join(texts)) if f.rule == MARKING]
    return found[0].text if found else None
