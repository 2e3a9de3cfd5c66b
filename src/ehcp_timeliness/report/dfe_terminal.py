"""Rich renderings of `dfe` and `benchmark`. Each render_* returns renderables; only cli/ prints."""

from __future__ import annotations

import polars as pl
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ehcp_timeliness.report.dfe_views import (
    COLUMN_NAMES_NOTE,
    LABELS,
    RANK_NOTE,
    SCOPE_NOTE,
    SECTIONS,
    BenchmarkView,
    DfeView,
)
from ehcp_timeliness.report.headings import HEADINGS
from ehcp_timeliness.report.periods import PART_PERIOD_NOTE
from ehcp_timeliness.report.terminal import cell_text, frame_table, render_footer
from ehcp_timeliness.summaries.benchmark import RANKS
from ehcp_timeliness.summaries.dfe import TIME_PERIOD


def render_dfe(view: DfeView) -> RenderableType:
    """One column per calendar year, one row per DfE figure, grouped by DfE file."""
    parts: list[RenderableType] = []
    if view.figures.height == 0:
        parts.append(Text("No plans issued, decisions or reviews dated by the as-of date.",
                          style="yellow"))
    else:
        by_year = {row[TIME_PERIOD]: row for row in view.figures.iter_rows(named=True)}
        periods = view.periods
        part = [y for y in by_year if periods is not None and periods.year_is_part(y)]
        partial = f" {PART_PERIOD_NOTE}" if part else ""
        table = Table(title="DfE's published figures, worked out from your cases: decisions "
                      "and reviews by calendar year of the decision",
                      caption=f"{COLUMN_NAMES_NOTE} {SCOPE_NOTE}{partial}",
                      title_justify="left", caption_justify="left")
        table.add_column("Figure", no_wrap=True)
        table.add_column("DfE column", no_wrap=True, style="dim")
        for year in by_year:
            # A part year's note on a line of its own: the year columns stay narrow.
            note = periods.note("year", year) if periods is not None else ""
            label = f"{year}\n({note})" if note else str(year)
            table.add_column(label, justify="right", no_wrap=True)
        for heading, columns in SECTIONS:
            table.add_row(Text(heading, style="bold"), end_section=False)
            for column in columns:
                table.add_row(Text(LABELS[column]), Text(column),
                              *(Text(cell_text(row[column])) for row in by_year.values()),
                              end_section=column == columns[-1])
        parts.append(table)
    for note in view.not_in_export:  # why a figure shows – rather than a count
        parts.append(Text(note, style="yellow"))
    parts.append(render_footer(view.accounting, view.conventions, view.source, view.as_of,
                               view.notes))
    return Group(*parts)


# The benchmark table's columns, in the order shown (headings: report/headings.py).
_BENCHMARK_COLUMNS = (
    "area", "role", "new_la_code", "plans_issued_den_ex", "plans_issued_20_weeks_ex",
    "PC_plans_issued_20_weeks_ex", "rank_ex", "plans_issued_den", "plans_issued_within_20_weeks",
    "pc_plans_issued_within_20_weeks", "rank",
)


def _rank_text(rank: str, out_of: str) -> pl.Expr:
    # "not ranked" for a part year: the table's title says "(from 2 Jul)", its caption why.
    return (pl.when(pl.col("rank_note").is_not_null()).then(pl.lit("not ranked"))
            .when(pl.col(rank).is_not_null()).then(
        pl.concat_str(pl.col(rank).cast(pl.String), pl.lit(" of "),
                      pl.col(out_of).cast(pl.String)))).alias(rank)


def render_benchmark(view: BenchmarkView) -> RenderableType:
    """One table per year: your figures, your authority, region, England, others."""
    parts: list[RenderableType] = []
    if view.authority is not None:
        a = view.authority
        parts.append(Text(f"Your authority: {a.name} ({a.new_la_code}, LA {a.old_la_code}, "
                          f"{a.region_name})", style="bold"))
    if not view.years:
        parts.append(Text("No in-scope plans issued by the as-of date: nothing to compare.",
                          style="yellow"))
    shown = view.table.with_columns(
        *(_rank_text(rank, out_of) for rank, out_of in RANKS.values()))
    for year in view.years:
        rows = shown.filter(pl.col(TIME_PERIOD) == year).select(_BENCHMARK_COLUMNS)
        caption = (f"DfE has not published {year} yet: your figures only."
                   if year in view.unpublished_years else None)
        label = view.periods.year_label(year) if view.periods is not None else str(year)
        if year in view.part_years:
            caption = " ".join(c for c in (caption, PART_PERIOD_NOTE) if c)
        parts.append(frame_table(
            rows, f"{label}: new EHC plans issued within 20 weeks "
            "(ex = excluding exceptions, DfE's headline)", HEADINGS, caption))
    notes = Text()
    notes.append(RANK_NOTE + "\n" + SCOPE_NOTE + "\n", style="dim")
    for citation in view.citations:
        notes.append(citation + "\n")
    parts.append(notes)
    if view.accounting is not None and view.source is not None:
        parts.append(render_footer(view.accounting, view.conventions, view.source, view.as_of,
                                   view.notes))
    return Group(*parts)
