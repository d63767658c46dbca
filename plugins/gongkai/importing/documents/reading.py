"""The reader of a 公文, a pass over its blocks: the 版头, the 标题, the 主体 sorted into its parts,
the 发文机关 matched to units and what was not found or not read reported; the body is written by
.markdown, the pictures and embedded files by .files."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from ...model.primitives.dates import DateError, parse_date
from ...model.primitives.problems import Problem, Severity
from ...model.primitives.text import book_title
from ...model.schema.fields import LABELS
from ...model.schema.placeholders import PLACEHOLDER
from ...model.schema.records import Document
from ..units import UnitMatcher
from .blocks import Block, body_blocks, text_boxes, word_numbered
from .files import Files
from .lines import (APPENDIX, ATTACHMENT_ITEM, ATTACHMENT_NOTE, COPY_NO, IMPRINT, ISSUE, ORGAN, SECRECY,
                    SENTENCE_END, SIGNER, URGENCY, date_line, disclosure_of, doc_no_line, genre_of, heading_marked,
                    line_key, number_of, organ_name, proposed_slug, tidy_title)
from .markdown import Markdown
from .parts import Appendix, Head, Parts


@dataclass
class ImportedDocument:
    unit_id: str | None  # owning unit: --unit, else the issuer matched from 发文机关标志/署名
    year: int | None  # of the 成文日期 (file naming)
    slug: str  # proposed file stem, ASCII [a-z0-9-]: 2024-afbf-3 from 安府办发〔2024〕3号
    front: dict  # front matter in Document field order, values ready for yaml.safe_dump
    body: str  # Markdown body
    attachments: list[tuple[str, bytes]]  # (file name, bytes) for files/ beside the .md


_HEAD_LINES = 12  # non-empty paragraphs searched for the 版头
_SIGNATURE_LINES = 6  # 署名 lines taken back from the end of the 正文 (joint documents have several)

_NOT_A_GONGWEN_HINT = ("write its front matter by hand with `gongkai new document` and paste the text "
                       "below it")
_ISSUER_HINT = "give --unit, or add the name to the aliases of its unit (unit.md)"


def _reads_as_text(block: Block) -> bool:
    """A paragraph of the 正文 or the 主送机关: where the 版头 and the 标题 have ended."""
    key = block.key
    return (not block.is_table and ("。" in key or key.endswith(":") or len(key) > 60)) or heading_marked(block.text)


def _title_like(block: Block) -> bool:
    key = block.key
    return (not block.is_table and 0 < len(key) <= 80 and not _reads_as_text(block)
            and not SENTENCE_END.search(key) and not key.startswith("(") and not date_line(key)
            and not IMPRINT.search(key) and not key.startswith("附件"))


class Reading:
    """One pass over the blocks of a .docx: its document, and the problems met on the way."""

    def __init__(self, document, shown: str, units: UnitMatcher, unit: str | None, published: dt.date | None):
        self.document = document
        self.shown = shown
        self.units = units
        self.unit = unit
        self.published = published
        self.problems: list[Problem] = []
        self.blocks = body_blocks(document)

    def warn(self, line: int, field_name: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, line, 1, field_name, message, hint, Severity.WARNING))

    def error(self, line: int, field_name: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, line, 1, field_name, message, hint))

    def read(self) -> ImportedDocument | None:
        head = self.head()
        title_lines, start = self.title(head.end)
        # The 版头 typed in text boxes (as many templates have its 发文机关标志) is read as well.
        boxed = [(b.number, line) for b in self.blocks[:start] if b.is_blank for line in text_boxes(b.item._element)]
        secrecy = head.secrecy or next(((n, line) for n, line in boxed if SECRECY.match(line_key(line))), None)
        if secrecy is not None:
            self.error(secrecy[0], LABELS["secrecy"], f"the 公文 is marked '{secrecy[1]}' (密级): 涉密 documents "
                       "never go on a public site", "only a document that is not classified (非涉密) can be imported")
            return None
        head.masthead[:0] = boxed
        parts = self.parts(start)
        written = head.written or parts.written
        if head.doc_no is None and written is None:
            self.error(1, LABELS["doc_no"],
                       f"{Path(self.shown).name} is not a 公文 (GB/T 9704): no 发文字号 and no 成文日期 found",
                       _NOT_A_GONGWEN_HINT)
            return None
        issuers = self.issuers(head, parts)
        if issuers is None:
            return None
        self.report_missing(head, parts, title_lines, written)
        self.report_unread(start)

        title = tidy_title([b.text for b in title_lines]) or PLACEHOLDER
        genre = genre_of(title, head.series)
        if head.series and head.issue and title_lines:  # as the archive names an issue: 《政务督查》第4期：关于…
            title = f"{book_title(head.series)}第{head.issue}期：{title}"
        if genre is None and title_lines:
            self.warn(title_lines[-1].number, LABELS["genre"], "no 文种 (通知, 实施方案 …) at the end of the title",
                      "write genre: by hand if the document has one")
        year = written[1].year if written else None
        slug = proposed_slug(head.doc_no, head.series, head.issue, year, title)
        files = Files(self.document, slug, self.warn)
        body, attachments = Markdown(files, self.warn).body(parts)
        values = {
            "title": title, "doc_no": head.doc_no, "issuers": issuers, "genre": genre, "topic": PLACEHOLDER,
            "written": written[1] if written else None, "published": self.published or PLACEHOLDER,
            "disclosure": parts.disclosure or PLACEHOLDER, "series": head.series,
            "issue": head.issue if head.series else None, "attachments": attachments,
        }
        front = {name: values[name] for name in Document.model_fields if values.get(name) not in (None, [])}
        return ImportedDocument(self.unit or issuers[0], year, slug, front, body, files.written)

    # --- 版头 ---------------------------------------------------------------------------------------

    def head(self) -> Head:
        """The 版头 among the first lines: everything up to the 发文字号 (or a series' 期号, and its
        editor's line); without either, the lines that are known parts of a 版头."""
        head = Head()
        candidates: list[int] = []
        for index, block in enumerate(self.blocks):
            if block.is_blank:
                continue
            if _reads_as_text(block) or len(candidates) == _HEAD_LINES:
                break
            candidates.append(index)
        kinds = [self.head_kind(self.blocks[i]) for i in candidates]
        if "secrecy" in kinds:  # a 密级 anywhere above the 正文 refuses the document
            block = self.blocks[candidates[kinds.index("secrecy")]]
            marked = [line for line in block.text.splitlines() if SECRECY.match(line_key(line))]
            head.secrecy = (block.number, marked[0] if marked else block.text)
            return head
        anchor = next((k for k, kind in enumerate(kinds) if kind in ("doc_no", "issue")), None)
        if anchor is None:
            length = next((k for k, kind in enumerate(kinds) if kind is None), len(kinds))
        else:
            length = anchor + 1
            while length < len(kinds) and kinds[length] in ("doc_no", "issue", "dated", "signer"):
                length += 1
        for k in range(length):
            self.read_head_line(head, self.blocks[candidates[k]], kinds[k])
        head.end = candidates[length - 1] + 1 if length else 0
        return head

    def head_kind(self, block: Block) -> str | None:
        if block.is_table:
            return "secrecy" if any(SECRECY.match(line_key(line)) for line in block.text.splitlines()) else None
        key = block.key
        if SECRECY.match(key):
            return "secrecy"
        if COPY_NO.match(key) or URGENCY.match(key):
            return "skipped"
        if doc_no_line(block.text):
            return "doc_no"
        if SIGNER.match(key):
            return "signer"
        if ISSUE.match(key):
            return "issue"
        if date_line(key):
            return "dated"
        if key.endswith("文件") or self.units.find(key):
            return "masthead"
        return None

    def read_head_line(self, head: Head, block: Block, kind: str | None) -> None:
        if kind == "doc_no":
            head.doc_no = head.doc_no or doc_no_line(block.text)
        elif kind == "issue":
            match = ISSUE.match(block.key)
            head.issue = number_of(match["issue"])
            if match["series"]:
                head.series = match["series"]
            elif head.masthead:  # the 刊头 (政务督查, in red) stands on the line above its 期号
                head.series = head.masthead.pop()[1].strip("《》")
        elif kind == "dated":
            organ, date = date_line(block.key)
            if organ:
                head.masthead.append((block.number, organ))
            parsed = self.date(block, date)
            if parsed and head.written is None:
                head.written = (block.number, parsed)
        elif kind in (None, "masthead"):
            head.masthead += [(block.number, line) for line in block.text.splitlines()]

    def date(self, block: Block, text: str) -> dt.date | None:
        try:
            return parse_date(text)
        except DateError as exc:
            self.warn(block.number, LABELS["written"], str(exc))
            return None

    # --- 标题 ---------------------------------------------------------------------------------------

    def title(self, start: int) -> tuple[list[Block], int]:
        """The 标题 lines from `start` (blank lines before it skipped) and where the 主体 begins."""
        lines: list[Block] = []
        index = start
        while index < len(self.blocks):
            block = self.blocks[index]
            if block.is_blank and not lines:
                index += 1
                continue
            if block.is_blank or not _title_like(block) or (lines and lines[0].centred and not block.centred):
                break
            lines.append(block)
            index += 1
        return lines, index

    # --- 主体 ---------------------------------------------------------------------------------------

    def parts(self, start: int) -> Parts:
        parts = Parts()
        listing = False  # in the 附件说明, whose numbered lines are attachment titles
        after_date = False  # past the 成文日期 or the 版记: 附注, 附件 pages, 版记
        for block in self.blocks[start:]:
            if block.is_blank:
                if parts.appendices and parts.appendices[-1].title_lines:
                    parts.appendices[-1].title_open = False
                continue
            key = block.key
            if block.is_table:
                if any(IMPRINT.search(line_key(line)) for line in block.text.splitlines()):
                    after_date = True
                    continue
            else:
                disclosure = disclosure_of(key)
                if disclosure:
                    parts.disclosure = parts.disclosure or disclosure
                    continue
                if IMPRINT.search(key):
                    after_date = True
                    continue
            if not after_date:
                if not block.is_table:
                    if listing and (item := ATTACHMENT_ITEM.match(key)):
                        parts.listed[int(item["n"])] = (item["title"].rstrip(";；。."), block.number)
                        continue
                    if note := ATTACHMENT_NOTE.match(key):
                        self.read_attachment_note(parts, note["rest"], block.number)
                        parts.listed_at = len(parts.main)
                        listing = True
                        continue
                    if (dated := date_line(key)) and (date := self.date(block, dated[1])):
                        parts.signature = self.take_signature(parts.main, parts.listed_at)
                        if dated[0]:
                            parts.signature.append((block.number, dated[0]))
                        parts.written = (block.number, date)
                        after_date = True
                        continue
                listing = False
                parts.main.append(block)
            elif not block.is_table and (label := APPENDIX.match(key)):
                appendix = Appendix(number_of(label["n"]) if label["n"] else len(parts.appendices) + 1, block)
                if label["title"]:  # 附件1：标题 on one line
                    appendix.title_lines.append(label["title"])
                    appendix.title_open = False
                parts.appendices.append(appendix)
            elif parts.appendices:
                self.add_to_appendix(parts.appendices[-1], block)
            else:
                parts.after_date.append(block)
        return parts

    def read_attachment_note(self, parts: Parts, rest: str, number: int) -> None:
        """附件：1.xxx (more numbered lines follow), 附件： (numbered lines follow) or 附件：xxx (the only one)."""
        item = ATTACHMENT_ITEM.match(rest)
        if item:
            parts.listed[int(item["n"])] = (item["title"].rstrip(";；。."), number)
        elif rest:
            parts.listed[1] = (rest.rstrip(";；。."), number)

    def add_to_appendix(self, appendix: Appendix, block: Block) -> None:
        """The 附件's title (its first title-like lines, as centred as the first) or its text."""
        if (appendix.title_open and _title_like(block)
                and (not appendix.title_lines or not appendix.title_centred or block.centred)):
            if not appendix.title_lines:
                appendix.title_centred = block.centred
            appendix.title_lines.append(block.text)
            return
        appendix.title_open = False
        appendix.blocks.append(block)

    def take_signature(self, main: list[Block], floor: int) -> list[tuple[int, str]]:
        """The 发文机关署名 lines at the end of the 正文 (below the 附件说明, if any: main[floor:]),
        taken out of it. A seal picture anchored in them goes with them."""
        lines: list[tuple[int, str]] = []
        while len(main) > floor and len(lines) < _SIGNATURE_LINES and self.signature_like(main[-1]):
            block = main.pop()
            lines.insert(0, (block.number, block.text))
        return lines

    def signature_like(self, block: Block) -> bool:
        key = block.key
        if block.is_table or not key or len(key) > 40 or re.search(r"[,.;:!?、。]", key) or key.startswith("特此"):
            return False
        if heading_marked(block.text):
            return False
        placed = block.alignment in (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT) or block.indent >= 4
        return placed or bool(self.units.find(key) or self.units.in_text(key)) or bool(ORGAN.search(key))

    # --- 发文机关 -----------------------------------------------------------------------------------

    def issuers(self, head: Head, parts: Parts) -> list[str] | None:
        """The unit ids of the 发文机关标志, else of the 署名; --unit when neither names a unit.
        None when a name is ambiguous or nothing names a unit and no --unit was given."""
        unmatched: list[tuple[int, str]] = []
        for lines in (head.masthead, parts.signature):
            found: list[str] = []
            missed: list[tuple[int, str]] = []
            for number, text in lines:
                name = organ_name(text)
                if not name:
                    continue
                ids = self.units.find(name)
                if len(ids) > 1:
                    if self.unit not in ids:
                        self.error(number, "发文机关", f"'{name}' names more than one unit: {self.units.describe(ids)}",
                                   "give --unit, or keep the name as an alias of one unit only")
                        return None
                    ids = [self.unit]
                ids = ids or self.units.in_text(name)
                if ids:
                    found += [unit_id for unit_id in ids if unit_id not in found]
                else:
                    missed.append((number, name))
            if found:
                for number, name in missed:
                    self.warn(number, "发文机关", f"'{name}' matches no unit: left out of issuers", _ISSUER_HINT)
                return found
            unmatched = unmatched or missed
        names = "、".join(name for _, name in unmatched)
        line = unmatched[0][0] if unmatched else 1
        if self.unit:
            self.warn(line, "发文机关", (f"'{names}' matches no unit" if names else "no 发文机关标志 or 署名 found")
                      + f": issuers set to {self.unit}", _ISSUER_HINT)
            return [self.unit]
        self.error(line, "发文机关", f"'{names}' matches no unit" if names else "no 发文机关标志 or 署名 found",
                   _ISSUER_HINT)
        return None

    # --- what was not found or not read -------------------------------------------------------------

    def report_missing(self, head: Head, parts: Parts, title_lines: list[Block],
                       written: tuple[int, dt.date] | None) -> None:
        end = self.blocks[-1].number if self.blocks else 1
        if not title_lines:
            self.warn(self.blocks[head.end].number if head.end < len(self.blocks) else 1, LABELS["title"],
                      f"no 标题 found after the 版头: title is {PLACEHOLDER}", "write the title by hand")
        if head.doc_no is None and head.series is None:
            self.warn(1, LABELS["doc_no"], "no 发文字号 found above the title: doc_no left out",
                      "write doc_no: by hand if the document has one")
        if written is None:
            self.warn(end, LABELS["written"], "no 成文日期 found under the 正文: written left out",
                      "write written: by hand")
        if parts.disclosure is None:
            self.warn(parts.written[0] if parts.written else end, LABELS["disclosure"],
                      f"no 附注 such as （此件公开发布） found: disclosure is {PLACEHOLDER}",
                      "decide it: 主动公开, 依申请公开 or 不予公开")
        for block in parts.after_date:
            if not (block.key.startswith("(") and block.key.endswith(")")):
                self.warn(block.number, "", "text after the 成文日期 that is no 附注, 附件 or 版记: kept at the end of the body",
                          "check the body, or head the page 附件1 if it is an attachment")

    def report_unread(self, start: int) -> None:
        """What python-docx's paragraphs do not hold: tracked changes, text boxes below the 版头,
        automatic numbers."""
        body = self.document.element.body
        if next(body.iter(qn("w:ins"), qn("w:del")), None) is not None:
            self.warn(1, "", "the document has tracked changes (修订); text they insert is not read",
                      "accept or reject all changes (审阅 → 接受所有修订) and import it again")
        for block in self.blocks[start:]:
            for text in text_boxes(block.item._element):
                self.warn(block.number, "", f"text in a text box is not read: '{text[:30]}'",
                          "move it into the text, or write it in the front matter by hand")
        numbered = [b for b in self.blocks if not b.is_table and word_numbered(b.item)]
        if numbered:
            self.warn(numbered[0].number, "", f"{len(numbered)} paragraphs are numbered by Word (自动编号): their "
                      "numbers (一、 1. …) are not in the text", "check the headings and lists of the body")
