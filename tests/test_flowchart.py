"""Procedures: their checks (located errors), the layout, and the SVG drawing."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT
from gongkai.flowchart.draw import BOX_W, NAME_SIZE, META_SIZE, PAD, draw, figure, text_width, wrap
from gongkai.flowchart.layout import LANE_RIGHT, SIDE, STRAIGHT, layout
from gongkai.model import load_catalog
from gongkai.model.schema.procedure import Flow, load_templates, longest_path
from gongkai.model.schema.procedure import Step

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 11, 21)

UNIT = """\
---
name: 测试局
type: 县直部门
code: "T0001"
---
"""

TEMPLATE = """\
name: 测试许可
steps:
  - id: apply
    name: 申请
    next: accept
  - id: accept
    name: 受理
    next:
      - {to: review, when: 材料齐全}
      - {to: fix, when: 材料不全}
  - id: fix
    name: 补正
    next: apply
  - id: review
    name: 审查
    next: done
  - id: done
    name: 办结
"""


def item(procedure: str, promised: int | None = None, statutory: int | None = None) -> str:
    limits = ""
    if statutory is not None:
        limits += f"statutory_limit: {statutory}\n"
    if promised is not None:
        limits += f"promised_limit: {promised}\n"
    return ("---\ncode: T-XK-001\nname: 测试事项\ncategory: 行政许可\nbasis: [{law: 测试法}]\n"
            + limits + procedure + "---\n")


def check(tmp_path: Path, files: dict[str, str]):
    content = tmp_path / "content"
    base = {"units/t/unit.md": UNIT, "_procedures/test.yml": TEMPLATE}
    for rel, text in {**base, **files}.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    catalog, problems = load_catalog(content, today=TODAY)
    return catalog, [p.format() for p in problems]


def only_error(problems: list[str]) -> str:
    errors = [p for p in problems if ": error: " in p]
    assert len(errors) == 1, problems
    return errors[0]


# --- checks, each with its located error -------------------------------------------------------

STEPS = "procedure:\n  steps:\n"


def test_a_valid_written_out_procedure_passes(tmp_path):
    catalog, problems = check(tmp_path, {"units/t/powers/a.md": item(STEPS + textwrap.indent(textwrap.dedent("""\
        - id: a
          name: 申请
          limit: 1
          next: b
        - id: b
          name: 办结
          limit: 2
        """), "    "), promised=3)})
    assert problems == []
    assert [s.id for s in catalog.flow_of(catalog.powers[0]).steps] == ["a", "b"]


def test_unknown_step_in_next(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(STEPS + "    - {id: a, name: 申请, next: bb}\n    - {id: b, name: 办结}\n")})
    error = next(p for p in problems if "unknown step" in p)
    assert error.startswith("content/units/t/powers/a.md:8:")
    assert "procedure.steps.0.next: unknown step 'bb'; did you mean b?" in error


def test_unreachable_step(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(STEPS + "    - {id: a, name: 申请}\n    - {id: b, name: 孤立}\n")})
    assert only_error(problems).startswith("content/units/t/powers/a.md:9:")
    assert "step 'b' cannot be reached from the first step" in only_error(problems)


def test_no_end_reachable(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(STEPS + "    - {id: a, name: 申请, next: b}\n    - {id: b, name: 受理, next: a}\n")})
    assert "error: procedure.steps: the procedure never ends" in only_error(problems)


def test_branches_without_conditions(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(
        STEPS + "    - id: a\n      name: 受理\n      next: [{to: b}, {to: c, when: 不予受理}]\n"
                "    - {id: b, name: 审查}\n    - {id: c, name: 告知}\n")})
    error = only_error(problems)
    assert re.match(r"content/units/t/powers/a.md:10:\d+: error: procedure.steps.0.next.0: a branch needs a condition", error)


def test_duplicate_step_ids(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(STEPS + "    - {id: a, name: 申请, next: b}\n    - {id: b, name: 办结}\n    - {id: b, name: 又一个}\n")})
    assert any(p.startswith("content/units/t/powers/a.md:10:") and "duplicate step id 'b'" in p for p in problems), problems


def test_unknown_template_with_did_you_mean(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item("procedure:\n  template: 测试许\n")})
    error = only_error(problems)
    assert error.startswith("content/units/t/powers/a.md:7:13: error: procedure.template: unknown procedure template '测试许'")
    assert "did you mean 测试许可?" in error


def test_override_of_unknown_step(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item("procedure:\n  template: 测试许可\n  overrides:\n    reveiw: {limit: 3}\n")})
    error = only_error(problems)
    assert error.startswith("content/units/t/powers/a.md:9:13: error: procedure.overrides.reveiw:")
    assert "template 测试许可 has no step 'reveiw'; did you mean review?" in error


def test_an_override_may_change_the_branches(tmp_path):
    catalog, problems = check(tmp_path, {"units/t/powers/a.md": item(
        "procedure:\n  template: 测试许可\n  overrides:\n    review:\n      next:\n"
        "        - {to: done, when: 通过}\n        - {to: fix, when: 需补正}\n")})
    assert problems == []
    review = next(s for s in catalog.flow_of(catalog.powers[0]).steps if s.id == "review")
    assert [(b.to, b.when) for b in review.branches] == [("done", "通过"), ("fix", "需补正")]
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(
        "procedure:\n  template: 测试许可\n  overrides:\n    review: {next: nowhere}\n")})
    assert any("procedure.steps.3.next: unknown step 'nowhere'" in p for p in problems), problems


def test_template_and_steps_together(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item("procedure:\n  template: 测试许可\n  steps: [{id: a, name: 申请}]\n")})
    assert "procedure: give either 'template:' or 'steps:'" in only_error(problems)


def test_longest_path_over_the_promised_limit(tmp_path):
    overrides = "procedure:\n  template: 测试许可\n  overrides:\n    apply: {limit: 2}\n    review: {limit: 5}\n    done: {limit: 1}\n"
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(overrides, promised=7, statutory=10)})
    error = only_error(problems)
    assert error.startswith("content/units/t/powers/a.md:9:3: error: procedure: the longest path takes 8 working days, "
                            "more than the 承诺时限 of 7 (申请 → 受理 → 审查 → 办结)")
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(overrides, promised=8, statutory=10)})
    assert problems == []


def test_longest_path_over_the_statutory_limit(tmp_path):
    _, problems = check(tmp_path, {"units/t/powers/a.md": item(
        "procedure:\n  template: 测试许可\n  overrides:\n    review: {limit: 25}\n", statutory=20)})
    assert "more than the 法定时限 of 20" in only_error(problems)


def test_a_broken_template_is_reported_in_its_own_file(tmp_path):
    _, problems = check(tmp_path, {"_procedures/test.yml": TEMPLATE.replace("next: apply", "next: aply")})
    error = only_error(problems)
    assert error.startswith("content/_procedures/test.yml:13:11: error: steps.2.next: unknown step 'aply'")


def test_fenced_block_errors_are_located_in_the_body(tmp_path):
    doc = ("---\ntitle: 公文办理\ntopic: 综合政务\npublished: 2024-01-02\n---\n正文。\n\n"
           "```procedure\nsteps:\n  - {id: a, name: 登记, next: x}\n  - {id: b, name: 归档}\n```\n")
    _, problems = check(tmp_path, {"units/t/documents/2024-gw.md": doc})
    assert any(p.startswith("content/units/t/documents/2024-gw.md:10:") and "unknown step 'x'" in p for p in problems), problems
    assert any(p.startswith("content/units/t/documents/2024-gw.md:11:") and "cannot be reached" in p for p in problems), problems


def test_loops_do_not_count_twice_in_the_longest_path():
    steps = [Step(id="a", name="申请", limit=1, next="b"),
             Step(id="b", name="受理", limit=2, next=[{"to": "c", "when": "齐全"}, {"to": "a", "when": "补正"}]),
             Step(id="c", name="办结", limit=3)]
    assert longest_path(steps) == (6, ["a", "b", "c"])


# --- layout and drawing ------------------------------------------------------------------------

def templates():
    found, problems = load_templates(ROOT / "content")
    assert problems == []
    return found


def boxes_and_texts(svg: str):
    root = ET.fromstring(svg)  # well-formed XML: everything escaped
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        if rect is not None:
            yield rect, group.findall(f"{SVG}text")


@pytest.mark.parametrize("name", sorted(templates()))
def test_every_template_draws_with_its_main_path_down_the_middle(name):
    flow = Flow(templates()[name].steps, name)
    grid = layout(flow.steps)
    assert grid.spine[0] == flow.steps[0].id
    assert len(set(grid.cell.values())) == len(flow.steps), "two steps share a place"
    assert all(grid.cell[s] == (0, row) for row, s in enumerate(grid.spine))
    for edge in grid.edges:
        if edge.kind == STRAIGHT:
            assert grid.cell[edge.target][1] == grid.cell[edge.source][1] + 1
    svg = draw(flow, f"{name}流程图")
    boxes = list(boxes_and_texts(svg))
    assert len(boxes) == len(flow.steps)
    for rect, texts in boxes:
        for text in texts:
            size = float(text.get("font-size"))
            assert text_width(text.text, size) <= BOX_W - 2 * PAD + 0.01, text.text


def test_side_exits_branch_right_and_loops_return_in_a_lane():
    flow = Flow(templates()["行政许可"].steps)
    grid = layout(flow.steps)
    assert grid.spine == ["apply", "accept", "review", "decide", "deliver", "supervise"]
    assert grid.cell["refuse-accept"][0] == 1 and grid.cell["deny"][0] == 1
    kinds = {(e.source, e.target): e.kind for e in grid.edges}
    assert kinds[("accept", "supplement")] == SIDE
    assert kinds[("supplement", "apply")] == LANE_RIGHT  # the 补正 loop, visible beside the chart


def test_labels_are_escaped_and_wrapped():
    name = '<script>alert("x")</script> & 对"未经批准"擅自 \'改变\' 用途的建设工程进行现场核查并出具意见书'
    flow = Flow([Step(id="a", name=name, by="<b>岗位</b>", output=["A&B"], next=[
        {"to": "b", "when": "<满足> & \"条件\""}, {"to": "c", "when": "不满足" * 10}]),
        Step(id="b", name="办结"), Step(id="c", name="不予办理")])
    html = figure(flow, "测<试>")
    assert "<script>" not in html and "<b>" not in html
    svg = html[html.index("<svg"):html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any("<script>" in t for t in texts), "the label is shown as written"
    name_lines = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "gk-flow__name"]
    assert "".join(name_lines[:len(wrap(name, BOX_W - 2 * PAD, NAME_SIZE))]) == name
    assert len(name_lines) > 3
    assert all(text_width(line, NAME_SIZE) <= BOX_W - 2 * PAD for line in name_lines)
    meta = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "gk-flow__meta"]
    assert all(text_width(line, META_SIZE) <= BOX_W - 2 * PAD for line in meta)
    assert "&lt;满足&gt; &amp; " in html  # the branch condition, escaped in the text list


def test_a_procedure_of_sixty_steps_draws():
    steps = []
    for i in range(60):
        nxt = None if i == 59 else ([{"to": f"s{i + 1}", "when": "通过"}, {"to": f"x{i}", "when": "退回"}]
                                    if i % 10 == 5 else f"s{i + 1}")
        steps.append(Step(id=f"s{i}", name=f"第{i + 1}步审核", limit=1, next=nxt))
    steps += [Step(id=f"x{i}", name="退回补充", next="s0") for i in range(5, 60, 10)]
    svg = draw(Flow(steps), "长流程")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}g[@class='gk-flow__step']")) + len(
        root.findall(f"{SVG}g[@class='gk-flow__step gk-flow__box--start']")) + len(
        root.findall(f"{SVG}g[@class='gk-flow__step gk-flow__box--end']")) == 66
    width = float(root.get("width"))
    assert width < 600, "a long chart grows downward, not sideways"


# --- the sample content: every item has a procedure, and every one draws ------------------------

@pytest.fixture(scope="module")
def sample():
    catalog, problems = load_catalog(ROOT / "content", today=TODAY)
    assert not [p for p in problems if p.severity.value == "error"]
    return catalog


def test_every_sample_item_has_a_procedure_mostly_by_template(sample):
    flows = [sample.flow_of(item) for item in sample.powers]
    assert all(flows), [i.code for i, f in zip(sample.powers, flows) if f is None]
    written_out = [f for f in flows if f.template is None]
    assert len(written_out) >= 10
    assert len(flows) - len(written_out) > len(flows) / 2


def test_every_sample_procedure_draws_with_its_labels_inside_the_boxes(sample):
    for record in [*sample.powers, *sample.guides]:
        flow = sample.flow_of(record)
        if flow is None:
            continue
        svg = draw(flow, "流程图")
        boxes = list(boxes_and_texts(svg))
        assert len(boxes) == len(flow.steps), record.page
        for rect, texts in boxes:
            for text in texts:
                assert text_width(text.text, float(text.get("font-size"))) <= BOX_W - 2 * PAD + 0.01, (record.page, text.text)


# The 放大查看 switch, the chart in its frame (focusable: enlarged, it scrolls sideways), then the
# text version.
FIGURE = re.compile(r'<figure class="gk-flowchart"><input type="checkbox" class="gk-flowchart__zoom" '
                    r'id="(gk-zoom-[0-9a-f]{10})"><label class="gk-flowchart__zoom-label" for="\1">放大查看流程图</label>'
                    r'<div class="gk-flowchart__frame" tabindex="0"><svg class="gk-flow"')


def test_item_pages_show_the_chart_and_its_text_version(sample, sample_site):
    for item in sample.powers:
        html = (sample_site / item.page[: -len(".md")] / "index.html").read_text(encoding="utf-8")
        figure_at = FIGURE.search(html).start()
        assert html.index('<ol class="gk-steps">', figure_at) > figure_at, item.page
    assert html.count("<script") == html.count("</script>")


def test_a_procedure_block_in_a_document_draws(sample, sample_site):
    doc = next(d for d in sample.documents if "```procedure" in d.body)
    html = (sample_site / doc.page[: -len(".md")] / "index.html").read_text(encoding="utf-8")
    assert FIGURE.search(html)
    assert "```procedure" not in html and "steps:" not in html
