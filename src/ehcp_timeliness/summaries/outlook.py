"""Where the year will land (docs/reports.md#outlook).

Year end: DfE's 20-week rate for the as-of date's calendar year so far, and what it can end at
given the requests open on the as-of date, by DfE's method (rules/dfe_method.py: its scope,
its 140 days). The backlog clearance is summaries/clearance.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import OPEN_PLAN_STATUSES, PLAN_STATUS, RECEIVED_DATE
from ehcp_timeliness.rules.dfe_method import (
    WITHIN_20_WEEKS_DAYS,
    has_usable_request_date,
    in_dfe_scope,
    within_20_weeks,
)
from ehcp_timeliness.summaries.grouping import percentage
from ehcp_timeliness.summaries.rates import ISSUE_DATE, issued_plans


@dataclass(frozen=True)
class YearEnd:
    """DfE's rate for YEAR: so far, and the range it can end in (docs/reports.md#year-end)."""

    year: int
    plans_issued: int              # so far, DfE's denominator
    issued_within_20_weeks: int
    open_overdue: int              # open, past DfE's 20-week date: late whenever issued
    open_in_time: int              # open, not yet past it: either way
    open_in_time_due_this_year: int  # of those, whose 20-week date falls before 31 December
    current_on_time_rate: float | None  # this year's in-time plans (not from the backlog)

    @property
    def pct_so_far(self) -> float | None:
        return _pct(self.issued_within_20_weeks, self.plans_issued)

    @property
    def lowest(self) -> float | None:
        """Every open request that can still be late this year is issued late this year
        (with none issued and none that can be late, the only rate there can be is 100%)."""
        plans = self.plans_issued + self.open_overdue + self.open_in_time_due_this_year
        if plans == 0:
            return 100.0 if self.open_in_time else None
        return _pct(self.issued_within_20_weeks, plans)

    @property
    def highest(self) -> float | None:
        """Every request still in time is issued on time this year; the overdue ones, which
        can only be late, next year (with none issued and none in time: 0%)."""
        plans = self.plans_issued + self.open_in_time
        if plans == 0:
            return 0.0 if self.open_overdue else None
        return _pct(self.issued_within_20_weeks + self.open_in_time, plans)

    @property
    def central(self) -> float | None:
        """The overdue requests issued (late) this year, and those due this year issued at
        this year's on-time rate of plans issued in time; the rest next year."""
        rate = self.current_on_time_rate
        plans = self.plans_issued + self.open_overdue + self.open_in_time_due_this_year
        if rate is None or plans == 0:
            return None
        within = self.issued_within_20_weeks + rate / 100 * self.open_in_time_due_this_year
        return round(100 * within / plans, 1)

    def sentence(self) -> str:
        def pct(value: float | None) -> str:
            return "–" if value is None else f"{value:.1f}%"

        return (f"{self.year} so far: {pct(self.pct_so_far)} of {self.plans_issued:,} new "
                f"plans within 20 weeks (DfE). With {self.open_overdue:,} open requests "
                f"already overdue and {self.open_in_time:,} still in time, the year can end "
                f"between {pct(self.lowest)} and {pct(self.highest)}; at this year's on-time "
                f"rate for plans issued in time, about {pct(self.central)}.")

    def to_dict(self) -> dict[str, object]:
        return {"year": self.year, "pct_so_far": self.pct_so_far, "lowest": self.lowest,
                "central": self.central, "highest": self.highest,
                "plans_issued": self.plans_issued,
                "issued_within_20_weeks": self.issued_within_20_weeks,
                "open_overdue": self.open_overdue, "open_in_time": self.open_in_time,
                "open_in_time_due_this_year": self.open_in_time_due_this_year,
                "current_on_time_rate": self.current_on_time_rate}


def _pct(numerator: int, denominator: int) -> float | None:
    return pl.select(percentage(pl.lit(numerator), pl.lit(denominator))).item()


def year_end(cases: pl.DataFrame, as_of: date,
             undated: pl.DataFrame | None = None) -> YearEnd:
    """CASES as analysed as of AS_OF (plan_status); UNDATED as rates.issued_plans."""
    year_start, year_last = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    issue, received = pl.col(ISSUE_DATE), pl.col(RECEIVED_DATE)
    dfe_due = received + pl.duration(days=WITHIN_20_WEEKS_DAYS)
    backlog = has_usable_request_date() & (dfe_due < issue.dt.truncate("1mo"))
    within = within_20_weeks()
    so_far = issued_plans(cases, as_of, undated).filter(issue >= pl.lit(year_start)).select(
        pl.len().alias("plans"), within.sum().alias("within"),
        (~backlog).sum().alias("current"), (within & ~backlog).sum().alias("current_within"),
    ).collect(engine="in-memory").row(0, named=True)
    is_open = pl.col(PLAN_STATUS).is_in(OPEN_PLAN_STATUSES).fill_null(False) & in_dfe_scope()
    late = dfe_due < pl.lit(as_of)
    counts = cases.lazy().filter(is_open).select(
        late.sum().alias("overdue"), (~late).sum().alias("in_time"),
        (~late & (dfe_due < pl.lit(year_last))).sum().alias("due_this_year"),
    ).collect(engine="in-memory").row(0, named=True)
    return YearEnd(as_of.year, int(so_far["plans"]), int(so_far["within"] or 0),
                   int(counts["overdue"] or 0), int(counts["in_time"] or 0),
                   int(counts["due_this_year"] or 0),
                   _pct(int(so_far["current_within"] or 0), int(so_far["current"] or 0)))
