"""What a line of a 公文 says: the patterns of its parts and the small pure functions over its
text (a line's key, the 文号 line, dates, heading marks, 附注, organ names, titles, 文种), the
file name proposed for a document, and text escaped for Markdown."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata

from ...model.primitives.dates import chinese_number
from ...model.primitives.text import DOC_NO, canonical_doc_no

# --- what the lines of a 公文 look like ------------------------------------------------------------
# The patterns of the 版头 and 版记 match a line's key (line_key): NFKC, so full-width digits, colons
# and brackets are ASCII, and without spaces, which offices type to spread a line out.

COPY_NO = re.compile(r"^(份号:?)?\d{6}$")
# A 密级 however an office types it (on a line's key: NFKC, no spaces): 秘密★1年, 密级:秘密, 【秘密】,
# ★秘密, 秘密(1年), 秘密·1年, 机密▲, 秘密一年, 绝密★启用前; with the 份号 on its line. Not prose: the
# word must open the line and not run on into other words (秘密会议…, 商业秘密… never match).
SECRECY = re.compile(r"^(?:\d{6})?[^\u4e00-\u9fff\d]*(?:密级[^\u4e00-\u9fff]*)?(绝密|机密|秘密)"
                     r"(?:$|[^\u4e00-\u9fff]|[一二三四五六七八九十\d]+年|长期|特急|加急|启用前)")
URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
SIGNER = re.compile(r"^签发人:")
# 第3期, 《政务督查》第3期, 2025年第3期, （第3期）, 第3期（总第15期）.
ISSUE = re.compile(r"^(?:《(?P<series>[^》]+)》)?\(?(?:\d{4}年)?第(?P<issue>\d+|[一二三四五六七八九十〇零]+)期\)?"
                   r"(?:\(总第[\d一二三四五六七八九十百〇零]+期\))?$")
# A 文号 inside a line (NFKC, spaces kept so that 签发人：张三 stays apart from 安府办文〔…〕).
_DOC_NO_IN_LINE = re.compile(r"[^\s:]+?\s*[\[(【〔﹝]\s*\d{4}\s*[\])】〕﹞]\s*第?\s*\d+\s*号")
_DATE_AT_END = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日|[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
                          r"[一二三四五六七八九十]{1,3}日)$")
# The end of an organ's name: what tells a 署名 or an editor's line from a sentence.
ORGAN = re.compile(r"(政府|办公室|委员会|局|委|办|厅|部|处|室|中心|院|所|站|队|会|社|公司|办事处|镇|乡|街道|小组|指挥部)$")
# 版记: 抄送 and the other distribution lines (报/送/发 are a series' 版记), 印发机关和印发日期,
# the print run, and the 主题词 of the pre-2012 format.
IMPRINT = re.compile(r"^(抄送|抄报|报送|分送|报|送|发|主题词):|\d{4}年\d{1,2}月\d{1,2}日印发$|^\(共印\d+份\)$")
ATTACHMENT_NOTE = re.compile(r"^附件:(?P<rest>.*)$")
ATTACHMENT_ITEM = re.compile(r"^(?P<n>\d+)[.、](?P<title>.+)$")
APPENDIX = re.compile(r"^附件(?P<n>\d+|[一二三四五六七八九十]+)?(?::(?P<title>.+))?$")
_GENRE_QUALIFIER = re.compile(r"[(（](试行|暂行|修订|修订稿|征求意见稿|草案|送审稿)[)）]$")

# Heading marks of GB/T 9704's 结构层次序数 (一、 （一） 1.) and the Markdown level each takes.
HEADING_MARKS = (
    (re.compile(r"^[一二三四五六七八九十]{1,3}、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"), 3),
    (re.compile(r"^[0-9０-９]{1,2}[.．](?![0-9０-９])"), 4),
    (re.compile(r"^[（(][0-9０-９]{1,2}[）)]"), 5),  # （1）, GB/T 9704's fourth level
)
SENTENCE_END = re.compile(r"[。！？；!?;]")

# 文种 read from the end of a title, the longest first: the 15 of the 党政机关公文处理工作条例 and
# those county documents carry (the genre pages of catalog/directory.py).
GENRES = tuple(sorted({
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
    "函", "纪要", "办法", "管理办法", "实施办法", "规定", "细则", "实施细则", "实施方案", "工作方案", "方案",
    "规划", "计划", "工作要点", "工作总结", "应急预案", "清单", "指南", "政策解读",
}, key=len, reverse=True))
SERIES_GENRE = "督查通报"


# --- line kinds -------------------------------------------------------------------------------------

# The spaces offices type around a line (ASCII, tab, ideographic, no-break): stripped from its text.
SPACES = " \t\u3000\xa0"


def line_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def doc_no_line(text: str) -> str | None:
    """The canonical 文号 of a 发文字号 line (with a 签发人 on either side), or None."""
    line = unicodedata.normalize("NFKC", text)
    match = _DOC_NO_IN_LINE.search(line)
    if not match:
        return None
    rest = line_key(line[:match.start()] + line[match.end():])
    if rest and not rest.startswith("签发人"):
        return None
    # 安市监发〔2024〕第3号: the 第 some offices type is not part of a 文号 (GB/T 9704 7.2.4).
    return canonical_doc_no(re.sub(r"([\])】〕﹞]\s*)第", r"\1", match.group(0)))


def date_line(key: str) -> tuple[str, str] | None:
    """(organ, date) of a line that is a date, or an organ's name and a date: a 成文日期 under
    its 署名, a series' editor and date."""
    match = _DATE_AT_END.search(key)
    if not match:
        return None
    organ = key[:match.start()]
    if organ and (len(organ) > 40 or not ORGAN.search(organ)):
        return None
    return organ, match.group(1)


def heading_marked(text: str) -> bool:
    return any(mark.match(text) for mark, _ in HEADING_MARKS)


def disclosure_of(key: str) -> str | None:
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


def number_of(text: str) -> int:
    """3 or 三 (期号, 附件 numbers)."""
    return int(text) if text.isdigit() else chinese_number(text)


def organ_name(text: str) -> str:
    """A 发文机关标志 line as the name of its organ: 安澜县人民政府办公室文件 → 安澜县人民政府办公室."""
    key = line_key(text)
    return key[:-2] if key.endswith("文件") else key


def tidy_title(lines: list[str]) -> str:
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

def escape(text: str) -> str:
    """Text as Markdown shows it literally: emphasis marks and HTML escaped, and a line that would
    start a heading, quote or list (1. …) kept a paragraph."""
    text = re.sub(r"([\\`*_])", r"\\\1", text).replace("<", "&lt;")
    if re.match(r"^\d+\.\s", text):
        return re.sub(r"^(\d+)\.", r"\1\\.", text)
    if re.match(r"^(#|>|[-+]\s)", text):
        return "\\" + text
    return text
