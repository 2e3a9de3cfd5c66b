"""The geometry of the board pack's charts of counts by month (its over-time section): the
backlog as stacked bars, demand against throughput as lines. Built on charts.py's frame, axes
and lines, drawn by the stacked_bar_chart and count_line_chart macros in
templates/charts.svg.j2 (count_line_chart's model is a LineChart, so the line_chart macro draws
it). Each month is a slot on the x axis; the y axis goes from 0 to a round number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ehcp_timeliness.report.charts import (
    TITLE_SPACE,
    WIDTH,
    AxisLabel,
    Frame,
    Gridline,
    LineChart,
    Series,
    fixed,
    plotted_lines,
)

FRAME = Frame(left=52, right=20, top=12 + TITLE_SPACE, bottom=56 + TITLE_SPACE,
              height=300 + 2 * TITLE_SPACE)
KEY_STEP = 230   # the key under the chart: one entry per series, this far apart


@dataclass(frozen=True)
class CountSeries:
    label: str
    values: Sequence[int | None]   # None: suppressed or no figure
    css: str


@dataclass(frozen=True)
class Segment:
    """One series' part of one month's bar."""
    css: str
    x: str
    y: str
    height: str
    note: str   # tooltip: month, series and count


@dataclass(frozen=True)
class StackKey:
    css: str
    label: str
    x: int
    text_x: int


@dataclass(frozen=True)
class StackedBarChart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    y_label_x: int
    grid: list[Gridline]
    x_labels: list[AxisLabel]
    x_label_y: int
    bar_width: str
    segments: list[Segment]   # month by month, each month's from the bottom up
    keys: list[StackKey]
    key_y: int        # the baseline of the key's text
    key_box_y: int    # the top of the key's swatches
    y_title: str = ""  # the axes' names (charts.LineChart)
    x_title: str = ""
    x_title_y: int = 0
    x_middle: int = 0
    part_last: bool = False  # the last month is a part one (periods.py): drawn lighter


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


class _Axes:
    """Months as slots along x, counts from 0 to TOP up y, a gridline every quarter."""

    def __init__(self, months: int, top: int) -> None:
        self.top = top
        self.slot = FRAME.plot_width / max(months, 1)
        self.ticks = [(top * tick / 4, f"{top * tick / 4:,.0f}") for tick in range(5)]

    def x(self, i: int) -> float:
        return FRAME.left + self.slot * (i + 0.5)

    def y(self, value: float) -> float:
        return FRAME.top + FRAME.plot_height * (1 - value / self.top)


def stacked_bar_chart(title: str, labels: Sequence[str], stacks: Sequence[CountSeries],
                      every: int = 3, y_title: str = "Requests", x_title: str = "Month end",
                      part_last: bool = False) -> StackedBarChart:
    """One bar per month, STACKS from the bottom up; a month with a hidden part has no bar
    (its figures are in the table, shown as `c`)."""
    totals = [None if any(s.values[i] is None for s in stacks)
              else sum(s.values[i] or 0 for s in stacks) for i in range(len(labels))]
    axes = _Axes(len(labels), _nice_top(max([t for t in totals if t is not None] or [1])))
    segments = []
    for i, label in enumerate(labels):
        if totals[i] is None:
            continue
        base = 0
        for s in stacks:
            value = s.values[i] or 0
            segments.append(Segment(
                s.css + (" part" if part_last and i == len(labels) - 1 else ""),
                fixed(FRAME.left + axes.slot * i + axes.slot * 0.15),
                fixed(axes.y(base + value)), fixed(FRAME.plot_height * value / axes.top),
                f"{label}: {s.label} {value:,}"))
            base += value
    return StackedBarChart(
        title=title, width=WIDTH, height=FRAME.height, plot_left=FRAME.left,
        plot_right=FRAME.left + FRAME.plot_width, y_label_x=FRAME.left - 6,
        grid=FRAME.grid(axes.y, axes.ticks), x_labels=FRAME.x_labels(axes.x, labels, every),
        x_label_y=FRAME.height - FRAME.bottom + 18, bar_width=fixed(axes.slot * 0.7),
        segments=segments,
        keys=[StackKey(s.css, s.label, FRAME.left + row * KEY_STEP,
                       FRAME.left + row * KEY_STEP + 28) for row, s in enumerate(stacks)],
        key_y=FRAME.height - 14, key_box_y=FRAME.height - 24, y_title=y_title,
        x_title=x_title, x_title_y=FRAME.height - FRAME.bottom + 36,
        x_middle=FRAME.left + FRAME.plot_width // 2, part_last=part_last)


def count_line_chart(title: str, labels: Sequence[str], series: Sequence[CountSeries],
                     every: int = 3, y_title: str = "Requests or plans a month",
                     x_title: str = "Month", part_last: bool = False) -> LineChart:
    """Counts by month, one polyline per series, broken where a value is hidden."""
    axes = _Axes(len(labels), _nice_top(max(
        [v for s in series for v in s.values if v is not None] or [1])))
    part = [part_last and i == len(labels) - 1 for i in range(len(labels))]
    lines = [Series(s.label, s.values,
                    ["" if v is None else f"{label}: {s.label} {v:,}"
                     for label, v in zip(labels, s.values, strict=True)], s.css, part)
             for s in series]
    return plotted_lines(title, FRAME, labels, lines, axes.x, axes.y, axes.ticks, every,
                         key_step=KEY_STEP, y_title=y_title, x_title=x_title)
