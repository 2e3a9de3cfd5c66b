"""The figures `check` gates a pipeline on, each measured from analysed cases as of a date.

Each is a figure a user can also find elsewhere, so a gate never disagrees with a report:
- the 20-week rate is `summary`'s `pct_within_20_weeks_ex` (DfE's headline: same scope, same
  rounding, rates.py) over whole calendar months ending with the as-of date's month, the
  window the board KPIs use;
- the overdue counts are the as-of snapshot of open_work.py (`summary`'s open requests and
  annual reviews tables);
- error rows are the rows set aside with at least one error (blank rows are not errors).
docs/commands.md#check gives the definitions users read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    PLAN_STATUS,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
)
from ehcp_timeliness.rules.dfe_method import excluding_exceptions, within_20_weeks
from ehcp_timeliness.summaries.grouping import percentage

# The board KPIs' window, shared so the gate and the board pack can never disagree.
from ehcp_timeliness.summaries.kpis import issued_in_window
from ehcp_timeliness.summaries.rates import issued_plans


@dataclass(frozen=True)
class Measure:
    value: float | int | None   # None: nothing to measure (no plans in the window, none to review)
    numerator: int
    denominator: int | None     # percentages only


def pct_within_20_weeks_ex(cases: pl.DataFrame, as_of: date, months: int,
                           undated: pl.DataFrame | None = None) -> Measure:
    """In-scope plans issued from window_start to the as-of date, excluding reg 10(4)
    exceptions: the % issued within 20 weeks by DfE's rule (rules/dfe_method.py, the
    expressions `summary` and `dfe` use; one decimal, halves up). UNDATED: plans set aside
    for their request date alone, in the denominator as DfE counts them."""
    plans = issued_plans(cases, as_of, undated).filter(
        issued_in_window(as_of, months) & excluding_exceptions())
    on_time = within_20_weeks().sum()
    return _rate(plans.select(on_time.alias("n"), pl.len().alias("d")).collect(engine="in-memory"))


def open_overdue(cases: pl.DataFrame) -> Measure:
    """Requests with no plan and not closed, past their 20-week date on the as-of date."""
    count = cases.filter(pl.col(PLAN_STATUS) == PlanStatus.OVERDUE).height
    return Measure(count, count, None)


def reviews_overdue_pct(cases: pl.DataFrame) -> Measure:
    """Of plans needing an annual review (made by the as-of date, not ceased), the % whose
    review is overdue."""
    to_review = pl.col(REVIEW_STATUS) != ReviewStatus.NOT_APPLICABLE
    overdue = (pl.col(REVIEW_STATUS) == ReviewStatus.OVERDUE).sum()
    return _rate(cases.filter(to_review).select(overdue.alias("n"), pl.len().alias("d")))


def error_rows(issues: pl.DataFrame) -> Measure:
    """Rows set aside because of at least one error-severity issue."""
    count = issues.filter(pl.col("severity") == "error")["row"].n_unique()
    return Measure(count, count, None)


def _rate(counts: pl.DataFrame) -> Measure:
    row = counts.with_columns(percentage(pl.col("n"), pl.col("d")).alias("p")).row(0, named=True)
    numerator, denominator = int(row["n"] or 0), int(row["d"])
    return Measure(row["p"] if denominator else None, numerator, denominator)
