"""Inline SVG bar chart of item counts by category, drawn at build time (no chart JavaScript).

A handful of rectangles and labels: a charting library would add a dependency and a script for
what is twenty lines of SVG. Colours come from the theme's CSS (classes gk-chart__*).
"""

from __future__ import annotations

from html import escape

ROW = 28
LABEL_WIDTH = 104
BAR_WIDTH = 220
COUNT_WIDTH = 48


def category_chart(counts: dict[str, int], title: str = "权责事项按权力类型统计") -> str:
    rows = list(counts.items())
    largest = max((n for _, n in rows), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    height = ROW * len(rows) + 8
    total = sum(n for _, n in rows)
    summary = "；".join(f"{name}{n}项" for name, n in rows)
    parts = [
        f'<svg class="gk-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="gk-chart-title gk-chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="gk-chart-title">{escape(title)}（共{total}项）</title>',
        f'<desc id="gk-chart-desc">{escape(summary)}</desc>',
    ]
    for index, (name, count) in enumerate(rows):
        y = 4 + index * ROW
        bar = round(BAR_WIDTH * count / largest)
        parts.append(
            f'<g class="gk-chart__row"><text class="gk-chart__label" x="{LABEL_WIDTH - 8}" y="{y + 19}" '
            f'text-anchor="end">{escape(name)}</text>'
            f'<rect class="gk-chart__bar" x="{LABEL_WIDTH}" y="{y + 5}" width="{max(bar, 1)}" height="{ROW - 10}" rx="2"/>'
            f'<text class="gk-chart__count" x="{LABEL_WIDTH + bar + 6}" y="{y + 19}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
