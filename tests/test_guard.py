"""Safe HTML: the author's raw HTML is sanitised (nh3) in a real build; our own markup is not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SMALL_SITE, mkdocs_build, write_site
from gongkai.guard.sanitizer import sanitize, sanitize_tag

GUIDE = "content/units/zrj/guides/xk-001.md"
BODY = """\
## 办理须知

<script>alert("x")</script>

<iframe src="https://example.com/"></iframe>

<object data="x.swf"></object><embed src="x.swf">

<p style="background: url(https://example.com/t.png)" onclick="steal()">带样式的段落</p>

<p><a href="javascript:alert(1)">脚本链接</a> <a href="data:text/html,x">数据链接</a> <a href="../../">本站链接</a></p>

<img src="https://example.com/track.png" alt="外站图片"> <img src="../../assets/seal.png" alt="本站图片" onerror="x()">

<table><thead><tr><th>材料</th><th>份数</th></tr></thead><tbody><tr><td>申请表</td><td>1</td></tr></tbody></table>

<details><summary>收费依据</summary><p>不收费</p></details>

面积10<sup>4</sup>平方米，H<sub>2</sub>O，<span style="color: red" onmouseover="x()">重点</span>。

[恶意链接](javascript:alert(2)) ![外站](https://example.com/x.png)

```procedure
template: 依申请办理
```
"""

# A free page: markup in its title, and attributes written by attr_list or hidden in entities.
NOTICE = """\
---
title: 通知<img src=/x onerror=alert(1)>
description: 说明"><script>alert(2)</script>
---
# 标题 {: onmouseover="alert(3)" }

[咨询](/x/){: onclick="alert(4)" }

带背景的段落
{: style="background:url(http://example.com/t.png)" }

[办理](javascript&#58;alert(document.domain)) [二](java&#x09;script:alert(5)) [三][r] [本站](../about/){: .gk-x }

[r]: vbscript&#58;x
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    root = write_site(tmp_path_factory.mktemp("guard") / "site-root")
    (root / GUIDE).write_text(SMALL_SITE[GUIDE] + BODY, encoding="utf-8")
    (root / "content/_procedures").mkdir(exist_ok=True)
    (root / "content/_procedures/banjian.yml").write_text(
        (Path(__file__).resolve().parents[1] / "content/_procedures/banjian.yml").read_text(encoding="utf-8"),
        encoding="utf-8")
    (root / "content/about.md").write_text("---\ntitle: 关于\n---\n# 关于\n\n<p onclick=\"x()\">本站</p>\n",
                                           encoding="utf-8")
    (root / "content/tz.md").write_text(NOTICE, encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    return root, result.output


def article(root: Path, page: str) -> str:
    html = (root / "site" / page / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_dangerous_html_is_removed(built):
    root, _ = built
    html = article(root, "units/zrj/guides/xk-001")
    for gone in ("<script", "alert(", "<iframe", "<object", "<embed", "onclick", "onerror", "onmouseover",
                 "url(", "javascript:", "data:text", "example.com"):
        assert gone not in html, gone


def test_safe_html_keeps_working(built):
    root, _ = built
    html = article(root, "units/zrj/guides/xk-001")
    assert "<table><thead><tr><th>材料</th>" in html
    assert "<details><summary>收费依据</summary><p>不收费</p></details>" in html
    assert "10<sup>4</sup>平方米" in html and "H<sub>2</sub>O" in html
    assert '<span style="color: red">重点</span>' in html
    assert '<img src="../../assets/seal.png" alt="本站图片">' in html
    assert '<a href="../../">本站链接</a>' in html
    assert "带样式的段落" in html and "恶意链接" in html
    # Our own output is not the author's: the ```procedure flowchart's SVG and Markdown's tables.
    assert re.search(r"<svg[^>]*>.*</svg>", html, re.S)
    assert "<h2" in html


def test_removals_are_reported_with_their_location(built):
    _, output = built
    lines = (SMALL_SITE[GUIDE] + BODY).split("\n")

    def at(text: str) -> str:
        number = next(i for i, line in enumerate(lines, 1) if text in line)
        return f"{GUIDE}:{number}:{lines[number - 1].index(text) + 1}: warning: raw HTML: removed "

    warnings = [line.split("WARNING -  ", 1)[1] for line in output.splitlines() if "raw HTML" in line]
    assert any(w.startswith(at("<script>") + "<script>") for w in warnings), warnings
    assert any(w.startswith(at("<iframe") + "<iframe>") for w in warnings), warnings
    assert any(w.startswith(at('<p style="background')) and "onclick=" in w and "style=" in w for w in warnings)
    assert any(w.startswith(at('<img src="https')) and "example.com/track.png" in w for w in warnings), warnings
    img_line = lines.index(next(line for line in lines if "onerror" in line)) + 1
    column = lines[img_line - 1].index('<img src="../') + 1
    assert f'{GUIDE}:{img_line}:{column}: warning: raw HTML: removed onerror="x()" on <img>;' in "\n".join(warnings)
    assert any(w.startswith(at("<embed") + "<embed>") for w in warnings), warnings
    assert any(w.startswith(at("<span style")) and "onmouseover" in w for w in warnings), warnings
    assert any("javascript:alert(2)" in w for w in warnings)
    # A free page, its front matter counted.
    assert any(w.startswith("content/about.md:6:1: warning: raw HTML: removed onclick=") for w in warnings), warnings


@pytest.mark.parametrize("html, removed", [
    ('<a href="javascript:x()">a</a>', ['href="javascript:x()" on <a>']),
    ('<div onclick="x()">a</div>', ['onclick="x()" on <div>']),
    ('<p style="background:url(x.png)">a</p>', ['style="background:url(x.png)" on <p>']),
    ("<style>p{}</style>", ["<style>"]),
    ("<!-- 内部 -->", ["<!-- comment -->"]),
    ("<form><input name=x></form>", ["<form>", '<input>', 'name="x" on <input>']),
])
def test_sanitize_reports_what_it_removed(html, removed):
    cleaned, gone = sanitize(html)
    assert sorted(gone) == sorted(removed)
    assert cleaned != html


def test_safe_fragments_are_unchanged():
    for html in ("<table><tbody><tr><td>1</td></tr></tbody></table>", "<details open><summary>s</summary></details>",
                 '<img src="a.png" alt="x">', "<p>面积<sup>2</sup></p>"):
        assert sanitize(html)[1] == [], html


def test_inline_tags_one_at_a_time():
    assert sanitize_tag("<sup>") == ("<sup>", [])
    assert sanitize_tag("</sup>") == ("</sup>", [])
    assert sanitize_tag("</script>") == ("", ["<script>"])
    assert sanitize_tag('<span onclick="x">') == ("<span>", ['onclick="x" on <span>'])


def test_check_reports_what_the_build_removes(built):
    root, output = built
    from conftest import gongkai_check

    result = gongkai_check(root)
    assert result.returncode == 0, result.output  # warnings only
    from_check = sorted(line for line in result.stdout.splitlines() if "raw HTML" in line)
    from_build = sorted(line.split("WARNING -  ", 1)[1] for line in output.splitlines() if "raw HTML" in line)
    assert len(from_build) >= 10
    assert from_check == from_build


def test_attributes_markdown_writes_are_checked(built):
    """attr_list's {: on…=} / {: style=url()} and entity-hidden schemes: removed and reported."""
    root, output = built
    html = article(root, "tz")
    for gone in ("onmouseover", "onclick", "url(", "example.com", "javascript", "java&", "vbscript", "alert("):
        assert gone not in html, gone
    assert "咨询" in html and "办理" in html and "带背景的段落" in html
    assert '<a class="gk-x" href="../about/">本站</a>' in html  # safe attributes stay
    lines = NOTICE.split("\n")
    warnings = [line.split("WARNING -  ", 1)[1] for line in output.splitlines() if "content/tz.md" in line]

    def at(text: str) -> str:
        number = next(i for i, line in enumerate(lines, 1) if text in line)
        return f"content/tz.md:{number}:{lines[number - 1].index(text) + 1}: warning: raw HTML: removed "

    assert any(w.startswith(at('alert(3)') + 'onmouseover="alert(3)" on <h1>') for w in warnings), warnings
    assert any(w.startswith(at('alert(4)') + 'onclick="alert(4)" on <a>') for w in warnings), warnings
    assert any(w.startswith(at('background:url') + 'style=') for w in warnings), warnings
    assert any(w.startswith(at('javascript&#58;') + 'href="javascript&#58;') for w in warnings), warnings
    assert any(w.startswith(at('java&#x09;') + 'href=') for w in warnings), warnings
    assert any(w.startswith(at('vbscript') + 'href=') for w in warnings), warnings


def test_markup_in_a_free_pages_title_is_plain_text(built):
    root, output = built
    page = (root / "site/tz/index.html").read_text(encoding="utf-8")
    assert "<img" not in page.split("<article", 1)[0] and "onerror" not in page and "alert(2)" not in page
    assert "<title>通知 - " in page or "<title>通知" in page
    assert 'content="说明&quot;&gt;"' in page
    assert "content/tz.md:2:8: warning: title: markup removed: <img>;" in output
    assert "content/tz.md:3:14: warning: description: markup removed: <script>;" in output


@pytest.mark.parametrize("markdown", [
    '[a](javascript&#58;x)', '[a](&#106;avascript:x)', '[a](java\tscript:x)', '[a](data&colon;text/html,x)',
    '[a][r]\n\n[r]: javascript&#58;x', 'p\n{: onclick="x" }', '# h {: style="background:url(x)" }',
    '[a](/x/){: onmouseover="x" }', '![i](&#104;ttps://example.com/t.png)',
])
def test_check_finds_attributes_in_the_tree(markdown):
    from gongkai.guard.extension import check_markdown

    problems = check_markdown(markdown, "content/x.md")
    assert len(problems) == 1, markdown
    assert problems[0].line >= 1


def test_check_leaves_our_own_markup_alone():
    from gongkai.guard.extension import check_markdown

    for markdown in ("# 标题 {: #anchor .cls }", "| a | b |\n|:--|--:|\n| 1 | 2 |", "!!! note \"提示\"\n    正文",
                     "[站内](../a/#b) [邮件](mailto:a@b.cn) [电话](tel:12345)", '<div markdown>\n**粗**\n</div>'):
        assert check_markdown(markdown, "content/x.md") == [], markdown
