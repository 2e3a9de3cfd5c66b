"""Inline SVG charts of counts by month for the board pack's trend section: the backlog as
stacked bars, demand against throughput as lines. Same conventions as charts.py (no script,
every text escaped, a <title> per mark); kept apart so each can become a template macro.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ehcp_timeliness.report.charts import WIDTH

LEFT, RIGHT, TOP, BOTTOM, HEIGHT = 52, 20, 12, 56, 300


@dataclass(frozen=True)
class CountSeries:
    label: str
    values: Sequence[int | None]   # None: suppressed or no figure
    css: str


def _n(x: float) -> str:
    return f"{x:.1f}"


def _nice_top(largest: float) -> int:
    """The axis top: a round number at or above LARGEST (1, 2, 5 × 10^k)."""
    top, step = 1, 1
    while top < largest:
        for factor in (2, 5, 10):
            if step * factor >= largest:
                return step * factor
        step *= 10
        top = step
    return top


def _frame(title: str, labels: Sequence[str], top: int, every: int) -> tuple[list[str], float]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
             f"<title>{escape(title)}</title>"]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h * (1 - tick / 4)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_n(y)}" '
                     f'y2="{_n(y)}"/><text class="axis" x="{LEFT - 6}" y="{_n(y + 4)}" '
                     f'text-anchor="end">{value:,.0f}</text>')
    slot = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(f'<text class="axis" x="{_n(LEFT + slot * (i + 0.5))}" '
                         f'y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{escape(label)}</text>')
    return parts, slot


def _legend(parts: list[str], series: Sequence[CountSeries], mark: str) -> None:
    for row, s in enumerate(series):
        x, y = LEFT + row * 230, HEIGHT - 14
        shape = (f'<rect x="{x}" y="{y - 10}" width="14" height="10"/>' if mark == "rect"
                 else f'<line x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}"/>')
        parts.append(f'<g class="{escape(s.css)}">{shape}<text class="legend" x="{x + 28}" '
                     f'y="{y}">{escape(s.label)}</text></g>')


def stacked_bar_chart(title: str, labels: Sequence[str], stacks: Sequence[CountSeries],
                      every: int = 3) -> Markup:
    """One bar per month, STACKS from the bottom up; a month with a hidden part has no bar
    (its figures are in the table, shown as `c`)."""
    totals = [None if any(s.values[i] is None for s in stacks)
              else sum(s.values[i] or 0 for s in stacks) for i in range(len(labels))]
    top = _nice_top(max([t for t in totals if t is not None] or [1]))
    parts, slot = _frame(title, labels, top, every)
    plot_h = HEIGHT - TOP - BOTTOM
    for i, label in enumerate(labels):
        if totals[i] is None:
            continue
        base = 0
        for s in stacks:
            value = s.values[i] or 0
            height = plot_h * value / top
            y = TOP + plot_h * (1 - (base + value) / top)
            parts.append(f'<rect class="{escape(s.css)}" x="{_n(LEFT + slot * i + slot * 0.15)}" '
                         f'y="{_n(y)}" width="{_n(slot * 0.7)}" height="{_n(height)}">'
                         f"<title>{escape(label)}: {escape(s.label)} {value:,}</title></rect>")
            base += value
    _legend(parts, stacks, "rect")
    parts.append("</svg>")
    return Markup("".join(parts))


def count_line_chart(title: str, labels: Sequence[str], series: Sequence[CountSeries],
                     every: int = 3) -> Markup:
    """Counts by month, one polyline per series, broken where a value is hidden."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_top(max(values or [1]))
    parts, slot = _frame(title, labels, top, every)
    plot_h = HEIGHT - TOP - BOTTOM

    def point(i: int, value: int) -> str:
        return f"{_n(LEFT + slot * (i + 0.5))},{_n(TOP + plot_h * (1 - value / top))}"

    for s in series:
        parts.append(f'<g class="{escape(s.css)}">')
        run: list[str] = []
        for i, value in enumerate([*s.values, None]):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline fill="none" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(point(i, value))
        for i, value in enumerate(s.values):
            if value is not None:
                x, y = point(i, value).split(",")
                parts.append(f'<circle cx="{x}" cy="{y}" r="3"><title>{escape(labels[i])}: '
                             f"{escape(s.label)} {value:,}</title></circle>")
        parts.append("</g>")
    _legend(parts, series, "line")
    parts.append("</svg>")
    return Markup("".join(parts))
