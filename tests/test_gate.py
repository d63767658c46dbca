"""The egress gate: values that markup hides from the source scan are stopped at the outputs.

Each split value is planted in a published page of the small site, where `gongkai check` (the
source scan) cannot see it; the build must fail, name the source file and line, and leave the
previous site/ and archive index as they were. The gate's reader is also tried on each kind of
output file directly (pages, search records, open data, sitemap, office files), and on what was
published on purpose (a public contact's mobile, an allowed finding), which must pass.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import GONGKAI, SMALL_SITE, gongkai_check, mkdocs_build, run, tree_hashes

from gongkai.gate.inspect import Gate

ITEM = "content/units/zrj/powers/XK-001.md"
ID = "330102199001012341"  # a valid check digit: an ID number to the rules
MOBILE = "13800001234"


# (what the editor wrote in the body, the rule the gate must name)
SPLIT_VALUES = {
    "id-emphasis": (f"证号 {ID[:4]}**{ID[4:6]}**{ID[6:]}", "居民身份证号"),
    "id-comment": (f"证号 {ID[:8]}<!-- 备注 -->{ID[8:]}", "居民身份证号"),
    "id-zero-width": (f"证号 {ID[:6]}\u200b{ID[6:12]}\u2060{ID[12:]}", "居民身份证号"),
    "mobile-reference": (f"手机 {MOBILE[:3]}&#{ord(MOBILE[3])};{MOBILE[4:]}", "手机号码"),
    "mobile-hex-reference": (f"手机 &#x31;{MOBILE[1:]}", "手机号码"),
    "card-emphasis": ("卡号 6222*0212*3456*7890*128", "银行卡号"),
    "marking-empty-tag": ("机<b></b>密★", "密级标志"),
    "marking-reference": ("机&#23494;★", "密级标志"),
    "marking-emphasis": ("**机密**★", "密级标志"),
    "marking-heading": ("# 秘密", "密级标志"),
    # Tags the sanitiser keeps that a browser shows inline, and invisible characters outside Cf.
    "id-tt": (f"证号 {ID[:10]}<tt></tt>{ID[10:]}", "居民身份证号"),
    "id-strike": (f"证号 {ID[:10]}<strike></strike>{ID[10:]}", "居民身份证号"),
    "id-grapheme-joiner": (f"证号 {ID[:10]}\u034f{ID[10:]}", "居民身份证号"),
    "mobile-variation-selector": (f"手机 {MOBILE[:7]}\ufe0f{MOBILE[7:]}", "手机号码"),
    "marking-tt": ("秘<tt>密</tt>★1年", "密级标志"),
}


def test_each_split_value_is_hidden_from_the_source_scan(fresh_site: Path):
    """The premise: the source scan passes them all (else the gate would never be reached)."""
    body = "\n\n".join(text for text, _ in SPLIT_VALUES.values())
    (fresh_site / ITEM).write_text(SMALL_SITE[ITEM] + body + "\n", encoding="utf-8")
    result = gongkai_check(fresh_site)
    assert result.returncode == 0, result.output


@pytest.mark.parametrize("case", sorted(SPLIT_VALUES))
def test_a_split_value_fails_the_build_and_nothing_is_published(small_site: Path, case: str):
    text, rule = SPLIT_VALUES[case]
    before = tree_hashes(small_site / "site")
    index_before = tree_hashes(small_site / ".cache" / "search-index")
    (small_site / ITEM).write_text(SMALL_SITE[ITEM] + "\n" + text + "\n", encoding="utf-8")
    result = mkdocs_build(small_site)
    assert result.returncode != 0, result.output
    assert "egress gate" in result.output
    line = len(SMALL_SITE[ITEM].split("\n")) + 1  # the line the value was written on
    assert f"{ITEM}:{line}:1: error:" in result.output, result.output
    assert rule in result.output
    assert ID not in result.output and MOBILE not in result.output  # reports mask what they quote
    assert tree_hashes(small_site / "site") == before
    assert tree_hashes(small_site / ".cache" / "search-index") == index_before
    assert not (small_site / "site.building").exists()


def test_a_binary_front_matter_value_is_judged_as_the_text_it_becomes(fresh_site: Path):
    item = SMALL_SITE[ITEM].replace("promised_limit: 10\n", "promised_limit: 10\nfee: !!binary MTM4MDAwMDEyMzQ=\n")
    (fresh_site / ITEM).write_text(item, encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    assert "手机号码 '138****1234'" in result.output
    assert not (fresh_site / "site").exists()


def test_text_of_the_site_itself_is_judged_too(fresh_site: Path):
    """Not only content: mkdocs.yml's texts reach every page."""
    config = fresh_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"copyright: 值班手机 {MOBILE}\n", encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    assert "site/index.html" in result.output and "手机号码 '138****1234'" in result.output
    assert "nothing in content/ holds it" in result.output


def test_what_is_published_on_purpose_passes(fresh_site: Path):
    """A unit's public contact mobile shows on its pages, an allowed finding in a body too."""
    unit = "content/units/zrj/unit.md"
    (fresh_site / unit).write_text(SMALL_SITE[unit].replace("phone: 0000-1234567", f"phone: '{MOBILE}'"),
                                   encoding="utf-8")
    item = SMALL_SITE[ITEM].replace("---\n可在", "allow:\n  - {rule: 手机号码, match: '139****0148', "
                                    "reason: 法律援助值班手机}\n---\n可在").replace("可在网上办理。", "值班 13907860148。")
    (fresh_site / ITEM).write_text(item, encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode == 0, result.output
    page = (fresh_site / "site/units/zrj/powers/ZRJ-XK-001/index.html").read_text(encoding="utf-8")
    assert MOBILE in page and "13907860148" in page


def test_a_leak_stops_the_export_before_the_bundle_is_written(fresh_site: Path):
    (fresh_site / ITEM).write_text(SMALL_SITE[ITEM] + "\n" + SPLIT_VALUES["id-comment"][0] + "\n", encoding="utf-8")
    target = fresh_site / "out.zip"
    result = run([GONGKAI, "export", "-o", str(target), "--config", str(fresh_site / "mkdocs.yml")], cwd=fresh_site)
    assert result.returncode != 0
    assert "egress gate" in result.output
    assert not target.exists() and not list(fresh_site.glob(".out.zip*"))


# --- the reader of each kind of output --------------------------------------------------------------
def _gate() -> Gate:
    return Gate(published={("手机号码", "13907860148")}, origins={"a/index.html": "content/a.md"},
                content_parent=Path("/nonexistent"))


def _xlsx(value: str) -> bytes:
    book = Workbook()
    book.active.append(["名称", value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


OUTPUTS = {
    "a/index.html": "<p>1380000<!-- -->1234</p><p>13907860148</p>".encode(),
    "b/index.html": f'<p><img alt="{ID[:9]}&#8203;{ID[9:]}"></p>'.encode(),
    "data/powers.json": json.dumps([{"fee": f"手机 {MOBILE}"}], ensure_ascii=False).encode(),
    "data/powers.csv": f"名称,电话\n事项,{MOBILE}\n".encode("utf-8-sig"),
    "data/powers.xlsx": _xlsx(ID),
    "sitemap.xml.gz": gzip.compress(f"<urlset><url><loc>https://x/{MOBILE}/</loc></url></urlset>".encode()),
    "memo.txt": "注意保管\n".encode("gb18030"),
}


@pytest.mark.parametrize("rel", sorted(OUTPUTS))
def test_every_kind_of_output_is_read_as_its_reader_receives_it(tmp_path: Path, rel: str):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(OUTPUTS[rel])
    problems = _gate().inspect_directory(tmp_path, "site")
    assert len(problems) == 1, [p.format() for p in problems]
    assert "reaches site/" + rel in problems[0].message
    if rel == "a/index.html":
        assert problems[0].path == "content/a.md"  # mapped back to its source
    else:
        assert problems[0].path == "site/" + rel


def test_files_without_text_and_script_twins_are_not_read(tmp_path: Path):
    (tmp_path / "search/data/p").mkdir(parents=True)
    (tmp_path / "search/data/p/0.bin").write_bytes(MOBILE.encode())
    (tmp_path / "search/data/p/0.js").write_text(f'gongkaiSearchFile("p/0.bin","{MOBILE}")', encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(MOBILE.encode())
    (tmp_path / "search/data/r/0").mkdir(parents=True)  # judged as search records, before written
    (tmp_path / "search/data/r/0/1.json").write_text(json.dumps({"x": MOBILE}), encoding="utf-8")
    assert _gate().inspect_directory(tmp_path, "site") == []


@pytest.mark.parametrize("rel", ["content/units/zrj/unit.md", "content/units/zrj/guides/xk-001.md",
                                 "content/units/zrj/documents/2021-gz.md", "content/units/zrj/notices/2026-gs.md",
                                 "content/index.md"])
def test_every_kind_of_content_is_judged(fresh_site: Path, rel: str):
    (fresh_site / rel).write_text(SMALL_SITE[rel] + "\n" + SPLIT_VALUES["id-comment"][0] + "\n", encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    assert f"{rel}:" in result.output and "居民身份证号 '3301**********2341'" in result.output
    assert not (fresh_site / "site").exists()


def test_what_a_page_drops_reaches_no_index(fresh_site: Path):
    """An editor's internal note in a comment, a Markdown comment or a script is not on the page:
    it is in neither search index."""
    notes = ("<!-- 内部备注 canaryhtmlnote -->\n\n[//]: # (canarymarkdownnote)\n\n"
             "<script>var canaryscriptnote = 1;</script>\n\n可在网上办理 canaryvisibleword。\n")
    (fresh_site / ITEM).write_text(SMALL_SITE[ITEM] + notes, encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode == 0, result.output
    from gongkai.search.archive import Archive

    archive = Archive(fresh_site / ".cache" / "search-index")
    try:
        assert archive.search("canaryvisibleword")["total"] == 1  # the index has the page's words
        for note in ("canaryhtmlnote", "canarymarkdownnote", "canaryscriptnote"):
            assert archive.search(note)["total"] == 0, note
    finally:
        archive.close()
    for path in (fresh_site / "site").rglob("*"):
        if path.is_file() and path.suffix in (".json", ".bin", ".js", ".html", ".xml"):
            data = path.read_bytes()
            for note in (b"canaryhtmlnote", b"canarymarkdownnote", b"canaryscriptnote"):
                assert note not in data, (path, note)


def test_a_symbolic_link_among_the_outputs_is_refused(tmp_path: Path):
    (tmp_path / "secret").write_text("token", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "env.txt").symlink_to(tmp_path / "secret")
    problems = _gate().inspect_directory(site, "site")
    assert [p.path for p in problems] == ["site/env.txt"] and "symbolic link" in problems[0].message


@pytest.mark.parametrize("name", ["附件.html", "图.svg", "样式.xml", "脚本.js"])
def test_files_a_browser_would_run_are_refused_wherever_they_are(fresh_site: Path, name: str):
    """An attachment, a file a body links and a static file of a kind a browser runs (HTML, SVG,
    XML, scripts) would run as the site's own: refused, never published."""
    doc = "content/units/zrj/documents/2021-gz.md"
    script = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    for folder in ("content/units/zrj/documents", "content/files"):
        (fresh_site / folder).mkdir(parents=True, exist_ok=True)
        (fresh_site / folder / name).write_text(script, encoding="utf-8")
    (fresh_site / doc).write_text(SMALL_SITE[doc].replace("published: 2021-05-20\n", f"published: 2021-05-20\n"
                                  f"attachments:\n  - {{title: 附件, file: {name}}}\n"), encoding="utf-8")
    check = gongkai_check(fresh_site)
    assert check.returncode == 1
    for folder in ("content/units/zrj/documents", "content/files"):
        assert f"{folder}/{name}:1:1: error: a .{name.rsplit('.', 1)[1]} file runs in the reader's browser" in check.stdout
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0 and not (fresh_site / "site").exists()


def test_a_damaged_gz_is_judged_as_a_reader_inflates_it():
    """Bytes after the end of a gzip member make gzip.decompress refuse it, while a browser or
    `curl --compressed` shows what inflates: that is what is judged."""
    from gongkai.gate.outputs import reader_pieces

    data = gzip.compress(f"申请人身份证号{ID}。".encode()) + b"JUNKJUNK"
    texts = [text for _, text in reader_pieces("files/report.txt.gz", data)]
    assert any(ID in text for text in texts)
    assert Gate(set(), {}, Path(".")).leaks("\n".join(texts))


@pytest.mark.parametrize("name", ["index.html.gz", "assets/javascripts/gongkai.js.gz", "files/data.csv.gz"])
def test_a_compressed_file_in_the_content_is_refused(fresh_site: Path, name: str):
    """nginx's gzip_static would send it in place of the site's own page or script of its name."""
    path = fresh_site / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(b"<script>document.title='x'</script>"))
    result = gongkai_check(fresh_site)
    assert result.returncode == 1 and "is sent by web servers in place of the file of its name" in result.output
