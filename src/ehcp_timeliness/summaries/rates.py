"""DfE-style 20-week rates by calendar period of issue (rules.md §3).

Unit: new plans issued in the period (by issue date), by DfE's method (rules/dfe_method.py),
whatever the local conventions. Out of scope, as DfE does: cases with mediation or a tribunal
appeal, plans transferred in (H) or issued after another authority's assessment (S), and plans
not yet issued. `_ex` columns also remove cases with a reg 10(4) exception (Week20) from
numerator and denominator. A plan with no usable request date (set aside from the case
analysis, pipeline.Analysis.undated_plans) counts in `plans_issued` and in no bucket, as in
DfE's denominators.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    IS_PART_PERIOD,
    SUMMARY_COLUMNS,
    column,
)
from ehcp_timeliness.rules.dfe_method import (
    OverAYear,
    between_20_weeks_and_a_year,
    days_to_issue,
    excluding_exceptions,
    issued_in_dfe_scope,
    over_a_year,
    within_20_weeks,
)
from ehcp_timeliness.rules.status import issued_by_as_of
from ehcp_timeliness.summaries.grouping import (
    Period,
    group_values,
    percentage,
    period_key,
    period_label,
    reject_clashes,
)

ISSUE_DATE = "__issue_date"
# Each plan's conditions by DfE's method (dfe_plans), read by every figure of the plans.
WITHIN, EXCLUDING, BETWEEN, OVER, DAYS = (
    "__within", "__excluding", "__20_to_52_weeks", "__over_52_weeks", "__days_to_issue")


def issued_plans(cases: pl.DataFrame, as_of: date,
                 undated: pl.DataFrame | None = None) -> pl.LazyFrame:
    """In-scope plans issued by the as-of date, with their issue date in ISSUE_DATE: the
    analysed cases' and, when given, UNDATED's (rows set aside for their request date alone,
    the same columns as CASES), which DfE's denominators count too.

    Lazy: the caller's query reads only the columns it uses, instead of filtering every
    column of a wide case frame.
    """
    frames = [cases.lazy()]
    if undated is not None and undated.height:
        frames.append(undated.lazy().select(cases.columns))
    return (pl.concat(frames, how="vertical").filter(issued_in_dfe_scope())
            .with_columns(issued_by_as_of().alias(ISSUE_DATE)))


def dfe_plans(cases: pl.DataFrame, as_of: date, undated: pl.DataFrame | None = None,
              over_a_year_reading: OverAYear = "52_weeks") -> pl.LazyFrame:
    """issued_plans with each plan's conditions worked out once, before any aggregation
    reads them: WITHIN 20 weeks, EXCLUDING exceptions, BETWEEN 20 weeks and a year, OVER a
    year (OVER_A_YEAR_READING: config dfe.over_a_year) and DAYS to issue. The figures, the
    rates and the forecast read this one query, so collected together it is worked out
    once; and aggregations that are plain sums of columns take Polars' fast path."""
    return issued_plans(cases, as_of, undated).with_columns(
        within_20_weeks().alias(WITHIN), excluding_exceptions().alias(EXCLUDING),
        between_20_weeks_and_a_year(over_a_year_reading).alias(BETWEEN),
        over_a_year(over_a_year_reading).alias(OVER), days_to_issue().alias(DAYS))


def rates_query(plans: pl.LazyFrame, period: Period, by: list[str],
                extra: Sequence[pl.Expr] = ()) -> pl.LazyFrame:
    """The counts of rates_table by period and --by group, from PLANS (dfe_plans), then
    EXTRA (counts over the plans, ISSUE_DATE among their columns)."""
    reject_clashes(by, (*SUMMARY_COLUMNS, IS_PART_PERIOD))
    within, ex = pl.col(WITHIN), pl.col(EXCLUDING)
    # The --by keys are made text inside the group_by, not over the columns: --by
    # received_date or week20_exception must not change what the aggregations read.
    return plans.group_by(period_key(pl.col(ISSUE_DATE), period).alias("period"),
                          *group_values(by)).agg(
        pl.len().alias("plans_issued"),
        within.sum().alias("issued_within_20_weeks"),
        ex.sum().alias("plans_issued_ex"),
        (within & ex).sum().alias("issued_within_20_weeks_ex"),
        pl.col(BETWEEN).sum().alias("issued_20_to_52_weeks"),
        pl.col(OVER).sum().alias("issued_over_52_weeks"),
        (pl.col(DAYS).median() / 7).round(1).alias("median_weeks_to_issue"),
        *extra,
    )


def rates_table(table: pl.DataFrame, period: Period, by: list[str],
                extra: Sequence[pl.Expr] = ()) -> pl.DataFrame:
    """One row per period and --by group, columns as the data contract's summary table, then
    EXTRA's: from rates_query's TABLE."""
    table = table.with_columns(
        period_label(pl.col("period"), period).alias("period"),
        percentage(pl.col("issued_within_20_weeks"), pl.col("plans_issued"))
        .alias("pct_within_20_weeks"),
        percentage(pl.col("issued_within_20_weeks_ex"), pl.col("plans_issued_ex"))
        .alias("pct_within_20_weeks_ex"),
    )
    keys = [pl.col("period"), *(column(c) for c in by)]  # export headers: never patterns
    counts = [c for c in SUMMARY_COLUMNS if c not in ("period", "pct_within_20_weeks",
                                                      "pct_within_20_weeks_ex",
                                                      "median_weeks_to_issue")]
    extras = [e.meta.output_name() for e in extra]
    return (table.with_columns(pl.col([*counts, *extras]).cast(pl.Int64))
            .select(*keys, *SUMMARY_COLUMNS[1:], *extras).sort(keys))


def timeliness_rates(cases: pl.DataFrame, as_of: date, period: Period,
                     by: list[str], undated: pl.DataFrame | None = None,
                     over_a_year_reading: OverAYear = "52_weeks",
                     extra: Sequence[pl.Expr] = ()) -> pl.DataFrame:
    """rates_table of CASES as of AS_OF (UNDATED as issued_plans)."""
    query = rates_query(dfe_plans(cases, as_of, undated, over_a_year_reading), period, by,
                        extra)
    return rates_table(query.collect(engine="in-memory"), period, by, extra)
