"""The attachment of a document that is not published (a draft, not 主动公开, dated later) is never
published, even when a published body links it; the link is a located warning."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from conftest import SMALL_SITE, gongkai_check, mkdocs_build

DOCS = "content/units/zrj/documents"
NOTICE = "content/units/zrj/notices/2026-gs.md"


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("word/document.xml", f"<w:document><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:document>")
    return buffer.getvalue()


def _document(title: str, published: str, attachment: str, extra: str = "") -> str:
    return (f"---\ntitle: {title}\ntopic: 国土资源\npublished: {published}\n{extra}"
            f"attachments:\n  - title: 附件\n    file: {attachment}\n---\n正文。\n")


FILES: dict[str, bytes] = {
    f"{DOCS}/draft-attachment.docx": _docx("征求意见稿"),
    f"{DOCS}/files/yisq.txt": "依申请公开的附件\n".encode(),
    f"{DOCS}/future.txt": "明年发布的附件\n".encode(),
    f"{DOCS}/public.txt": "已公开的附件\n".encode(),
}
DOCUMENTS = {
    f"{DOCS}/2026-draft.md": _document("征求意见稿", "2026-01-05", "draft-attachment.docx", "draft: true\n"),
    f"{DOCS}/2026-ysq.md": _document("依申请公开的文件", "2026-02-01", "files/yisq.txt", "disclosure: 依申请公开\n"),
    f"{DOCS}/2027-future.md": _document("明年的文件", "2027-01-01", "future.txt"),
    f"{DOCS}/2026-public.md": _document("已公开的文件", "2026-03-01", "public.txt"),
}
# Three ways a body links a file (Markdown link, raw href, raw src), and one link that stays.
LINKS = """
[征求意见稿](../documents/draft-attachment.docx) 与 <a href="../documents/files/yisq.txt#p1">依申请</a>

<img src="../documents/./future.txt" alt="明年"> [已公开](../documents/public.txt)
"""
WITHHELD = ["draft-attachment.docx", "yisq.txt", "future.txt"]


@pytest.fixture
def site(fresh_site: Path) -> Path:
    for rel, data in FILES.items():
        (fresh_site / rel).parent.mkdir(parents=True, exist_ok=True)
        (fresh_site / rel).write_bytes(data)
    for rel, text in DOCUMENTS.items():
        (fresh_site / rel).write_text(text, encoding="utf-8")
    (fresh_site / NOTICE).write_text(SMALL_SITE[NOTICE] + LINKS, encoding="utf-8")
    return fresh_site


def _expected_warnings() -> list[str]:
    lines = (SMALL_SITE[NOTICE] + LINKS).split("\n")
    out = []
    for target, document in (("../documents/draft-attachment.docx", "2026-draft.md"),
                             ("../documents/files/yisq.txt", "2026-ysq.md"),
                             ("../documents/./future.txt", "2027-future.md")):
        number = next(i for i, line in enumerate(lines, 1) if target in line)
        out.append(f"{NOTICE}:{number}:{lines[number - 1].index(target) + 1}: warning: "
                   f"links an attachment of an unpublished document ({DOCS}/{document})")
    return out


def test_check_reports_each_link_where_it_is(site: Path):
    result = gongkai_check(site)
    assert result.returncode == 0, result.output  # warnings only
    found = [line.split(";")[0] for line in result.stdout.splitlines() if "unpublished document" in line]
    assert found == _expected_warnings(), result.output


def test_the_build_publishes_none_of_them_and_the_links_lead_nowhere(site: Path):
    result = mkdocs_build(site)
    assert result.returncode == 0, result.output
    built = site / "site"
    names = {path.name for path in built.rglob("*") if path.is_file()}
    for name in WITHHELD:
        assert name not in names, name
    assert "public.txt" in names
    for warning in _expected_warnings():
        assert warning in result.output, result.output
    # Every link of the notice's page, resolved as a browser would from the page's address.
    page = "units/zrj/notices/2026-gs/"
    html = (built / page / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    targets = {posixpath.normpath(posixpath.join(page, href.split("#")[0]))
               for href in re.findall(r'(?:href|src)="([^"]+)"', article) if "documents/" in href}
    resolved = {target: (built / target).is_file() for target in targets}
    assert sum(resolved.values()) == 1 and any(t.endswith("public.txt") for t, ok in resolved.items() if ok), resolved
    assert len(resolved) == 4, resolved
