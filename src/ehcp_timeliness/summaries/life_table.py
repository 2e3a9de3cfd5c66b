"""The year-end forecast's life table (summaries/year_end.py): for each age of a request,
the daily rates at which open requests of that age were issued within 20 weeks, issued late or
closed without a plan over the last 12 months (requests two years old and more: over the last
3 months), and requests carried forward at those rates
(docs/reports.md#where-the-year-will-land)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from ehcp_timeliness.columns import RECEIVED_DATE
from ehcp_timeliness.rules.dfe_method import WITHIN_20_WEEKS_DAYS
from ehcp_timeliness.rules.spans import closed_on
from ehcp_timeliness.rules.status import issued_by_as_of

HISTORY_DAYS = 365        # the rates and the pace of new requests: the last 12 months
BAND_DAYS = 14            # ages pooled in fortnights, the 20-week date ending one of them
OLDEST_BAND_FROM = 1 + 52 * BAND_DAYS  # two years and more: one rate
# The two-years-and-more rates, from the last 3 months only: those requests are a backlog, and
# a service working one off (or letting one grow) changes how fast it leaves within months,
# which 12 months' rates would show only a year later (docs/reports.md#backtest).
OLDEST_RECENT_DAYS = 91
_HALVINGS = 40            # of the on-time factor's bracket
_MOST_SCALE = 64.0        # the on-time factor's ceiling (a chance of 0 stays 0)

assert WITHIN_20_WEEKS_DAYS % BAND_DAYS == 0  # no band mixes day 140 with day 141

AGE, _BAND, _KIND, _OLDEST = "__age", "__band", "__kind", "__oldest_days"
_RECENT = "__recent"   # of exits by age: those inside the last OLDEST_RECENT_DAYS
SPANS, AT_END = "__at_risk", "__at_risk_at_end"
# By day of receipt (year_end's one pass): the requests and those issued_on_time.
REQUESTS, ON_TIME = "__requests", "__on_time"
EXIT, FIRST, LAST = "__exit_day", "__first_age", "__last_age"
_KINDS = ("within", "late", "closed")
_KIND_TYPE = pl.Enum(_KINDS)


def _band(age: pl.Expr) -> pl.Expr:
    """Fortnights of age ending on day 14, 28, …, 140, …: day 0 joins the first; from
    OLDEST_BAND_FROM on, one band."""
    return (pl.min_horizontal(age, OLDEST_BAND_FROM) - 1).clip(lower_bound=0) // BAND_DAYS


def day_number(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int32)


def _window(as_of: date) -> tuple[pl.Expr, pl.Expr]:
    """The day before the 12 months open and the as-of date, as day numbers."""
    return day_number(pl.lit(as_of - timedelta(HISTORY_DAYS))), day_number(pl.lit(as_of))


def exit_day(as_of: date) -> pl.Expr:
    """The day a request left (EXIT: its plan or closure; null while open), as a day number:
    worked out once a request in year_end's one pass, before span_ages reads it."""
    return day_number(pl.coalesce(issued_by_as_of(), closed_on(as_of))).alias(EXIT)


def span_ages(as_of: date) -> list[pl.Expr]:
    """The first and last ages at which a request with its exit_day was at risk inside the
    12 months (FIRST, LAST; none when LAST < FIRST). In a step after exit_day's: read from
    its column, the closure is not worked out again."""
    start, end = _window(as_of)
    received = day_number(pl.col(RECEIVED_DATE))
    return [pl.max_horizontal(start + 1 - received, pl.lit(0)).alias(FIRST),
            (pl.min_horizontal(pl.col(EXIT).fill_null(end), end) - received).alias(LAST)]


def day_aggs(as_of: date) -> list[pl.Expr]:
    """Aggregations by day of receipt of requests with exit_day and span_ages: those at risk
    inside the 12 months at all (SPANS) and those still at risk on the as-of date (AT_END).
    With exits_by_age, all history_by_age reads of the requests."""
    _, end = _window(as_of)
    exit_day, at_risk = pl.col(EXIT), pl.col(LAST) >= pl.col(FIRST)
    return [at_risk.sum().cast(pl.Int64).alias(SPANS),
            (at_risk & (exit_day.is_null() | (exit_day > end))).sum().cast(pl.Int64)
            .alias(AT_END)]


def _oldest_from(as_of: date) -> pl.Expr:
    """The first age of a request counted in the oldest band: OLDEST_BAND_FROM, or its age on
    the first day of the last OLDEST_RECENT_DAYS if older then."""
    _, end = _window(as_of)
    recent_first = end + 1 - OLDEST_RECENT_DAYS - day_number(pl.col(RECEIVED_DATE))
    return pl.max_horizontal(recent_first, pl.lit(OLDEST_BAND_FROM))


def exits_by_age(requests: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """Of REQUESTS (with exit_day, span_ages and ON_TIME, on_time_trend.issued_on_time), those that
    left inside the 12 months, by age on leaving (from OLDEST_BAND_FROM on, one age) and how
    (_KIND: within, late, closed): how many, how many of them inside the last
    OLDEST_RECENT_DAYS (_RECENT), and their days at risk at OLDEST_BAND_FROM and beyond inside
    those days."""
    start, end = _window(as_of)
    exit_day, first, last = pl.col(EXIT), pl.col(FIRST), pl.col(LAST)
    # The way out as an Enum read from ON_TIME, not text from the 20-week rule again: half
    # the cost of grouping a year's exits.
    kind = (pl.when(issued_by_as_of().is_null()).then(pl.lit("closed", _KIND_TYPE))
            .when(pl.col(ON_TIME)).then(pl.lit("within", _KIND_TYPE))
            .otherwise(pl.lit("late", _KIND_TYPE)))
    cap = OLDEST_BAND_FROM
    return (requests.filter((exit_day > start) & (exit_day <= end) & (last >= first))
            .select((exit_day - day_number(pl.col(RECEIVED_DATE))).clip(upper_bound=cap)
                    .alias(AGE), kind.alias(_KIND),
                    (exit_day > end - OLDEST_RECENT_DAYS).alias(_RECENT),
                    (last + 1 - _oldest_from(as_of)).clip(lower_bound=0)
                    .cast(pl.Int64).alias(_OLDEST))
            .group_by(AGE, _KIND).agg(pl.len().cast(pl.Int64).alias("n"),
                                      pl.col(_RECENT).sum().cast(pl.Int64), pl.col(_OLDEST).sum()))


def history_by_age(by_day: pl.DataFrame, exits: pl.DataFrame, as_of: date) -> pl.LazyFrame:
    """Per age band: days at risk and events (within, late, closed) over the last 12 months
    (the oldest band: the last OLDEST_RECENT_DAYS), from the requests by day of receipt
    (BY_DAY: RECEIVED_DATE with day_aggs) and those that left (EXITS: exits_by_age). A request
    is at risk on each day from its receipt to its plan or closure (inclusive), counted from
    the day after the window opens to the as-of date."""
    start, end = _window(as_of)
    received = day_number(pl.col(RECEIVED_DATE))
    first = pl.max_horizontal(start + 1 - received, pl.lit(0))
    cap = OLDEST_BAND_FROM
    # Days at risk under OLDEST_BAND_FROM by difference array over the ages: a request enters
    # at its first age and leaves the day after its last (the as-of date's age while still
    # at risk, else its age on leaving); from OLDEST_BAND_FROM on, its days directly.
    enter = by_day.lazy().select(first.clip(upper_bound=cap).alias(AGE), pl.col(SPANS).alias("n"))
    still = by_day.lazy().select((end + 1 - received).clip(upper_bound=cap).alias(AGE),
                                 (-pl.col(AT_END)).alias("n"))
    left = exits.lazy().select((pl.col(AGE) + 1).clip(upper_bound=cap), -pl.col("n"))
    steps = (pl.concat([enter, still, left]).group_by(AGE).agg(pl.col("n").sum()))
    ages = pl.LazyFrame({AGE: pl.int_range(0, cap, eager=True, dtype=pl.Int32)})
    at_risk = (ages.join(steps, on=AGE, how="left").sort(AGE)
               .select(_band(pl.col(AGE)).alias(_BAND), pl.col("n").fill_null(0).cum_sum()
                       .alias("days"))
               .group_by(_BAND).agg(pl.col("days").sum()))
    oldest_open = (end + 1 - received - _oldest_from(as_of)).clip(lower_bound=0)
    oldest = pl.concat([
        by_day.lazy().select((pl.col(AT_END) * oldest_open).alias(_OLDEST)),
        exits.lazy().select(_OLDEST)]).select(
        _band(pl.lit(cap, pl.Int32)).alias(_BAND),
        pl.col(_OLDEST).sum().cast(pl.Int64).alias("days"))
    counted = pl.when(pl.col(AGE) >= cap).then(pl.col(_RECENT)).otherwise(pl.col("n"))
    events = (exits.lazy().group_by(_band(pl.col(AGE)).alias(_BAND))
              .agg(*(counted.filter(pl.col(_KIND) == kind).sum().cast(pl.Int64).alias(kind)
                     for kind in _KINDS)))
    bands = pl.concat([at_risk.with_columns(pl.col(_BAND).cast(pl.Int32)), oldest])
    return (bands.group_by(_BAND).agg(pl.col("days").sum())
            .join(events.with_columns(pl.col(_BAND).cast(pl.Int32)), on=_BAND, how="left")
            .with_columns(pl.col(_KINDS).fill_null(0)))


def rates_by_age(history: pl.LazyFrame, days_left: int) -> pl.DataFrame:
    """Every age a request open now or yet to come can reach by 31 December, DAYS_LEFT away
    (0 … OLDEST_BAND_FROM + DAYS_LEFT + 1), with the daily rates of its band (rate_within,
    rate_late, rate_closed; 0 where the table has no days at risk): worked out once, and
    carried forward at as many on-time factors as on_time_scale tries. A request's chances
    up to an age read only the rates of younger ages, so every reader takes what it needs."""
    rates = history.select(
        _BAND,
        *((pl.when(pl.col("days") > 0).then(pl.col(kind) / pl.col("days")).otherwise(0.0))
          .alias(f"rate_{kind}") for kind in _KINDS))
    grid = pl.LazyFrame({AGE: pl.int_range(0, OLDEST_BAND_FROM + days_left + 2, eager=True,
                                           dtype=pl.Int32)}).with_columns(
        _band(pl.col(AGE)).cast(pl.Int32).alias(_BAND))
    return (grid.join(rates, on=_BAND, how="left").sort(AGE)
            .with_columns(pl.col(f"rate_{k}").fill_null(0.0) for k in _KINDS)
            .collect(engine="in-memory"))


def carried_forward(rates: pl.DataFrame, on_time: float = 1.0) -> pl.DataFrame:
    """The ages of RATES (rates_by_age), in order from 0, with, for each, `survive` (the
    chance a request open on its day of receipt is still open at the start of that age: the
    product of 1 − the daily rate of every younger age) and `within`/`late` (the chance it
    was issued so at a younger age). ON_TIME scales the rates of plans within 20 weeks (the
    trend's; 1: the table's own)."""
    # Scaled, plans within 20 weeks take at most half the requests the other ways out leave
    # open a day: real rates (hundredths a day) never come near, and a request can still be
    # open the next day, so the chances of one open now stay defined.
    scaled = pl.min_horizontal(
        pl.col("rate_within") * on_time,
        (1 - pl.col("rate_late") - pl.col("rate_closed")).clip(lower_bound=0.0) / 2)
    leaving = pl.sum_horizontal(*(pl.col(f"rate_{k}") for k in _KINDS)).clip(upper_bound=1.0)
    return (rates.lazy().with_columns(scaled)
            .with_columns((1 - leaving).cum_prod().shift(1, fill_value=1.0).alias("survive"))
            .with_columns(*((pl.col("survive") * pl.col(f"rate_{kind}")).cum_sum()
                            .shift(1, fill_value=0.0).alias(kind) for kind in ("within", "late")))
            .select(AGE, "survive", "within", "late").collect(engine="in-memory"))


def on_time_share(ahead: pl.DataFrame) -> float:
    """The chance that a request is issued within 20 weeks (by day 140), from AHEAD
    (carried_forward)."""
    return float(ahead["within"][WITHIN_20_WEEKS_DAYS + 1])


def on_time_scale(rates: pl.DataFrame, share: float) -> float:
    """The factor on the rates of plans within 20 weeks (RATES: rates_by_age) that gives a
    request its chance SHARE of one (at most _MOST_SCALE; 1 when the table has none to
    scale). The chance rises with the factor: halve the bracket until it is far below any
    printed digit."""
    to_day_140 = rates.head(WITHIN_20_WEEKS_DAYS + 2)

    def share_at(factor: float) -> float:
        return on_time_share(carried_forward(to_day_140, factor))

    if share_at(1.0) <= 0:
        return 1.0
    low, high = 0.0, 1.0
    while share_at(high) < share and high < _MOST_SCALE:
        low, high = high, 2 * high
    for _ in range(_HALVINGS):
        middle = (low + high) / 2
        low, high = (middle, high) if share_at(middle) < share else (low, middle)
    return (low + high) / 2


def to_come(ahead: pl.DataFrame, open_ages: pl.DataFrame, pace: float, days_left: int
            ) -> dict[str, float]:
    """Plans within 20 weeks and late still to come this year, with their variances, at the
    chances AHEAD (carried_forward of rates_by_age with DAYS_LEFT): from the open requests
    (OPENAGES: how many of each age) and the requests yet to arrive at PACE a day."""
    now = ahead.join(ahead.select(pl.col(AGE) - days_left, pl.col("within").alias("w_end"),
                                  pl.col("late").alias("l_end")), on=AGE)
    # A request aged a on the as-of date is at risk from age a + 1 to a + days_left.
    chances = now.select(
        (pl.col(AGE) - 1).alias(AGE),
        pl.when(pl.col("survive") > 0)
        .then((pl.col("w_end") - pl.col("within")) / pl.col("survive")).otherwise(0.0)
        .alias("p_within"),
        pl.when(pl.col("survive") > 0)
        .then((pl.col("l_end") - pl.col("late")) / pl.col("survive")).otherwise(0.0)
        .alias("p_late"))
    open_now = (open_ages.join(chances, on=AGE, how="left").fill_null(0.0)
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
    newcomers = ahead.filter((pl.col(AGE) >= 1) & (pl.col(AGE) <= days_left)).select(
        pl.col("within").sum(), pl.col("late").sum()).row(0)
    new_within, new_late = pace * float(newcomers[0] or 0), pace * float(newcomers[1] or 0)
    # Arrivals are a Poisson flow: the counts they add vary as their means.
    return {"within": float(open_now["within"]) + new_within,
            "late": float(open_now["late"]) + new_late,
            "var_within": float(open_now["var_within"]) + new_within,
            "var_late": float(open_now["var_late"]) + new_late,
            "cov": float(open_now["cov"])}


ON_TIME_BY_NOW = "on_time_by_now"


def on_time_by_age(ahead: pl.DataFrame) -> pl.DataFrame:
    """For each age 0 … 140 (AGE), the part of a request's chance of a plan within 20 weeks
    that the table gives by the end of that age (ON_TIME_BY_NOW: 1 at day 140). It lets the
    on-time trend read a month of receipt whose 20 weeks have not all passed: its plans within
    20 weeks so far over the part of them expected by now. All 0 before day 140 when the table
    has no plan within 20 weeks to spread. AHEAD: the table's own chances (carried_forward
    at factor 1)."""
    total = on_time_share(ahead)
    # `within` at age a + 1 is the chance of a plan within 20 weeks at an age up to a.
    by_end = pl.col("within").shift(-1)
    share = (by_end / total) if total > 0 else pl.lit(0.0)
    return ahead.select(
        AGE, pl.when(pl.col(AGE) >= WITHIN_20_WEEKS_DAYS).then(1.0)
        .otherwise(share).alias(ON_TIME_BY_NOW),
    ).filter(pl.col(AGE) <= WITHIN_20_WEEKS_DAYS)
