"""The workbook's "Over time" sheet: the board pack's trend section (board_trend.py) as
figures, a stacked backlog chart, each KPI against the previous month and a year before, the
year-end range and the backlog clearance."""

from __future__ import annotations

from typing import Any

import polars as pl

from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.board_trend import OUTLOOK_WITHHELD
from ehcp_timeliness.report.headings import HEADINGS, heading
from ehcp_timeliness.report.trend_notes import BLANK_REVIEWS_NOTE, COHORT_NOTE

_BACKLOG_NOTE = "From the backlog: already past DfE's 20-week date when the month began."


def over_time_sheet(book: Any, view: BoardView, write_table: Any, notes: Any,
                    definitions: Any) -> None:
    """BOOK, WRITE_TABLE, NOTES and DEFINITIONS are xlsx.py's (passed in: xlsx.py calls
    this)."""
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
    lines = [*outlook, COHORT_NOTE, _BACKLOG_NOTE, BLANK_REVIEWS_NOTE]
    notes(book, sheet, row + 1, lines)
    if frame.height == 0:
        return
    # The chart reads a block of its own in which a suppressed figure is an empty cell, drawn
    # as a gap: the table's `c` would be drawn as zero, and every other month keeps its point.
    stocks = ("open_at_month_end", "open_overdue_at_month_end",
              "open_over_52_weeks_at_month_end")
    top = row + 1 + len(lines) + 2  # below the notes' heading and lines
    sheet.write_string(top, 0, "Chart data (a suppressed figure, c in the table, is left blank "
                       "and drawn as a gap)", book.bold)
    sheet.write_string(top + 1, 0, HEADINGS.get("month", "Month"))
    for j, column in enumerate(stocks, start=1):
        sheet.write_string(top + 1, j, HEADINGS[column])
    for i, values in enumerate(frame.select("month", *stocks).iter_rows(), start=top + 2):
        sheet.write_datetime(i, 0, values[0], book.month)
        for j, column in enumerate(stocks, start=1):
            if not months.mask[column][i - top - 2] and values[j] is not None:
                sheet.write_number(i, j, values[j])
    chart = book.book.add_chart({"type": "line"})
    last = top + 1 + frame.height
    for j, column in enumerate(stocks, start=1):
        chart.add_series({"name": HEADINGS[column], "categories": [name, top + 2, 0, last, 0],
                          "values": [name, top + 2, j, last, j]})
    chart.show_blanks_as("gap")
    chart.set_title({"name": "Open requests at each month end"})
    chart.set_y_axis({"name": "Requests"})
    chart.set_x_axis({"name": "Month end"})
    chart.set_size({"width": 760, "height": 320})
    sheet.insert_chart(top, len(stocks) + 2, chart)
    definitions(book, sheet, Table(frame, months.mask), {})


def _before(change: Any) -> float | None:
    return None if change.before is None else float(change.before)
