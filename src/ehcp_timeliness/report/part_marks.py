"""Part periods (periods.py) marked on what the page draws and tables by month: the x label
written "Jun 25 (to 15 Jun)", the point drawn hollow and the bar lighter (css class `part`),
the table's month "2025-06 (to 15 Jun)". Applied to a chart's model after it is built, so
every chart of months is marked the same way whoever builds it: each point and bar segment
carries a note starting with its month's label, and that is how it is found.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

import polars as pl

from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.charts import LineChart
from ehcp_timeliness.report.periods import PartPeriods, month_label
from ehcp_timeliness.report.trend_charts import StackedBarChart

Chart = TypeVar("Chart", LineChart, StackedBarChart)
LABEL_ROOM = 130 # SVG units either side of a part month's label, "Jun 25 (to 15 Jun)"


def mark_part_months(chart: Chart, months: Sequence[str], periods: PartPeriods) -> Chart:
    """CHART (x axis: MONTHS, YYYY-MM) with its part months marked."""
    part = {month_label(m): periods.month_label(m) for m in months if periods.month_is_part(m)}
    if not part:
        return chart

    def is_part(note: str) -> bool:
        return any(note.startswith(f"{label}:") for label in part)

    labels = [dataclasses.replace(a, label=part.get(a.label, a.label)) for a in chart.x_labels]
    # A part month's longer label takes the room of a neighbour too close to it.
    wide = [float(a.x) for a in labels if a.label in part.values()]
    labels = [a for a in labels if a.label in part.values()
              or all(abs(float(a.x) - x) > LABEL_ROOM for x in wide)]
    # At either end of the axis, a part month's label runs inwards, so it is not cut off.
    if labels and labels[-1].label in part.values():
        labels[-1] = dataclasses.replace(labels[-1], anchor="end")
    if len(labels) > 1 and labels[0].label in part.values():
        labels[0] = dataclasses.replace(labels[0], anchor="start")
    if isinstance(chart, LineChart):
        series = [dataclasses.replace(s, points=[
            dataclasses.replace(p, css="part") if is_part(p.note) else p for p in s.points])
            for s in chart.series]
        return dataclasses.replace(chart, x_labels=labels, series=series)
    segments = [dataclasses.replace(s, css=f"{s.css} part") if is_part(s.note) else s
                for s in chart.segments]
    return dataclasses.replace(chart, x_labels=labels, segments=segments)


def label_part_months(table: Table, column: str, periods: PartPeriods) -> Table:
    """TABLE with its part months' COLUMN (YYYY-MM) written "2025-06 (to 15 Jun)"."""
    labels = {m: periods.label("month", m) for m in table.frame[column].unique().to_list() if m}
    return Table(table.frame.with_columns(pl.col(column).replace(labels)), table.mask)
