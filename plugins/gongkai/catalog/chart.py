"""The home page's bar chart of item counts by category, drawn at build time (no chart JavaScript).

HTML, not one SVG picture: labels and counts are text of the page, so they grow with the reader's
text size and browser zoom, wrap on a narrow phone, stay in the simple view and are read aloud and
by screen readers as a list. Only each bar is a small SVG (a rectangle stretched to its row), so
that its length needs no inline style (a strict Content-Security-Policy forbids those). A
charting library would add a dependency and a script for this. Colours: gk-chart__* in the CSS.
"""

from __future__ import annotations

from html import escape


def category_chart(counts: dict[str, int], title: str = "权责事项按权力类型统计") -> str:
    rows = list(counts.items())
    largest = max((n for _, n in rows), default=0) or 1
    total = sum(n for _, n in rows)
    parts = [f'<figure class="gk-chart"><figcaption class="gk-chart__title">{escape(title)}（共{total}项）</figcaption>'
             '<ul class="gk-chart__rows">']
    for name, count in rows:
        length = max(round(100 * count / largest, 1), 0.5)  # a hair for 0: the row is still seen
        parts.append(
            f'<li class="gk-chart__row"><span class="gk-chart__label">{escape(name)}</span>'
            f'<svg class="gk-chart__bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
            f'focusable="false"><rect width="{length:g}" height="10" rx="1"/></svg>'
            f'<span class="gk-chart__count">{count}<span class="gk-visually-hidden">项</span></span></li>')
    parts.append("</ul></figure>")
    return "".join(parts)
