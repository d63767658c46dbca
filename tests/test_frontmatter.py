"""The front-matter loader: positions of every field, and every way a file can be wrong."""

import pytest

from gongkai.model.primitives.frontmatter import parse_content

PATH = "content/units/zrj/powers/XK-001.md"

GOOD = """\
---
code: ZRJ-XK-001
name: 建设工程规划许可证核发
category: 行政许可
basis:
  - law: 中华人民共和国城乡规划法
    article: 第四十条
statutory_limit: 20
published: 2021-05-20
---
正文第一行。
"""


def load(text, encoding="utf-8"):
    raw = text.encode(encoding) if isinstance(text, str) else text
    return parse_content(raw, PATH)


def only_problem(text_or_bytes):
    content, problems = load(text_or_bytes)
    assert content is None
    assert len(problems) == 1, problems
    return problems[0]


def test_data_body_and_positions():
    content, problems = load(GOOD)
    assert problems == []
    assert content.data["code"] == "ZRJ-XK-001"
    assert content.data["basis"] == [{"law": "中华人民共和国城乡规划法", "article": "第四十条"}]
    assert content.data["statutory_limit"] == 20
    # Dates stay text: our own parser reads them (YAML's would turn 2021-02-30 into an error).
    assert content.data["published"] == "2021-05-20"
    assert content.body == "正文第一行。\n"
    assert content.source.body_line == 11
    where = content.source.where
    assert where("code") == (2, 7)             # the value, not the key
    assert where("name") == (3, 7)
    assert where("category") == (4, 11)
    assert where("basis") == (6, 3)
    assert where("basis", 0) == (6, 5)
    assert where("basis", 0, "law") == (6, 10)
    assert where("basis", 0, "article") == (7, 14)
    assert where("statutory_limit") == (8, 18)
    # An absent field falls back to its nearest enclosing one, then to the start of the YAML.
    assert where("basis", 0, "level") == (6, 5)
    assert where("nonexistent") == (2, 1)


def test_impossible_date_is_kept_as_text():
    content, problems = load("---\npublished: 2021-02-30\n---\n")
    assert problems == []
    assert content.data["published"] == "2021-02-30"


def test_problem_format_is_compiler_style():
    content, _ = load(GOOD)
    problem = content.source.problem(("category",), "'x' is not a power category", "did you mean 行政许可?")
    assert problem.format() == f"{PATH}:4:11: error: category: 'x' is not a power category; did you mean 行政许可?"


def test_duplicate_key_is_reported_at_the_second_key():
    content, problems = load("---\ncode: A-1\nname: 第一\nname: 第二\n---\n")
    assert content is not None  # the rest of the file is still checked
    assert content.data["name"] == "第一"
    assert [(p.line, p.column, p.field) for p in problems] == [(4, 1, "name")]
    assert problems[0].message == "duplicate field (first given on line 3)"


def test_nested_duplicate_key():
    _, problems = load("---\nbasis:\n  - law: 甲法\n    law: 乙法\n---\n")
    assert [(p.line, p.column, p.field) for p in problems] == [(4, 5, "basis.0.law")]
    assert "first given on line 3" in problems[0].message


def test_bom_and_crlf_are_accepted():
    raw = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8")
    content, problems = load(raw)
    assert problems == []
    assert content.data["name"] == "建设工程规划许可证核发"
    assert content.body == "正文第一行。\n"
    assert content.source.where("category") == (4, 11)


def test_old_mac_line_endings_are_accepted():
    content, problems = load(GOOD.replace("\n", "\r").encode("utf-8"))
    assert problems == []
    assert content.source.where("category") == (4, 11)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_non_utf8_names_the_encoding(encoding):
    problem = only_problem(GOOD.encode(encoding))
    # The first byte that is not UTF-8 is the first byte of 建 on line 3, after 'name: '.
    assert (problem.line, problem.column) == (3, 7)
    assert "not valid UTF-8" in problem.message
    assert "GB18030" in problem.hint
    assert "UTF-8" in problem.hint


def test_utf16_is_named():
    problem = only_problem(GOOD.encode("utf-16"))
    assert "not valid UTF-8" in problem.message
    assert "save the file as UTF-8" in problem.hint


@pytest.mark.parametrize("text", ["", "\n\n", "   \r\n", "\xef\xbb\xbf"])
def test_empty_file(text):
    raw = text.encode("latin-1") if text == "\xef\xbb\xbf" else text.encode()
    problem = only_problem(raw)
    assert problem.message == "file is empty"
    assert (problem.line, problem.column) == (1, 1)


def test_missing_front_matter():
    problem = only_problem("code: A-1\nname: 没有分隔线\n")
    assert problem.message == "missing front matter"
    assert (problem.line, problem.column) == (1, 1)
    assert "---" in problem.hint


def test_unclosed_front_matter():
    problem = only_problem("---\ncode: A-1\nname: 没有结束\n正文\n")
    assert problem.message == "front matter is not closed"
    assert "---" in problem.hint


def test_empty_front_matter():
    problem = only_problem("---\n---\n正文\n")
    assert problem.message == "front matter is empty"
    assert (problem.line, problem.column) == (2, 1)


def test_front_matter_that_is_not_fields():
    problem = only_problem("---\n- 一\n- 二\n---\n")
    assert "field: value" in problem.message


@pytest.mark.parametrize("text, line, column", [
    # 'mapping values are not allowed here' at the second ':' of line 3
    ("---\ncode: A-1\nname: 名称: 错误\n---\n", 3, 9),
    # an unclosed flow sequence: the error is found where the next token is
    ("---\ncode: A-1\nname: [未闭合\ncategory: 行政许可\n---\n", 4, 9),
    # a tab cannot start a token
    ("---\ncode: A-1\nbasis:\n\t- law: 法\n---\n", 4, 1),
])
def test_malformed_yaml_is_located(text, line, column):
    problem = only_problem(text)
    assert problem.message.startswith("malformed YAML: ")
    assert (problem.line, problem.column) == (line, column)
    assert problem.format().startswith(f"{PATH}:{line}:{column}: error: malformed YAML: ")


def test_malformed_yaml_after_bom_and_crlf_is_located_the_same():
    raw = b"\xef\xbb\xbf" + "---\r\ncode: A-1\r\nname: 名称: 错误\r\n---\r\n".encode()
    problem = only_problem(raw)
    assert (problem.line, problem.column) == (3, 9)


def test_nul_bytes_are_rejected():
    problem = only_problem(b"---\ncode: A\x00\n---\n")
    assert "NUL" in problem.message


def test_deep_nesting_is_reported_not_crashed():
    deep = "---\nx: " + "[" * 60 + "]" * 60 + "\n---\n"
    content, problems = load(deep)
    assert any("too deep" in p.message for p in problems)


def test_non_text_field_name():
    content, problems = load("---\n[a, b]: 1\ncode: A\n---\n")
    assert any(p.message == "a field name must be plain text" and p.line == 2 for p in problems)
