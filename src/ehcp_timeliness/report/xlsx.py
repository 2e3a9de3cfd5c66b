"""The board workbook and the worklist as .xlsx (xlsxwriter): real Excel dates, a frozen bold
header row, filters and column widths on every table, suppressed cells written `c`.

Safe and repeatable: text is only ever written as text (never parsed as a formula, number or
link) and, as in CSV, text a spreadsheet could run is prefixed with `'`; the document's creation
date is the as-of date, so the same input and --as-of give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ehcp_timeliness.io.writers import neutralise_formulas, neutralise_text
from ehcp_timeliness.report.benchmark import NOTHING_TO_COMPARE
from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_benchmark import HEADINGS as BENCHMARK_HEADINGS
from ehcp_timeliness.report.board_tables import Table, make_table
from ehcp_timeliness.report.board_trend import OUTLOOK_WITHHELD, Change
from ehcp_timeliness.report.definitions import DEFINITIONS
from ehcp_timeliness.report.headings import as_of_reviews_note, heading
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.quality_view import QUALITY_HEADINGS, quality_table
from ehcp_timeliness.report.trend_notes import COHORT_NOTE, blank_reviews_note
from ehcp_timeliness.report.views import NOT_IN_EXPORT
from ehcp_timeliness.report.xlsx_board import (
    BENCHMARK_DEFINITIONS,
    HEADLINE_DEFINITIONS,
    HEADLINE_HEADINGS,
    MEASURE_DEFINITIONS,
    SUMMARY_HEADINGS,
    headline_table,
    summary_table,
)

MIN_WIDTH, MAX_WIDTH = 8, 60


class _Book:
    def __init__(self, as_of: date, title: str) -> None:
        self.buffer = io.BytesIO()
        self.book: Workbook = xlsxwriter.Workbook(self.buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False})
        # Without a fixed creation date xlsxwriter stamps the current time: bytes would differ.
        self.book.set_properties({"title": title, "created": datetime.combine(as_of, time()),
                                  "comments": "Made by ehcp-timeliness"})
        self.header = self.book.add_format({"bold": True, "bg_color": "#E8EDF2",
                                            "bottom": 1, "text_wrap": True, "valign": "top"})
        self.date = self.book.add_format({"num_format": "dd mmm yyyy"})
        self.month = self.book.add_format({"num_format": "mmm yyyy"})
        self.decimal = self.book.add_format({"num_format": "0.0"})
        self.hidden = self.book.add_format({"align": "right", "italic": True})
        self.bold = self.book.add_format({"bold": True})

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _cell_width(value: Any) -> int:
    if isinstance(value, date):
        return 11
    if isinstance(value, float):
        return len(f"{value:.1f}")
    return len(str(value)) if value is not None else 0


def write_table(book: _Book, sheet: Worksheet, table: Table, headings: Sequence[str],
                first_row: int = 0, date_formats: dict[str, Any] | None = None) -> int:
    """A table with its header at `first_row`; returns the row after it.

    Cell by cell rather than Polars' DataFrame.write_excel, which writes a column at a time
    into an Excel table object: a suppressed count is `c` inside a numeric column (written
    over the table's cell afterwards, one loop like this one), the headings are not the
    column names (a table wants its names unique, so renamed and de-duplicated first), and
    widths are in characters here but pixels there. The code would not be shorter, and
    every sheet would gain a table object and banded style it does not have today.
    """
    frame = neutralise_formulas(table.frame)
    formats = date_formats or {}
    widths = [len(h) for h in headings]
    for col, title in enumerate(headings):
        # A heading can be an export's header (a --by column): neutralised as cells are.
        sheet.write_string(first_row, col, neutralise_text(title), book.header)
    for r, (values, hidden) in enumerate(zip(frame.iter_rows(), table.mask.iter_rows(),
                                             strict=True), start=first_row + 1):
        for c, (value, masked) in enumerate(zip(values, hidden, strict=True)):
            name = frame.columns[c]
            widths[c] = max(widths[c], _cell_width(value))
            if masked:
                sheet.write_string(r, c, SUPPRESSED, book.hidden)
            elif value is None:
                sheet.write_blank(r, c, None)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, time()),
                                     formats.get(name, book.date))
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value,
                                   book.decimal if isinstance(value, float) else None)
            else:
                sheet.write_string(r, c, str(value))
    last = first_row + frame.height
    sheet.autofilter(first_row, 0, last, max(len(headings) - 1, 0))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
    return last + 1


def _mark_part_months(book: _Book, sheet: Worksheet, months: Sequence[date],
                      periods: PartPeriods) -> None:
    """A monthly table's part months (periods.py): the month stays a real date in column A,
    its number format saying which part, "May 2025 (to 15 May)", as the page labels it."""
    for row, month in enumerate(months, start=1):
        if note := periods.note("month", f"{month:%Y-%m}"):
            sheet.write_datetime(row, 0, datetime.combine(month, time()),
                                 book.book.add_format({"num_format": f'mmm yyyy "({note})"'}))
            sheet.set_column(0, 0, 24)


def _sheet(book: _Book, name: str, table: Table,
           date_formats: dict[str, Any] | None = None,
           headings: dict[str, str] | None = None) -> Worksheet:
    names = headings or {}
    sheet = book.book.add_worksheet(name)
    write_table(book, sheet, table, [names.get(c) or heading(c) for c in table.columns], 0,
                date_formats)
    sheet.freeze_panes(1, 0)
    _definitions(book, sheet, table, names)
    return sheet


def _definitions(book: _Book, sheet: Worksheet, table: Table,
                 headings: dict[str, str]) -> None:
    """What each column means, right of the table (clear of its rows, notes and chart)."""
    known = [c for c in table.columns if c in DEFINITIONS]
    if not known:
        return
    col = len(table.columns) + 1
    sheet.write_string(0, col, "What each column means", book.bold)
    for row, name in enumerate(known, start=1):
        sheet.write_string(row, col, neutralise_text(headings.get(name) or heading(name)))
        sheet.write_string(row, col + 1, DEFINITIONS[name])
    sheet.set_column(col, col, 22)
    sheet.set_column(col + 1, col + 1, 70)


def _notes(book: _Book, sheet: Worksheet, row: int, lines: Sequence[str]) -> None:
    sheet.write_string(row, 0, "Notes", book.bold)
    for i, line in enumerate(lines, start=row + 1):
        # A note can quote the file's name or a config value: neutralised as cells are.
        sheet.write_string(i, 0, neutralise_text(line))


def _definitions_under(book: _Book, sheet: Worksheet, row: int,
                       definitions: Sequence[tuple[str, str]]) -> int:
    """What each column means, under a table from ROW on; returns the row after them."""
    sheet.write_string(row, 0, "What each column means", book.bold)
    for i, (name, text) in enumerate(definitions, start=row + 1):
        sheet.write_string(i, 0, name)
        sheet.write_string(i, 1, text)
    return row + len(definitions) + 2


def _summary_sheet(book: _Book, view: BoardView) -> None:
    sheet = book.book.add_worksheet("Summary")
    row = write_table(book, sheet, headline_table(view), HEADLINE_HEADINGS)
    sheet.freeze_panes(1, 0)
    row = _definitions_under(book, sheet, row + 1, HEADLINE_DEFINITIONS)
    sheet.write_string(row, 0, "Every measure against its target", book.bold)
    row = write_table(book, sheet, summary_table(view), SUMMARY_HEADINGS, row + 1)
    row = _definitions_under(book, sheet, row + 1, MEASURE_DEFINITIONS)
    _notes(book, sheet, row, board_notes(view))


def _benchmark_sheet(book: _Book, view: BoardView) -> None:
    benchmark = view.benchmark
    if benchmark is None:
        return
    table = benchmark.table
    sheet = book.book.add_worksheet("Benchmark")
    if not benchmark.years:
        _notes(book, sheet, 0, [NOTHING_TO_COMPARE, *benchmark.citations])
        return
    row = write_table(book, sheet, table, [BENCHMARK_HEADINGS[c] for c in table.columns])
    sheet.freeze_panes(1, 0)
    row = _definitions_under(book, sheet, row + 1, BENCHMARK_DEFINITIONS)
    _notes(book, sheet, row, list(benchmark.citations))


_BACKLOG_NOTE = "From the backlog: already past DfE's 20-week date when the month began."


def _over_time_sheet(book: _Book, view: BoardView) -> None:
    """The board pack's trend section (board_trend.py) as figures, a stacked backlog chart,
    each KPI against the previous month and a year before, the year-end range and the backlog
    clearance."""
    over = view.over_time
    if over is None:
        return
    name = "Over time"
    months = over.months
    frame = months.frame.with_columns(pl.col("month").str.to_date("%Y-%m"))
    table = Table(frame, months.mask)
    sheet = book.book.add_worksheet(name)
    end = write_table(book, sheet, table, [heading(c) for c in frame.columns], 0,
                      {"month": book.month})
    _mark_part_months(book, sheet, frame["month"].to_list(), view.periods)
    sheet.freeze_panes(1, 0)
    row = end + 1
    changes = pl.DataFrame(
        # Named in words as on the Summary sheet: a board reads no KPI ids.
        [{"measure": card.title, "window": card.window,
          "now": None if card.value is None else float(card.value),
          "previous_month": _before(over.changes[card.kpi][0]),
          "change_on_previous_month": over.changes[card.kpi][0].words(card.is_rate),
          "a_year_before": _before(over.changes[card.kpi][1]),
          "change_on_a_year_before": over.changes[card.kpi][1].words(card.is_rate)}
         for card in view.kpis if card.kpi in over.changes and not card.hidden],
        schema={"measure": pl.String, "window": pl.String, "now": pl.Float64,
                "previous_month": pl.Float64,
                "change_on_previous_month": pl.String, "a_year_before": pl.Float64,
                "change_on_a_year_before": pl.String}, orient="row")
    row = write_table(book, sheet, make_table(changes, 0),
                      ["Measure", "Window", "Now", "Previous month", "Change", "A year before",
                       "Change"],
                      row)
    outlook = ([OUTLOOK_WITHHELD] if over.outlook_hidden
               else [over.year_end.sentence(), over.clearance.sentence()])
    lines = [*outlook, COHORT_NOTE, _BACKLOG_NOTE,
             blank_reviews_note(view.missing_review_column)]
    _notes(book, sheet, row + 1, lines)
    if frame.height == 0:
        return
    # The chart reads a block of its own in which a suppressed figure is an empty cell, drawn
    # as a gap: the table's `c` would be drawn as zero, and every other month keeps its point.
    stocks = ("open_at_month_end", "open_overdue_at_month_end",
              "open_over_52_weeks_at_month_end")
    top = row + 1 + len(lines) + 2  # below the notes' heading and lines
    sheet.write_string(top, 0, "Chart data (a suppressed figure, c in the table, is left blank "
                       "and drawn as a gap)", book.bold)
    sheet.write_string(top + 1, 0, heading("month"))
    for j, column in enumerate(stocks, start=1):
        sheet.write_string(top + 1, j, heading(column))
    for i, values in enumerate(frame.select("month", *stocks).iter_rows(), start=top + 2):
        sheet.write_datetime(i, 0, values[0], book.month)
        for j, column in enumerate(stocks, start=1):
            if not months.mask[column][i - top - 2] and values[j] is not None:
                sheet.write_number(i, j, values[j])
    chart = book.book.add_chart({"type": "line"})
    last = top + 1 + frame.height
    for j, column in enumerate(stocks, start=1):
        chart.add_series({"name": heading(column), "categories": [name, top + 2, 0, last, 0],
                          "values": [name, top + 2, j, last, j]})
    chart.show_blanks_as("gap")
    chart.set_title({"name": "Open requests at each month end"})
    chart.set_y_axis({"name": "Requests"})
    chart.set_x_axis({"name": "Month end"})
    chart.set_size({"width": 760, "height": 320})
    sheet.insert_chart(top, len(stocks) + 2, chart)
    _definitions(book, sheet, table, {})


def _before(change: Change) -> float | None:
    return None if change.before is None else float(change.before)


def board_notes(view: BoardView) -> list[str]:
    lines = [f"As of {view.as_of:%d %b %Y}. Source: {view.source}. "
             f"{view.accounting.sentence()}",
             *([f"Filter (--where): only the cases where {view.where}; every figure is of "
                "those cases, not the whole authority."] if view.where else []),
             *(text for _, text in view.conventions),
             "20-week rates follow DfE's scope; 'ex' = excluding reg 10(4) exceptions.",
             *view.notes,
             view.england.citation]
    if view.suppress_below > 1:
        lines.append(f"Counts from 1 to {view.suppress_below - 1} and the percentages built "
                     f"on them are shown as {SUPPRESSED}.")
    if view.pseudonymised:
        lines.append("Case and person ids are keyed pseudonyms (HMAC-SHA256).")
    if not view.request_dates:
        lines.append(f"No request dates in the export (a register of plans): 20-week rates, "
                     f"the trend and open requests are {NOT_IN_EXPORT}.")
    lines.append(f"Made by ehcp-timeliness {view.version}.")
    return lines


def _trend_sheet(book: _Book, view: BoardView) -> None:
    trend = view.trend
    frame = trend.frame.with_columns(pl.col("period").str.to_date("%Y-%m"),
                                     pl.lit(view.trend_target, pl.Float64).alias("target"),
                                     pl.lit(view.england.pct_ex).alias("england_ex"))
    mask = trend.mask.with_columns(pl.lit(False).alias("target"),
                                   pl.lit(False).alias("england_ex"))
    sheet = _sheet(book, "Trend", Table(frame, mask), {"period": book.month})
    _mark_part_months(book, sheet, frame["period"].to_list(), view.periods)
    sheet.write_string(0, frame.width - 2, "Target", book.header)
    sheet.write_string(0, frame.width - 1, f"England {view.england.year} (ex)", book.header)
    if mask.select(pl.col("pct_within_20_weeks", "pct_within_20_weeks_ex").any()).row(0) \
            != (False, False) or frame.height == 0:
        return  # a chart would draw hidden months as zeros
    chart = book.book.add_chart({"type": "line"})
    columns = frame.columns
    for name, title in (("pct_within_20_weeks_ex", "Excluding exceptions"),
                        ("pct_within_20_weeks", "Including exceptions"),
                        ("target", "Target"), ("england_ex", "England")):
        if name == "target" and view.trend_target is None:
            continue
        col = columns.index(name)
        chart.add_series({"name": title, "categories": ["Trend", 1, 0, frame.height, 0],
                          "values": ["Trend", 1, col, frame.height, col]})
    chart.set_title({"name": "Plans issued within 20 weeks (%)"})
    chart.set_y_axis({"min": 0, "max": 100})
    chart.set_size({"width": 760, "height": 320})
    sheet.insert_chart(frame.height + 3, 0, chart)


def board_workbook(view: BoardView) -> bytes:
    book = _Book(view.as_of, view.title)
    _summary_sheet(book, view)
    _benchmark_sheet(book, view)
    _trend_sheet(book, view)
    _over_time_sheet(book, view)
    _sheet(book, "Open cases", view.open_requests)
    reviews = _sheet(book, "Reviews", view.reviews)
    if view.reviews_not_known:
        _notes(book, reviews, view.reviews.frame.height + 2,
               [as_of_reviews_note(view.missing_review_column)])
    process = view.review_process
    for name, table in (() if process is None else (
            ("Review decisions", process.decisions), ("Awaiting decision", process.awaiting),
            ("Phase transfers", process.transfers))):
        if table is not None:
            _sheet(book, name, table)
    _sheet(book, "Worklist", view.worklist_all)
    quality = _sheet(book, "Data quality", quality_table(view.data_quality), None,
                     QUALITY_HEADINGS)
    accounting = view.accounting
    _notes(book, quality, view.data_quality.frame.height + 2, [
        f"{accounting.rows_in:,} rows in the export: {accounting.rows_analysed:,} analysed"
        f"{accounting.left_out} and "
        f"{accounting.rows_set_aside:,} set aside because of a problem above."])
    return book.close()


def worklist_workbook(table: Table, as_of: date,
                      labels: Sequence[tuple[str, object]] = ()) -> bytes:
    """The worklist on one sheet, under LABELS (a labelled "As of" cell, the filter used):
    a printed or forwarded sheet still says which day and whose cases it is."""
    book = _Book(as_of, "EHC plan worklist")
    sheet = book.book.add_worksheet("Worklist")
    for row, (label, value) in enumerate(labels):
        sheet.write_string(row, 0, label, book.bold)
        if isinstance(value, date):
            sheet.write_datetime(row, 1, datetime.combine(value, time()), book.date)
        else:  # the filter quotes an export's column and value: neutralised as cells are
            sheet.write_string(row, 1, neutralise_text(str(value)))
    first = len(labels) + 1 if labels else 0
    write_table(book, sheet, table, [heading(c) for c in table.columns], first)
    sheet.freeze_panes(first + 1, 0)
    return book.close()
