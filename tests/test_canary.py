"""Only what is meant to be public is published: a canary in every excluded item, searched for in
every output the build writes.

Each excluded item (a draft of every kind that has drafts, documents not 主动公开, a document and a
notice published after the build date, the attachment of an excluded document) carries a unique
canary in its front matter and its body. After `mkdocs build`, no canary may appear in any file
of the output roots, read as bytes, decompressed (.gz, .zip members) and, for the whoosh archive
index, read through whoosh (stored fields and every indexed term). The offline bundle of `gongkai
export` is one more output, scanned member by member.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

from conftest import GONGKAI, SMALL_SITE, mkdocs_build, run, write_site

# Lower-case ASCII: the search analysers keep letter-digit runs whole, so a canary that reached
# an index would be there as one term.
EXCLUDED: dict[str, str] = {
    "content/units/zrj/powers/canaryslugpower.md": """\
---
code: canaryslugpowercode
name: 草稿事项 canarypowerdraftname
category: 行政许可
basis:
  - law: 中华人民共和国城乡规划法
draft: true
---
canarypowerdraftbody
""",
    "content/units/zrj/guides/canarysluguide.md": """\
---
title: 草稿指南 canaryguidedrafttitle
draft: true
---
canaryguidedraftbody
""",
    "content/units/zrj/documents/canaryslugdocdraft.md": """\
---
title: 草稿文件 canarydocdrafttitle
doc_no: 测自然资发〔2021〕91号
topic: 国土资源
published: 2021-06-01
draft: true
keywords: [canarydocdraftkeyword]
---
canarydocdraftbody
""",
    "content/units/zrj/documents/canaryslugdocrequest.md": """\
---
title: 依申请公开文件 canarydocrequesttitle
doc_no: 测自然资发〔2021〕92号
topic: 国土资源
published: 2021-06-02
disclosure: 依申请公开
attachments:
  - title: 附件 canarydocattachmenttitle
    file: files/canaryslugattachment.csv
---
canarydocrequestbody
""",
    "content/units/zrj/documents/files/canaryslugattachment.csv": "名称,说明\ncanaryattachmentfile,附件内容\n",
    "content/units/zrj/documents/canaryslugdocwithheld.md": """\
---
title: 不予公开文件 canarydocwithheldtitle
topic: 国土资源
published: 2021-06-03
disclosure: 不予公开
summary: canarydocwithheldsummary
---
canarydocwithheldbody
""",
    "content/units/zrj/documents/canaryslugdocfuture.md": """\
---
title: 将来发布的文件 canarydocfuturetitle
doc_no: 测自然资发〔2027〕1号
topic: 国土资源
published: 2027-01-05
---
canarydocfuturebody
""",
    "content/units/zrj/notices/canaryslugnoticefuture.md": """\
---
title: 将来发布的公示 canarynoticefuturetitle
start: 2027-01-05
period_days: 7
published: 2027-01-05
subject: canarynoticefuturesubject
---
canarynoticefuturebody
""",
    "content/units/zrj/notices/canaryslugnoticedraft.md": """\
---
title: 草稿公示 canarynoticedrafttitle
start: 2026-11-16
period_days: 5
draft: true
---
canarynoticedraftbody
""",
    # A draft 公开指南: no disclosing body, no column tree, nothing of it on the section page.
    "content/units/zrj/disclosure-guides/canaryslugdisclosureguide.md": """\
---
title: 草稿公开指南 canaryguidedraftdisclosure
updated: 2026-11-01
classification: [canaryguidedraftclass]
arrangement: canaryguidedraftarrangement
obtaining: {proactive: [canaryguidedraftchannel], on_request: canaryguidedraftrequest}
office: {name: canaryguidedraftoffice, address: 测试县人民路1号, hours: 工作日, phone: 0000-1234567,
         fax: 0000-1234568, web: canaryguidedraftweb}
draft: true
---
canaryguidedraftbody
""",
}
# The file names are canaries too: an excluded item's URL must not appear in links, the sitemap
# or a search index either.
CANARIES = sorted({word for text in EXCLUDED.values() for word in re.findall(r"canary[a-z]+", text)}
                  | {Path(rel).stem for rel in EXCLUDED})
# One published document links the excluded ones' 文号; text of the published page is public,
# but nothing of the excluded documents themselves may follow the link.
PUBLISHED_NEIGHBOUR = SMALL_SITE["content/units/zrj/documents/2021-gz.md"]


def file_texts(path: Path):
    """The bytes of a file, and of what it holds compressed."""
    data = path.read_bytes()
    yield data
    if path.suffix == ".gz":
        yield gzip.decompress(data)
    if path.suffix == ".zip" or data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield name.encode("utf-8")
                yield archive.read(name)


def whoosh_texts(index_dir: Path):
    """Every stored value and every indexed term of a whoosh index, as text."""
    from whoosh import index

    if not index.exists_in(str(index_dir)):
        return
    ix = index.open_dir(str(index_dir))
    with ix.reader() as reader:
        for stored in reader.all_stored_fields():
            yield repr(stored)
        for fieldname in ix.schema.names():
            if ix.schema[fieldname].indexed:
                for term in reader.lexicon(fieldname):
                    yield term.decode("utf-8", "replace") if isinstance(term, bytes) else str(term)


def leaks(roots: list[Path], whoosh_dirs: list[Path], canaries: list[str]) -> list[str]:
    """'<file>: <canary>' for every canary found in the output roots or the whoosh indexes."""
    found = []
    for root in roots:
        assert root.exists(), root
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            for data in file_texts(path):
                found += [f"{path}: {c}" for c in canaries if c.encode("utf-8") in data]
                found += [f"{path}: file name {c}" for c in canaries if c in path.name]
    for index_dir in whoosh_dirs:
        for text in whoosh_texts(index_dir):
            found += [f"{index_dir}: {c}" for c in canaries if c in text]
    return sorted(set(found))


def test_excluded_items_reach_no_output(fresh_site: Path):
    write_site(fresh_site, {**EXCLUDED, "content/units/zrj/documents/2021-gz.md": PUBLISHED_NEIGHBOUR.replace(
        "published: 2021-05-20", "published: 2021-05-20\nimplements: [测自然资发〔2021〕92号]")
        + "\n[附表](files/linked.csv)\n", "content/units/zrj/documents/files/linked.csv": "公开附表\n",
        # A published guide of the draft item: the guide is public, the item it serves is not.
        "content/units/zrj/guides/public-of-draft.md": "---\ntitle: 公开的指南\npower: canaryslugpowercode\n---\n"})
    result = mkdocs_build(fresh_site)
    assert result.returncode == 0, result.output
    site, index_dir = fresh_site / "site", fresh_site / ".cache" / "search-index"
    assert (site / "sitemap.xml.gz").is_file() and (site / "search").is_dir()
    # The canaries are really in the content, and the test can see them: the published
    # neighbour's own text is found in every output.
    assert len(CANARIES) == 39, CANARIES
    assert leaks([site], [], ["各股室"]) and leaks([], [index_dir], ["各股室"])
    assert leaks([site / "search"], [], ["各股室"])  # the browser index keeps tokens as text
    assert (site / "data" / "powers.csv").is_file()  # the open data is one of the outputs scanned
    assert leaks([site], [index_dir], CANARIES) == []
    bundle = fresh_site / "export" / "bundle.zip"
    bundle.parent.mkdir()
    exported = run([GONGKAI, "export", "-o", str(bundle), "--config", str(fresh_site / "mkdocs.yml")],
                   cwd=fresh_site, timeout=600)
    assert exported.returncode == 0, exported.output
    assert leaks([bundle.parent], [], ["各股室"])
    assert leaks([bundle.parent], [], CANARIES) == []
    # A file a published document links is published; the excluded one's attachment is not.
    assert (site / "units/zrj/documents/files/linked.csv").is_file()
    assert not list(site.rglob("*canary*"))  # no page, no attachment of an excluded item


def test_the_scan_finds_a_canary_where_one_is(tmp_path: Path):
    """The scanner itself: plain, gzip, zip member, and whoosh term."""
    (tmp_path / "a.txt").write_bytes(b"x canaryone y")
    (tmp_path / "b.xml.gz").write_bytes(gzip.compress(b"canarytwo"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner/page.html", "<p>canarythree</p>")
    (tmp_path / "c.zip").write_bytes(buffer.getvalue())
    from whoosh import fields, index

    ix_dir = tmp_path / "ix"
    ix_dir.mkdir()
    ix = index.create_in(str(ix_dir), fields.Schema(text=fields.TEXT(stored=False)))
    with ix.writer() as writer:
        writer.add_document(text="word canaryfour word")
    found = leaks([tmp_path], [ix_dir], ["canaryone", "canarytwo", "canarythree", "canaryfour", "canaryfive"])
    assert {line.rsplit(": ", 1)[1] for line in found} == {"canaryone", "canarytwo", "canarythree", "canaryfour"}
    assert f"{ix_dir}: canaryfour" in found


# --- a git-backed site: what a commit recorded and a later one removed -----------------------------
# Sensitive values only: an ordinary old value is meant to appear in 修订记录 (承诺时限 10 → 5).
GIT_CANARIES = {"phone": "13787654321", "id": "440304198506172310", "card": "6222021008112345675"}


def test_values_committed_then_removed_reach_no_output(tmp_path: Path):
    from test_history import XK, commit, edit, git

    root = write_site(tmp_path / "county")
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "2025-01-10", "建立测试县权责清单")
    git(root, "tag", "release-2025a")
    phone, id_number, card = GIT_CANARIES.values()
    edit(root, XK, "name: 建设工程规划许可证核发\n", f"name: 建设工程规划许可证核发（咨询 {phone}）\n")
    edit(root, XK, "handled_by: 规划股\n", f'handled_by: 规划股\nfee: "退费账户 {card}，经办人身份证 {id_number}"\n'
                                          f"materials:\n  - 经办人 {phone} 签字的申请表\n")
    commit(root, "2025-02-01", f"补充收费信息（经办人 {phone}，身份证 {id_number}）")
    git(root, "tag", "release-2025b")
    edit(root, XK, f"name: 建设工程规划许可证核发（咨询 {phone}）\n", "name: 建设工程规划许可证核发\n")
    edit(root, XK, f'fee: "退费账户 {card}，经办人身份证 {id_number}"\n', "fee: 不收费\n")
    edit(root, XK, f"  - 经办人 {phone} 签字的申请表\n", "  - 申请表\n")
    commit(root, "2025-03-01", "删除个人信息")
    git(root, "tag", "release-2025c")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    site, index_dir = root / "site", root / ".cache" / "search-index"
    # The history is there (the scan would see a canary): the masked forms are on the pages.
    assert "137****4321" in (site / "units/zrj/powers/ZRJ-XK-001/index.html").read_text(encoding="utf-8")
    assert "137****4321" in (site / "powers/changes/index.html").read_text(encoding="utf-8")
    assert leaks([site], [index_dir], ["137****4321"])
    assert leaks([site], [index_dir], list(GIT_CANARIES.values())) == []
    assert not [line for line in result.output.splitlines() if any(c in line for c in GIT_CANARIES.values())]
    assert (f"{XK}:1:1: warning: 修订记录: 清单动态调整 release-2025a → release-2025b: masked on the page: "
            "手机号码 '137****4321'") in result.output
