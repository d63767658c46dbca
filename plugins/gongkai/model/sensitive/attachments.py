"""Scanning attachments: files published beside the records reach the site as they are.

Text files (UTF-8 or GB18030) are reported at line:column, office files (zips of XML parts) by
part; any other file gets a warning that it was not checked.
"""

from __future__ import annotations

import bisect
import html
import io
import re
import zipfile
from pathlib import Path

from ..primitives.problems import Problem, Severity
from .detection import Finding, scan


# --- attachments ---------------------------------------------------------------------------------

# Attachments are copied to the site as they are: a spreadsheet of applicants is a leak like a page.
TEXT_FILES = {".csv", ".tsv", ".txt", ".json", ".html", ".htm", ".md", ".xml", ".yml", ".yaml", ".svg"}
# Office files are zips of XML parts; their text is cheap to read.
OFFICE_FILES = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}
# Files a browser runs when it opens them from the site: a page or drawing with a script in it, a
# stylesheet'd XML, a script. Opened from the site's address, their scripts would run as the site's
# own (read its pages, change them as shown, send readers elsewhere), and a static host cannot make
# them inert (no Content-Security-Policy sandbox header). So they are refused, not published:
# a document's attachment goes out as PDF or Office, a drawing as PNG or JPEG.
ACTIVE_FILES = {".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl",
                ".xslt", ".js", ".mjs", ".wasm", ".swf"}
# Compressed forms a web server sends in place of the file of the same name (nginx gzip_static,
# brotli_static): content's own would stand in for the site's pages and scripts, and its bytes
# are not what a reader receives. Refused like ACTIVE_FILES; the build writes its own .gz twins.
COMPRESSED_TWINS = {".gz", ".br", ".zst"}
_MAX_PART = 50 * 1024 * 1024  # a larger XML part is not read (a zip bomb, or no ordinary file)
# Paragraph, cell and row ends become line breaks so that two cells' digits never join into one run;
# a run boundary (</w:t>) inside a paragraph does not, so a number split over runs is still one.
_XML_BREAKS = re.compile(r"</(?:w:p|w:tc|w:tr|a:p|c|si|row|text:p|table:table-cell)>|<w:br/>|<w:tab/>")
_XML_TAG = re.compile(r"<[^>]*>")
_ATTACHMENT_HINT = "remove it from the attachment, or mask it (e.g. 138****5678), before it is published"


def decode_text(data: bytes) -> str | None:
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


def readable_parts(data: bytes, suffix: str) -> tuple[list[tuple[str, str]], str | None]:
    """The text a reader of the file gets, as (part, text): one part '' for a text file, one per
    XML part for an office file; and why nothing could be read (None when it could)."""
    if suffix in TEXT_FILES:
        text = decode_text(data)
        return ([("", text)], None) if text is not None else ([], "not UTF-8 or GB18030 text")
    if suffix not in OFFICE_FILES:
        return [], f"{suffix or 'this kind of'} file"
    parts = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in archive.infolist():
                if not part.filename.endswith(".xml"):
                    continue
                if part.file_size > _MAX_PART:
                    return [], f"part {part.filename} is too large to read"
                xml = archive.read(part).decode("utf-8", errors="replace")
                parts.append((part.filename, html.unescape(_XML_TAG.sub("", _XML_BREAKS.sub("\n", xml)))))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return [], "not a readable office file"
    return parts, None


def refused(display: str, suffix: str) -> Problem:
    """The error for a file of a kind a browser would run (ACTIVE_FILES), or a server would send
    in another's place (COMPRESSED_TWINS)."""
    if suffix in COMPRESSED_TWINS:
        return Problem(display, 1, 1, "", f"a {suffix} file is sent by web servers in place of the file of its name: "
                       "not published", "publish the file itself (the build compresses what it serves), or "
                       "several files as a .zip")
    return Problem(display, 1, 1, "", f"a {suffix} file runs in the reader's browser as the site's own: not published",
                   "publish a document as PDF or an office file and a drawing as PNG or JPEG; scripts and "
                   "styles of the site belong in the theme (themes/), not in content/")


def scan_attachment(file: Path, display: str, severity: Severity = Severity.ERROR) -> list[Problem]:
    """Findings in one published attachment: text files at line:column, office files by XML part;
    any other file (PDF, images) one warning that it was not checked."""
    parts, unreadable = readable_parts(file.read_bytes(), file.suffix.lower())
    if unreadable:
        return [_not_checked(display, unreadable)]
    problems = []
    for part, text in parts:
        starts = None
        for finding in scan(text):
            if part:  # an XML part has no lines an editor could go to
                problems.append(_attachment_problem(display, 1, 1, part, finding, severity))
                continue
            if starts is None:
                starts = [0] + [m.end() for m in re.finditer("\n", text)]
            number = bisect.bisect_right(starts, finding.start) - 1
            problems.append(_attachment_problem(display, number + 1, finding.start - starts[number] + 1, "",
                                                finding, severity))
    return problems
