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
    AxesChart,
    Frame,
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


@dataclass(frozen=True, kw_only=True)
class StackedBarChart(AxesChart):
    bar_width: str
    segments: list[Segment]   # month by month, each month's from the bottom up
    marks: list[Segment]      # a `c` over a bar whose total is hidden (height unused)
    keys: list[StackKey]   # in a row at the chart's foot


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


HIDDEN_CSS, HIDDEN_LABEL = "stack-hidden", "Suppressed (c)"


def stacked_bar_chart(title: str, labels: Sequence[str], stacks: Sequence[CountSeries],
                      totals: Sequence[int | None] | None = None) -> StackedBarChart:
    """One bar per month, STACKS from the bottom up. Every month keeps its bar: the parts
    disclosure control hides (None) are drawn as one segment marked suppressed, where the
    first of them would be, as tall as the month's shown TOTAL less its shown parts (a
    figure the page gives anyway); with no total shown, the shown parts and a `c` above."""
    def whole(i: int) -> int | None:
        if totals is not None:
            return totals[i]
        parts = [s.values[i] for s in stacks]
        return None if None in parts else sum(p or 0 for p in parts)

    wholes = [whole(i) for i in range(len(labels))]
    heights = [w if w is not None else sum(s.values[i] or 0 for s in stacks)
               for i, w in enumerate(wholes)]
    axes = _Axes(len(labels), _nice_top(max(heights or [1]) or 1))
    segments, marks = [], []
    for i, label in enumerate(labels):
        x = fixed(FRAME.left + axes.slot * i + axes.slot * 0.15)
        hidden = [s.label for s in stacks if s.values[i] is None]
        base = 0

        def add(css: str, value: int, note: str, x: str = x) -> None:
            nonlocal base
            segments.append(Segment(css, x, fixed(axes.y(base + value)),
                                    fixed(FRAME.plot_height * value / axes.top), note))
            base += value

        for s in stacks:
            value = s.values[i]
            if value is not None:
                add(s.css, value, f"{label}: {s.label} {value:,}")
            elif s.label == hidden[0] and wholes[i] is not None:
                rest = wholes[i] - sum(v.values[i] or 0 for v in stacks)  # type: ignore[operator]
                add(f"{HIDDEN_CSS} {s.css}", rest, f"{label}: {', '.join(hidden)} suppressed (c), "
                                      f"{rest:,} together")
        if hidden and wholes[i] is None:
            marks.append(Segment(HIDDEN_CSS, fixed(axes.x(i)), fixed(axes.y(base) - 4), "",
                                 f"{label}: {', '.join(hidden)} suppressed (c)"))
    keys = list(stacks)
    if marks or any(segment.css.startswith(HIDDEN_CSS) for segment in segments):
        keys.append(CountSeries(HIDDEN_LABEL, (), HIDDEN_CSS))
    # Each key as wide as its label (about 6.5 px a character at the legend's size).
    starts = [FRAME.left]
    for s in keys[:-1]:
        starts.append(starts[-1] + min(KEY_STEP, 28 + int(6.5 * len(s.label)) + 18))
    return StackedBarChart(
        **FRAME.axes(title, axes.x, axes.y, axes.ticks, labels, 3, "Requests", "Month end"),
        bar_width=fixed(axes.slot * 0.7), segments=segments, marks=marks,
        keys=[StackKey(s.css, s.label, x) for x, s in zip(starts, keys, strict=True)])


def count_line_chart(title: str, labels: Sequence[str], series: Sequence[CountSeries]
                     ) -> LineChart:
    """Counts by month, one polyline per series, broken where a value is hidden."""
    axes = _Axes(len(labels), _nice_top(max(
        [v for s in series for v in s.values if v is not None] or [1])))
    lines = [Series(s.label, s.values,
                    ["" if v is None else f"{label}: {s.label} {v:,}"
                     for label, v in zip(labels, s.values, strict=True)], s.css)
             for s in series]
    return plotted_lines(title, FRAME, labels, lines, axes.x, axes.y, axes.ticks, 3,
                         key_step=KEY_STEP, y_title="Requests or plans a month", x_title="Month")
