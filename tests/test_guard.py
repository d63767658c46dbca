"""Safe HTML: the author's raw HTML is sanitised (nh3) in a real build; our own markup is not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SMALL_SITE, mkdocs_build, write_site
from gongkai.model.safehtml import sanitize, sanitize_tag

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
