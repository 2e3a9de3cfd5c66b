"""Where DfE's headline rate for the year will land: a forecast from the export's own history
(docs/reports.md#where-the-year-will-land).

Basis: DfE's headline 20-week rate, EXCLUDING exceptions (rules/dfe_method.py: its scope, its
140 days, `excluding_exceptions`), over the plans issued in the as-of date's calendar year.
Requests with a reg 10(4)/13(3) exception recorded are left out of everything below.

The forecast is a life table of the last 12 months:
1. For each age of a request (days since it was received, in 14-day bands), the daily rate at
   which open requests of that age were issued within 20 weeks, issued late, or closed without
   a plan over the 12 months to the as-of date: events over days at risk.
2. Each request open on the as-of date is carried forward, day by day to 31 December, at those
   rates: its chance of a plan within 20 weeks this year, a late plan this year, or neither.
3. Requests not yet received arrive at the last 12 months' daily pace and are carried forward
   the same way from the day they arrive.
4. When the share of requests issued within 20 weeks has a trend over the last 12 months of
   receipt whose outcome is known (on_time_trend.py), the rates of plans within 20 weeks are
   scaled until a new request's chance of one is the trend's latest level.
The central figure is (within so far + expected within) / (issued so far + expected plans).
The likely range is an 80% interval around it: the spread that chance alone gives the open
and future requests' outcomes (each a draw at its own rates), widened by how far the year's
remaining share of on-time plans can drift from the last 12 months' in the months left.

The hard bounds are what today's open requests alone can do: each still able to be late this
year issued late, or each still in time issued on time and the overdue ones next year.
Requests not yet received can take the final rate outside them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    MEDIATION,
    OPEN_PLAN_STATUSES,
    PLAN_ISSUED_DATE,
    PLAN_STATUS,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    TRIBUNAL,
    WEEK20_EXCEPTION,
)
from ehcp_timeliness.rules.dfe_method import (
    WITHIN_20_WEEKS_DAYS,
    excluding_exceptions,
    in_dfe_scope,
    within_20_weeks,
)
from ehcp_timeliness.rules.spans import closed_on
from ehcp_timeliness.rules.status import issued_by_as_of
from ehcp_timeliness.summaries.grouping import percentage
from ehcp_timeliness.summaries.on_time_trend import OnTimeTrend, on_time_trend
from ehcp_timeliness.summaries.rates import ISSUE_DATE, issued_plans

# The case columns the forecast reads (pipeline.analyse keeps only what a command reads).
READS: tuple[str, ...] = (PLAN_STATUS, PLAN_ISSUED_DATE, RECEIVED_DATE, REQUEST_OUTCOME,
                          REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE,
                          WEEK20_EXCEPTION, MEDIATION, TRIBUNAL)

BASIS = "DfE's headline basis: excluding exceptions"
HISTORY_DAYS = 365        # the rates and the pace of new requests: the last 12 months
BAND_DAYS = 14            # ages pooled in fortnights, the 20-week date ending one of them
OLDEST_BAND_FROM = 1 + 52 * BAND_DAYS  # two years and more: one rate
LIKELY = 0.80
_HALVINGS = 40            # of the on-time factor's bracket
_MOST_SCALE = 64.0        # the on-time factor's ceiling (a chance of 0 stays 0)
_Z = 1.2815515655446004   # the standard normal's 90th centile: an 80% two-sided interval
# How far the on-time share of the plans still to come this year can drift from the last 12
# months', per year ahead (a standard deviation in points of that share): the year-to-year
# drift of services whose demand or backlog is changing, set on the backtest so that every
# export's range, a service turning round included, holds the final rate at least 80% of the
# time (docs/reports.md#backtest).
DRIFT_POINTS_A_YEAR = 12.0

assert WITHIN_20_WEEKS_DAYS % BAND_DAYS == 0  # no band mixes day 140 with day 141

_AGE, _BAND, _KIND = "__age", "__band", "__kind"
_KINDS = ("within", "late", "closed")


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
    # The share of requests issued within 20 weeks: the last known months' line
    # (on_time_trend.py) and the last 12 months' rates' own (a request's chance of it).
    trend: OnTimeTrend | None = None
    table_on_time: float | None = None
    trend_used: bool = False       # the trend significant: the on-time rates scaled to it
    on_time_scale: float = 1.0     # by this factor

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
                f"requests of each age, open now and yet to come{self._short_history()}"
                f"{self._trend_words()}. Hard bounds from the "
                f"{self.open_overdue:,} open requests already overdue and "
                f"{self.open_in_time:,} still in time alone: {pct(self.lowest)} to "
                f"{pct(self.highest)}.")

    def _short_history(self) -> str:
        if self.history_days >= HISTORY_DAYS:
            return ""
        return (f" (the export has requests for only {self.history_days} of those days: "
                f"a rougher forecast)")

    def _trend_words(self) -> str:
        trend = self.trend
        if trend is None or not self.trend_used or self.table_on_time is None:
            return ""
        way = "rising" if trend.slope > 0 else "falling"
        return (f"; the share of requests issued within 20 weeks has been {way}, "
                f"{abs(100 * trend.slope):.1f} points a month over the 12 months of requests "
                f"received {trend.first_month:%Y-%m} to {trend.last_month:%Y-%m} (whose "
                f"20 weeks have passed), so plans within 20 weeks are forecast at its latest "
                f"level, {100 * trend.level:.0f}% of requests, not the last 12 months' "
                f"{100 * self.table_on_time:.0f}%")

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
                "on_time_trend": None if self.trend is None else {
                    "months": f"{self.trend.first_month:%Y-%m}..{self.trend.last_month:%Y-%m}",
                    "points_a_month": round(100 * self.trend.slope, 2),
                    "standard_error": round(100 * self.trend.slope_error, 2),
                    "latest_pct": round(100 * self.trend.level, 1),
                    "used": self.trend_used},
                "table_on_time_pct": (None if self.table_on_time is None
                                      else round(100 * self.table_on_time, 1))}


def _pct(numerator: int, denominator: int) -> float | None:
    return pl.select(percentage(pl.lit(numerator), pl.lit(denominator))).item()


def _band(age: pl.Expr) -> pl.Expr:
    """Fortnights of age ending on day 14, 28, …, 140, …: day 0 joins the first; from
    OLDEST_BAND_FROM on, one band."""
    return (pl.min_horizontal(age, OLDEST_BAND_FROM) - 1).clip(lower_bound=0) // BAND_DAYS


def _day(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int32)


def _history(cases: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """Per age band: days at risk and events (within, late, closed) over the last 12 months.
    A request is at risk on each day from its receipt to its plan or closure (inclusive),
    counted from the day after the window opens to the as-of date."""
    start = _day(pl.lit(as_of - timedelta(HISTORY_DAYS)))
    end = _day(pl.lit(as_of))
    received = _day(pl.col(RECEIVED_DATE))
    exit_day = _day(pl.coalesce(issued_by_as_of(), closed_on(as_of)))
    spans = cases.select(
        (pl.max_horizontal(start + 1 - received, pl.lit(0))).alias("first"),
        (pl.min_horizontal(exit_day.fill_null(end), end) - received).alias("last"),
        (exit_day - received).alias(_AGE),
        pl.when(issued_by_as_of().is_null()).then(pl.lit("closed"))
        .when(within_20_weeks()).then(pl.lit("within")).otherwise(pl.lit("late"))
        .alias(_KIND),
        ((exit_day > start) & (exit_day <= end)).fill_null(False).alias("__event"),
    ).filter(pl.col("last") >= pl.col("first"))
    # Days at risk under OLDEST_BAND_FROM by difference array over the ages; the rest direct.
    cap = OLDEST_BAND_FROM
    ages = pl.LazyFrame({_AGE: pl.int_range(0, cap, eager=True, dtype=pl.Int32)})
    enter = spans.group_by(pl.col("first").clip(upper_bound=cap).alias(_AGE)).agg(
        pl.len().cast(pl.Int64).alias("enter"))
    leave = spans.group_by((pl.col("last") + 1).clip(upper_bound=cap).alias(_AGE)).agg(
        pl.len().cast(pl.Int64).alias("leave"))
    at_risk = (ages.join(enter, on=_AGE, how="left").join(leave, on=_AGE, how="left")
               .sort(_AGE)
               .select(_band(pl.col(_AGE)).alias(_BAND),
                       (pl.col("enter").fill_null(0) - pl.col("leave").fill_null(0))
                       .cum_sum().alias("days"))
               .group_by(_BAND).agg(pl.col("days").sum()))
    oldest = spans.select(pl.lit(_band_of(cap), dtype=pl.Int32).alias(_BAND),
                          (pl.col("last") + 1 - pl.max_horizontal("first", pl.lit(cap)))
                          .clip(lower_bound=0).sum().cast(pl.Int64).alias("days"))
    events = (spans.filter("__event")
              .group_by(_band(pl.col(_AGE)).alias(_BAND))
              .agg(*((pl.col(_KIND) == kind).sum().cast(pl.Int64).alias(kind)
                     for kind in _KINDS)))
    bands = pl.concat([at_risk.with_columns(pl.col(_BAND).cast(pl.Int32)), oldest])
    return (bands.group_by(_BAND).agg(pl.col("days").sum())
            .join(events.with_columns(pl.col(_BAND).cast(pl.Int32)), on=_BAND, how="left")
            .with_columns(pl.col(_KINDS).fill_null(0)))


def _band_of(age: int) -> int:
    return max(min(age, OLDEST_BAND_FROM) - 1, 0) // BAND_DAYS


def _carried_forward(history: pl.LazyFrame, ages: int, on_time: float = 1.0) -> pl.LazyFrame:
    """Ages 0 … AGES−1 with, for each, `survive` (the chance a request open on its day of
    receipt is still open at the start of that age: the product of 1 − the daily rate of
    every younger age) and `within`/`late` (the chance it was issued so at a younger age).
    ON_TIME scales the rates of plans within 20 weeks (the trend's; 1: the table's own)."""
    rates = history.select(
        _BAND,
        *((pl.when(pl.col("days") > 0).then(pl.col(kind) / pl.col("days")).otherwise(0.0))
          .alias(f"rate_{kind}") for kind in _KINDS))
    # Scaled, plans within 20 weeks take at most half the requests the other ways out leave
    # open a day: real rates (hundredths a day) never come near, and a request can still be
    # open the next day, so the chances of one open now stay defined.
    rates = rates.with_columns(pl.min_horizontal(
        pl.col("rate_within") * on_time,
        (1 - pl.col("rate_late") - pl.col("rate_closed")).clip(lower_bound=0.0) / 2))
    grid = pl.LazyFrame({_AGE: pl.int_range(0, ages, eager=True, dtype=pl.Int32)}).with_columns(
        _band(pl.col(_AGE)).cast(pl.Int32).alias(_BAND))
    leaving = pl.sum_horizontal(*(pl.col(f"rate_{k}") for k in _KINDS)).clip(upper_bound=1.0)
    return (grid.join(rates, on=_BAND, how="left").sort(_AGE)
            .with_columns(pl.col(f"rate_{k}").fill_null(0.0) for k in _KINDS)
            .with_columns((1 - leaving).cum_prod().shift(1, fill_value=1.0).alias("survive"))
            .with_columns(*((pl.col("survive") * pl.col(f"rate_{kind}")).cum_sum()
                            .shift(1, fill_value=0.0).alias(kind) for kind in ("within", "late")))
            .select(_AGE, "survive", "within", "late"))


def year_end(cases: pl.DataFrame, as_of: date,
             undated: pl.DataFrame | None = None) -> YearEnd:
    """CASES as analysed as of AS_OF (plan_status); UNDATED as rates.issued_plans."""
    year_start, year_last = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    days_left = (year_last - as_of).days
    so_far = issued_plans(cases, as_of, undated).filter(
        (pl.col(ISSUE_DATE) >= pl.lit(year_start)) & excluding_exceptions()).select(
        pl.len().alias("plans"), within_20_weeks().sum().alias("within"),
    ).collect(engine="in-memory").row(0, named=True)

    counted = cases.lazy().filter(in_dfe_scope() & excluding_exceptions()
                                  & pl.col(RECEIVED_DATE).is_not_null()
                                  & (pl.col(RECEIVED_DATE) <= pl.lit(as_of)))
    received = pl.col(RECEIVED_DATE)
    dfe_due = received + pl.duration(days=WITHIN_20_WEEKS_DAYS)
    is_open = pl.col(PLAN_STATUS).is_in(OPEN_PLAN_STATUSES).fill_null(False)
    late = dfe_due < pl.lit(as_of)
    counts = counted.filter(is_open).select(
        late.sum().alias("overdue"), (~late).sum().alias("in_time"),
        (~late & (dfe_due < pl.lit(year_last))).sum().alias("due_this_year"),
    ).collect(engine="in-memory").row(0, named=True)

    history_table = _history(counted, as_of).collect(engine="in-memory").lazy()
    age_now = (_day(pl.lit(as_of)) - _day(received)).clip(upper_bound=OLDEST_BAND_FROM)
    open_ages = (counted.filter(is_open).group_by(age_now.alias(_AGE)).agg(pl.len().alias("n"))
                 .collect(engine="in-memory"))
    pace, earliest = counted.select(
        (received > pl.lit(as_of - timedelta(HISTORY_DAYS))).sum().alias("recent"),
        received.min().alias("earliest"),
    ).collect(engine="in-memory").row(0)
    pace = (pace or 0) / HISTORY_DAYS
    history = min(HISTORY_DAYS, (as_of - earliest).days) if earliest is not None else 0

    trend = on_time_trend(counted, as_of)
    table_share = _on_time_share(history_table)
    used = trend is not None and trend.significant
    scale = _on_time_scale(history_table, trend.level) if trend is not None and used else 1.0
    come = _to_come(history_table, open_ages, pace, days_left, scale)
    return YearEnd(
        as_of.year, int(so_far["plans"]), int(so_far["within"] or 0),
        int(counts["overdue"] or 0), int(counts["in_time"] or 0),
        int(counts["due_this_year"] or 0),
        expected_within=come["within"], expected_late=come["late"],
        variance_within=come["var_within"], variance_late=come["var_late"],
        covariance=come["cov"], days_left=days_left, history_days=history,
        trend=trend, table_on_time=table_share, trend_used=used, on_time_scale=scale)


def _on_time_share(history: pl.LazyFrame, on_time: float = 1.0) -> float:
    """The table's chance that a request is issued within 20 weeks (by day 140)."""
    ahead = _carried_forward(history, WITHIN_20_WEEKS_DAYS + 2, on_time).collect(engine="in-memory")
    return float(ahead.filter(pl.col(_AGE) == WITHIN_20_WEEKS_DAYS + 1)["within"].item())


def _on_time_scale(history: pl.LazyFrame, share: float) -> float:
    """The factor on the table's rates of plans within 20 weeks that gives a request its
    chance SHARE of one (at most _MOST_SCALE; 1 when the table has none to scale). The chance
    rises with the factor: halve the bracket until it is far below any printed digit."""
    if _on_time_share(history) <= 0:
        return 1.0
    low, high = 0.0, 1.0
    while _on_time_share(history, high) < share and high < _MOST_SCALE:
        low, high = high, 2 * high
    for _ in range(_HALVINGS):
        middle = (low + high) / 2
        low, high = (middle, high) if _on_time_share(history, middle) < share else (low, middle)
    return (low + high) / 2


def _to_come(history: pl.LazyFrame, open_ages: pl.DataFrame, pace: float, days_left: int,
             on_time: float) -> dict[str, float]:
    """Plans within 20 weeks and late still to come this year, with their variances: from
    the open requests (OPEN_AGES: how many of each age) and the requests yet to arrive at
    PACE a day."""
    ahead = _carried_forward(history, OLDEST_BAND_FROM + days_left + 2,
                             on_time).collect(engine="in-memory")
    now = ahead.join(ahead.select(pl.col(_AGE) - days_left, pl.col("within").alias("w_end"),
                                  pl.col("late").alias("l_end")), on=_AGE)
    # A request aged a on the as-of date is at risk from age a + 1 to a + days_left.
    chances = now.select(
        (pl.col(_AGE) - 1).alias(_AGE),
        pl.when(pl.col("survive") > 0)
        .then((pl.col("w_end") - pl.col("within")) / pl.col("survive")).otherwise(0.0)
        .alias("p_within"),
        pl.when(pl.col("survive") > 0)
        .then((pl.col("l_end") - pl.col("late")) / pl.col("survive")).otherwise(0.0)
        .alias("p_late"))
    open_now = (open_ages.join(chances, on=_AGE, how="left").fill_null(0.0)
                .select((pl.col("n") * pl.col("p_within")).sum().alias("within"),
                        (pl.col("n") * pl.col("p_late")).sum().alias("late"),
                        (pl.col("n") * pl.col("p_within") * (1 - pl.col("p_within"))).sum()
                        .alias("var_within"),
                        (pl.col("n") * pl.col("p_late") * (1 - pl.col("p_late"))).sum()
                        .alias("var_late"),
                        (-pl.col("n") * pl.col("p_within") * pl.col("p_late")).sum()
                        .alias("cov"))
                .row(0, named=True))
    # New requests: one arriving d days before 31 December is at risk from age 0 to d − 1.
    newcomers = ahead.filter((pl.col(_AGE) >= 1) & (pl.col(_AGE) <= days_left)).select(
        pl.col("within").sum(), pl.col("late").sum()).row(0)
    new_within, new_late = pace * float(newcomers[0] or 0), pace * float(newcomers[1] or 0)
    # Arrivals are a Poisson flow: the counts they add vary as their means.
    return {"within": float(open_now["within"]) + new_within,
            "late": float(open_now["late"]) + new_late,
            "var_within": float(open_now["var_within"]) + new_within,
            "var_late": float(open_now["var_late"]) + new_late,
            "cov": float(open_now["cov"])}
