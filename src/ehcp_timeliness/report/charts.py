"""The geometry of the board pack's charts: where each line, point and bar goes, with the
numbers already written as the SVG will hold them. The markup is jinja's, like the rest of the
page: one macro per kind of chart in templates/charts.svg.j2, autoescaped, so text from the data
can never become markup. No JavaScript, no network, and the same data gives the same bytes;
each point carries a <title> so a reader hovering over it sees the exact figure.

To add a chart to the board pack: build its model here (line_chart for percentages over time,
bar_chart for counts by category) from the view, in report/html.py, pass it to the page, and
call the macro in board.html.j2: `{{ charts.line_chart(model) }}`. A new kind of chart is a
model here and a macro beside the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Gridline:
    y: str
    label_y: str
    label: str


@dataclass(frozen=True)
class AxisLabel:
    x: str
    label: str


@dataclass(frozen=True)
class LevelLine:
    css: str
    y: str
    label_y: str
    label: str
    value: str


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    note: str


@dataclass(frozen=True)
class SeriesLines:
    css: str
    label: str
    polylines: list[str]     # the points of each unbroken run, "x,y x,y …"
    points: list[Point]
    legend_x: int       # the key under the chart: a short line, then the label
    legend_line_end: int
    legend_text_x: int


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    y_label_x: int      # the percentages left of the plot
    level_label_x: int  # a level's name right of the plot
    grid: list[Gridline]
    x_labels: list[AxisLabel]
    x_label_y: int
    levels: list[LevelLine]
    series: list[SeriesLines]
    legend_y: int
    legend_line_y: int


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[Series],
               levels: Sequence[Level] = (), y_max: float = 100.0,
               every: int = 3) -> LineChart:
    """Percentages over time: one polyline per series, broken where a value is missing, and
    horizontal lines (target, England) across the whole chart; an x label every EVERY points
    and on the last.
    """
    left, right, top, bottom, height = 44, 150, 12, 52, 300
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    count = max(len(x_labels), 1)
    step = plot_w / max(count - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), y_max) / y_max)

    def runs(values: Sequence[float | None]) -> list[str]:
        lines, run = [], []
        for i, v in enumerate([*values, None]):
            if v is None:
                if len(run) > 1:
                    lines.append(" ".join(run))
                run = []
            else:
                run.append(f"{_n(x(i))},{_n(y(v))}")
        return lines

    return LineChart(
        title=title, width=WIDTH, height=height, plot_left=left, plot_right=left + plot_w,
        y_label_x=left - 6, level_label_x=left + plot_w + 6,
        grid=[Gridline(_n(y(tick)), _n(y(tick) + 4), f"{tick}%")
              for tick in range(0, int(y_max) + 1, 25)],
        x_labels=[AxisLabel(_n(x(i)), label) for i, label in enumerate(x_labels)
                  if i % every == 0 or i == count - 1],
        x_label_y=height - bottom + 18,
        levels=[LevelLine(level.css, _n(y(level.value)), _n(y(level.value) + 4), level.label,
                          _n(level.value)) for level in levels],
        series=[SeriesLines(s.css, s.label, runs(s.values),
                            [Point(_n(x(i)), _n(y(v)), s.notes[i])
                             for i, v in enumerate(s.values) if v is not None],
                            left + row * 260, left + row * 260 + 22, left + row * 260 + 28)
                for row, s in enumerate(series)],
        legend_y=height - 14, legend_line_y=height - 18,
    )


@dataclass(frozen=True)
class BarRow:
    label: str
    css: str
    y: int
    text_y: int
    width: str | None   # None: no bar (suppressed, or nothing to show)
    shown: str          # the count written after the bar: `1,234`, `c` or `–`
    value_x: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_x: int
    bar_x: int
    bar_height: int
    unit: str
    rows: list[BarRow]


def bar_chart(title: str, bars: Sequence[Bar], unit: str = "") -> BarChart:
    """Horizontal bars with the count at the end of each; a hidden count is written `c`."""
    label_w, value_w, bar_h, gap, top = 150, 60, 22, 8, 6
    plot_w = WIDTH - label_w - value_w
    largest = max([b.value for b in bars if b.value is not None and not b.hidden] or [1]) or 1
    rows = []
    for i, bar in enumerate(bars):
        y = top + i * (bar_h + gap)
        if bar.hidden or bar.value is None:
            shown, width = ("c" if bar.hidden else "–"), 0.0
        else:
            shown, width = f"{bar.value:,}", plot_w * bar.value / largest
        rows.append(BarRow(bar.label, bar.css, y, y + bar_h - 6,
                           _n(width) if width > 0 else None, shown, _n(label_w + width + 6)))
    return BarChart(title, WIDTH, top * 2 + len(bars) * (bar_h + gap), label_w - 8, label_w,
                    bar_h, unit, rows)
