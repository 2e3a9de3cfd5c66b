"""`dfe`: DfE's published figures worked out from your cases, under DfE's column names: the
view-model, its CSV/JSON bytes and its Rich table (only cli/ prints it). figures_of is also
what `benchmark` and the board pack lay beside the published figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.config_text import conventions
from ehcp_timeliness.io.writers import json_bytes, table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.published import SOURCE
from ehcp_timeliness.report.periods import PART_PERIOD_NOTE, PartPeriods
from ehcp_timeliness.report.views import (
    Accounting,
    analysis_figures,
    analysis_notes,
    mark_part_periods,
    part_periods,
)
from ehcp_timeliness.summaries.dfe import (
    ASSESSMENT_COLUMNS,
    PLAN_COLUMNS,
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    TIME_PERIOD,
    dfe_figures,
    measures_not_in_export,
    not_in_export_note,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

COLUMN_NAMES_NOTE = (f"Column names as in DfE's files ({SOURCE}), so each row can be laid "
                     "beside DfE's published row for the same year.")
SCOPE_NOTE = ("DfE's scope: plans and decisions on cases with mediation or a tribunal appeal, "
              "plans transferred in (H) or issued after another authority's assessment (S) are "
              "left out; annual reviews count every plan. _ex = excluding reg 10(4) exceptions "
              "(DfE's headline).")

# DfE column -> what it counts, for the terminal table and docs/benchmarking.md.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("New plans, by year of issue (timeliness_20_week.csv)", PLAN_COLUMNS),
    ("Decisions whether to assess (requests.csv)", REQUEST_COLUMNS),
    ("Decisions not to issue a plan (assessments.csv)", ASSESSMENT_COLUMNS),
    ("Annual-review decisions (annual_reviews.csv)", REVIEW_COLUMNS),
)
LABELS = {
    "plans_issued_den": "Plans issued", "plans_issued_den_ex": "Plans issued, ex",
    "plans_issued_within_20_weeks": "Within 20 weeks",
    "plans_issued_20_weeks_ex": "Within 20 weeks, ex",
    "pc_plans_issued_within_20_weeks": "% within 20 weeks",
    "PC_plans_issued_20_weeks_ex": "% within 20 weeks, ex (headline)",
    "plans_issued_gt20weeks_ltYear": "20 weeks to 1 year",
    "plans_issued_gt20weeks_ltYear_ex": "20 weeks to 1 year, ex",
    "pc_plans_issued_gt20weeks_ltYear": "% 20 weeks to 1 year",
    "PC_plans_issued_gt20weeks_ltYear_ex": "% 20 weeks to 1 year, ex",
    "plans_issued_gt_1_year": "Over 1 year", "plans_issued_gt_1_year_ex": "Over 1 year, ex",
    "pc_plans_issued_gt_1_year": "% over 1 year", "PC_plans_issued_gt_1_year_ex":
    "% over 1 year, ex",
    "request_outcome_six_weeks": "Within 6 weeks",
    "request_outcome_over_6_weeks": "After 6 weeks",
    "request_outcome_six_weeks_pc": "% within 6 weeks",
    "request_outcome_over_6_weeks_pc": "% after 6 weeks",
    "outcome_decision_within_time": "Within 16 weeks",
    "outcome_decision_over_time": "After 16 weeks",
    "outcome_decision_within_time_pc": "% within 16 weeks",
    "outcome_decision_over_time_pc": "% after 16 weeks",
    "number_decsion_4weeks": "Within 4 weeks of the meeting",
    "number_decision_gt_4weeks": "After 4 weeks",
    "pc_decsion_4weeks": "% within 4 weeks", "pc_decision_gt_4weeks": "% after 4 weeks",
}


@dataclass(frozen=True)
class DfeView:
    source: str
    as_of: date
    figures: pl.DataFrame    # summaries.dfe.DFE_COLUMNS, one row per calendar year
    accounting: Accounting
    conventions: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (analysis_notes)
    not_in_export: tuple[str, ...] = ()  # why figures are blank (not_in_export_notes)
    periods: PartPeriods | None = None  # which years the export does not cover whole


# DfE's figures counted from requests: new plans (from the request date), decisions whether
# to assess and decisions not to issue. A register of plans holds none of them.
REQUEST_BASED_COLUMNS = (*PLAN_COLUMNS, *REQUEST_COLUMNS, *ASSESSMENT_COLUMNS)
REGISTER_NOTE = ("New plans, decisions whether to assess and decisions not to issue: "
                 "not in this export (a register of plans, without request dates).")


def figures_of(analysis: Analysis) -> pl.DataFrame:
    """DfE's figures for an analysis, under its configured reading of DfE's method, as `dfe`
    and `benchmark` both show them. What the export cannot give is blank, never a count of 0:
    for a plan register (Analysis.has_request_dates False) the request-based figures, and
    any decision measure whose columns the export lacks (summaries/dfe.py)."""
    table = dfe_figures(analysis.cases, analysis.as_of, analysis.undated_plans,
                        analysis.config.dfe.over_a_year)
    blank = [c for m in measures_not_in_export(analysis.export.present) for c in m.columns]
    if not analysis.has_request_dates:
        blank += REQUEST_BASED_COLUMNS
    return table.with_columns(pl.lit(None, table.schema[c]).alias(c)
                              for c in dict.fromkeys(blank))


def not_in_export_notes(analysis: Analysis) -> tuple[str, ...]:
    """One note per figure left blank because the export lacks its columns; for a plan
    register, one note for everything counted from requests."""
    register, present = not analysis.has_request_dates, analysis.export.present
    notes = tuple(not_in_export_note(m, present) for m in measures_not_in_export(present)
                  if not register or m.columns not in (REQUEST_COLUMNS, ASSESSMENT_COLUMNS))
    return (REGISTER_NOTE, *notes) if register else notes


def build_dfe(analysis: Analysis) -> DfeView:
    """DfE's figures, DFE_COLUMNS then is_part_period (the year is a part one: periods.py)."""
    case_figures = analysis_figures(analysis)
    periods = part_periods(case_figures)
    figures = mark_part_periods(figures_of(analysis), TIME_PERIOD, "year", periods)
    return DfeView(analysis.export.name, analysis.as_of, figures,
                   Accounting.of(analysis), tuple(conventions(analysis.config)),
                   analysis_notes(analysis, case_figures), not_in_export_notes(analysis),
                   periods)


def dfe_bytes(view: DfeView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.figures, "csv")
    data = {
        "source": view.source,
        "as_of": view.as_of.isoformat(),
        "rows": view.accounting.to_dict(),
        "conventions": dict(view.conventions),
        "notes": [COLUMN_NAMES_NOTE, SCOPE_NOTE, *view.notes, *view.not_in_export],
        "figures": view.figures.to_dicts(),
    }
    return json_bytes(data)


def render_dfe(view: DfeView) -> RenderableType:
    """One column per calendar year, one row per DfE figure, grouped by DfE file."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ehcp_timeliness.report.terminal import cell_text, render_footer

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
