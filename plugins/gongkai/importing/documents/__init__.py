"""A Word 公文 laid out by GB/T 9704-2012 into a document's front matter and Markdown body: the
reader behind `gongkai import document FILE.docx`.

The parts of a 公文 are found by their text and their place, not by styles: offices type them by
hand in whatever template they have. In body order:

    版头  份号 and 紧急程度 (skipped), 密级 (refused: 涉密 documents never go on a public site),
          发文机关标志 (→ issuers; also read from a text box), 发文字号 and 签发人 (→ doc_no); or,
          for a series such as 《政务督查》, its name, 第N期 and the line of its editor and date
          (→ series, issue, written)
    主体  标题 (centred lines, joined → title, genre), 主送机关 (kept as the body's first paragraph),
          正文 (→ body), 附件说明 (→ attachment titles), 发文机关署名 (→ issuers when there is no
          标志), 成文日期 (→ written), 附注 （此件公开发布） (→ disclosure)
    附件  pages after the 成文日期 or the 版记 headed 附件1 …: their text under a heading at the
          body's end; pages holding only pictures or embedded files become attachment files
    版记  抄送, 印发机关和印发日期: dropped (internal distribution)

Choices where GB/T 9704 leaves room:
- Headings: 一、 → ##, （一） → ###, 1. → ####, （1） → ##### only for a short standalone line without 。！？；
  (a run-on paragraph like （一）受理。申请人… keeps its mark as a paragraph); Word's own heading
  styles (标题 1, Heading 1) count as well. Inside an appended 附件 every level is one deeper.
- Tables become pipe tables where they stand; a merged cell's text is repeated in every row and
  column it covers, so each row still reads whole (a Markdown table has no spans). A first row that
  is one cell across the table is its caption, written above it.
- Pictures in the text are written to files/ and shown where they stand; they are figures, not
  附件, so they are not listed in `attachments`. Embedded Office files (xlsx, docx, pptx) are
  attachments, titled by their 附件说明 entry. OLE packages (.bin: a PDF or an old .xls dragged
  into Word) cannot be unpacked without an OLE reader and are reported instead.
- 发布日期 and 主题分类 are never guessed (待填写 unless `published` is given): a 发布日期 made up
  from the 成文日期 fails a government website audit. Without a 公开属性 附注 the disclosure is
  待填写 too: whether a document goes on the site is the editor's decision, not a default.
- 文种 is the longest known genre ending the title (a 关于印发《…方案》的通知 is a 通知); 督查通报
  only in a series, elsewhere it is a 通报.
- A problem's line is the paragraph's number in the body, a table counting as one.

The modules, lowest first: lines (what a line of a 公文 says), blocks (the .docx as numbered
paragraphs and tables), parts (what the reader finds), files (pictures and embedded files written
beside the document), markdown (the body written from the parts), reading (the pass over the
blocks that finds the parts and reports what it could not read).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...model.primitives.problems import Problem, did_you_mean
from ...model.schema.fields import LABELS
from ..units import UnitMatcher
from .blocks import open_docx, secrecy_marking
from .lines import GENRES, SERIES_GENRE, genre_of, initials, proposed_slug
from .reading import ImportedDocument, Reading

__all__ = ["GENRES", "SERIES_GENRE", "ImportedDocument", "genre_of", "initials", "proposed_slug", "read_document"]


def read_document(path: Path, shown: str, units: UnitMatcher, *, unit: str | None = None,
                  published: dt.date | None = None) -> tuple[ImportedDocument | None, list[Problem]]:
    """The 公文 in a .docx as a document to write, or None with the errors that stop it; warnings
    name what was not recognised."""
    if unit is not None and unit not in units.units:
        hint = did_you_mean(unit, units.units) or "a unit is named by its folder under content/units/"
        return None, [Problem(shown, 1, 1, LABELS["issuers"], f"unknown unit '{unit}'", hint)]
    document, problems = open_docx(path, shown)
    if document is None:
        return None, problems
    try:
        marking = secrecy_marking(document)
    except Exception:  # a damaged header part: Reading reports the file
        marking = None
    if marking:
        return None, [Problem(shown, 1, 1, LABELS["secrecy"], f"the 公文 is marked '{marking}' (密级): 涉密 documents "
                              "never go on a public site", "only a document that is not classified (非涉密) can be imported")]
    reading = Reading(document, shown, units, unit, published)
    try:
        imported = reading.read()
    except Exception as exc:  # a damaged part python-docx loads only when used (styles, numbering)
        return None, [Problem(shown, 1, 1, "", f"the .docx cannot be read: {exc}",
                              "open it in Word or WPS and save it again as .docx")]
    return imported, reading.problems
