"""Inline SVG charts for the board pack, written by hand: no JavaScript, no network, and the
same data gives the same bytes. Every piece of text is escaped; each point carries a <title>
so a reader hovering over it sees the exact figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 760


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]   # None: no point (no plans, or suppressed)
    notes: Sequence[str]             # tooltip per point
    css: str                         # class name, styled by the page's CSS


@dataclass(frozen=True)
class Level:
    label: str
    value: float
    css: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    hidden: bool       # suppressed: shown as `c`, no bar
    css: str = "bar"


def _n(x: float) -> str:
    return f"{x:.1f}"


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[Series],
               levels: Sequence[Level] = (), y_max: float = 100.0,
               every: int = 3) -> Markup:
    """Percentages over time: one polyline per series, broken where a value is missing, and
    horizontal lines (target, England) across the whole chart.
    """
    left, right, top, bottom, height = 44, 150, 12, 52, 300
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    count = max(len(x_labels), 1)
    step = plot_w / max(count - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), y_max) / y_max)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
             f"<title>{escape(title)}</title>"]
    for tick in range(0, int(y_max) + 1, 25):
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{_n(y(tick))}" '
                     f'y2="{_n(y(tick))}"/><text class="axis" x="{left - 6}" '
                     f'y="{_n(y(tick) + 4)}" text-anchor="end">{tick}%</text>')
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == count - 1:
            parts.append(f'<text class="axis" x="{_n(x(i))}" y="{height - bottom + 18}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    for level in levels:
        ly, ty = _n(y(level.value)), _n(y(level.value) + 4)
        parts.append(f'<g class="{escape(level.css)}"><line x1="{left}" x2="{left + plot_w}" '
                     f'y1="{ly}" y2="{ly}"/><text x="{left + plot_w + 6}" y="{ty}">'
                     f"{escape(level.label)} {_n(level.value)}%</text>"
                     f"<title>{escape(level.label)}: {_n(level.value)}%</title></g>")
    for s in series:
        parts.append(f'<g class="{escape(s.css)}">')
        run: list[str] = []
        for i, v in enumerate([*s.values, None]):
            if v is None:
                if len(run) > 1:
                    parts.append(f'<polyline fill="none" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{_n(x(i))},{_n(y(v))}")
        for i, v in enumerate(s.values):
            if v is not None:
                parts.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="3">'
                             f"<title>{escape(s.notes[i])}</title></circle>")
        parts.append("</g>")
    for row, s in enumerate(series):
        ly = height - 14
        lx = left + row * 260
        parts.append(f'<g class="{escape(s.css)}"><line x1="{lx}" x2="{lx + 22}" y1="{ly - 4}" '
                     f'y2="{ly - 4}"/><text class="legend" x="{lx + 28}" y="{ly}">'
                     f"{escape(s.label)}</text></g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(title: str, bars: Sequence[Bar], unit: str = "") -> Markup:
    """Horizontal bars with the count at the end of each; a hidden count is written `c`."""
    label_w, value_w, bar_h, gap, top = 150, 60, 22, 8, 6
    plot_w = WIDTH - label_w - value_w
    height = top * 2 + len(bars) * (bar_h + gap)
    largest = max([b.value for b in bars if b.value is not None and not b.hidden] or [1]) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
             f"<title>{escape(title)}</title>"]
    for i, bar in enumerate(bars):
        y = top + i * (bar_h + gap)
        parts.append(f'<text class="axis" x="{label_w - 8}" y="{y + bar_h - 6}" '
                     f'text-anchor="end">{escape(bar.label)}</text>')
        if bar.hidden or bar.value is None:
            shown, width = ("c" if bar.hidden else "–"), 0.0
        else:
            shown, width = f"{bar.value:,}", plot_w * bar.value / largest
        if width > 0:
            parts.append(f'<rect class="{escape(bar.css)}" x="{label_w}" y="{y}" '
                         f'width="{_n(width)}" height="{bar_h}"><title>{escape(bar.label)}: '
                         f"{escape(shown)}{escape(unit)}</title></rect>")
        parts.append(f'<text class="value" x="{_n(label_w + width + 6)}" y="{y + bar_h - 6}">'
                     f"{escape(shown)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
