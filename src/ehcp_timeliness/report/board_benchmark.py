"""The board pack's benchmark: DfE's headline rate (within 20 weeks, excluding exceptions) year
by year from your data, beside your authority's published figure, its region, England and its
ten statistical neighbours (median and range), with the national rank. The figures are the
`benchmark` command's (report/benchmark.build_benchmark, summaries/benchmark.py); this module
only arranges them, and takes the rank away from a part year (periods.py): a year the export
does not cover whole is not comparable with published whole years.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.published import Authority
from ehcp_timeliness.report.benchmark import build_benchmark
from ehcp_timeliness.report.board_tables import Table, blanked, make_table
from ehcp_timeliness.report.periods import NOT_RANKED, PartPeriods
from ehcp_timeliness.summaries.benchmark import YOUR_DATA
from ehcp_timeliness.summaries.dfe import TIME_PERIOD
from ehcp_timeliness.summaries.figures import Figures

PCT = "PC_plans_issued_20_weeks_ex"
HEADINGS = {
    "year": "Year",
    "plans_issued_ex": "Your plans (ex)",
    "issued_within_20_weeks_ex": "Your plans within 20 weeks (ex)",
    "pct_within_20_weeks_ex": "Your data %",
    "national_rank": "Your national rank",
    "published_pct": "Published % (your authority)",
    "region_pct": "Region %",
    "england_pct": "England %",
    "neighbours_median": "Neighbours' median %",
    "neighbours_range": "Neighbours' range %",
}


@dataclass(frozen=True)
class BoardBenchmark:
    authority: Authority
    years: tuple[int, ...]
    part_years: tuple[int, ...]
    table: Table              # one row a year; HEADINGS
    citations: tuple[str, ...]
    # The same rows unsuppressed, for the board's pool (board_disclosure.with_benchmark):
    # a year's counts are the monthly table's months added up.
    counts: pl.DataFrame | None = None

    def published_in(self, year: int) -> float | None:
        frame = self.table.frame  # one row a year, in YEARS' order
        return frame["published_pct"][self.years.index(year)] if year in self.years else None


def build_board_benchmark(analysis: Analysis, periods: PartPeriods, threshold: int,
                          figures: tuple[Figures, pl.DataFrame]) -> BoardBenchmark | None:
    """None when the authority is not known (no [authority] la, no --la). FIGURES: the
    analysis's case figures and DfE figures, worked out once for the whole board."""

    la = analysis.config.authority.la
    if not la:
        return None
    view = build_benchmark(analysis, la, [], neighbours=True, figures=figures)
    assert view.authority is not None  # found by name or code, or build_benchmark raised
    rows = view.table
    role = pl.col("role")

    def published(condition: pl.Expr, name: str) -> pl.DataFrame:
        return rows.filter(condition).select(TIME_PERIOD, pl.col(PCT).alias(name))

    neighbours = rows.filter(role.str.starts_with("neighbour")).group_by(TIME_PERIOD).agg(
        pl.col(PCT).median().round(1).alias("neighbours_median"),
        pl.col(PCT).min().alias("__low"), pl.col(PCT).max().alias("__high"))
    yours = rows.filter(role == YOUR_DATA).select(
        TIME_PERIOD,
        pl.col("plans_issued_den_ex").alias("plans_issued_ex"),
        pl.col("plans_issued_20_weeks_ex").alias("issued_within_20_weeks_ex"),
        pl.col(PCT).alias("pct_within_20_weeks_ex"), "rank_ex", "rank_ex_of")
    part = [y for y in view.years if periods.year_is_part(y)]
    table = (yours
             .join(published(role == "your authority", "published_pct"), on=TIME_PERIOD,
                   how="left")
             .join(published(role == "region", "region_pct"), on=TIME_PERIOD, how="left")
             .join(published(role == "England", "england_pct"), on=TIME_PERIOD, how="left")
             .join(neighbours, on=TIME_PERIOD, how="left")
             .sort(TIME_PERIOD))
    years = table[TIME_PERIOD].to_list()
    rank = (pl.when(pl.col(TIME_PERIOD).is_in(part)).then(pl.lit(NOT_RANKED))
            .when(pl.col("rank_ex").is_not_null())
            .then(pl.format("{} of {}", pl.col("rank_ex"), pl.col("rank_ex_of"))))
    spread = pl.when(pl.col("__low").is_not_null()).then(
        pl.format("{}–{}", pl.col("__low"), pl.col("__high")))
    frame = table.with_columns(
        pl.Series("year", [periods.year_label(y) for y in years], pl.String),
        rank.alias("national_rank"), spread.alias("neighbours_range"),
    ).select("year", "plans_issued_ex", "issued_within_20_weeks_ex", "pct_within_20_weeks_ex",
             "national_rank", "published_pct", "region_pct", "england_pct",
             "neighbours_median", "neighbours_range")
    shown = make_table(frame, threshold)
    return BoardBenchmark(view.authority, tuple(years), tuple(part),
                          _rank_with_rate(shown.frame, shown.mask), view.citations,
                          frame.with_columns(pl.Series(TIME_PERIOD, years, pl.Int64)))


def _rank_with_rate(frame: pl.DataFrame, mask: pl.DataFrame) -> Table:
    # A rank would narrow a hidden rate down: it goes with it.
    mask = mask.with_columns(national_rank=mask["pct_within_20_weeks_ex"])
    return Table(blanked(frame, mask, ["national_rank"]), mask)


def suppressed_as(benchmark: BoardBenchmark, frame: pl.DataFrame, mask: pl.DataFrame
                  ) -> BoardBenchmark:
    """BENCHMARK showing FRAME with MASK's cells hidden: the board's pool's, solved with
    every other table (board_disclosure.with_benchmark)."""
    return dataclasses.replace(benchmark, table=_rank_with_rate(
        frame.drop(TIME_PERIOD), mask.drop(TIME_PERIOD)))
