"""Files saved by Windows editors: UTF-8 with a BOM and CRLF line ends are fine everywhere."""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_SITE, commit_site, gongkai_check, mkdocs_build, tree_hashes


def to_windows(root: Path) -> None:
    for rel, text in SMALL_SITE.items():
        (root / rel).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def test_bom_and_crlf_pass_check(fresh_site: Path):
    to_windows(fresh_site)
    assert (fresh_site / "content/units/zrj/unit.md").read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    commit_site(fresh_site)  # in git, as a county's content is: every page is dated
    result = gongkai_check(fresh_site)
    assert result.returncode == 0, result.output
    assert result.stdout == ""
    assert "2 个单位, 4 项权责事项, 1 个办事指南, 1 份文件, 1 条公示公告, 0 份公开指南, 1 份年度报告, 0 件执法决定, 0 份执法人员名单; 0 error(s), 0 warning(s)" in result.stderr


def test_bom_and_crlf_build_the_same_pages(fresh_site: Path, built_small_site: Path):
    to_windows(fresh_site)
    result = mkdocs_build(fresh_site)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    windows = tree_hashes(fresh_site / "site")
    unix = tree_hashes(built_small_site / "site")
    assert set(windows) == set(unix)
    pages = [p for p in unix if p.startswith("units/") and p.endswith(".html")]
    assert len(pages) >= 8
    # The record pages come from the front matter and the body: identical bytes either way.
    for page in pages:
        assert windows[page] == unix[page], page
    item = (fresh_site / "site/units/zrj/powers/ZRJ-XK-001/index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in item and "\r" not in item
    assert "建设工程规划许可证核发" in item


def test_positions_in_a_windows_file(fresh_site: Path):
    rel = "content/units/zrj/powers/XK-001.md"
    text = SMALL_SITE[rel].replace("category: 行政许可", "category: 行政许可证")
    (fresh_site / rel).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = gongkai_check(fresh_site)
    assert result.returncode == 1
    assert f"{rel}:4:11: error: category: '行政许可证' is not a power category; did you mean 行政许可?" in result.stdout.splitlines()
