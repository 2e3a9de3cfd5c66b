"""Where DfE's headline rate for the year will land: a forecast from the export's own history
(docs/reports.md#where-the-year-will-land).

Basis: DfE's headline 20-week rate, EXCLUDING exceptions (rules/dfe_method.py: its scope, its
140 days, `excluding_exceptions`), over the plans issued in the as-of date's calendar year.
Requests with a reg 10(4)/13(3) exception recorded are left out of everything below.

The forecast is a life table of the last 12 months:
1. For each age of a request (days since it was received, in 14-day bands), the daily rate at
   which open requests of that age were issued within 20 weeks, issued late, or closed without
   a plan over the 12 months to the as-of date: events over days at risk. Requests two years
   old and more, a backlog, share one rate, over the last 3 months only: a backlog being
   worked off changes it within months (life_table.OLDEST_RECENT_DAYS).
2. Each request open on the as-of date is carried forward, day by day to 31 December, at those
   rates: its chance of a plan within 20 weeks this year, a late plan this year, or neither.
3. Requests not yet received arrive at the last 12 months' daily pace and are carried forward
   the same way from the day they arrive.
4. When the share of requests issued within 20 weeks has a trend over the last 12 months of
   receipt whose outcome is known and the months received since, read at the part of their
   plans within 20 weeks the table expects by now (on_time_trend.py), the rates of plans
   within 20 weeks are scaled until a new request's chance of one is the trend's latest level.
The central figure is (within so far + expected within) / (issued so far + expected plans).
The likely range is an 80% interval around it: the spread that chance alone gives the open
and future requests' outcomes (each a draw at its own rates), widened by how far the year's
remaining share of on-time plans can drift from the last 12 months' in the months left.

The hard bounds are what today's open requests alone can do: each still able to be late this
year issued late, or each still in time issued on time and the overdue ones next year.
Requests not yet received can take the final rate outside them.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from ehcp_timeliness.columns import (
    OPEN_PLAN_STATUSES,
    PLAN_STATUS,
    RECEIVED_DATE,
)
from ehcp_timeliness.rules.dfe_method import (
    WITHIN_20_WEEKS_DAYS,
    excluding_exceptions,
    in_dfe_scope,
)
from ehcp_timeliness.rules.status import issued_by_as_of
from ehcp_timeliness.summaries.grouping import percentage
from ehcp_timeliness.summaries.life_table import (
    AGE,
    EXIT,
    HISTORY_DAYS,
    OLDEST_BAND_FROM,
    ON_TIME,
    REQUESTS,
    carried_forward,
    day_aggs,
    day_number,
    exit_day,
    exits_by_age,
    history_by_age,
    on_time_by_age,
    on_time_scale,
    on_time_share,
    rates_by_age,
    span_ages,
    to_come,
)
from ehcp_timeliness.summaries.on_time_trend import OnTimeTrend, issued_on_time, on_time_trend
from ehcp_timeliness.summaries.rates import EXCLUDING, ISSUE_DATE, WITHIN, dfe_plans

BASIS = "DfE's headline basis: excluding exceptions"
LIKELY = 0.80
_Z = 1.2815515655446004   # the standard normal's 90th centile: an 80% two-sided interval
# How far the on-time share of the plans still to come this year can drift from the last 12
# months', per year ahead (a standard deviation in points of that share): the year-to-year
# drift of services whose demand or backlog is changing, set on the backtest so that every
# export's range, a service turning round included, holds the final rate at least 80% of the
# time (docs/reports.md#backtest).
DRIFT_POINTS_A_YEAR = 12.0
_OPEN = "__open"
# The months of requests before the as-of date the forecast reads: the rates for ages up to
# two years and more (life_table.OLDEST_BAND_FROM) are learnt from requests up to two years
# old. With fewer, the older ages' rates rest on the few requests old enough, and
# the export may start from an empty service (docs/reports.md#backtest): the outlook says so.
HISTORY_MONTHS_NEEDED = 24


@dataclass(frozen=True)
class YearEnd:
    """DfE's headline rate (excluding exceptions) for YEAR: so far, the forecast, its likely
    range and the hard bounds of today's open requests
    (docs/reports.md#where-the-year-will-land)."""

    year: int
    plans_issued: int              # so far, excluding exceptions: DfE's headline denominator
    issued_within_20_weeks: int
    open_overdue: int              # open, past DfE's 20-week date: late whenever issued
    open_in_time: int              # open, not yet past it: either way
    open_in_time_due_this_year: int  # of those, whose 20-week date falls before 31 December
    expected_within: float         # plans within 20 weeks still to come this year (forecast)
    expected_late: float           # late plans still to come this year (forecast)
    variance_within: float         # of the count of those within, from chance alone
    variance_late: float
    covariance: float
    days_left: int                 # from the as-of date to 31 December
    history_days: int = HISTORY_DAYS  # of the 12 months, the days the export has requests for
    history_months: int = HISTORY_MONTHS_NEEDED  # whole months from its first request to as-of
    # The share of requests issued within 20 weeks: the last known months' line
    # (on_time_trend.py) and the last 12 months' rates' own (a request's chance of it).
    trend: OnTimeTrend | None = None
    table_on_time: float | None = None
    trend_used: bool = False       # the trend significant: the on-time rates scaled to it
    on_time_scale: float = 1.0     # by this factor

    @property
    def short_history(self) -> bool:
        """Fewer months of requests than the forecast reads: a less reliable forecast."""
        return self.history_months < HISTORY_MONTHS_NEEDED

    @property
    def pct_so_far(self) -> float | None:
        return _pct(self.issued_within_20_weeks, self.plans_issued)

    @property
    def lowest(self) -> float | None:
        """Hard bound, today's open requests alone: every one that can still be late this
        year issued late this year (none issued and none can be late: 100%)."""
        plans = self.plans_issued + self.open_overdue + self.open_in_time_due_this_year
        if plans == 0:
            return 100.0 if self.open_in_time else None
        return _pct(self.issued_within_20_weeks, plans)

    @property
    def highest(self) -> float | None:
        """Hard bound, today's open requests alone: every one still in time issued on time
        this year; the overdue ones, which can only be late, next year (none in time: 0%)."""
        plans = self.plans_issued + self.open_in_time
        if plans == 0:
            return 0.0 if self.open_overdue else None
        return _pct(self.issued_within_20_weeks + self.open_in_time, plans)

    @property
    def _within_and_plans(self) -> tuple[float, float]:
        within = self.issued_within_20_weeks + self.expected_within
        return within, self.plans_issued + self.expected_within + self.expected_late

    @property
    def central(self) -> float | None:
        within, plans = self._within_and_plans
        return round(100 * within / plans, 1) if plans > 0 else None

    @property
    def standard_error(self) -> float | None:
        """Of the final rate, in points: chance in each outcome (delta method on
        within / plans) and the drift of the on-time share of the plans to come."""
        within, plans = self._within_and_plans
        if plans <= 0:
            return None
        late = plans - within
        d_within, d_late = late / plans ** 2, -within / plans ** 2
        chance = (d_within ** 2 * self.variance_within + d_late ** 2 * self.variance_late
                  + 2 * d_within * d_late * self.covariance)
        to_come = (self.expected_within + self.expected_late) / plans
        drift = to_come * DRIFT_POINTS_A_YEAR / 100 * math.sqrt(self.days_left / 365)
        return 100 * math.sqrt(max(chance, 0.0) + drift ** 2)

    def _likely(self, sign: int) -> float | None:
        central, error = self.central, self.standard_error
        if central is None or error is None:
            return None
        return round(min(100.0, max(0.0, central + sign * _Z * error)), 1)

    @property
    def likely_low(self) -> float | None:
        return self._likely(-1)

    @property
    def likely_high(self) -> float | None:
        return self._likely(1)

    def sentence(self) -> str:
        def pct(value: float | None) -> str:
            return "–" if value is None else f"{value:.1f}%"

        return (f"{self.year} so far: {pct(self.pct_so_far)} of {self.plans_issued:,} new "
                f"plans within 20 weeks ({BASIS}). Forecast for the year: about "
                f"{pct(self.central)}, likely {pct(self.likely_low)} to "
                f"{pct(self.likely_high)} (80% range), at the last 12 months' rates for "
                f"requests of each age (two years old and more: the last 3 months'), open "
                f"now and yet to come{self._short_history()}."
                f"{self._trend_words()} Hard bounds from the open requests on the same "
                f"basis alone (in DfE's scope, without an exception: {self.open_overdue:,} "
                f"already overdue, {self.open_in_time:,} still in time): {pct(self.lowest)} "
                f"to {pct(self.highest)}.")

    def _short_history(self) -> str:
        if not self.short_history:
            return ""
        if self.history_days == 0:
            # Not "0 months of requests": the export may hold many, none on this basis.
            return (" (resting on no history: the export holds no request before the as-of "
                    "date in DfE's scope without a reg 10(4) exception, the requests the "
                    "forecast reads)")
        return (f" (resting on short history, so less reliable: the export holds only "
                f"{self.history_months} months of requests before the as-of date, fewer than "
                f"the {HISTORY_MONTHS_NEEDED} the forecast reads)")

    def _trend_words(self) -> str:
        trend = self.trend
        if trend is None or not self.trend_used or self.table_on_time is None:
            return ""
        way = "rising" if trend.slope > 0 else "falling"
        running = (f" ({trend.under_way} of those months still short of their 20 weeks, "
                   f"read at the part of their plans within 20 weeks expected by now)"
                   if trend.under_way else "")
        # A sentence of its own, so the board reads the figure first and the reason after it.
        return (f" Plans within 20 weeks are forecast at {100 * trend.level:.0f}% of "
                f"requests, not the last 12 months' {100 * self.table_on_time:.0f}%: the share "
                f"issued within 20 weeks has been {way}, {abs(100 * trend.slope):.1f} points a "
                f"month over requests received {trend.first_month:%Y-%m} to "
                f"{trend.newest_month:%Y-%m}{running}, taken at its level for "
                f"{trend.last_month:%Y-%m}.")

    def to_dict(self) -> dict[str, object]:
        return {"year": self.year, "basis": BASIS, "pct_so_far": self.pct_so_far,
                "central": self.central, "likely_low": self.likely_low,
                "likely_high": self.likely_high, "likely_interval": LIKELY,
                "lowest": self.lowest, "highest": self.highest,
                "bounds": "hard bounds from today's open requests alone",
                "plans_issued": self.plans_issued,
                "issued_within_20_weeks": self.issued_within_20_weeks,
                "open_overdue": self.open_overdue, "open_in_time": self.open_in_time,
                "open_in_time_due_this_year": self.open_in_time_due_this_year,
                "expected_plans_to_come": round(self.expected_within + self.expected_late, 1),
                "expected_within_20_weeks_to_come": round(self.expected_within, 1),
                "history_days": self.history_days,
                "history_months": self.history_months, "short_history": self.short_history,
                "on_time_trend": None if self.trend is None else {
                    "months": f"{self.trend.first_month:%Y-%m}..{self.trend.newest_month:%Y-%m}",
                    "months_under_way": self.trend.under_way,
                    "level_month": f"{self.trend.last_month:%Y-%m}",
                    "points_a_month": round(100 * self.trend.slope, 2),
                    "standard_error": round(100 * self.trend.slope_error, 2),
                    "latest_pct": round(100 * self.trend.level, 1),
                    "used": self.trend_used},
                "table_on_time_pct": (None if self.table_on_time is None
                                      else round(100 * self.table_on_time, 1))}


def _whole_months(first: date, last: date) -> int:
    """Complete months from FIRST to LAST: a month from 31 January ends on the last day of
    February (2023-09-15 to 2025-09-14: 23; 2025-01-31 to 2025-02-28: 1)."""
    months = (last.year - first.year) * 12 + last.month - first.month
    return months - (last.day < min(first.day, calendar.monthrange(last.year, last.month)[1]))


def _pct(numerator: int, denominator: int) -> float | None:
    return pl.select(percentage(pl.lit(numerator), pl.lit(denominator))).item()


def forecast_queries(cases: pl.DataFrame, as_of: date, plans: pl.LazyFrame
                     ) -> list[pl.LazyFrame]:
    """What the forecast reads of CASES and their PLANS (rates.dfe_plans), to be collected
    together (year_end_of): the plans so far this year and those within 20 weeks, and of
    the forecast's requests (DfE's scope, excluding exceptions, received by AS_OF) two small
    tables: by day of receipt (RECEIVED_DATE with REQUESTS, _OPEN, ON_TIME and
    life_table.day_aggs; a few thousand rows) and, of those that left in the 12 months, by
    age on leaving (life_table.exits_by_age). Every figure of the forecast is worked out
    from these, not from the cases again."""
    so_far = plans.filter(
        (pl.col(ISSUE_DATE) >= pl.lit(date(as_of.year, 1, 1))) & pl.col(EXCLUDING)).select(
        pl.len().alias("plans"), pl.col(WITHIN).sum().alias("within"))
    counted = cases.lazy().filter(in_dfe_scope() & excluding_exceptions()
                                  & pl.col(RECEIVED_DATE).is_not_null()
                                  & (pl.col(RECEIVED_DATE) <= pl.lit(as_of)))
    is_open = pl.col(PLAN_STATUS).is_in(OPEN_PLAN_STATUSES).fill_null(False)
    # Each request's few columns worked out once (Polars shares the step both group_bys
    # read), in batches on both cores. Only a request neither issued nor open can have been
    # closed: the closure, the dearest of them, is looked for there alone.
    closing = issued_by_as_of().is_null() & ~is_open
    columns = (RECEIVED_DATE, issued_by_as_of(), is_open.alias(_OPEN),
               issued_on_time().alias(ON_TIME))
    requests = pl.concat([
        counted.filter(~closing).select(*columns, day_number(issued_by_as_of()).alias(EXIT)),
        counted.filter(closing).select(*columns, exit_day(as_of)),
    ]).with_columns(span_ages(as_of))
    return [
        so_far,
        requests.group_by(RECEIVED_DATE).agg(
            pl.len().cast(pl.Int64).alias(REQUESTS),
            pl.col(_OPEN, ON_TIME).sum().cast(pl.Int64), *day_aggs(as_of))
        # In order of day: the on-time trend adds up fractions over the days of a month,
        # the same way every run only in a fixed order.
        .sort(RECEIVED_DATE),
        exits_by_age(requests, as_of)]


def year_end(cases: pl.DataFrame, as_of: date,
             undated: pl.DataFrame | None = None) -> YearEnd:
    """CASES as analysed as of AS_OF (plan_status); UNDATED as rates.issued_plans."""
    queries = forecast_queries(cases, as_of, dfe_plans(cases, as_of, undated))
    return year_end_of(pl.collect_all(queries, engine="streaming"), as_of)


def year_end_of(frames: Sequence[pl.DataFrame], as_of: date) -> YearEnd:
    """The forecast from forecast_queries' FRAMES, collected."""
    year_last = date(as_of.year, 12, 31)
    days_left = (year_last - as_of).days
    plans, by_day, exits = frames
    so_far = plans.row(0, named=True)

    received = pl.col(RECEIVED_DATE)
    dfe_due = received + pl.duration(days=WITHIN_20_WEEKS_DAYS)
    late = dfe_due < pl.lit(as_of)
    open_count = pl.col(_OPEN)
    counts = by_day.select(
        open_count.filter(late).sum().alias("overdue"),
        open_count.filter(~late).sum().alias("in_time"),
        open_count.filter(~late & (dfe_due < pl.lit(year_last))).sum().alias("due_this_year"),
        pl.col(REQUESTS).filter(received > pl.lit(as_of - timedelta(HISTORY_DAYS))).sum()
        .alias("recent"),
        received.min().alias("earliest"),
    ).row(0, named=True)

    history_table = history_by_age(by_day, exits, as_of).collect(engine="in-memory").lazy()
    age_now = (day_number(pl.lit(as_of)) - day_number(received)).clip(
        upper_bound=OLDEST_BAND_FROM)
    # In order of age, so the forecast's sums over them add up the same way every run.
    open_ages = (by_day.filter(open_count > 0).group_by(age_now.alias(AGE))
                 .agg(open_count.sum().alias("n")).sort(AGE))
    pace, earliest = (counts["recent"] or 0) / HISTORY_DAYS, counts["earliest"]
    history = min(HISTORY_DAYS, (as_of - earliest).days) if earliest is not None else 0
    months = _whole_months(earliest, as_of) if earliest is not None else 0

    rates = rates_by_age(history_table, days_left)
    ahead = carried_forward(rates)
    trend = on_time_trend(by_day, as_of, on_time_by_age(ahead))
    table_share = on_time_share(ahead)
    # No plan within 20 weeks in the last 12 months' rates (an export long before the as-of
    # date, say): no scaling can reach the trend's level, and the sentence would set the two
    # side by side ("forecast at 0%, not the last 12 months' 0%").
    used = trend is not None and trend.significant and bool(table_share)
    scale = on_time_scale(rates, trend.level) if trend is not None and used else 1.0
    come = to_come(carried_forward(rates, scale) if used else ahead, open_ages, pace,
                   days_left)
    return YearEnd(
        as_of.year, int(so_far["plans"]), int(so_far["within"] or 0),
        int(counts["overdue"] or 0), int(counts["in_time"] or 0),
        int(counts["due_this_year"] or 0),
        expected_within=come["within"], expected_late=come["late"],
        variance_within=come["var_within"], variance_late=come["var_late"],
        covariance=come["cov"], days_left=days_left, history_days=history,
        history_months=months,
        trend=trend, table_on_time=table_share, trend_used=used, on_time_scale=scale)
