"""Bad content, each case through both `gongkai check` and `mkdocs build`.

Every case starts from the small valid site of conftest.py with a good site/ already built in it,
breaks one thing, and asserts: the problem is reported compiler style with its exact position,
the exit code, no traceback, and (for errors) that the last good site/ is byte-identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import SMALL_SITE, commit_site, gongkai_check, mkdocs_build, tree_hashes

XK = "content/units/zrj/powers/XK-001.md"
CF = "content/units/zrj/powers/CF-001.md"
DOC = "content/units/zrj/documents/2021-gz.md"
ZRJ = "content/units/zrj/unit.md"
GUIDE = "content/units/zrj/guides/xk-001.md"

LOCATED = re.compile(r"^content/[^:\s]+:\d+:\d+: (error|warning): ")


def replace_line(rel: str, line: int, new: str) -> str:
    """The small site's file rel (or a text) with its line (1-based) replaced."""
    lines = SMALL_SITE.get(rel, rel).split("\n")
    assert line <= len(lines)
    lines[line - 1] = new
    return "\n".join(lines)


def insert_line(rel: str, line: int, new: str) -> str:
    """The small site's file rel with a line inserted so that it becomes line `line`."""
    lines = SMALL_SITE[rel].split("\n")
    lines.insert(line - 1, new)
    return "\n".join(lines)


@dataclass
class Case:
    id: str
    writes: dict[str, str | bytes]
    expected: list[str]  # whole output lines (problem.format()) or, ending in '…', line prefixes
    warning_only: bool = False
    errors: int = 1
    extra: list[str] = field(default_factory=list)  # substrings that must appear too


CASES = [
    Case("malformed-yaml",
         {XK: replace_line(XK, 3, "name: 建设工程: 规划许可")},
         [f"{XK}:3:11: error: malformed YAML: mapping values are not allowed…"]),
    Case("missing-front-matter",
         {CF: SMALL_SITE[CF].replace("---\n", "")},
         [f"{CF}:1:1: error: missing front matter…"]),
    Case("unknown-category",
         {XK: replace_line(XK, 4, "category: 行政许可证")},
         [f"{XK}:4:11: error: category: '行政许可证' is not a power category; did you mean 行政许可?"]),
    Case("duplicate-code",
         {"content/units/zrj/powers/XK-002.md": replace_line(XK, 3, "name: 另一个事项")},
         ["content/units/zrj/powers/XK-002.md:2:7: error: code: duplicate code 'ZRJ-XK-001', "
          f"first used in {XK}…"]),
    Case("unknown-unit-issuer",
         {DOC: insert_line(DOC, 5, "issuers: [zrj, zrjj]")},
         [f"{DOC}:5:16: error: issuers.1: unknown unit 'zrjj'; did you mean zrj?"]),
    Case("unknown-unit-parent",
         {ZRJ: replace_line(ZRJ, 6, "parents: [countyy]")},
         [f"{ZRJ}:6:11: error: parents.0: unknown unit 'countyy'; did you mean county?"]),
    Case("invalid-date",
         {DOC: replace_line(DOC, 5, "published: 2021年2月30日")},
         [f"{DOC}:5:12: error: published: '2021年2月30日' is not a date: 2021年2月 has 28 days; "
          "write a date as 2021-05-20 or 2021年5月20日"]),
    Case("invalid-chinese-date",
         {DOC: replace_line(DOC, 5, "published: 二〇二一年二月三十日")},
         [f"{DOC}:5:12: error: published: '二〇二一年二月三十日' is not a date: 2021年2月 has 28 days…"]),
    Case("garbage-chinese-date",
         {DOC: replace_line(DOC, 5, "published: 二〇二一年五月十十日")},
         [f"{DOC}:5:12: error: published: '二〇二一年五月十十日' is not a date…"]),
    Case("promised-over-statutory",
         {XK: replace_line(XK, 11, "promised_limit: 30")},
         [f"{XK}:11:17: error: promised_limit: 承诺时限 30 working days is longer than 法定时限 20…"]),
    Case("promised-over-statutory-guide",
         {GUIDE: insert_line(GUIDE, 5, "statutory_limit: 5")},
         [f"{GUIDE}:6:17: error: promised_limit: 承诺时限 10 working days is longer than 法定时限 5…"]),
    Case("empty-item-file",
         {CF: ""},
         [f"{CF}:1:1: error: file is empty…"]),
    Case("non-utf8-file",
         {CF: SMALL_SITE[CF].encode("gb18030")},
         [f"{CF}:3:7: error: file is not valid UTF-8: byte 0xb6 cannot be decoded; "
          "it looks like GB18030; save the file as UTF-8"]),
    Case("unknown-field",
         {XK: replace_line(XK, 9, "handle_by: 规划股")},
         [f"{XK}:9:12: error: handle_by: unknown field 'handle_by'; did you mean handled_by?"]),
    Case("unknown-field-chinese-label",
         {XK: insert_line(XK, 12, "事项编码: ZRJ-XK-001")},
         [f"{XK}:12:7: error: 事项编码: unknown field '事项编码'; did you mean code?"]),
    Case("duplicate-yaml-key",
         {XK: replace_line(XK, 9, "name: 重复的名称")},
         [f"{XK}:9:1: error: name: duplicate field (first given on line 3); "
          "keep one of them; YAML would silently use the last"]),
    Case("unknown-document-in-supersedes",
         {DOC: insert_line(DOC, 6, "supersedes: [测自然资发〔2019〕8号]")},
         [f"{DOC}:6:14: error: supersedes.0: unknown document '测自然资发〔2019〕8号'…"]),
    Case("unknown-power-in-guide",
         {GUIDE: replace_line(GUIDE, 3, "power: ZRJ-XK-01")},
         [f"{GUIDE}:3:8: error: power: unknown power item 'ZRJ-XK-01'; did you mean ZRJ-XK-001?"]),
    Case("missing-required-field",
         {CF: SMALL_SITE[CF].replace("category: 行政处罚\n", "")},
         [f"{CF}:2:1: error: category: required field is missing; add 'category:' (权力类型)"]),
    Case("malformed-unit-file-of-a-unit-with-items",
         {ZRJ: replace_line(ZRJ, 2, "name: [测试县自然资源局")},
         [f"{ZRJ}:3:11: error: malformed YAML: …"]),
    Case("unknown-unit-type",
         {ZRJ: replace_line(ZRJ, 4, "type: 县直部们")},
         [f"{ZRJ}:4:7: error: type: '县直部们' is not a unit type; did you mean 县直部门?"]),
    Case("malformed-unit-types-vocabulary",
         {"content/_vocab/unit-types.yml": "- 县人民政府\n- 县直部门: 错: 误\n"},
         ["content/_vocab/unit-types.yml:2:10: error: …"]),
    Case("doc-no-square-brackets",
         {DOC: replace_line(DOC, 3, "doc_no: 测自然资发[2021]3号")},
         [f"{DOC}:3:9: warning: doc_no: '测自然资发[2021]3号' is not written in the standard form; "
          "write 测自然资发〔2021〕3号"],
         warning_only=True),
]


def apply(root: Path, case: Case) -> None:
    for rel, content in case.writes.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def assert_reported(output: str, expected: list[str]) -> None:
    lines = [re.sub(r"^(ERROR|WARNING) +- +", "", line) for line in output.splitlines()]
    for want in expected:
        if want.endswith("…"):
            assert any(line.startswith(want[:-1]) for line in lines), f"no line starts with {want!r}:\n{output}"
        else:
            assert want in lines, f"no line {want!r} in:\n{output}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_reports(case: Case, small_site: Path):
    apply(small_site, case)
    result = gongkai_check(small_site)
    assert "Traceback" not in result.output
    assert result.returncode == (0 if case.warning_only else 1), result.output
    assert_reported(result.stdout, case.expected)
    problem_lines = result.stdout.splitlines()
    assert problem_lines, result.output
    for line in problem_lines:
        assert LOCATED.match(line), f"not a located problem: {line!r}"
    if not case.warning_only:
        assert "error(s)" in result.stderr
        assert not re.search(r"\b0 error\(s\)", result.stderr), result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_mkdocs_build_reports_and_keeps_the_last_good_site(case: Case, small_site: Path):
    site = small_site / "site"
    before = tree_hashes(site)
    assert "index.html" in before and len(before) > 10
    apply(small_site, case)
    result = mkdocs_build(small_site)
    assert "Traceback" not in result.output
    assert_reported(result.output, case.expected)
    if case.warning_only:
        assert result.returncode == 0, result.output
        assert (site / "units/zrj/documents/2021/2021-gz/index.html").is_file()
        return
    assert result.returncode != 0, result.output
    assert "Gongkai: the content has" in result.output
    assert tree_hashes(site) == before, "a failed build changed the last good site/"
    assert not (small_site / "site.building").exists()
    assert not (small_site / "site.previous").exists()


def test_every_problem_at_once(small_site: Path):
    """Two broken files (and a third problem in one of them): everything in one run."""
    apply(small_site, Case("two", {
        XK: replace_line(replace_line(XK, 4, "category: 行政许可证"), 11, "promised_limit: 30"),
        DOC: replace_line(DOC, 5, "published: 2021年2月30日"),
    }, []))
    expected = [
        f"{DOC}:5:12: error: published: '2021年2月30日' is not a date…",
        f"{XK}:4:11: error: category: '行政许可证' is not a power category…",
    ]
    check = gongkai_check(small_site)
    assert check.returncode == 1
    assert_reported(check.stdout, expected)
    assert "Traceback" not in check.output
    before = tree_hashes(small_site / "site")
    build = mkdocs_build(small_site)
    assert build.returncode != 0
    assert_reported(build.output, expected)
    assert "Traceback" not in build.output
    assert tree_hashes(small_site / "site") == before


def test_every_problem_at_once_with_an_unreadable_file(small_site: Path):
    """A file that cannot be read at all does not hide the problems of the others."""
    apply(small_site, Case("two", {
        CF: SMALL_SITE[CF].encode("gb18030"),
        XK: replace_line(XK, 4, "category: 行政许可证"),
        "content/units/zrj/powers/QT-001.md": "",
    }, []))
    check = gongkai_check(small_site)
    assert check.returncode == 1
    assert_reported(check.stdout, [
        f"{CF}:3:7: error: file is not valid UTF-8…",
        f"{XK}:4:11: error: category: '行政许可证' is not a power category…",
        "content/units/zrj/powers/QT-001.md:1:1: error: file is empty…",
    ])


def test_problems_are_sorted_by_file_and_line(small_site: Path):
    commit_site(small_site)  # every page dated: only the problems below
    apply(small_site, Case("sorted", {
        XK: replace_line(replace_line(XK, 11, "promised_limit: 30"), 9, "handle_by: 规划股"),
        CF: "",
    }, []))
    result = gongkai_check(small_site)
    lines = result.stdout.splitlines()
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == [(CF, 1), (XK, 9), (XK, 11)], result.stdout
    assert "3 error(s)" in result.stderr


def test_failed_build_without_previous_site_writes_nothing(fresh_site: Path):
    apply(fresh_site, CASES[0])
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    assert not (fresh_site / "site").exists()
    assert not (fresh_site / "site.building").exists()


def test_good_site_checks_clean(fresh_site: Path):
    commit_site(fresh_site)  # in git, as a county's content is: every page is dated
    result = gongkai_check(fresh_site)
    assert result.returncode == 0, result.output
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_fixing_the_content_builds_again(small_site: Path):
    """After a failed build, the fixed content builds and replaces site/."""
    apply(small_site, CASES[0])
    assert mkdocs_build(small_site).returncode != 0
    apply(small_site, Case("fixed", {XK: replace_line(XK, 3, "name: 建设工程规划许可（修订）")}, []))
    result = mkdocs_build(small_site)
    assert result.returncode == 0, result.output
    page = (small_site / "site/units/zrj/powers/ZRJ-XK-001/index.html").read_text(encoding="utf-8")
    assert "建设工程规划许可（修订）" in page
    assert not (small_site / "site.building").exists()
    assert not (small_site / "site.previous").exists()
