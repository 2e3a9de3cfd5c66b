"""DfE-style 20-week rates by calendar period of issue (rules.md §3).

Unit: new plans issued in the period (by issue date). Out of scope, as DfE does: cases with
mediation or a tribunal appeal, plans transferred in (H) or issued after another authority's
assessment (S), and plans not yet issued. `_ex` columns also remove cases with a reg 10(4)
exception (Week20) from numerator and denominator.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    MEDIATION,
    PLAN_STATUS,
    RECEIVED_DATE,
    SUMMARY_COLUMNS,
    TRIBUNAL,
    WEEK20_EXCEPTION,
    PlanStatus,
    column,
)
from ehcp_timeliness.rules.status import ISSUED
from ehcp_timeliness.summaries.grouping import (
    Period,
    group_values,
    percentage,
    period_label,
    period_start,
    reject_clashes,
)

# The case columns these figures read (pipeline.analyse keeps only what a command reads).
READS: tuple[str, ...] = (PLAN_STATUS, ISSUED, RECEIVED_DATE, WEEK20_EXCEPTION, MEDIATION,
                          TRIBUNAL, ASSESSMENT_OUTCOME)
ONE_YEAR_DAYS = 364  # our reading of DfE's "over a year": more than 52 weeks (rules.md §6)
ISSUE_DATE = "__issue_date"


def in_dfe_scope() -> pl.Expr:
    """rules.md §3: mediation/tribunal cases and H/S outcomes are outside DfE's figures."""
    return (~pl.col(MEDIATION).fill_null(False) & ~pl.col(TRIBUNAL).fill_null(False)
            & ~pl.col(ASSESSMENT_OUTCOME).is_in(["H", "S"]).fill_null(False))


def issued_plans(cases: pl.DataFrame, as_of: date) -> pl.LazyFrame:
    """In-scope plans issued by the as-of date, with their issue date in ISSUE_DATE.

    Lazy: the caller's query reads only the columns it uses, instead of filtering every
    column of a wide case frame.
    """
    issued = pl.col(PLAN_STATUS).is_in([PlanStatus.ISSUED_ON_TIME, PlanStatus.ISSUED_LATE])
    return (cases.lazy().filter(issued & in_dfe_scope())
            .with_columns(pl.col(ISSUED).alias(ISSUE_DATE)))


def timeliness_rates(cases: pl.DataFrame, as_of: date, period: Period,
                     by: list[str]) -> pl.DataFrame:
    """One row per period and --by group, columns as the data contract's summary table."""
    reject_clashes(by, SUMMARY_COLUMNS)
    plans = issued_plans(cases, as_of).with_columns(
        period_start(pl.col(ISSUE_DATE), period).alias("period"))
    days = (pl.col(ISSUE_DATE) - pl.col(RECEIVED_DATE)).dt.total_days()
    on_time = pl.col(PLAN_STATUS) == PlanStatus.ISSUED_ON_TIME
    ex = ~pl.col(WEEK20_EXCEPTION).fill_null(False)
    # The --by keys are made text inside the group_by, not over the columns: --by
    # received_date or week20_exception must not change what the aggregations read.
    table = plans.group_by(pl.col("period"), *group_values(by)).agg(
        pl.len().alias("plans_issued"),
        on_time.sum().alias("issued_within_20_weeks"),
        ex.sum().alias("plans_issued_ex"),
        (on_time & ex).sum().alias("issued_within_20_weeks_ex"),
        (~on_time & (days <= ONE_YEAR_DAYS)).sum().alias("issued_20_to_52_weeks"),
        (days > ONE_YEAR_DAYS).sum().alias("issued_over_52_weeks"),
        (days.median() / 7).round(1).alias("median_weeks_to_issue"),
    ).collect(engine="in-memory")
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
    return (table.with_columns(pl.col(counts).cast(pl.Int64))
            .select(*keys, *SUMMARY_COLUMNS[1:]).sort(keys))
