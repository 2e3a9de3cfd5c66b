"""The figures `check` gates a pipeline on, each measured from analysed cases as of a date.

Each is a figure a user can also find elsewhere, so a gate never disagrees with a report:
- the 20-week rate is `summary`'s `pct_within_20_weeks_ex` (DfE's headline: same scope, same
  rounding, rates.py) over whole calendar months ending with the as-of date's month, the
  window the board KPIs use;
- the overdue counts are the as-of snapshot of figures.py (`summary`'s open requests and
  annual reviews tables);
- error rows are the rows set aside with at least one error (blank rows are not errors).
docs/commands.md#check gives the definitions users read.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.summaries.figures import Figures


@dataclass(frozen=True)
class Measure:
    value: float | int | None   # None: nothing to measure (no plans in the window, none to review)
    numerator: int
    denominator: int | None     # percentages only
    is_lower_bound: bool = False  # the export gives only a lower bound: the truth may be higher


def window_rate_ex(figures: Figures, months: int) -> Measure:
    """In-scope plans issued from window_start to the as-of date, excluding reg 10(4)
    exceptions: the % issued within 20 weeks by DfE's rule (FIGURES worked out with MONTHS
    among their windows)."""
    rate = figures.rate(months, excluding=True)
    return Measure(rate.pct, rate.within, rate.plans)


def open_overdue(figures: Figures) -> Measure:
    """Requests with no plan and not closed, past their 20-week date on the as-of date."""
    count = figures.plan_statuses()["overdue"]
    return Measure(count, count, None)


def reviews_overdue_pct(figures: Figures) -> Measure:
    """Of plans needing an annual review (made by the as-of date, not ceased), the % whose
    review is overdue: a lower bound when some plan's review status is not known (figures.py
    REVIEWS_OVERDUE_IS_LOWER_BOUND), as they count as not overdue."""
    counts = figures.reviews().row(0, named=True)
    return Measure(figures.values["pct_reviews_overdue"] if counts["plans_to_review"] else None,
                   counts["reviews_overdue"], counts["plans_to_review"],
                   figures.reviews_not_known > 0)


def error_rows(issues: pl.DataFrame) -> Measure:
    """Rows set aside because of at least one error-severity issue."""
    count = issues.filter(pl.col("severity") == "error")["row"].n_unique()
    return Measure(count, count, None)
