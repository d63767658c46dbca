"""What a file given to `gongkai import` is, from its bytes rather than its name (a .xls that is
an .xlsx renamed is read; a .docx that is a PDF is refused), and what to do with the formats it
cannot read."""

from __future__ import annotations

import zipfile
from pathlib import Path

ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: .xls, .doc, .wps, encrypted OOXML


def _stream_name(name: str) -> bytes:
    # An OLE2 directory entry holds its stream name in UTF-16LE: finding it among the bytes tells
    # the kinds apart without a compound-file reader (xlrd's reads workbooks only).
    return name.encode("utf-16-le")


# Formats met in county offices that no library here reads, and what the editor should do.
REFUSED = {
    "pdf": "a PDF keeps no columns or paragraphs to import; open the original (Excel or Word) file, or "
           "save the PDF as .docx/.xlsx in WPS or Word and check the result",
    "ofd": "OFD (版式文件) is a print layout; import the Word (.docx) original of the 公文",
    "wps": "WPS文字 (.wps) files are not read; save it as .docx (文件 → 另存为 → Word 文件)",
    "et": "WPS表格 (.et) files are not read; save it as .xlsx (文件 → 另存为 → Excel 文件)",
    "doc": "Word 97-2003 (.doc) files are not read; save it as .docx (文件 → 另存为 → Word 文档)",
    "encrypted": "the file is password-protected (加密); open it, remove the password "
                 "(文件 → 信息 → 保护 → 用密码进行加密, clear it) and save a copy to import",
    "unknown": "not a spreadsheet (.xlsx, .xls, .csv) or a Word document (.docx)",
}


def file_format(path: Path) -> str:
    """xlsx, xls, csv or docx; or a key of REFUSED. OSError when it cannot be read."""
    suffix = path.suffix.lower().lstrip(".")
    with open(path, "rb") as f:
        head = f.read(8)
        if head.startswith(ZIP):
            try:
                with zipfile.ZipFile(f) as archive:
                    names = set(archive.namelist())
            except zipfile.BadZipFile:  # a damaged file: its name is all there is to go by
                return suffix if suffix in REFUSED else "unknown"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
            if "OFD.xml" in names or suffix == "ofd":
                return "ofd"
            return "unknown"
        if head.startswith(OLE2):
            data = f.read()
            if _stream_name("EncryptedPackage") in data:
                return "encrypted"
            if _stream_name("Workbook") in data or _stream_name("Book") in data:
                return "et" if suffix == "et" else "xls"
            if suffix in ("wps", "et"):
                return suffix
            return "doc" if _stream_name("WordDocument") in data else "unknown"
        if head.startswith(b"%PDF"):
            return "pdf"
    if suffix in REFUSED:
        return suffix
    if suffix in ("csv", "txt"):
        return "csv"
    return "unknown"
