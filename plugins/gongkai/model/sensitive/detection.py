"""Sensitive-data rules: personal data and secrecy markings never reach a public page.

Every value of a content file's front matter (numbers as the text they become) and its
Markdown body is scanned, and so are procedure templates, vocabularies and the attachments of
published documents. Patterns run on the NFKC form (full-width digits) with positions as written. A finding
is reported at its line and column with the value MASKED: the report itself (terminal, CI log,
JSON) must not spread what it warns about.

- 居民身份证号: 18 characters with a valid GB 11643-1999 check digit and birth date, or a
  15-digit legacy number with a valid birth date (19YYMMDD).
- 手机号码: 1[3-9] and 9 digits (groups split by -, . or space; +86/86 before), not part of a
  longer run of digits; allowed in the fields the
  schema declares public contacts (schema.PUBLIC_CONTACT: a unit's phones, a grid roster's …).
- 银行卡号: 16–19 digits (optionally in groups of four) passing the Luhn check.
- 密级标志: 绝密/机密/秘密 with ★, after '密级', or standing alone on a line; 内部资料, 内部文件,
  注意保管, 不宜公开 as a marking. Words in ordinary prose (商业秘密, 保守国家秘密, 不宜公开的信息)
  are not markings.

Masked forms (张某, 138****5678, 3301**********1234) contain no digits run that matches, so they
pass. This module knows only text: files.py locates findings in content files and applies the
editors' allowances, attachments.py reads attachments.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

ID_CARD = "居民身份证号"
MOBILE = "手机号码"
BANK_CARD = "银行卡号"
MARKING = "密级标志"
RULES = (ID_CARD, MOBILE, BANK_CARD, MARKING)

# Letters glued to a number (ID330102…, Tel13907861024) do not hide it; only more digits do.
_ID18 = re.compile(r"(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx](?!\d)")
_ID15 = re.compile(r"(?<!\d)\d{15}(?!\d)")
# A number written 139-0786-1024, 139 0786 1024, 139.0786.1024 or +86 139… is the same number.
# A hyphen glued to either end (电话-13907861024-张三) does not hide it either.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[-. ]?)?1[3-9]\d[-. ]?\d{4}[-. ]?\d{4}(?!\d)")
# Cards are written in groups of four, split by spaces or hyphens.
_CARD = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?!\d)")
# Traditional forms too (機密, 祕密, 絕密, 內部資料, 不宜公開): one class per character keeps
# every position as written.
_SECRET = "(?:[绝絕][密]|[机機][密]|[秘祕][密])"
_MARKINGS = re.compile(
    rf"(?P<star>{_SECRET}\s*[★☆]|[★☆]\s*{_SECRET})"
    rf"|(?P<label>密[级級]\s*[:：]?\s*{_SECRET})"
    rf"|(?P<alone>^[\s【\[（(]*{_SECRET}[\s】\]）)]*$)"
    # 内部资料 as a stamp; 'the 内部文件 of …' (followed by 的) is prose about documents.
    r"|(?P<stamp>(?:[内內]部[资資]料|[内內]部文件|注意保管|不宜公[开開])(?!的))",
    re.MULTILINE)
# Quick tests before the full patterns: most values have neither.
_DIGITS = re.compile(r"\d{11}|\d{3,4}[-. ]\d{4}")
# Where a number of the rules can be: a run of digits, spaces, '-' and '.' (a leading '+', a
# trailing X of an ID) of 11 characters or more; the patterns above run inside such runs only.
_NUMBER_RUN = re.compile(r"\+?\d[\d .-]{9,}[\dXx]")
_MARKING_CHARS = re.compile("[密內内注宜]")
_MARKING_LINE = re.compile(r"^[^\n]*[密內内注宜][^\n]*$", re.M)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int  # offset in the scanned text
    text: str  # as written

    @property
    def masked(self) -> str:
        return mask(self.rule, self.text)


def mask(rule: str, text: str) -> str:
    """The form shown in reports and written in allowances: enough to find it, not to use it."""
    if rule == MARKING:
        return text.strip()
    digits = value_of(rule, text)
    keep_head = 3 if rule == MOBILE else 4
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


def value_of(rule: str, text: str) -> str:
    """The number a finding names, however written (full-width, grouped, +86): what an
    allowance must name exactly one of."""
    if rule == MARKING:
        return text.strip()
    digits = re.sub(r"[^0-9Xx]", "", unicodedata.normalize("NFKC", text)).upper()
    return digits[-11:] if rule == MOBILE else digits


def _valid_date(yyyymmdd: str, latest_year: int) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= latest_year


def is_id_number(text: str, latest_year: int = 2100) -> bool:
    if len(text) == 18:
        if not text[:17].isdigit() or not _valid_date(text[6:14], latest_year):
            return False
        total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS))
        return _ID_CHECK[total % 11] == text[17].upper()
    if len(text) == 15 and text.isdigit():
        return _valid_date("19" + text[6:12], latest_year)
    return False


def luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def scan(text: str, contact: bool = False) -> list[Finding]:
    """Findings in one text; with contact=True (a public contact field) mobile numbers pass.

    The patterns run on the NFKC form (full-width １３９… is a number too); each finding keeps
    its offset and text as written."""
    normal = unicodedata.normalize("NFKC", text)
    spans = _spans(normal, contact)
    if not spans:
        return []
    if len(normal) != len(text):
        # A character became several (㈠ → (一), … → ...): normalise one by one to map each finding
        # back to the text as written. Only texts with findings pay for it (a page's text often
        # holds such a character).
        pieces = [unicodedata.normalize("NFKC", c) for c in text]
        origin = [i for i, piece in enumerate(pieces) for _ in piece] + [len(text)]
        spans = [(rule, origin[start], origin[end - 1] + 1) for rule, start, end in _spans("".join(pieces), contact)]
    return [Finding(rule, start, text[start:end]) for rule, start, end in spans]


def _spans(normal: str, contact: bool) -> list[tuple[str, int, int]]:
    """(rule, start, end) of each finding in a text already in NFKC form, in order."""
    found: list[tuple[str, int, int]] = []
    # The number patterns run only on the runs of digits and separators long enough to hold one:
    # one pass over a long text (a page) instead of one per pattern.
    for run in _NUMBER_RUN.finditer(normal):
        begin, end = run.span()
        taken: list[tuple[int, int]] = []
        for pattern in (_ID18, _ID15):
            for m in pattern.finditer(normal, begin, end):
                if is_id_number(re.sub(r"[ -]", "", m.group())):
                    found.append((ID_CARD, *m.span()))
                    taken.append(m.span())
        for m in _CARD.finditer(normal, begin, end):
            digits = re.sub(r"[ -]", "", m.group())
            if 16 <= len(digits) <= 19 and luhn(digits) and not _overlaps(m.span(), taken):
                found.append((BANK_CARD, *m.span()))
                taken.append(m.span())
        if not contact:
            for m in _MOBILE.finditer(normal, begin, end):
                if not _overlaps(m.span(), taken):
                    found.append((MOBILE, *m.span()))
    if _MARKING_CHARS.search(normal):
        # The marking patterns are slow to try at every position of a long text (a page): try
        # them only on the lines that hold one of their characters (no marking spans lines).
        for line in _MARKING_LINE.finditer(normal):
            for m in _MARKINGS.finditer(line.group()):
                stripped = m.group().strip()
                start = line.start() + m.start() + m.group().index(stripped)
                found.append((MARKING, start, start + len(stripped)))
    return sorted(found, key=lambda span: span[1])


def mask_all(text: str) -> str:
    """text with every finding masked: for messages that quote what an editor wrote."""
    if not (_DIGITS.search(text) or _MARKING_CHARS.search(text)):
        return text
    return replace_findings(text, scan(text))


def replace_findings(text: str, findings: list, marking: str | None = None) -> str:
    """text with each finding (of scan(text): in order, never overlapping) replaced by its masked
    form; a secrecy marking by `marking` when given."""
    for finding in reversed(findings):
        end = finding.start + len(finding.text)
        shown = marking if marking is not None and finding.rule == MARKING else finding.masked
        text = text[:finding.start] + shown + text[end:]
    return text


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)
