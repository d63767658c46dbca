"""What is read and published from content/: regular files only (never a symbolic link or what
lies behind one), every static file scanned or refused by type, identifiers compared in normal
form, and links in a document's body that reach its attachments on the built page."""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import SMALL_SITE, commit_site, gongkai_check, mkdocs_build, tree_hashes, write_site

DOC = "content/units/zrj/documents/2021-gz.md"
GUIDE = "content/units/zrj/guides/xk-001.md"
SECRET = "GK_SECRET_TOKEN=7f3a9c1e5b"
ID_NO = "330102199003071230"  # a valid 居民身份证号 (check digit and birth date)
MOBILE_NO = "13907861024"


def _secret_outside(root: Path) -> Path:
    """A file outside content/ that a link points at, standing in for /proc/self/environ."""
    outside = root.parent / "outside"
    (outside / "folder").mkdir(parents=True, exist_ok=True)
    (outside / "environ").write_text(f"PATH=/usr/bin\n{SECRET}\n", encoding="utf-8")
    (outside / "folder" / "notes.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    return outside


def _leaks(directory: Path) -> list[str]:
    """Files under directory holding the secret, or a name the links gave."""
    found = []
    for path in directory.rglob("*"):
        if path.is_file() and (SECRET.encode() in path.read_bytes() or path.name in ("environ", "passwd", "notes.txt")):
            found.append(path.relative_to(directory).as_posix())
    return found


# Each case: where the link sits (content-relative) and what it points to ({outside} is a folder
# beside the site; {content} the content folder itself).
LINKS = {
    "file-outside": ("files/environ.txt", "{outside}/environ"),
    "etc-passwd": ("passwd.csv", "/etc/passwd"),
    "folder-outside": ("shared", "{outside}/folder"),
    "in-units": ("units/zrj/documents/env.txt", "{outside}/environ"),
    "record-file": ("units/zrj/notices/2026-leak.md", "{outside}/environ"),
    "free-page": ("leak.md", "{outside}/environ"),
    "inside-content": ("files/copy.md", "{content}/index.md"),
    "folder-inside": ("units/zrj/mirror", "{content}/units/zrj/powers"),
    "vocabulary": ("_vocab/synonyms.yml", "{outside}/environ"),
}


@pytest.mark.parametrize("name", LINKS)
def test_a_symbolic_link_is_an_error_never_followed(name: str, small_site: Path):
    rel, target = LINKS[name]
    outside = _secret_outside(small_site)
    content = small_site / "content"
    link = content / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    if name == "vocabulary" and link.exists():
        link.unlink()
    os.symlink(target.format(outside=outside, content=content), link)
    before = tree_hashes(small_site / "site")

    check = gongkai_check(small_site)
    assert check.returncode == 1, check.output
    expected = f"content/{rel}:1:1: error: symbolic link to '"
    assert expected in check.output, check.output
    assert "not followed" in check.output and "; put the file itself in content/" in check.output
    assert SECRET not in check.output and "Traceback" not in check.output

    build = mkdocs_build(small_site)
    assert build.returncode != 0
    assert expected in build.output and "Traceback" not in build.output
    assert SECRET not in build.output
    # The previous site is as it was, and nothing of the target reached it.
    assert tree_hashes(small_site / "site") == before
    assert _leaks(small_site / "site") == []
    assert not (small_site / "site.building").exists()


def test_the_pages_plugin_drops_links_mkdocs_collected(small_site: Path):
    """MkDocs walks docs_dir following links; on_files keeps only regular files the model found,
    whatever MkDocs listed (here: a link to a file, a linked folder, a linked page)."""
    from mkdocs.commands.build import get_files
    from mkdocs.config import load_config

    from gongkai.catalog.plugin import CatalogPlugin
    from gongkai.model import load_catalog

    outside = _secret_outside(small_site)
    content = small_site / "content"
    (content / "files").mkdir()
    (content / "files/ok.csv").write_text("名称,数量\n纸,1\n", encoding="utf-8")
    os.symlink(outside / "environ", content / "files/env.csv")
    os.symlink(outside / "folder", content / "shared")
    os.symlink(outside / "environ", content / "leak.md")
    config = load_config(str(small_site / "mkdocs.yml"))
    collected = {f.src_uri for f in get_files(config)}
    assert {"files/env.csv", "shared/notes.txt", "leak.md"} <= collected  # MkDocs would copy them

    plugin = CatalogPlugin()
    plugin.load_config({})
    plugin.catalog, problems = load_catalog(content)
    assert sorted(p.path for p in problems) == ["content/files/env.csv", "content/leak.md", "content/shared"]
    plugin.pages = {}  # the generated pages are not in question (and need a running build)
    kept = {f.src_uri for f in plugin.on_files(get_files(config), config)}
    assert not kept & {"files/env.csv", "shared/notes.txt", "leak.md"}
    assert {"files/ok.csv", "index.md"} <= kept


def test_an_export_with_a_link_in_content_fails_and_writes_no_bundle(fresh_site: Path):
    """The offline bundle is built from the same model: a link stops it, and no zip is written."""
    from conftest import GONGKAI, run

    outside = _secret_outside(fresh_site)
    (fresh_site / "content/files").mkdir()
    os.symlink(outside / "environ", fresh_site / "content/files/environ.txt")
    target = fresh_site / "out.zip"
    result = run([GONGKAI, "export", "-o", str(target), "--config", str(fresh_site / "mkdocs.yml")], cwd=fresh_site)
    assert result.returncode != 0
    assert "content/files/environ.txt:1:1: error: symbolic link to '" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    assert not target.exists() and not list(fresh_site.glob("*.part"))


# --- paths that leave content/ -------------------------------------------------------------------

def _with_attachment(file: str) -> str:
    return SMALL_SITE[DOC].replace("published: 2021-05-20\n",
                                   f"published: 2021-05-20\nattachments:\n  - title: 附件\n    file: {file}\n")


@pytest.mark.parametrize("file", ["/etc/passwd", "../../../../../../../etc/passwd", "../../../../mkdocs.yml",
                                  "C:\\Windows\\win.ini", "..\\..\\..\\..\\mkdocs.yml"])
def test_attachment_paths_out_of_content_are_errors(file: str, fresh_site: Path):
    (fresh_site / DOC).write_text(_with_attachment(file), encoding="utf-8")
    check = gongkai_check(fresh_site)
    assert check.returncode == 1
    assert (f"{DOC}:8:11: error: attachments.0.file: attachment '{file}' is an absolute path or leaves the "
            f"content folder; give the path relative to this document file, inside content/") in check.stdout
    build = mkdocs_build(fresh_site)
    assert build.returncode != 0 and "leaves the content folder" in build.output
    assert not (fresh_site / "site").exists()


def test_body_links_out_of_content_are_errors(fresh_site: Path):
    body = ("\n正文[密码](../../../../../../etc/passwd)与![图](%2E%2E/%2E%2E/%2E%2E/%2E%2E/mkdocs.yml)。\n"
            '<a href="/etc/hosts">主机</a> [本站](https://example.gov.cn/x) [邮件](mailto:a@b.cn) [锚](#a)\n')
    (fresh_site / DOC).write_text(SMALL_SITE[DOC] + body, encoding="utf-8")
    check = gongkai_check(fresh_site)
    assert check.returncode == 1
    lines = [line.split(";")[0] for line in check.stdout.splitlines() if line.startswith(DOC)]
    column = body.splitlines()[1].index("%2E") + 1  # the target as written (decoded in the message)
    assert lines == [
        f"{DOC}:9:8: error: link '../../../../../../etc/passwd' is an absolute path or leaves the content folder",
        f"{DOC}:9:{column}: error: link '../../../../mkdocs.yml' is an absolute path or leaves the content folder",
        f"{DOC}:10:10: error: link '/etc/hosts' is an absolute path or leaves the content folder"]


# --- every static file scanned --------------------------------------------------------------------

def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("word/document.xml", f"<w:document><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:document>")
    return buffer.getvalue()


def test_static_files_outside_units_are_scanned(fresh_site: Path):
    files = fresh_site / "content/files"
    files.mkdir()
    (files / "名单.csv").write_bytes(f"姓名,证件号码,电话\n张三,{ID_NO},{MOBILE_NO}\n".encode("gb18030"))
    (files / "memo.txt").write_text("机密★1年\n关于有关事项的说明。\n", encoding="utf-8")
    (files / "表.docx").write_bytes(_docx(f"联系人电话{MOBILE_NO}"))
    (files / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (files / "page.html").write_text(f"<p>电话 {MOBILE_NO}</p>\n", encoding="utf-8")
    (fresh_site / "content/logo.svg").write_text("<svg><text>内部资料</text></svg>\n", encoding="utf-8")
    (fresh_site / "content/.hidden.txt").write_text(f"{MOBILE_NO}\n", encoding="utf-8")  # MkDocs leaves it out
    commit_site(fresh_site)  # every page dated: only the files' problems
    check = gongkai_check(fresh_site)
    assert check.returncode == 1
    got = [line.split(";")[0] for line in check.stdout.splitlines()]
    assert got == [
        "content/files/memo.txt:1:1: error: 密级标志 '机密★'",
        "content/files/page.html:1:1: error: a .html file runs in the reader's browser as the site's own: not published",
        "content/files/scan.pdf:1:1: warning: attachment not scanned for personal data: .pdf file",
        "content/files/名单.csv:2:4: error: 居民身份证号 '3301**********1230'",
        "content/files/名单.csv:2:23: error: 手机号码 '139****1024'",
        "content/files/表.docx:1:1: error: word/document.xml: 手机号码 '139****1024'",
        "content/logo.svg:1:1: error: a .svg file runs in the reader's browser as the site's own: not published"], check.stdout
    assert "check it by hand" in check.stdout
    build = mkdocs_build(fresh_site)
    assert build.returncode != 0 and "content/files/名单.csv:2:23: error" in build.output
    assert not (fresh_site / "site").exists()


def test_clean_static_files_are_published_and_hidden_ones_are_not(fresh_site: Path):
    (fresh_site / "content/files").mkdir()
    (fresh_site / "content/files/目录.csv").write_text("名称,数量\n纸,1\n", encoding="utf-8")
    (fresh_site / "content/.hidden.txt").write_text(f"{MOBILE_NO}\n", encoding="utf-8")
    build = mkdocs_build(fresh_site)
    assert build.returncode == 0, build.output
    assert (fresh_site / "site/files/目录.csv").is_file()
    assert not (fresh_site / "site/.hidden.txt").exists()


# --- identifiers in normal form ------------------------------------------------------------------

def _check_lines(site: Path) -> list[str]:
    result = gongkai_check(site)
    return [line.split(";")[0] for line in result.stdout.splitlines() if ": error: " in line]


def test_a_doc_no_with_a_zero_width_space_is_a_duplicate(fresh_site: Path):
    copy = SMALL_SITE[DOC].replace("doc_no: 测自然资发〔2021〕3号", "doc_no: 测自然\u200b资发〔2021〕3号")
    (fresh_site / "content/units/zrj/documents/2021-gz2.md").write_text(copy, encoding="utf-8")
    assert _check_lines(fresh_site) == [
        "content/units/zrj/documents/2021-gz2.md:3:9: error: doc_no: 文号 '测自然\u200b资发〔2021〕3号' "
        "is also used by content/units/zrj/documents/2021-gz.md"]


def test_an_index_no_in_another_width_and_case_is_a_duplicate(fresh_site: Path):
    one = SMALL_SITE[DOC].replace("published:", "index_no: TESTZRJ000000001/2021-00009\npublished:")
    two = one.replace("测自然资发〔2021〕3号", "测自然资发〔2021〕4号").replace(
        "TESTZRJ000000001/2021-00009", "ｔｅｓｔzrj000000001/2021-00009\u2060")
    (fresh_site / DOC).write_text(one, encoding="utf-8")
    (fresh_site / "content/units/zrj/documents/2021-gz2.md").write_text(two, encoding="utf-8")
    lines = _check_lines(fresh_site)
    assert len(lines) == 1 and lines[0].startswith("content/units/zrj/documents/2021-gz2.md:5:11: error: index_no: 索引号")
    assert lines[0].endswith("is also used by content/units/zrj/documents/2021-gz.md")


@pytest.mark.parametrize("code", ["zrj-xk-001", "Zrj-Xk-001"])  # (invisible characters: not a code at all)
def test_item_codes_differing_in_case_or_invisibly_are_duplicates(code: str, fresh_site: Path):
    text = SMALL_SITE["content/units/zrj/powers/XK-001.md"].replace("code: ZRJ-XK-001", f"code: {code}")
    (fresh_site / "content/units/zrj/powers/XK-002.md").write_text(text, encoding="utf-8")
    assert _check_lines(fresh_site) == [
        f"content/units/zrj/powers/XK-002.md:2:7: error: code: duplicate code '{code}' (looks like 'ZRJ-XK-001'), "
        "first used in content/units/zrj/powers/XK-001.md"]


def test_record_files_differing_only_in_case_are_errors(fresh_site: Path):
    (fresh_site / "content/units/zrj/guides/XK-001.md").write_text(SMALL_SITE[GUIDE], encoding="utf-8")
    notice = SMALL_SITE["content/units/zrj/notices/2026-gs.md"]
    (fresh_site / "content/units/zrj/notices/2026-GS.md").write_text(notice, encoding="utf-8")
    assert _check_lines(fresh_site) == [
        "content/units/zrj/guides/xk-001.md:1:1: error: its page units/zrj/guides/xk-001.md is also the page of "
        "content/units/zrj/guides/XK-001.md on a case-insensitive file system",
        "content/units/zrj/notices/2026-gs.md:1:1: error: its page units/zrj/notices/2026-gs.md is also the page of "
        "content/units/zrj/notices/2026-GS.md on a case-insensitive file system"]


def test_static_files_differing_only_in_case_are_errors(fresh_site: Path):
    (fresh_site / "content/files").mkdir()
    (fresh_site / "content/files/A.csv").write_text("a\n", encoding="utf-8")
    (fresh_site / "content/files/a.csv").write_text("b\n", encoding="utf-8")
    assert _check_lines(fresh_site) == [
        "content/files/a.csv:1:1: error: published as the same file as content/files/A.csv "
        "on a case-insensitive file system"]


# --- links in a document's body reach its attachments -------------------------------------------

def _href_targets(page: Path, site: Path, tag: str, attribute: str) -> dict[str, Path]:
    """{text or alt: the file the link reaches in site/} for the links of a built page."""
    html = page.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(rf'<{tag}\b[^>]*?{attribute}="([^"]+)"[^>]*>([^<]*)', html):
        url, text = match.groups()
        if "://" in url or url.startswith("#"):
            continue
        resolved = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), unquote(url)))
        found[text or url] = site / resolved
    return found


def test_body_links_of_a_document_reach_its_attachments(fresh_site: Path):
    folder = (fresh_site / DOC).parent
    (folder / "files").mkdir()
    (folder / "附件1.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "files/图 1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    other = SMALL_SITE[DOC].replace("〔2021〕3号", "〔2022〕1号").replace("2021-05-20", "2022-01-10")
    (folder / "2022-other.md").write_text(other, encoding="utf-8")
    text = _with_attachment("附件1.pdf") + (
        "\n见[附件一](附件1.pdf)、[另一份文件](2022-other.md)和[办事指南](../guides/xk-001.md)。\n\n"
        "![示意图](files/图%201.png)\n\n```text\n代码里的[链接](附件1.pdf)原样保留\n```\n")
    (fresh_site / DOC).write_text(text, encoding="utf-8")
    build = mkdocs_build(fresh_site)
    assert build.returncode == 0, build.output
    assert "not found" not in build.output and "unrecognized" not in build.output, build.output
    site = fresh_site / "site"
    page = site / "units/zrj/documents/2021/2021-gz/index.html"
    links = _href_targets(page, site, "a", "href")
    assert links["附件一"] == site / "units/zrj/documents/附件1.pdf" and links["附件一"].is_file()
    assert (links["另一份文件"] / "index.html") == site / "units/zrj/documents/2022/2022-other/index.html"
    assert (links["办事指南"] / "index.html").is_file()
    html = page.read_text(encoding="utf-8")
    src = re.search(r'<img alt="示意图" src="([^"]+)"', html).group(1)
    assert (page.parent / unquote(src)).resolve() == (site / "units/zrj/documents/files/图 1.png").resolve()
    assert (site / "units/zrj/documents/files/图 1.png").is_file()
    assert "代码里的[链接](附件1.pdf)原样保留" in html  # code is not a link: left as written
