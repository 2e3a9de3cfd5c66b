"""The workbook's "Over time" sheet: the board pack's trend section (board_trend.py) as
figures, a stacked backlog chart, each KPI against the previous month and a year before, the
year-end range and the backlog clearance."""

from __future__ import annotations

from typing import Any

import polars as pl

from ehcp_timeliness.report.board import BoardView, Table
from ehcp_timeliness.report.board_trend import OUTLOOK_WITHHELD
from ehcp_timeliness.report.headings import HEADINGS, heading
from ehcp_timeliness.report.trend import BLANK_REVIEWS_NOTE, COHORT_NOTE

_BACKLOG_NOTE = "From the backlog: already past DfE's 20-week date when the month began."


def over_time_sheet(book: Any, view: BoardView, write_table: Any, notes: Any) -> None:
    """BOOK, WRITE_TABLE and NOTES are xlsx.py's (passed in: xlsx.py calls this)."""
    over = view.over_time
    if over is None:
        return
    name = "Over time"
    months = over.months
    frame = months.frame.with_columns(pl.col("month").str.to_date("%Y-%m"))
    sheet = book.book.add_worksheet(name)
    end = write_table(book, sheet, Table(frame, months.mask),
                      [heading(c) for c in frame.columns], 0, {"month": book.month})
    sheet.freeze_panes(1, 0)
    row = end + 1
    changes = pl.DataFrame(
        [{"kpi": card.kpi, "now": None if card.value is None else float(card.value),
          "previous_month": _before(over.changes[card.kpi][0]),
          "change_on_previous_month": over.changes[card.kpi][0].words(card.is_rate),
          "a_year_before": _before(over.changes[card.kpi][1]),
          "change_on_a_year_before": over.changes[card.kpi][1].words(card.is_rate)}
         for card in view.kpis if card.kpi in over.changes and not card.hidden],
        schema={"kpi": pl.String, "now": pl.Float64, "previous_month": pl.Float64,
                "change_on_previous_month": pl.String, "a_year_before": pl.Float64,
                "change_on_a_year_before": pl.String}, orient="row")
    mask = changes.select(pl.repeat(False, changes.height).alias(c) for c in changes.columns)
    row = write_table(book, sheet, Table(changes, mask),
                      ["KPI", "Now", "Previous month", "Change", "A year before", "Change"],
                      row)
    outlook = ([OUTLOOK_WITHHELD] if over.outlook_hidden
               else [over.year_end.sentence(), over.clearance.sentence()])
    notes(book, sheet, row + 1, [*outlook, COHORT_NOTE, _BACKLOG_NOTE, BLANK_REVIEWS_NOTE])
    hidden = months.mask.select(pl.col("open_at_month_end", "open_overdue_at_month_end",
                                       "open_over_52_weeks_at_month_end").any()).row(0)
    if any(hidden) or frame.height == 0:
        return  # a chart would draw hidden months as zeros
    columns = frame.columns
    chart = book.book.add_chart({"type": "line"})
    for column in ("open_at_month_end", "open_overdue_at_month_end",
                   "open_over_52_weeks_at_month_end"):
        col = columns.index(column)
        chart.add_series({"name": HEADINGS[column], "categories": [name, 1, 0, frame.height, 0],
                          "values": [name, 1, col, frame.height, col]})
    chart.set_title({"name": "Open requests at each month end"})
    chart.set_size({"width": 760, "height": 320})
    sheet.insert_chart(row + 6, 0, chart)


def _before(change: Any) -> float | None:
    return None if change.before is None else float(change.before)
