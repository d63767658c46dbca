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
- Headings: 一、 → ##, （一） → ###, 1. → #### only for a short standalone line without 。！？；
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
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..model.primitives.dates import DateError, chinese_number, parse_date
from ..model.primitives.problems import Problem, Severity, did_you_mean
from ..model.primitives.text import DOC_NO, book_title, canonical_doc_no
from ..model.schema.fields import LABELS
from ..model.schema.placeholders import PLACEHOLDER
from ..model.schema.records import Document
from .sources import REFUSED, file_format
from .units import UnitMatcher


@dataclass
class ImportedDocument:
    unit_id: str | None  # owning unit: --unit, else the issuer matched from 发文机关标志/署名
    year: int | None  # of the 成文日期 (file naming)
    slug: str  # proposed file stem, ASCII [a-z0-9-]: 2024-afbf-3 from 安府办发〔2024〕3号
    front: dict  # front matter in Document field order, values ready for yaml.safe_dump
    body: str  # Markdown body
    attachments: list[tuple[str, bytes]]  # (file name, bytes) for files/ beside the .md


# --- what the lines of a 公文 look like ------------------------------------------------------------
# The patterns of the 版头 and 版记 match a line's key (_key): NFKC, so full-width digits, colons
# and brackets are ASCII, and without spaces, which offices type to spread a line out.

_COPY_NO = re.compile(r"^(份号:?)?\d{6}$")
_SECRECY = re.compile(r"^(\d{6})?(绝密|机密|秘密)(★|\*|☆|\d|长期|特急|加急|$)")  # 份号 may share its line
_URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
_SIGNER = re.compile(r"^签发人:")
# 第3期, 《政务督查》第3期, 2025年第3期, （第3期）, 第3期（总第15期）.
_ISSUE = re.compile(r"^(?:《(?P<series>[^》]+)》)?\(?(?:\d{4}年)?第(?P<issue>\d+|[一二三四五六七八九十〇零]+)期\)?"
                    r"(?:\(总第[\d一二三四五六七八九十百〇零]+期\))?$")
# A 文号 inside a line (NFKC, spaces kept so that 签发人：张三 stays apart from 安府办文〔…〕).
_DOC_NO_IN_LINE = re.compile(r"[^\s:]+?\s*[\[(【〔﹝]\s*\d{4}\s*[\])】〕﹞]\s*\d+\s*号")
_DATE_AT_END = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日|[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
                          r"[一二三四五六七八九十]{1,3}日)$")
# The end of an organ's name: what tells a 署名 or an editor's line from a sentence.
_ORGAN = re.compile(r"(政府|办公室|委员会|局|委|办|厅|部|处|室|中心|院|所|站|队|会|社|公司|办事处|镇|乡|街道|小组|指挥部)$")
# 版记: 抄送 and the other distribution lines (报/送/发 are a series' 版记), 印发机关和印发日期,
# the print run, and the 主题词 of the pre-2012 format.
_IMPRINT = re.compile(r"^(抄送|抄报|报送|分送|报|送|发|主题词):|\d{4}年\d{1,2}月\d{1,2}日印发$|^\(共印\d+份\)$")
_ATTACHMENT_NOTE = re.compile(r"^附件:(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(?P<n>\d+)[.、](?P<title>.+)$")
_APPENDIX = re.compile(r"^附件(?P<n>\d+|[一二三四五六七八九十]+)?(?::(?P<title>.+))?$")
_GENRE_QUALIFIER = re.compile(r"[(（](试行|暂行|修订|修订稿|征求意见稿|草案|送审稿)[)）]$")

# Heading marks of GB/T 9704's 结构层次序数 (一、 （一） 1.) and the Markdown level each takes.
_HEADING_MARKS = (
    (re.compile(r"^[一二三四五六七八九十]{1,3}、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"), 3),
    (re.compile(r"^[0-9０-９]{1,2}[.．](?![0-9０-９])"), 4),
)
_HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.I)
_HEADING_MAX = 40  # characters: a longer line is a paragraph that starts with a mark
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_HEAD_LINES = 12  # non-empty paragraphs searched for the 版头
_SIGNATURE_LINES = 6  # 署名 lines taken back from the end of the 正文 (joint documents have several)

# 文种 read from the end of a title, the longest first: the 15 of the 党政机关公文处理工作条例 and
# those county documents carry (the genre pages of catalog/directory.py).
GENRES = tuple(sorted({
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
    "函", "纪要", "办法", "管理办法", "实施办法", "规定", "细则", "实施细则", "实施方案", "工作方案", "方案",
    "规划", "计划", "工作要点", "工作总结", "应急预案", "清单", "指南", "政策解读",
}, key=len, reverse=True))
SERIES_GENRE = "督查通报"

# Files that go on the site as they are: pictures a browser shows, Office files the attachment scan
# reads. Other embedded parts (EMF drawings, OLE packages, macro files) are reported, not written.
_WEB_IMAGES = {"png", "jpg", "jpeg", "gif", "bmp", "webp"}
_EMBEDDED_FILES = {"xlsx", "docx", "pptx"}

_VML = "urn:schemas-microsoft-com:vml"
_OFFICE = "urn:schemas-microsoft-com:office:office"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_BLIP, _OLE_OBJECT, _VML_IMAGE = qn("a:blip"), f"{{{_OFFICE}}}OLEObject", f"{{{_VML}}}imagedata"
_W_OBJECT, _FALLBACK = qn("w:object"), f"{{{_MC}}}Fallback"
_DOC_PR = (qn("wp:inline"), qn("wp:anchor"))

_NOT_A_GONGWEN_HINT = ("write its front matter by hand with `gongkai new document` and paste the text "
                       "below it")
_ISSUER_HINT = "give --unit, or add the name to the aliases of its unit (unit.md)"


def read_document(path: Path, shown: str, units: UnitMatcher, *, unit: str | None = None,
                  published: dt.date | None = None) -> tuple[ImportedDocument | None, list[Problem]]:
    """The 公文 in a .docx as a document to write, or None with the errors that stop it; warnings
    name what was not recognised."""
    if unit is not None and unit not in units.units:
        hint = did_you_mean(unit, units.units) or "a unit is named by its folder under content/units/"
        return None, [Problem(shown, 1, 1, LABELS["issuers"], f"unknown unit '{unit}'", hint)]
    document, problems = _open(path, shown)
    if document is None:
        return None, problems
    reading = _Reading(document, shown, units, unit, published)
    try:
        imported = reading.read()
    except Exception as exc:  # a damaged part python-docx loads only when used (styles, numbering)
        return None, [Problem(shown, 1, 1, "", f"the .docx cannot be read: {exc}",
                              "open it in Word or WPS and save it again as .docx")]
    return imported, reading.problems


def _open(path: Path, shown: str):
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
class _Block:
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
        return _key(self.text)

    @property
    def has_objects(self) -> bool:
        return next(self.item._element.iter(_BLIP, _OLE_OBJECT, _VML_IMAGE), None) is not None

    @property
    def is_blank(self) -> bool:
        return not self.text and not self.has_objects

    @property
    def alignment(self):
        return None if self.is_table else _alignment(self.item)

    @property
    def centred(self) -> bool:
        return self.alignment == WD_ALIGN_PARAGRAPH.CENTER


_SPACES = " \t\u3000\xa0"


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _blocks(document) -> list[_Block]:
    blocks = []
    for number, item in enumerate(_body_items(document.element.body, document), 1):
        if isinstance(item, Table):
            blocks.append(_Block(number, item, "\n".join(_table_lines(item)), 0))
        else:
            raw = item.text.replace("\t", " ")
            blocks.append(_Block(number, item, raw.strip(_SPACES + "\n"), len(raw) - len(raw.lstrip(_SPACES))))
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
            text = cell.text.strip(_SPACES + "\n")
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


# --- line kinds -------------------------------------------------------------------------------------

def _doc_no_line(text: str) -> str | None:
    """The canonical 文号 of a 发文字号 line (with a 签发人 on either side), or None."""
    line = unicodedata.normalize("NFKC", text)
    match = _DOC_NO_IN_LINE.search(line)
    if not match:
        return None
    rest = _key(line[:match.start()] + line[match.end():])
    if rest and not rest.startswith("签发人"):
        return None
    return canonical_doc_no(match.group(0))


def _dated(key: str) -> tuple[str, str] | None:
    """(organ, date) of a line that is a date, or an organ's name and a date: a 成文日期 under
    its 署名, a series' editor and date."""
    match = _DATE_AT_END.search(key)
    if not match:
        return None
    organ = key[:match.start()]
    if organ and (len(organ) > 40 or not _ORGAN.search(organ)):
        return None
    return organ, match.group(1)


def _reads_as_text(block: _Block) -> bool:
    """A paragraph of the 正文 or the 主送机关: where the 版头 and the 标题 have ended."""
    key = block.key
    return (not block.is_table and ("。" in key or key.endswith(":") or len(key) > 60)) or _marked(block.text)


def _marked(text: str) -> bool:
    return any(mark.match(text) for mark, _ in _HEADING_MARKS)


def _title_like(block: _Block) -> bool:
    key = block.key
    return (not block.is_table and 0 < len(key) <= 80 and not _reads_as_text(block)
            and not _SENTENCE_END.search(key) and not key.startswith("(") and not _dated(key)
            and not _IMPRINT.search(key) and not key.startswith("附件"))


def _heading_level(block: _Block) -> int | None:
    """The Markdown level of a heading paragraph (2 for 一、), or None for a paragraph."""
    style = block.item.style
    named = _HEADING_STYLE.match(style.name or "") if style is not None else None
    if named:
        return min(int(named[2]) + 1, 6)
    if len(block.text) > _HEADING_MAX or _SENTENCE_END.search(block.text) or "\n" in block.text:
        return None
    return next((level for mark, level in _HEADING_MARKS if mark.match(block.text)), None)


def _disclosure(key: str) -> str | None:
    """The 公开属性 a 附注 such as （此件公开发布） gives, or None for any other line."""
    if not (key.startswith("(") and key.endswith(")")):
        return None
    if "不予公开" in key or "不公开" in key:
        return "不予公开"
    if "依申请公开" in key:
        return "依申请公开"
    if "主动公开" in key or "公开发布" in key:
        return "主动公开"
    return None


def _number(text: str) -> int:
    """3 or 三 (期号, 附件 numbers)."""
    return int(text) if text.isdigit() else chinese_number(text)


def _organ_name(text: str) -> str:
    """A 发文机关标志 line as the name of its organ: 安澜县人民政府办公室文件 → 安澜县人民政府办公室."""
    key = _key(text)
    return key[:-2] if key.endswith("文件") else key


def _tidy_title(lines: list[str]) -> str:
    """Title lines joined; spaces next to Chinese characters (typed to spread 通  知 out) dropped."""
    title = "".join(line.replace("\n", "") for line in lines)
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", title).strip()


def genre_of(title: str, series: str | None = None) -> str | None:
    """The 文种 a title ends with: …的通知 → 通知, 关于印发《…实施方案》的通知 → 通知,
    …管理办法（试行） → 管理办法; a 督查通报 is one only in a series."""
    core = _GENRE_QUALIFIER.sub("", title)
    if series and core.endswith(SERIES_GENRE):
        return SERIES_GENRE
    return next((genre for genre in GENRES if core.endswith(genre)), None)


# --- file names -------------------------------------------------------------------------------------

# Pinyin initials without a pinyin library: the 3,755 hanzi of GB2312 level 1 (0xB0A1-0xD7F9) are
# ordered by pinyin, so the code where each initial's run starts gives any of them its letter. The
# characters of 机关代字 are common ones; a rarer one is left out of the slug.
_INITIAL_STARTS = (0xB0A1, 0xB0C5, 0xB2C1, 0xB4EE, 0xB6EA, 0xB7A2, 0xB8C1, 0xB9FE, 0xBBF7, 0xBFA6, 0xC0AC,
                   0xC2E8, 0xC4C3, 0xC5B6, 0xC5BE, 0xC6DA, 0xC8BB, 0xC8F6, 0xCBFA, 0xCDDA, 0xCEF4, 0xD1B9, 0xD4D1)
_INITIALS = "abcdefghjklmnopqrstwxyz"
_LEVEL_1_END = 0xD7F9


def initials(text: str) -> str:
    """安府办发 → afbf; ASCII letters and digits are kept, lower case."""
    letters = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii():
            letters.append(char.lower() if char.isalnum() else "")
            continue
        try:
            code = int.from_bytes(char.encode("gb2312"), "big")
        except UnicodeEncodeError:
            continue
        if _INITIAL_STARTS[0] <= code <= _LEVEL_1_END:
            letters.append(_INITIALS[bisect.bisect_right(_INITIAL_STARTS, code) - 1])
    return "".join(letters)


def proposed_slug(doc_no: str | None, series: str | None, issue: int | None, year: int | None, title: str) -> str:
    """2024-afbf-3 from 安府办发〔2024〕3号; 2025-zwdc-3 from 《政务督查》第3期; else the year and a
    short hash of the title."""
    match = DOC_NO.match(doc_no) if doc_no else None
    if match and initials(match["agency"]):
        return f"{match['year']}-{initials(match['agency'])}-{int(match['serial'])}"
    if series and issue and initials(series):
        return "-".join(str(part) for part in (year, initials(series), issue) if part)
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:6]
    return f"{year}-{digest}" if year else digest


# --- markdown ---------------------------------------------------------------------------------------

def _escape(text: str) -> str:
    """Text as Markdown shows it literally: emphasis marks and HTML escaped, and a line that would
    start a heading, quote or list (1. …) kept a paragraph."""
    text = re.sub(r"([\\`*_])", r"\\\1", text).replace("<", "&lt;")
    if re.match(r"^\d+\.\s", text):
        return re.sub(r"^(\d+)\.", r"\1\\.", text)
    if re.match(r"^(#|>|[-+]\s)", text):
        return "\\" + text
    return text


# --- reading ----------------------------------------------------------------------------------------

@dataclass
class _Head:
    """The 版头: where it ends and what it says."""

    end: int = 0  # index of the first block after it
    masthead: list[tuple[int, str]] = field(default_factory=list)  # 发文机关标志 lines (number, text)
    doc_no: str | None = None
    series: str | None = None
    issue: int | None = None
    written: tuple[int, dt.date] | None = None
    secrecy: tuple[int, str] | None = None  # the 密级 line (number, text)


@dataclass
class _Appendix:
    """An 附件 printed after the 公文, headed 附件1."""

    number: int
    label: _Block
    title_lines: list[str] = field(default_factory=list)
    title_centred: bool = False
    title_open: bool = True  # until a blank line or the first line that is no title
    blocks: list[_Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _tidy_title(self.title_lines)


@dataclass
class _Parts:
    """The 主体 after the 标题, sorted into what goes where."""

    main: list[_Block] = field(default_factory=list)
    after_date: list[_Block] = field(default_factory=list)  # text after the 成文日期 that is none of the below
    appendices: list[_Appendix] = field(default_factory=list)
    listed: dict[int, tuple[str, int]] = field(default_factory=dict)  # 附件说明: number → (title, line)
    listed_at: int = 0  # len(main) at the 附件说明: the 署名 comes below it
    signature: list[tuple[int, str]] = field(default_factory=list)
    written: tuple[int, dt.date] | None = None
    disclosure: str | None = None


@dataclass
class _Object:
    kind: str  # "image" or "file"
    name: str  # file name in files/
    alt: str


class _Reading:
    def __init__(self, document, shown: str, units: UnitMatcher, unit: str | None, published: dt.date | None):
        self.document = document
        self.shown = shown
        self.units = units
        self.unit = unit
        self.published = published
        self.problems: list[Problem] = []
        self.blocks = _blocks(document)
        self.slug = ""
        self.files: dict[str, str] = {}  # part name → file name: a picture used twice is written once
        self.written_files: list[tuple[str, bytes]] = []
        self.images = 0

    def warn(self, line: int, field_name: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, line, 1, field_name, message, hint, Severity.WARNING))

    def error(self, line: int, field_name: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, line, 1, field_name, message, hint))

    def read(self) -> ImportedDocument | None:
        head = self.head()
        title_lines, start = self.title(head.end)
        # The 版头 typed in text boxes (as many templates have its 发文机关标志) is read as well.
        boxed = [(b.number, line) for b in self.blocks[:start] if b.is_blank for line in _text_boxes(b.item._element)]
        secrecy = head.secrecy or next(((n, line) for n, line in boxed if _SECRECY.match(_key(line))), None)
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

        title = _tidy_title([b.text for b in title_lines]) or PLACEHOLDER
        genre = genre_of(title, head.series)
        if head.series and head.issue and title_lines:  # as the archive names an issue: 《政务督查》第4期：关于…
            title = f"{book_title(head.series)}第{head.issue}期：{title}"
        if genre is None and title_lines:
            self.warn(title_lines[-1].number, LABELS["genre"], "no 文种 (通知, 实施方案 …) at the end of the title",
                      "write genre: by hand if the document has one")
        year = written[1].year if written else None
        self.slug = proposed_slug(head.doc_no, head.series, head.issue, year, title)
        body, attachments = self.body(parts)
        values = {
            "title": title, "doc_no": head.doc_no, "issuers": issuers, "genre": genre, "topic": PLACEHOLDER,
            "written": written[1] if written else None, "published": self.published or PLACEHOLDER,
            "disclosure": parts.disclosure or PLACEHOLDER, "series": head.series,
            "issue": head.issue if head.series else None, "attachments": attachments,
        }
        front = {name: values[name] for name in Document.model_fields if values.get(name) not in (None, [])}
        return ImportedDocument(self.unit or issuers[0], year, self.slug, front, body, self.written_files)

    # --- 版头 ---------------------------------------------------------------------------------------

    def head(self) -> _Head:
        """The 版头 among the first lines: everything up to the 发文字号 (or a series' 期号, and its
        editor's line); without either, the lines that are known parts of a 版头."""
        head = _Head()
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
            marked = [line for line in block.text.splitlines() if _SECRECY.match(_key(line))]
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

    def head_kind(self, block: _Block) -> str | None:
        if block.is_table:
            return "secrecy" if any(_SECRECY.match(_key(line)) for line in block.text.splitlines()) else None
        key = block.key
        if _SECRECY.match(key):
            return "secrecy"
        if _COPY_NO.match(key) or _URGENCY.match(key):
            return "skipped"
        if _doc_no_line(block.text):
            return "doc_no"
        if _SIGNER.match(key):
            return "signer"
        if _ISSUE.match(key):
            return "issue"
        if _dated(key):
            return "dated"
        if key.endswith("文件") or self.units.find(key):
            return "masthead"
        return None

    def read_head_line(self, head: _Head, block: _Block, kind: str | None) -> None:
        if kind == "doc_no":
            head.doc_no = head.doc_no or _doc_no_line(block.text)
        elif kind == "issue":
            match = _ISSUE.match(block.key)
            head.issue = _number(match["issue"])
            if match["series"]:
                head.series = match["series"]
            elif head.masthead:  # the 刊头 (政务督查, in red) stands on the line above its 期号
                head.series = head.masthead.pop()[1].strip("《》")
        elif kind == "dated":
            organ, date = _dated(block.key)
            if organ:
                head.masthead.append((block.number, organ))
            parsed = self.date(block, date)
            if parsed and head.written is None:
                head.written = (block.number, parsed)
        elif kind in (None, "masthead"):
            head.masthead += [(block.number, line) for line in block.text.splitlines()]

    def date(self, block: _Block, text: str) -> dt.date | None:
        try:
            return parse_date(text)
        except DateError as exc:
            self.warn(block.number, LABELS["written"], str(exc))
            return None

    # --- 标题 ---------------------------------------------------------------------------------------

    def title(self, start: int) -> tuple[list[_Block], int]:
        """The 标题 lines from `start` (blank lines before it skipped) and where the 主体 begins."""
        lines: list[_Block] = []
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

    def parts(self, start: int) -> _Parts:
        parts = _Parts()
        listing = False  # in the 附件说明, whose numbered lines are attachment titles
        after_date = False  # past the 成文日期 or the 版记: 附注, 附件 pages, 版记
        for block in self.blocks[start:]:
            if block.is_blank:
                if parts.appendices and parts.appendices[-1].title_lines:
                    parts.appendices[-1].title_open = False
                continue
            key = block.key
            if block.is_table:
                if any(_IMPRINT.search(_key(line)) for line in block.text.splitlines()):
                    after_date = True
                    continue
            else:
                disclosure = _disclosure(key)
                if disclosure:
                    parts.disclosure = parts.disclosure or disclosure
                    continue
                if _IMPRINT.search(key):
                    after_date = True
                    continue
            if not after_date:
                if not block.is_table:
                    if listing and (item := _ATTACHMENT_ITEM.match(key)):
                        parts.listed[int(item["n"])] = (item["title"].rstrip(";；。."), block.number)
                        continue
                    if note := _ATTACHMENT_NOTE.match(key):
                        self.read_attachment_note(parts, note["rest"], block.number)
                        parts.listed_at = len(parts.main)
                        listing = True
                        continue
                    if (dated := _dated(key)) and (date := self.date(block, dated[1])):
                        parts.signature = self.take_signature(parts.main, parts.listed_at)
                        if dated[0]:
                            parts.signature.append((block.number, dated[0]))
                        parts.written = (block.number, date)
                        after_date = True
                        continue
                listing = False
                parts.main.append(block)
            elif not block.is_table and (label := _APPENDIX.match(key)):
                appendix = _Appendix(_number(label["n"]) if label["n"] else len(parts.appendices) + 1, block)
                if label["title"]:  # 附件1：标题 on one line
                    appendix.title_lines.append(label["title"])
                    appendix.title_open = False
                parts.appendices.append(appendix)
            elif parts.appendices:
                self.add_to_appendix(parts.appendices[-1], block)
            else:
                parts.after_date.append(block)
        return parts

    def read_attachment_note(self, parts: _Parts, rest: str, number: int) -> None:
        """附件：1.xxx (more numbered lines follow), 附件： (numbered lines follow) or 附件：xxx (the only one)."""
        item = _ATTACHMENT_ITEM.match(rest)
        if item:
            parts.listed[int(item["n"])] = (item["title"].rstrip(";；。."), number)
        elif rest:
            parts.listed[1] = (rest.rstrip(";；。."), number)

    def add_to_appendix(self, appendix: _Appendix, block: _Block) -> None:
        """The 附件's title (its first title-like lines, as centred as the first) or its text."""
        if (appendix.title_open and _title_like(block)
                and (not appendix.title_lines or not appendix.title_centred or block.centred)):
            if not appendix.title_lines:
                appendix.title_centred = block.centred
            appendix.title_lines.append(block.text)
            return
        appendix.title_open = False
        appendix.blocks.append(block)

    def take_signature(self, main: list[_Block], floor: int) -> list[tuple[int, str]]:
        """The 发文机关署名 lines at the end of the 正文 (below the 附件说明, if any: main[floor:]),
        taken out of it. A seal picture anchored in them goes with them."""
        lines: list[tuple[int, str]] = []
        while len(main) > floor and len(lines) < _SIGNATURE_LINES and self.signature_like(main[-1]):
            block = main.pop()
            lines.insert(0, (block.number, block.text))
        return lines

    def signature_like(self, block: _Block) -> bool:
        key = block.key
        if block.is_table or not key or len(key) > 40 or re.search(r"[,.;:!?、。]", key) or key.startswith("特此"):
            return False
        if _marked(block.text):
            return False
        placed = block.alignment in (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT) or block.indent >= 4
        return placed or bool(self.units.find(key) or self.units.in_text(key)) or bool(_ORGAN.search(key))

    # --- 发文机关 -----------------------------------------------------------------------------------

    def issuers(self, head: _Head, parts: _Parts) -> list[str] | None:
        """The unit ids of the 发文机关标志, else of the 署名; --unit when neither names a unit.
        None when a name is ambiguous or nothing names a unit and no --unit was given."""
        unmatched: list[tuple[int, str]] = []
        for lines in (head.masthead, parts.signature):
            found: list[str] = []
            missed: list[tuple[int, str]] = []
            for number, text in lines:
                name = _organ_name(text)
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

    def report_missing(self, head: _Head, parts: _Parts, title_lines: list[_Block],
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
            for text in _text_boxes(block.item._element):
                self.warn(block.number, "", f"text in a text box is not read: '{text[:30]}'",
                          "move it into the text, or write it in the front matter by hand")
        numbered = [b for b in self.blocks if not b.is_table and _numbered(b.item)]
        if numbered:
            self.warn(numbered[0].number, "", f"{len(numbered)} paragraphs are numbered by Word (自动编号): their "
                      "numbers (一、 1. …) are not in the text", "check the headings and lists of the body")

    # --- body and attachments -------------------------------------------------------------------------

    def body(self, parts: _Parts) -> tuple[str, list[dict]]:
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

    def appendix(self, appendix: _Appendix, parts: _Parts, attachments: list[dict]) -> list[str]:
        """An 附件 page: its text under a heading, or, when it holds only pictures and embedded files,
        those files as attachments named by the 附件说明."""
        listed = parts.listed[appendix.number][0] if appendix.number in parts.listed else ""
        title = listed or appendix.title or f"附件{appendix.number}"
        if not any(block.text for block in appendix.blocks):
            objects = [o for block in appendix.blocks for o in self.objects(block)]
            for k, obj in enumerate(objects, 1):
                attachments.append({"title": title if k == 1 else f"{title}（{k}）", "file": f"files/{obj.name}"})
            if not objects:
                line = parts.listed[appendix.number][1] if listed else appendix.label.number
                self.missing_file(appendix.number, title, line, attachments)
            return []
        name = appendix.title or listed
        pieces = [f"## {_escape(f'附件{appendix.number}' + (f'：{name}' if name else ''))}"]
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

    def render(self, block: _Block, depth: int) -> tuple[str, list[str]]:
        """A block's Markdown (pictures linked where they stand) and the embedded files it holds."""
        if block.is_table:
            return self.table(block)
        objects = self.objects(block)
        pieces = []
        if block.text:
            level = _heading_level(block)
            if level:
                pieces.append("#" * min(level + depth, 6) + " " + _escape(block.text))
            else:  # a line break typed inside a paragraph separates paragraphs in a 公文
                pieces += [_escape(line.strip(_SPACES)) for line in block.text.splitlines() if line.strip(_SPACES)]
        pieces += [f"![{o.alt}](files/{o.name})" for o in objects if o.kind == "image"]
        return "\n\n".join(pieces), [o.name for o in objects if o.kind == "file"]

    def table(self, block: _Block) -> tuple[str, list[str]]:
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
            text = item.text.strip(_SPACES + "\n")
            if text:
                lines.append(_escape(text).replace("|", "\\|").replace("\n", "<br>"))
            for obj in self.objects_in(item._element, number):
                if obj.kind == "image":
                    lines.append(f"![{obj.alt}](files/{obj.name})")
                elif obj.name not in files:
                    files.append(obj.name)
        return "<br>".join(lines)

    def objects(self, block: _Block) -> list[_Object]:
        return self.objects_in(block.item._element, block.number)

    def objects_in(self, element, number: int) -> list[_Object]:
        """The pictures and embedded files in an element, in order, each written once to files/.
        Word's fallback copies (mc:Fallback) and the preview picture of an embedded object are
        passed over."""
        found: list[_Object] = []
        for node in element.iter(_BLIP, _OLE_OBJECT, _VML_IMAGE):
            ancestors = [a.tag for a in node.iterancestors()]
            if _FALLBACK in ancestors or (node.tag == _VML_IMAGE and _W_OBJECT in ancestors):
                continue
            obj = self.embedded(node, number)
            if obj is not None:
                found.append(obj)
        return found

    def embedded(self, node, number: int) -> _Object | None:
        """The picture or file a node refers to, written to files/; None (and a warning) when it
        cannot go on the site as it is."""
        rid = node.get(qn("r:embed") if node.tag == _BLIP else qn("r:id"))
        part = self.document.part.related_parts.get(rid) if rid else None
        if part is None:
            self.warn(number, LABELS["attachments"], "a picture or object linked to a file outside the .docx "
                      "is not imported", "insert it into the document (not as a link), or add the file by hand")
            return None
        ext = part.partname.ext.lower()
        if node.tag == _OLE_OBJECT:
            if ext in _EMBEDDED_FILES:
                return _Object("file", self.file(part), "")
            what = node.get("ProgID") or part.partname.filename
            self.warn(number, LABELS["attachments"], f"an embedded object ({what}) cannot be taken out of "
                      "the .docx", "put the original file in files/ and name it in attachments")
            return None
        if ext not in _WEB_IMAGES:
            self.warn(number, LABELS["attachments"], f"a .{ext} picture is not shown by browsers: not imported",
                      "save it as PNG or JPEG, put it in files/ and link it in the body")
            return None
        self.images += 1
        return _Object("image", self.file(part), _alt_text(node) or f"图{self.images}")

    def file(self, part) -> str:
        name = self.files.get(part.partname)
        if name is None:
            name = f"{self.slug}-{len(self.written_files) + 1}.{part.partname.ext.lower()}"
            self.files[part.partname] = name
            self.written_files.append((name, part.blob))
        return name


def _text_boxes(element) -> list[str]:
    """The lines of text in the text boxes of an element, Word's fallback copies (mc:Fallback)
    left out."""
    lines = []
    for box in element.iter(qn("w:txbxContent")):
        if any(a.tag == _FALLBACK for a in box.iterancestors()):
            continue
        for paragraph in box.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip(_SPACES)
            if text:
                lines.append(text)
    return lines


def _numbered(paragraph: Paragraph) -> bool:
    """Whether Word numbers the paragraph itself (w:numPr on it or on its style, as 列表编号 has)."""
    formats = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        formats.append(style.element.pPr)
        style = style.base_style
    return any(f is not None and f.numPr is not None for f in formats)


def _alt_text(node) -> str:
    """A DrawingML picture's description (wp:docPr/@descr), which Word fills in as 替换文字."""
    for ancestor in node.iterancestors(*_DOC_PR):
        doc_pr = ancestor.find(qn("wp:docPr"))
        if doc_pr is not None:
            return (doc_pr.get("descr") or "").strip().replace("]", "")
    return ""
