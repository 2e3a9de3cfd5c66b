"""View-models for `dfe` (DfE's figures from your cases) and `benchmark` (your 20-week rates
beside DfE's published figures), and their CSV/JSON bytes. Rich renderings: dfe_terminal.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.config_text import conventions
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.io.writers import json_bytes, table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.published import (
    CITATION,
    LOCAL_AUTHORITY,
    NATIONAL,
    NEIGHBOURS_CITATION,
    REGIONAL,
    SOURCE,
    TIMELINESS,
    Authority,
    find_authority,
    published_table,
    regions,
    statistical_neighbours,
)
from ehcp_timeliness.report.method_notes import analysis_notes
from ehcp_timeliness.report.periods import NOT_RANKED, PartPeriods
from ehcp_timeliness.report.views import (
    Accounting,
    analysis_figures,
    mark_part_periods,
    part_periods,
)
from ehcp_timeliness.summaries.benchmark import RANKS, YOUR_DATA, area_key, benchmark_table
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

COLUMN_NAMES_NOTE = (f"Column names as in DfE's files ({SOURCE}), so each row can be laid "
                     "beside DfE's published row for the same year.")
SCOPE_NOTE = ("DfE's scope: plans and decisions on cases with mediation or a tribunal appeal, "
              "plans transferred in (H) or issued after another authority's assessment (S) are "
              "left out; annual reviews count every plan. _ex = excluding reg 10(4) exceptions "
              "(DfE's headline).")
RANK_NOTE = ("Rank among local authorities with a published percentage that year, 1 = highest, "
             "on the one-decimal figure; equal percentages share the best rank of their group "
             "(1, 2, 2, 4). Your data is placed among the other authorities (your own "
             "authority's published row left out).")

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
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (method_notes)
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
    """One note per figure left blank because the export lacks its columns."""
    if not analysis.has_request_dates:  # one note for everything counted from requests
        return (REGISTER_NOTE, *(not_in_export_note(m, analysis.export.present)
                                 for m in measures_not_in_export(analysis.export.present)
                                 if m.columns not in (REQUEST_COLUMNS, ASSESSMENT_COLUMNS)))
    return tuple(not_in_export_note(m, analysis.export.present)
                 for m in measures_not_in_export(analysis.export.present))


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


@dataclass(frozen=True)
class BenchmarkView:
    table: pl.DataFrame              # summaries.benchmark columns + source
    authority: Authority | None
    years: tuple[int, ...]
    unpublished_years: tuple[int, ...]
    source: str | None               # your file, when one was given
    as_of: date | None
    accounting: Accounting | None
    conventions: tuple[tuple[str, str], ...]
    citations: tuple[str, ...]
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (method_notes)
    periods: PartPeriods | None = None  # your data's part years (None without your data)
    part_years: tuple[int, ...] = ()    # your data's years not ranked: periods.py


def unrank_part_years(table: pl.DataFrame, part_years: list[int]) -> pl.DataFrame:
    """TABLE (summaries.benchmark columns) with your data's part years marked and not ranked:
    a year the export does not cover whole is not comparable with a published whole year."""
    part = (pl.col("role") == YOUR_DATA) & pl.col(TIME_PERIOD).is_in(part_years)
    blanked = [pl.when(part).then(None).otherwise(pl.col(c)).alias(c)
               for pair in RANKS.values() for c in pair]
    return table.with_columns(
        *blanked, part.alias("is_part_period"),
        pl.when(part).then(pl.lit(NOT_RANKED)).otherwise(None).alias("rank_note"))


def split_names(items: list[str]) -> list[str]:
    """--compare "Bexley,E09000032" --compare Barnet -> ["Bexley", "E09000032", "Barnet"]."""
    return [name.strip() for item in items for name in item.split(",") if name.strip()]


def build_benchmark(analysis: Analysis | None, la: str | None, compare: list[str],
                    neighbours: bool) -> BenchmarkView:
    """Your authority (from --la or config), its region, England, the authorities named and,
    with `neighbours`, its ten statistical neighbours; your own figures first when given.
    """
    authority = find_authority(la) if la else None
    compared = [find_authority(name) for name in split_names(compare)]
    if neighbours and authority is None:
        raise UsageError("--neighbours needs your authority",
                         'Give --la NAME or CODE, or set la = "NAME" under [authority] in the '
                         "config file.")

    def la_key(a: Authority) -> str:
        return area_key(LOCAL_AUTHORITY, a.old_la_code)

    selection: list[tuple[str, str]] = []
    if authority is not None:
        selection += [("your authority", la_key(authority)),
                      ("region", area_key(REGIONAL, authority.region_code))]
    selection.append(("England", area_key(NATIONAL)))
    if authority is None and not compared and analysis is None:
        codes = regions(published_table(TIMELINESS))["region_code"].unique().sort()
        selection += [("region", area_key(REGIONAL, code)) for code in codes]
    selection += [("compared", la_key(a)) for a in compared]
    if neighbours and authority is not None:
        selection += [(f"neighbour {i}", la_key(a))
                      for i, a in enumerate(statistical_neighbours(authority), 1)]

    published_years = set(published_table(TIMELINESS)[TIME_PERIOD].unique().to_list())
    mine, years, case_figures = None, None, None
    if analysis is not None:
        case_figures = analysis_figures(analysis)
        mine = figures_of(analysis).filter(pl.col("plans_issued_den") > 0)
        years = mine[TIME_PERIOD].to_list()
    table = benchmark_table(selection, years, mine,
                            authority.old_la_code if authority else None,
                            authority.new_la_code if authority else None)
    periods = part_periods(case_figures) if case_figures is not None else None
    part_years = [y for y in years or [] if periods is not None and periods.year_is_part(y)]
    table = unrank_part_years(table, part_years)
    yours = (f"your data: {analysis.export.name}, as of {analysis.as_of.isoformat()}"
             if analysis is not None else "")
    table = table.with_columns(
        pl.when(pl.col("role") == YOUR_DATA).then(pl.lit(yours)).otherwise(pl.lit(CITATION))
        .alias("source"))
    shown_years = tuple(years) if years is not None else tuple(sorted(published_years))
    return BenchmarkView(
        table=table, authority=authority, years=shown_years,
        unpublished_years=tuple(y for y in shown_years if y not in published_years),
        source=analysis.export.name if analysis is not None else None,
        as_of=analysis.as_of if analysis is not None else None,
        accounting=Accounting.of(analysis) if analysis is not None else None,
        conventions=tuple(conventions(analysis.config)) if analysis is not None else (),
        citations=(CITATION, *((NEIGHBOURS_CITATION,) if neighbours else ())),
        notes=(analysis_notes(analysis, case_figures)
               if analysis is not None and case_figures is not None else ()),
        periods=periods, part_years=tuple(part_years),
    )


def benchmark_bytes(view: BenchmarkView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.table, "csv")
    authority = view.authority
    data = {
        "authority": None if authority is None else {
            "la_name": authority.name, "new_la_code": authority.new_la_code,
            "old_la_code": authority.old_la_code, "region_name": authority.region_name},
        "input": view.source,
        "as_of": view.as_of.isoformat() if view.as_of else None,
        "rows": view.accounting.to_dict() if view.accounting else None,
        "conventions": dict(view.conventions),
        "sources": list(view.citations),
        "notes": [SCOPE_NOTE, RANK_NOTE, *view.notes],
        "not_yet_published": list(view.unpublished_years),
        "benchmark": view.table.to_dicts(),
    }
    return json_bytes(data)

