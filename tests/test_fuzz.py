"""Fuzz (hypothesis): random front matter and bodies to the loader and `gongkai check`'s logic.

Random YAML types, huge strings, deep nesting, control characters, invalid UTF-8 and other
encodings, BOMs: always located problems or a clean pass, never a traceback or a hang. The
examples are derandomized (the suite is deterministic); each has a deadline. `load_catalog` runs
in-process on a small temp tree (fast); a few real `gongkai check` runs close the loop.

Cases per run: 200 front matters (data), 150 raw front-matter texts, 150 byte strings, 150 bodies,
200 HTML fragments through the sanitiser, plus the fixed cases below.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL_SITE, gongkai_check, write_site
from gongkai.model import load_catalog
from gongkai.guard.sanitizer import TAGS, sanitize
from gongkai.model.schema import LABELS

TODAY = dt.date(2026, 11, 21)
TARGETS = ["content/units/zrj/powers/XK-001.md", "content/units/zrj/unit.md",
           "content/units/zrj/documents/2021-gz.md", "content/units/zrj/notices/2026-gs.md",
           "content/units/zrj/guides/xk-001.md", "content/index.md", "content/units/county/annual-reports/2025.md"]
FUZZ = settings(derandomize=True, deadline=10_000, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# Text with what breaks loaders: control characters, surrogates are impossible in UTF-8 files
# so they are left out, bidi marks, full-width forms, CJK, digits that look like ID numbers.
nasty_text = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
    st.sampled_from(list("\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u202e：〔〕《》★秘密\t\r\n"))),
    max_size=200)
huge_text = st.integers(min_value=10_000, max_value=300_000).map(lambda n: "审" * n)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text, huge_text,
                    st.dates().map(str), st.from_regex(r"1[3-9]\d{9}|\d{17}[\dX]|\d{16,19}", fullmatch=True))
field_names = st.one_of(st.sampled_from(sorted(LABELS) + ["allow", "draft", "disclosure"]), nasty_text)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(field_names, inner, max_size=5)), max_leaves=30)
front_matters = st.dictionaries(field_names, values, max_size=12)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return write_site(tmp_path_factory.mktemp("fuzz") / "site-root")


def assert_located(root: Path, rel: str, raw: bytes) -> list:
    """Write one file, load the tree in-process: no exception, every problem located."""
    path = root / rel
    path.write_bytes(raw)
    try:
        catalog, problems = load_catalog(root / "content", today=TODAY)
    finally:
        path.write_text(SMALL_SITE[rel], encoding="utf-8")
    for problem in problems:
        assert problem.path and problem.line >= 1 and problem.column >= 1, problem
        assert problem.message and "Traceback" not in problem.message
        problem.format()
    return problems


def with_body(front: str, body: str = "正文。\n") -> bytes:
    return f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass")


@settings(FUZZ, max_examples=200)
@given(rel=st.sampled_from(TARGETS), data=front_matters)
def test_random_front_matter_data(tree, rel, data):
    text = yaml.safe_dump(data, allow_unicode=True, width=10**9)
    assert_located(tree, rel, with_body(text))


@settings(FUZZ, max_examples=150)
@given(rel=st.sampled_from(TARGETS), text=st.lists(st.one_of(
    nasty_text, st.sampled_from(["key: [", "- - -", "a: b: c", "&a [*a]", "!!python/object:os.system x",
                                 "? [a]\n: b", "title: |\n  x", "*undefined", "'unclosed", "{a: 1, a: 2}",
                                 "title: 《关于》\ncode: XK-1\ncategory: 行政许可"])), max_size=6).map("\n".join))
def test_random_front_matter_text(tree, rel, text):
    assert_located(tree, rel, with_body(text + "\n"))


@settings(FUZZ, max_examples=150)
@given(rel=st.sampled_from(TARGETS), raw=st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
              st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "latin-1"]),
              st.sampled_from(["---\ntitle: 关于公开的通知\n---\n正文", "---\nname: 測試\n---\n",
                               "---\ncode: A\n---\n秘密★"])).map(
        lambda t: t[0] + t[2].encode(t[1], "replace")),
    st.tuples(st.binary(max_size=50), st.binary(max_size=50)).map(lambda t: b"---\ntitle: " + t[0] + b"\n---\n" + t[1])))
def test_random_bytes(tree, rel, raw):
    assert_located(tree, rel, raw)


@settings(FUZZ, max_examples=150)
@given(rel=st.sampled_from(TARGETS), body=st.one_of(nasty_text, huge_text, st.lists(st.sampled_from([
    "```procedure\ntemplate: x\n```", "```procedure\n- [\n```", "<script>x</script>", "13907861024",
    "身份证 11010519491231002X", "内部资料", "```", "---", "\x00"]), max_size=8).map("\n".join)))
def test_random_bodies(tree, rel, body):
    original = SMALL_SITE[rel]
    if original.startswith("---"):
        front = original.split("---\n", 2)[1]
        assert_located(tree, rel, with_body(front, body))
    else:
        assert_located(tree, rel, body.encode("utf-8"))


dangerous = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="java\tscript:alert(1)">x</a>', "<iframe src=//e.com>",
    '<div style="background:url(//e.com/x)">', "<svg onload=alert(1)>", "<object data=x>", "<embed src=x>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<scr<script>ipt>alert(1)</script>",
    "<!--<script>-->", "<math><mtext><script>x</script>", "<p onclick=x>", "<table><td>1</td>",
    "<details><summary>s", "<sup>2</sup>", "</div>", "<", ">", "&", "\"'", "x"])


@settings(FUZZ, max_examples=200)
@given(st.lists(st.one_of(dangerous, nasty_text), max_size=12).map("".join))
def test_sanitised_html_has_nothing_active(html):
    cleaned, _ = sanitize(html)
    for tag, attrs in start_tags(cleaned):
        assert tag in TAGS, (tag, cleaned)
        for name, value in attrs:
            assert not name.startswith("on"), (name, cleaned)
            compact = re.sub(r"[\s\x00-\x1f]", "", (value or "").lower())
            assert not compact.startswith(("javascript:", "data:", "vbscript:")), (name, cleaned)
            assert "url(" not in compact and "expression(" not in compact, (name, cleaned)
            if tag == "img" and name == "src":
                assert "://" not in compact and not compact.startswith("//"), cleaned


def start_tags(html: str) -> list[tuple[str, list]]:
    """Every start tag a browser-like parser sees in a fragment."""
    from html.parser import HTMLParser

    found: list[tuple[str, list]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    parser = Collect()
    parser.feed(html)
    parser.close()
    return found


# --- fixed cases: the extremes, and real CLI runs ----------------------------------------------

def test_deep_nesting_and_huge_values(tree):
    for depth in (60, 1000, 5000):
        problems = assert_located(tree, TARGETS[0], with_body("title: " + "[" * depth + "]" * depth + "\n"))
        assert problems
        problems = assert_located(tree, TARGETS[0], with_body("a:\n" + "".join("  " * i + "b:\n" for i in range(1, depth // 10))))
        assert problems
    # A long body within the limits is fine; one past them (a line of 2,000,000) is a located error.
    big = "权" * 190_000
    problems = assert_located(tree, TARGETS[2], with_body(SMALL_SITE[TARGETS[2]].split("---\n")[1], big))
    assert not [p for p in problems if p.severity.value == "error"]
    problems = assert_located(tree, TARGETS[2], with_body(SMALL_SITE[TARGETS[2]].split("---\n")[1], big * 11))
    assert [p for p in problems if "over the limit of 200,000" in p.message]
    # A billion laughs: aliases are expanded by reference, not copied; the loader stays small.
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    assert assert_located(tree, TARGETS[0], with_body(laughs))


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf---\ncode: ZRJ-XK-001\nname: \xe5\xbb\xba\n---\n",
    "---\ntitle: 关于\n---\n".encode("gb18030"),
    b"---\n\x00\x01\x02\n---\n",
    b"---\ntitle: [[[[[[\n---\n",
    b"\xff\xfe-\x00-\x00-\x00",
])
def test_real_check_runs(tmp_path, raw):
    root = write_site(tmp_path / "site-root")
    (root / TARGETS[0]).write_bytes(raw)
    result = gongkai_check(root)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert re.search(rf"^{re.escape(TARGETS[0])}:\d+:\d+: error: ", result.stdout, re.M), result.output
    shutil.rmtree(root)
