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
pass. An editor allows one finding with `allow: [{rule, match, reason}]` in the front matter,
where `match` is the masked text the report shows (or the text itself). A masked form fits
other people's numbers too, so an allowance that fits two different values in its file is an error.
"""

from __future__ import annotations

import bisect
import html
import unicodedata
import zipfile
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .problems import Problem, Severity

ID_CARD = "居民身份证号"
MOBILE = "手机号码"
BANK_CARD = "银行卡号"
MARKING = "密级标志"
RULES = (ID_CARD, MOBILE, BANK_CARD, MARKING)

# Letters glued to a number (ID330102…, Tel13907861024) do not hide it; only more digits do.
_ID18 = re.compile(r"(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx](?!\d)")
_ID15 = re.compile(r"(?<!\d)\d{15}(?!\d)")
# A number written 139-0786-1024, 139 0786 1024, 139.0786.1024 or +86 139… is the same number.
_MOBILE = re.compile(r"(?<![\d-])(?:(?:\+|00)?86[-. ]?)?1[3-9]\d[-. ]?\d{4}[-. ]?\d{4}(?![\d-])")
_CARD = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?: \d{4}){3}(?: ?\d{1,3})?)(?!\d)")
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
_MARKING_CHARS = re.compile("[密內内注宜]")
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
    origin = None
    if len(normal) != len(text):  # a character became several (㈠ → (一)): map back one by one
        pieces = [unicodedata.normalize("NFKC", c) for c in text]
        normal = "".join(pieces)
        origin = [i for i, piece in enumerate(pieces) for _ in piece] + [len(text)]

    def found(rule: str, start: int, end: int) -> Finding:
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        return Finding(rule, start, text[start:end])

    findings: list[Finding] = []
    if _DIGITS.search(normal):
        taken: list[tuple[int, int]] = []
        for pattern in (_ID18, _ID15):
            for m in pattern.finditer(normal):
                if is_id_number(re.sub(r"[ -]", "", m.group())):
                    findings.append(found(ID_CARD, *m.span()))
                    taken.append(m.span())
        for m in _CARD.finditer(normal):
            digits = m.group().replace(" ", "")
            if 16 <= len(digits) <= 19 and luhn(digits) and not _overlaps(m.span(), taken):
                findings.append(found(BANK_CARD, *m.span()))
                taken.append(m.span())
        if not contact:
            for m in _MOBILE.finditer(normal):
                if not _overlaps(m.span(), taken):
                    findings.append(found(MOBILE, *m.span()))
    if _MARKING_CHARS.search(normal):
        for m in _MARKINGS.finditer(normal):
            stripped = m.group().strip()
            start = m.start() + m.group().index(stripped)
            findings.append(found(MARKING, start, start + len(stripped)))
    return sorted(findings, key=lambda f: f.start)


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


# --- allowances ---------------------------------------------------------------------------------

@dataclass
class Allowance:
    """An editor's `allow:` entry: this finding in this file is meant to be public."""

    path: str
    line: int
    column: int
    rule: str
    match: str
    reason: str
    used: int = 0
    # The values it covered: a masked form such as 139****0148 fits many numbers, and an
    # allowance names exactly one, so a second value is an error (see scan_file).
    values: set = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if finding.rule == self.rule and self.match.strip() in (finding.masked, finding.text):
            self.values.add(value_of(finding.rule, finding.text))
            return True
        return False

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "rule": self.rule,
                "match": self.match, "reason": self.reason, "used": self.used}


def read_allowances(data: Any, path: str, where) -> tuple[list[Allowance], list[Problem]]:
    """The `allow:` list of a front matter (already parsed); `where(*field)` gives positions."""
    entries = data.get("allow") if isinstance(data, dict) else None
    if entries is None:
        return [], []
    if not isinstance(entries, list):
        line, col = where("allow")
        return [], [Problem(path, line, col, "allow", "expected a list",
                            "write e.g. allow: [{rule: 手机号码, match: '139****1024', reason: 公开的服务热线}]")]
    allowances, problems = [], []
    for i, entry in enumerate(entries):
        line, col = where("allow", i)
        rule = entry.get("rule") if isinstance(entry, dict) else None
        match = entry.get("match") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not (isinstance(rule, str) and rule.strip() in RULES):
            problems.append(Problem(path, line, col, f"allow.{i}.rule", f"'{rule}' is not a sensitive-data rule",
                                    "one of: " + "、".join(RULES)))
        elif not (isinstance(match, (str, int)) and str(match).strip()):
            problems.append(Problem(path, line, col, f"allow.{i}.match", "name the finding to allow",
                                    "copy the masked text from the report, e.g. match: '139****1024'"))
        elif not (isinstance(reason, str) and reason.strip()):
            problems.append(Problem(path, line, col, f"allow.{i}.reason", "an allowance needs a reason",
                                    "say why it may be published, e.g. reason: 对外公布的服务热线"))
        else:
            allowances.append(Allowance(path, line, col, rule.strip(), str(match).strip(), reason.strip()))
    return allowances, problems


# --- scanning a content file ----------------------------------------------------------------------

_HINTS = {
    ID_CARD: "never publish an ID number; mask it (e.g. 3301**********1234) or remove it",
    BANK_CARD: "never publish a bank card number; mask it (e.g. 6222*********1234) or remove it",
    MOBILE: "personal phone numbers belong only in the public contact fields (phone, contacts, roster); "
            "mask it (e.g. 138****5678), or if it is a published hotline add "
            "allow: [{rule: 手机号码, match: '%s', reason: …}]",
    MARKING: "a page with a secrecy marking must not be published: check the source document; "
             "if this is ordinary text, add allow: [{rule: 密级标志, match: '%s', reason: …}]",
}


def _problem(path: str, line: int, column: int, field: str, finding: Finding, severity: Severity) -> Problem:
    hint = _HINTS[finding.rule]
    if "%s" in hint:
        hint = hint % finding.masked
    return Problem(path, line, column, field, f"{finding.rule} '{finding.masked}'", hint, severity)


def _strings(data: Any, where: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        yield where, str(data)  # fee: 13907861024 unquoted is published as the text it becomes
    elif isinstance(data, dict):
        for key, value in data.items():
            if where == () and key == "allow":
                continue  # allowances name findings; they are not content
            yield from _strings(value, where + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, where + (i,))


def _locate(lines: list[str], line: int, column: int, text: str) -> tuple[int, int]:
    """The exact position of text at or after a value's start (multi-line and quoted values)."""
    for number in range(line, min(line + 200, len(lines) + 1)):
        start = column - 1 if number == line else 0
        found = lines[number - 1].find(text, start)
        if found >= 0:
            return number, found + 1
    return line, column


def scan_file(path: str, data: dict, positions: dict, front_text: str, body: str, body_line: int,
              allowances: list[Allowance], is_contact, severity: Severity = Severity.ERROR) -> list[Problem]:
    """Problems for the findings of one file not covered by its allowances.

    front_text is the file's text from its first line (positions count from there); is_contact(field
    path) tells the fields the schema declares public contacts.
    """
    problems: list[Problem] = []
    lines = front_text.split("\n")

    def allowed(finding: Finding) -> bool:
        for allowance in allowances:
            if allowance.covers(finding):
                allowance.used += 1
                return True
        return False

    strings = list(_strings(data))
    # One pass over all values first: joined by newlines they give at least the findings of the
    # values one by one (a digit run never crosses a line), and most files have none.
    if not scan("\n".join(value for _, value in strings)):
        strings = []
    for field_path, value in strings:
        findings = scan(value)
        if any(f.rule == MOBILE for f in findings) and is_contact(field_path):
            findings = [f for f in findings if f.rule != MOBILE]
        if not findings:
            continue
        line, column = _where(positions, field_path)
        name = ".".join(str(p) for p in field_path)
        for finding in findings:
            if not allowed(finding):
                at = _locate(lines, line, column, finding.text)
                problems.append(_problem(path, *at, name, finding, severity))
    starts = None
    for finding in scan(body):
        if not allowed(finding):
            if starts is None:  # offsets of line starts, computed once and only when needed
                starts = [0] + [m.end() for m in re.finditer("\n", body)]
            number = bisect.bisect_right(starts, finding.start) - 1
            problems.append(_problem(path, body_line + number, finding.start - starts[number] + 1, "",
                                     finding, severity))
    for allowance in allowances:
        if len(allowance.values) > 1:
            problems.append(Problem(
                path, allowance.line, allowance.column, "allow",
                f"the allowance of {allowance.rule} '{allowance.match}' fits {len(allowance.values)} different values",
                "an allowance names one value: mask or remove the others (a masked form fits other people's numbers)",
                severity))
    return problems


def unused(allowances: list[Allowance]) -> list[Problem]:
    """Allowances that match nothing: stale after an edit, or mistyped; either way, say so."""
    return [Problem(a.path, a.line, a.column, "allow", f"the allowance of {a.rule} '{a.match}' matches nothing",
                    "remove it, or copy the masked text from the report", Severity.WARNING)
            for a in allowances if not a.used]


def _where(positions: dict, field_path: tuple) -> tuple[int, int]:
    path = tuple(field_path)
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return positions.get((), (1, 1))


# --- attachments ---------------------------------------------------------------------------------

# Attachments are copied to the site as they are: a spreadsheet of applicants is a leak like a page.
TEXT_FILES = {".csv", ".tsv", ".txt", ".json", ".html", ".htm", ".md", ".xml", ".yml", ".yaml", ".svg"}
# Office files are zips of XML parts; their text is cheap to read.
OFFICE_FILES = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}
_MAX_PART = 50 * 1024 * 1024  # a larger XML part is not read (a zip bomb, or no ordinary file)
# Paragraph, cell and row ends become line breaks so that two cells' digits never join into one run;
# a run boundary (</w:t>) inside a paragraph does not, so a number split over runs is still one.
_XML_BREAKS = re.compile(r"</(?:w:p|w:tc|w:tr|a:p|c|si|row|text:p|table:table-cell)>|<w:br/>|<w:tab/>")
_XML_TAG = re.compile(r"<[^>]*>")
_ATTACHMENT_HINT = "remove it from the attachment, or mask it (e.g. 138****5678), before it is published"


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return None


def _not_checked(display: str, why: str) -> Problem:
    return Problem(display, 1, 1, "", f"attachment not scanned for personal data: {why}",
                   "check it by hand for ID and phone numbers, bank cards and secrecy markings before it is published",
                   Severity.WARNING)


def _attachment_problem(display: str, line: int, column: int, part: str, finding: Finding,
                        severity: Severity) -> Problem:
    return Problem(display, line, column, part, f"{finding.rule} '{finding.masked}'", _ATTACHMENT_HINT, severity)


def scan_attachment(file: Path, display: str, severity: Severity = Severity.ERROR) -> list[Problem]:
    """Findings in one published attachment: text files at line:column, office files by XML part;
    any other file (PDF, images) one warning that it was not checked."""
    suffix = file.suffix.lower()
    if suffix not in TEXT_FILES and suffix not in OFFICE_FILES:
        return [_not_checked(display, f"{suffix or 'this kind of'} file")]
    data = file.read_bytes()
    if suffix in TEXT_FILES:
        text = _decode(data)
        if text is None:
            return [_not_checked(display, "not UTF-8 or GB18030 text")]
        problems = []
        starts = None
        for finding in scan(text):
            if starts is None:
                starts = [0] + [m.end() for m in re.finditer("\n", text)]
            number = bisect.bisect_right(starts, finding.start) - 1
            problems.append(_attachment_problem(display, number + 1, finding.start - starts[number] + 1, "",
                                                finding, severity))
        return problems
    problems = []
    try:
        with zipfile.ZipFile(file) as archive:
            for part in archive.infolist():
                if not part.filename.endswith(".xml"):
                    continue
                if part.file_size > _MAX_PART:
                    return [_not_checked(display, f"part {part.filename} is too large to read")]
                xml = archive.read(part).decode("utf-8", errors="replace")
                text = html.unescape(_XML_TAG.sub("", _XML_BREAKS.sub("\n", xml)))
                problems += [_attachment_problem(display, 1, 1, part.filename, finding, severity)
                             for finding in scan(text)]
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return [_not_checked(display, "not a readable office file")]
    return problems
