"""Draw a laid-out procedure as inline SVG, plus the same procedure as an ordered list.

Sizes are in CSS pixels of the chart's natural width, and no text is under 12 px there. The chart
scales down to its column (on a phone, to an overview that fits the screen) and prints on A4; on
a phone a 放大查看 switch shows it at its natural size in a frame that scrolls sideways (the
enlargeable view of 适老化: every label 12 px or more). Colours and the font come from the theme's CSS classes.
"""

from __future__ import annotations

import functools
import hashlib
import math
import unicodedata
from html import escape

from ..model.schema.procedure import Flow, Step
from .layout import LANE_LEFT, LANE_RIGHT, SIDE, STRAIGHT, Edge, Grid, layout

BOX_W = 128  # a box: 8 Chinese characters of 13 px per line
PAD = 7
NAME_SIZE, NAME_LINE = 13, 17
META_SIZE, META_LINE = 12, 15
WHEN_SIZE, WHEN_LINE, WHEN_LINES = 12, 14, 3
LABEL_MAX = 90  # the widest a branch condition may get before it wraps to more lines
ROW_GAP = 44  # room for a three-line condition between rows
LANE = 10
MARGIN = 8
ARROW = 5


@functools.cache
def _em(ch: str) -> float:
    """Width of a character in em: wide (Chinese) characters 1, others about half."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56


def text_width(text: str, size: float) -> float:
    return sum(_em(ch) for ch in text) * size


def wrap(text: str, width: float, size: float, max_lines: int | None = None) -> list[str]:
    """Break text into lines no wider than width; Chinese may break between any two characters."""
    lines: list[str] = []
    line, used = "", 0.0
    for ch in text:
        w = _em(ch) * size
        if ch == "\n" or (line and used + w > width):
            lines.append(line)
            line, used = ("", 0.0) if ch == "\n" else (ch, w)
        else:
            line += ch
            used += w
    if line:
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


def _meta(step: Step) -> list[str]:
    parts = []
    if step.limit is not None:
        parts.append("即办" if step.limit == 0 else f"时限：{step.limit}个工作日")
    if step.by:
        parts.append(f"岗位：{step.by}")
    if step.output:
        parts.append("文书：" + "".join(f"《{o.strip('《》')}》" for o in step.output))
    return parts


class _Box:
    def __init__(self, step: Step, is_end: bool, is_start: bool):
        inner = BOX_W - 2 * PAD
        self.step = step
        self.name = wrap(step.name, inner, NAME_SIZE)
        self.meta = [ln for part in _meta(step) for ln in wrap(part, inner, META_SIZE)]
        self.height = 2 * PAD + len(self.name) * NAME_LINE + len(self.meta) * META_LINE
        self.is_end, self.is_start = is_end, is_start
        self.x = self.y = 0.0

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


def draw(flow: Flow, title: str = "") -> str:
    """The chart as an SVG element (a string of markup, all text escaped)."""
    grid = layout(flow.steps)
    boxes = {s.id: _Box(s, not s.branches, i == 0) for i, s in enumerate(flow.steps)}

    left_lanes, right_lanes = grid.lanes(LANE_LEFT), grid.lanes(LANE_RIGHT)
    # Room for conditions is made to fit the conditions, so that charts stay narrow for phones.
    # Conditions on the main path sit left of the spine, clear of the elbows to the side steps.
    left_w = _label_width(e.when for e in grid.edges if e.kind == LANE_LEFT or (
        e.kind == STRAIGHT and grid.cell[e.source][0] == 0))
    side = [e for e in grid.edges if e.kind == SIDE]
    gap = max(40, _label_width(e.when for e in side) + 18 + 8 * max((e.lane for e in side), default=0))
    right_w = _label_width(e.when for e in grid.edges if e.kind == LANE_RIGHT)
    x0 = MARGIN + left_w + (left_lanes * LANE + 6 if left_lanes else 0)
    column_x = [x0 + c * (BOX_W + gap) for c in range(grid.columns)]
    columns_right = column_x[-1] + BOX_W
    width = columns_right + (right_lanes * LANE + 8 if right_lanes else 0) + right_w + MARGIN

    row_h = [0.0] * grid.rows
    for step_id, (c, r) in grid.cell.items():
        row_h[r] = max(row_h[r], boxes[step_id].height)
    row_y, y = [], MARGIN + ROW_GAP / 2
    for h in row_h:
        row_y.append(y)
        y += h + ROW_GAP
    height = y - ROW_GAP / 2 + MARGIN
    for step_id, (c, r) in grid.cell.items():
        box = boxes[step_id]
        box.x = column_x[c]
        box.y = row_y[r] + (row_h[r] - box.height) / 2

    out = [f'<svg class="gk-flow" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
           f'height="{height:.0f}" role="img" aria-label="{escape(title or "流程图")}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for edge in grid.edges:
        out.append(_edge(edge, boxes, grid, columns_right, x0, left_w, right_w))
    for box in boxes.values():
        out.append(_box(box))
    out.append("</svg>")
    return "".join(out)


def _box(box: _Box) -> str:
    kind = " gk-flow__box--end" if box.is_end else (" gk-flow__box--start" if box.is_start else "")
    parts = [f'<g class="gk-flow__step{kind}"><rect class="gk-flow__box" x="{box.x:.0f}" y="{box.y:.1f}" '
             f'width="{BOX_W}" height="{box.height:.0f}" rx="{12 if box.is_end else 4}"/>']
    y = box.y + PAD
    for line in box.name:
        y += NAME_LINE
        parts.append(f'<text class="gk-flow__name" x="{box.cx:.0f}" y="{y - 4:.1f}" text-anchor="middle" '
                     f'font-size="{NAME_SIZE}">{escape(line)}</text>')
    for line in box.meta:
        y += META_LINE
        parts.append(f'<text class="gk-flow__meta" x="{box.cx:.0f}" y="{y - 3:.1f}" text-anchor="middle" '
                     f'font-size="{META_SIZE}">{escape(line)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _arrow(x: float, y: float, direction: str) -> str:
    if direction == "down":
        points = f"{x - ARROW},{y - 2 * ARROW} {x + ARROW},{y - 2 * ARROW} {x},{y}"
    else:  # right
        points = f"{x - 2 * ARROW},{y - ARROW} {x - 2 * ARROW},{y + ARROW} {x},{y}"
    return f'<polygon class="gk-flow__arrow" points="{points}"/>'


def _label(text: str | None, x: float, y: float, width: float, anchor: str = "start",
           downward: bool = False) -> str:
    """A branch condition: its last line sits at y with earlier lines above it, or (downward)
    its first line sits at y with the rest below."""
    if not text:
        return ""
    lines = wrap(text, width, WHEN_SIZE, WHEN_LINES)
    top = y if downward else y - (len(lines) - 1) * WHEN_LINE
    spans = "".join(f'<tspan x="{x:.0f}" y="{top + i * WHEN_LINE:.1f}">{escape(ln)}</tspan>'
                    for i, ln in enumerate(lines))
    return (f'<text class="gk-flow__when" font-size="{WHEN_SIZE}" text-anchor="{anchor}">'
            f"<title>{escape(text)}</title>{spans}</text>")


def _label_width(conditions) -> int:
    """Width for conditions wrapped to at most WHEN_LINES lines (0 when there are none)."""
    need = max((text_width(c, WHEN_SIZE) / WHEN_LINES for c in conditions if c), default=0)
    return min(LABEL_MAX, math.ceil(need + WHEN_SIZE + 4)) if need else 0


def _edge(edge: Edge, boxes: dict[str, _Box], grid: Grid, columns_right: float, x0: float,
          left_w: int, right_w: int) -> str:
    s, t = boxes[edge.source], boxes[edge.target]
    if edge.kind == STRAIGHT:
        path = f"M{s.cx:.0f} {s.y + s.height:.1f}V{t.y:.1f}"
        head = _arrow(t.cx, t.y, "down")
        y = s.y + s.height + WHEN_SIZE + 2
        if grid.cell[edge.source][0] == 0:
            label = _label(edge.when, s.cx - 6, y, s.cx - 6 - MARGIN, "end", downward=True)
        else:
            label = _label(edge.when, s.cx + 6, y, BOX_W / 2 + 24, downward=True)
    elif edge.kind == SIDE:
        y_out = min(s.cy - 4 + edge.lane * 10, s.y + s.height - 4)
        x_turn = s.x + BOX_W + 10 + edge.lane * 8
        path = f"M{s.x + BOX_W:.0f} {y_out:.1f}H{x_turn:.0f}V{t.cy:.1f}H{t.x:.0f}"
        if abs(y_out - t.cy) < 0.5:
            path = f"M{s.x + BOX_W:.0f} {t.cy:.1f}H{t.x:.0f}"
        head = _arrow(t.x, t.cy, "right")
        label = _label(edge.when, x_turn + 4, t.cy - 5, t.x - x_turn - 10)
    elif edge.kind == LANE_LEFT:
        x_lane = x0 - 8 - edge.lane * LANE
        path = f"M{s.x:.0f} {s.cy + 4:.1f}H{x_lane:.0f}V{t.cy - 4:.1f}H{t.x:.0f}"
        head = _arrow(t.x, t.cy - 4, "right")
        label = _label(edge.when, x_lane - 4, s.cy, left_w - 4, "end")
    else:  # LANE_RIGHT: out to the right, round the columns, into the target from above
        x_lane = columns_right + 10 + edge.lane * LANE
        y_gap = t.y - 8 - (edge.lane % 3) * 6
        x_in = t.cx + 10 + (edge.lane % 3) * 6
        path = f"M{s.x + BOX_W:.0f} {s.cy + 4:.1f}H{x_lane:.0f}V{y_gap:.1f}H{x_in:.0f}V{t.y:.1f}"
        head = _arrow(x_in, t.y, "down")
        lanes_right = columns_right + 10 + grid.lanes(LANE_RIGHT) * LANE
        label = _label(edge.when, lanes_right, s.cy + 4, right_w - 4)
    return f'<g class="gk-flow__link"><path class="gk-flow__edge" d="{path}"/>{head}{label}</g>'


def steps_list(flow: Flow) -> str:
    """The procedure as an ordered list: what a screen reader, a printout or no SVG gets."""
    number = {s.id: i + 1 for i, s in enumerate(flow.steps)}
    names = {s.id: s.name for s in flow.steps}
    items = []
    for step in flow.steps:
        facts = _meta(step)
        text = f"<strong>{escape(step.name)}</strong>"
        if facts:
            text += "（" + "；".join(escape(f) for f in facts) + "）"
        branches = step.branches
        if not branches:
            text += "　<em>结束</em>"
        elif len(branches) == 1 and not branches[0].when:
            b = branches[0]
            text += f"　→ 第{number.get(b.to, '?')}步 {escape(names.get(b.to, b.to))}"
        else:
            text += "<ul>" + "".join(
                f"<li>{escape(b.when or '')} → 第{number.get(b.to, '?')}步 {escape(names.get(b.to, b.to))}</li>"
                for b in branches) + "</ul>"
        items.append(f"<li>{text}</li>")
    return f'<ol class="gk-steps">{"".join(items)}</ol>'


def figure(flow: Flow, title: str) -> str:
    """The chart and its text version, as they go into a page."""
    # The 放大查看 switch is a checkbox and its label (CSS only: it works without JavaScript, by
    # keyboard, and says its state); its id is the drawing's digest, the same on every build. The
    # frame, enlarged, scrolls sideways; it is focusable so that the keyboard can scroll it too (no
    # name of its own: the chart in it has one).
    svg = draw(flow, title)
    zoom = "gk-zoom-" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:10]
    return (f'<figure class="gk-flowchart"><input type="checkbox" class="gk-flowchart__zoom" id="{zoom}">'
            f'<label class="gk-flowchart__zoom-label" for="{zoom}">放大查看流程图</label>'
            f'<div class="gk-flowchart__frame" tabindex="0">{svg}</div>'
            f"<figcaption>{escape(title)}（共{len(flow.steps)}步，文字版如下）</figcaption></figure>"
            f"{steps_list(flow)}")
