"""The workbook's Summary and Benchmark sheets as the page shows them: the headline cards in
words (no KPI ids), every measure against its trajectory, and the benchmark year by year, each
table followed by what each of its columns means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
from xlsxwriter.worksheet import Worksheet

from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_benchmark import HEADINGS as BENCHMARK_HEADINGS
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.headline_html import figure

HEADLINE_HEADINGS = ("Measure", "What it counts", "Window", "Value", "Detail",
                     "Beside it", "Target", "Status")
HEADLINE_DEFINITIONS = (
    ("Measure", "The headline measure, DfE's first (plans within 20 weeks, excluding "
                "exceptions, over 12 months)."),
    ("What it counts", "The scope of the figure: which cases, by which date."),
    ("Window", "The period the figure covers; '(to 15 Jun)' marks a part month or year."),
    ("Value", "The figure: a percentage, weeks or a count; c = suppressed."),
    ("Detail", "Numerator and denominator, or the count it is taken over."),
    ("Beside it", "England's and the previous year's figures, and related counts."),
    ("Target", "The target and its date, where the config sets one."),
    ("Status", "Against the milestone in force on the as-of date, qualified where the "
               "measure's own trend is worse or not known."),
)
MEASURE_DEFINITIONS = (
    ("Measure", "Each 20-week window (with and without exceptions) and the two counts."),
    ("Window", "The calendar months the rate covers, ending with the as-of month."),
    ("Actual", "The rate (%) or count; c = suppressed."),
    ("Numerator / Denominator", "Plans within 20 weeks / plans issued in the window."),
    ("England", "England's latest published rate (DfE)."),
    ("Baseline … Target date", "The improvement board's trajectory from the config."),
    ("Status", "Against the milestone in force; 'no target set' where there is none."),
    ("Gap to milestone", "Actual minus the milestone (points for rates, a count otherwise)."),
)
BENCHMARK_DEFINITIONS = (
    ("Year", "Calendar year of issue; '(from 2 Jul)' or '(to 30 Jun)' marks a part year the "
             "export does not cover whole, never ranked."),
    ("Your plans (ex) / within 20 weeks (ex)", "New plans issued in the year in DfE's scope, "
                                               "excluding exceptions, from your export."),
    ("Your data %", "DfE's headline rate worked out from your export."),
    ("Your national rank", "Your figure's place among the local authorities' published "
                           "figures that year, 1 = highest."),
    ("Published % (your authority)", "DfE's published figure for your authority."),
    ("Region % / England %", "DfE's published figures for your region and England."),
    ("Neighbours' median % / range %", "Median and lowest–highest of your ten statistical "
                                       "neighbours' published figures."),
)

WriteTable = Callable[..., int]
Notes = Callable[..., None]


def headline_table(view: BoardView) -> Table:
    rows = []
    for card in view.headline:
        p = card.progress
        unit = card.progress_unit or card.unit
        rows.append({
            "measure": card.title, "scope": card.scope, "window": card.window,
            "value": "c" if card.hidden else figure(card.value, card.unit),
            "detail": card.detail,
            "beside": "; ".join(f"{b.label}: {b.text}" for b in card.beside) or None,
            "target": None if p is None else figure(p.target.value, unit) + (
                f" by {p.target.when:%d %b %Y}" if p.target.when else ""),
            "status": None if p is None else p.status,
        })
    frame = pl.DataFrame(rows, schema=dict.fromkeys(
        ("measure", "scope", "window", "value", "detail", "beside", "target", "status"),
        pl.String), orient="row")
    mask = pl.DataFrame({c: [False] * frame.height for c in frame.columns},
                        schema=dict.fromkeys(frame.columns, pl.Boolean))
    return Table(frame, mask)


def _definitions(book: object, sheet: Worksheet, row: int,
                 definitions: Sequence[tuple[str, str]]) -> int:
    sheet.write_string(row, 0, "What each column means", book.bold)  # type: ignore[attr-defined]
    for i, (name, text) in enumerate(definitions, start=row + 1):
        sheet.write_string(i, 0, name)
        sheet.write_string(i, 1, text)
    return row + len(definitions) + 2


def summary_sheet(book: object, view: BoardView, measures: Table,
                  measure_headings: Sequence[str], write_table: WriteTable, notes: Notes,
                  lines: Sequence[str]) -> None:
    sheet = book.book.add_worksheet("Summary")  # type: ignore[attr-defined]
    row = write_table(book, sheet, headline_table(view), HEADLINE_HEADINGS)
    sheet.freeze_panes(1, 0)
    row = _definitions(book, sheet, row + 1, HEADLINE_DEFINITIONS)
    sheet.write_string(row, 0, "Every measure against its target", book.bold)  # type: ignore
    row = write_table(book, sheet, measures, measure_headings, row + 1)
    row = _definitions(book, sheet, row + 1, MEASURE_DEFINITIONS)
    notes(book, sheet, row, lines)


def benchmark_sheet(book: object, view: BoardView, write_table: WriteTable,
                    notes: Notes) -> None:
    benchmark = view.benchmark
    if benchmark is None:
        return
    table = benchmark.table
    sheet = book.book.add_worksheet("Benchmark")  # type: ignore[attr-defined]
    row = write_table(book, sheet, table, [BENCHMARK_HEADINGS[c] for c in table.columns])
    sheet.freeze_panes(1, 0)
    row = _definitions(book, sheet, row + 1, BENCHMARK_DEFINITIONS)
    notes(book, sheet, row, list(benchmark.citations))
