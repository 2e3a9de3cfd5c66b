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
from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.definitions import DEFINITIONS
from ehcp_timeliness.report.headings import AS_OF_REVIEWS_NOTE, heading
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.quality_view import QUALITY_HEADINGS, quality_table
from ehcp_timeliness.report.views import NOT_IN_EXPORT
from ehcp_timeliness.report.xlsx_board import benchmark_sheet, summary_sheet
from ehcp_timeliness.report.xlsx_trend import over_time_sheet

MIN_WIDTH, MAX_WIDTH = 8, 60
SUMMARY_HEADINGS = (
    "Measure", "Window", "Actual", "Numerator", "Denominator", "England", "Baseline",
    "Milestone now", "Milestone date", "Next milestone", "Next date", "Target", "Target date",
    "Status", "Gap to milestone",
)


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


def summary_table(view: BoardView) -> Table:
    """One row per KPI: actual against England and the trajectory."""
    rows, hidden = [], []
    for card in view.kpis:
        p = card.progress
        rows.append({
            "measure": card.title, "window": card.window,
            "actual": None if card.value is None else float(card.value),
            "numerator": card.numerator, "denominator": card.denominator,
            "england": card.england,
            "baseline": p.baseline.value if p and p.baseline else None,
            "milestone": p.current.value if p and p.current else None,
            "milestone_date": p.current.when if p and p.current else None,
            "next": p.upcoming.value if p and p.upcoming else None,
            "next_date": p.upcoming.when if p and p.upcoming else None,
            "target": p.target.value if p else None,
            "target_date": p.target.when if p else None,
            "status": (NOT_IN_EXPORT if card.not_in_export
                       else p.status if p else "no target set"),
            "gap": p.gap if p else None,
        })
        parts = card.parts_hidden
        hidden.append({"actual": card.hidden, "numerator": parts, "denominator": parts})
    schema = {"measure": pl.String, "window": pl.String,
              "actual": pl.Float64, "numerator": pl.Int64, "denominator": pl.Int64,
              "england": pl.Float64, "baseline": pl.Float64, "milestone": pl.Float64,
              "milestone_date": pl.Date, "next": pl.Float64, "next_date": pl.Date,
              "target": pl.Float64, "target_date": pl.Date, "status": pl.String,
              "gap": pl.Float64}
    mask = [{**dict.fromkeys(schema, False), **flags} for flags in hidden]
    return Table(pl.DataFrame(rows, schema=schema, orient="row"),
                 pl.DataFrame(mask, schema=dict.fromkeys(schema, pl.Boolean), orient="row"))


def board_notes(view: BoardView) -> list[str]:
    lines = [f"As of {view.as_of:%d %b %Y}. Source: {view.source}. "
             f"{view.accounting.sentence()}",
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
    summary_sheet(book, view, summary_table(view), SUMMARY_HEADINGS, write_table, _notes,
                  board_notes(view))
    benchmark_sheet(book, view, write_table, _notes)
    _trend_sheet(book, view)
    over_time_sheet(book, view, write_table, _notes, _definitions)
    _sheet(book, "Open cases", view.open_requests)
    reviews = _sheet(book, "Reviews", view.reviews)
    if view.reviews_not_known:
        _notes(book, reviews, view.reviews.frame.height + 2, [AS_OF_REVIEWS_NOTE])
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
