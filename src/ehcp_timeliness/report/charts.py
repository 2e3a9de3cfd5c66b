"""The geometry of the board pack's charts: where each line, point and bar goes, with the
numbers already written as the SVG will hold them. The markup is jinja's, like the rest of the
page: one macro per kind of chart in templates/charts.svg.j2, autoescaped, so text from the data
can never become markup. No JavaScript, no network, and the same data gives the same bytes;
each point carries a <title> so a reader hovering over it sees the exact figure.

To add a chart to the board pack: build its model with the function for its kind — here,
line_chart (percentages over time) and bar_chart (counts by category); in trend_charts.py,
count_line_chart (counts by month) and stacked_bar_chart (parts of a count by month) — from the
view, in the page's context builder (report/html.py), and call the macro that draws its model in
the template (line_chart for a LineChart, count_line_chart's too; bar_chart; stacked_bar_chart):
`{{ charts.line_chart(model) }}`, where the template has `{% import "charts.svg.j2" as charts %}`.
A new kind of chart is a model (reusing Frame, plotted_lines and the dataclasses here) and a
macro beside the others, built on the macros' shared parts (_svg: the opening and title;
_axes: gridlines and labels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

WIDTH = 760


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]   # None: no point (no plans, or suppressed)
    notes: Sequence[str]             # tooltip per point
    css: str                         # class name, styled by the page's CSS
    part: Sequence[bool] = ()        # per point: a part period (periods.py), drawn hollow


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


def fixed(x: float) -> str:
    """A coordinate as the SVG holds it: one decimal, so the bytes do not depend on float noise."""
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
    anchor: str = "middle"  # "end" / "start": a long label at the plot's right / left edge


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
    css: str = ""   # "part": a part period's point, drawn hollow


@dataclass(frozen=True)
class SeriesLines:
    css: str
    label: str
    polylines: list[str]     # the points of each unbroken run, "x,y x,y …"
    points: list[Point]
    legend_x: int       # the key under the chart: a short line, then the label
    legend_dy: int = 0  # its row's offset from the key's last row (wrapped keys)


@dataclass(frozen=True, kw_only=True)
class AxesChart:
    """What every chart with axes has: its box, the axes' gridlines, labels and names
    (Frame.axes works them out)."""
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    grid: list[Gridline]  # labelled left of the plot
    x_labels: list[AxisLabel]
    x_label_y: int
    y_title: str = ""    # the y axis's name and unit, above it
    x_title: str = ""    # the x axis's name, under its labels
    x_middle: int = 0


@dataclass(frozen=True, kw_only=True)
class LineChart(AxesChart):
    levels: list[LevelLine]   # each named right of the plot
    series: list[SeriesLines]  # the key's last row at the chart's foot


@dataclass(frozen=True)
class Frame:
    """A chart's box, WIDTH wide: the margins around the plot, where the axes' labels and the
    key go."""
    left: int
    right: int
    top: int
    bottom: int
    height: int = 300

    @property
    def plot_width(self) -> int:
        return WIDTH - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def axes(self, title: str, x: Callable[[int], float], y: Callable[[float], float],
             ticks: Iterable[tuple[float, str]], labels: Sequence[str], every: int,
             y_title: str, x_title: str) -> dict[str, object]:
        """The AxesChart fields of a chart drawn in this frame: a gridline across the plot at
        each tick value, labelled left of the plot; a label under the plot every EVERY points,
        and on the last."""
        return {"title": title, "width": WIDTH, "height": self.height, "plot_left": self.left,
                "plot_right": self.left + self.plot_width,
                "grid": [Gridline(fixed(y(value)), fixed(y(value) + 4), label)
                         for value, label in ticks],
                "x_labels": [AxisLabel(fixed(x(i)), label) for i, label in enumerate(labels)
                             if i % every == 0 or i == len(labels) - 1],
                "x_label_y": self.height - self.bottom + 18, "y_title": y_title,
                "x_title": x_title, "x_middle": self.left + self.plot_width // 2}


TITLE_SPACE = 18  # room for an axis's name: above the plot (y), under its labels (x)
KEY_ROW = 18      # one row of the key under a chart


def key_rows(entries: int, left: int, key_step: int) -> int:
    """Rows the key takes when its entries wrap at the chart's width."""
    per_row = max(1, (WIDTH - left) // key_step)
    return max(1, -(-entries // per_row))


def plotted_lines(title: str, frame: Frame, x_labels: Sequence[str], series: Sequence[Series],
                  x: Callable[[int], float], y: Callable[[float], float],
                  ticks: Iterable[tuple[float, str]], every: int, levels: Sequence[Level] = (),
                  key_step: int = 260, y_title: str = "", x_title: str = "") -> LineChart:
    """One polyline per series through (x(i), y(value)), broken where a value is missing (a
    lone value is a point with no line), with a key under the plot, KEY_STEP apart, wrapping
    to more rows at the chart's width (the FRAME's bottom leaves room: key_rows)."""

    def runs(values: Sequence[float | None]) -> list[str]:
        lines, run = [], []
        for i, v in enumerate([*values, None]):
            if v is None:
                if len(run) > 1:
                    lines.append(" ".join(run))
                run = []
            else:
                run.append(f"{fixed(x(i))},{fixed(y(v))}")
        return lines

    left = frame.left
    per_row = max(1, (WIDTH - left) // key_step)
    rows = key_rows(len(series), left, key_step)
    lines = []
    for row, s in enumerate(series):
        key_x = left + (row % per_row) * key_step
        key_dy = (row // per_row - (rows - 1)) * KEY_ROW  # the key's first row is highest
        points = [Point(fixed(x(i)), fixed(y(v)), s.notes[i],
                        "part" if i < len(s.part) and s.part[i] else "")
                  for i, v in enumerate(s.values) if v is not None]
        lines.append(SeriesLines(s.css, s.label, runs(s.values), points, key_x, key_dy))
    return LineChart(
        **frame.axes(title, x, y, ticks, x_labels, every, y_title, x_title),
        levels=[LevelLine(level.css, fixed(y(level.value)), fixed(y(level.value) + 4),
                          level.label, fixed(level.value)) for level in levels],
        series=lines)


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[Series],
               levels: Sequence[Level] = (), every: int = 3, y_title: str = "% of plans",
               x_title: str = "Month") -> LineChart:
    """Percentages (0 to 100) over time: one polyline per series, broken where a value is
    missing, and horizontal lines (target, England) across the whole chart; an x label every
    EVERY points and on the last; the axes named Y_TITLE (with its unit) and X_TITLE.
    """
    key_step = 260
    extra = (key_rows(len(series), 44, key_step) - 1) * KEY_ROW
    frame = Frame(left=44, right=150, top=12 + TITLE_SPACE, bottom=52 + TITLE_SPACE + extra,
                  height=300 + 2 * TITLE_SPACE + extra)
    # A few points (years) sit inside the plot, half a slot from each end, so their labels
    # fit; many (months) run from edge to edge.
    pad = frame.plot_width / (2 * len(x_labels)) if 1 < len(x_labels) <= 8 else 0.0
    step = (frame.plot_width - 2 * pad) / max(len(x_labels) - 1, 1)

    def x(i: int) -> float:
        return frame.left + pad + i * step

    def y(v: float) -> float:
        return frame.top + frame.plot_height * (1 - min(max(v, 0.0), 100.0) / 100.0)

    ticks = [(tick, f"{tick}%") for tick in range(0, 101, 25)]
    return plotted_lines(title, frame, x_labels, series, x, y, ticks, every, levels,
                         key_step, y_title, x_title)


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
    label_title: str = ""  # what the bars' labels are, above them
    value_title: str = ""  # what the bars count (the unit), above them


def bar_chart(title: str, bars: Sequence[Bar], unit: str = "", label_title: str = "",
              value_title: str = "") -> BarChart:
    """Horizontal bars with the count at the end of each; a hidden count is written `c`;
    the axes named LABEL_TITLE (the bars' labels) and VALUE_TITLE (what they count)."""
    label_w, value_w, bar_h, gap = 150, 60, 22, 8
    top = 6 + (TITLE_SPACE if label_title or value_title else 0)
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
                           fixed(width) if width > 0 else None, shown, fixed(label_w + width + 6)))
    return BarChart(title, WIDTH, top + 6 + len(bars) * (bar_h + gap), label_w - 8, label_w,
                    bar_h, unit, rows, label_title, value_title)
