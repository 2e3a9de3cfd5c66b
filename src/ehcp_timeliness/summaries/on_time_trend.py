"""Whether the share of requests issued within 20 weeks is moving, for the year-end forecast
(summaries/year_end.py; docs/reports.md#where-the-year-will-land).

A month of receipt is known once its last request has passed day 140: its share q is the plans
issued within 20 weeks over its requests (the forecast's: DfE's scope, excluding exceptions,
so a refused or withdrawn request counts against it). The line is fitted to the last 12 known
months and the months received since, whose 20 weeks are still running: such a month's share
is its plans within 20 weeks so far over the part of them the life table expects by now (each
request's part by its age, life_table.on_time_by_age), and that part is its weight. A known
month is the case where every request's part is whole, so its weight is its requests. A
service that turns round shows it in these months first, months before they are known.

It counts as a trend when its slope is more than SIGNIFICANCE standard errors from flat; a
month's share is taken to scatter at least as a binomial one does (q(1 − q) over its weight),
because a stable service's months scatter that much by chance and a line that happens to fit
them closely would otherwise read chance as a trend. The forecast then uses the line's level
at the newest month at least half known (its weight at least half its requests), kept within
the shares those months showed, for the requests still to be issued: no extrapolation beyond
the months the export has seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import RECEIVED_DATE
from ehcp_timeliness.rules.dfe_method import WITHIN_20_WEEKS_DAYS, within_20_weeks
from ehcp_timeliness.rules.status import issued_by_as_of
from ehcp_timeliness.summaries.life_table import AGE, ON_TIME, ON_TIME_BY_NOW, REQUESTS

MONTHS = 12
# In standard errors of the slope. Chosen on the backtest's published exports and checked on
# fresh ones (docs/reports.md#backtest): at 2, and with two years of history at 2.5, a slowly
# falling service's chance dips were read as trends often enough to push its worst error past
# the target (a fall read at 2.8 standard errors, over three times the true one); at 3 they were
# not, and the services turning round still showed theirs.
SIGNIFICANCE = 3.0
# A month under way sets the level (and the range it is kept within) once at least this part
# of its requests' plans within 20 weeks is expected by now: a month barely begun reads a
# handful of early plans as its share (read there, growing demand's backtest missed by up to
# 7.7 points; docs/reports.md#backtest).
LEVEL_FROM_KNOWN = 0.5


@dataclass(frozen=True)
class OnTimeTrend:
    """The line through the months' shares (0..1): its slope a month, the slope's standard
    error, its level at LAST_MONTH (the newest month at least half known), and the lowest
    and highest shares of the months at least half known. FIRST_MONTH … NEWEST_MONTH: the
    months in the line, the 12 known ones and UNDER_WAY months after them."""

    first_month: date
    last_month: date
    slope: float
    slope_error: float
    latest: float
    lowest: float
    highest: float
    newest_month: date
    under_way: int

    @property
    def significant(self) -> bool:
        return abs(self.slope) > SIGNIFICANCE * self.slope_error

    @property
    def level(self) -> float:
        """The share the forecast uses: the line at LAST_MONTH, within the range of the
        months at least half known."""
        return min(max(self.latest, self.lowest), self.highest)


def issued_on_time() -> pl.Expr:
    """A request issued a plan within 20 weeks."""
    return issued_by_as_of().is_not_null() & within_20_weeks()


def on_time_trend(by_day: pl.DataFrame, as_of: date,
                  by_age: pl.DataFrame) -> OnTimeTrend | None:
    """BY_DAY: the forecast's requests (received by AS_OF) by day of receipt, RECEIVED_DATE
    with their count REQUESTS and those issued_on_time, ON_TIME; BY_AGE: life_table's
    on_time_by_age. None with fewer than MONTHS known months of receipt."""
    received = pl.col(RECEIVED_DATE)
    month = received.dt.month_start().alias("month")
    known = received.dt.month_end() + pl.duration(days=WITHIN_20_WEEKS_DAYS) <= pl.lit(as_of)
    age = ((pl.lit(as_of) - received).dt.total_days()
           .clip(upper_bound=WITHIN_20_WEEKS_DAYS).cast(pl.Int32).alias(AGE))
    # The requests of a day are all of one age: each day's part expected by now, times them.
    months = (by_day.lazy().with_columns(age)
              .join(by_age.lazy().with_columns(pl.col(AGE).cast(pl.Int32)), on=AGE,
                    how="left")
              .group_by(month)
              .agg(pl.col(REQUESTS).sum().cast(pl.Float64).alias("n"),
                   (pl.col(REQUESTS) * pl.col(ON_TIME_BY_NOW)).sum().alias("w"),
                   known.all().alias("known"),
                   pl.col(ON_TIME).sum().cast(pl.Float64).alias("on_time"))
              .sort("month").collect(engine="in-memory"))
    known_months = months.filter("known").tail(MONTHS)
    if known_months.height < MONTHS:
        return None
    first = known_months["month"].min()
    months = months.filter((pl.col("month") >= first) & (pl.col("w") > 0))
    settled = months.filter(pl.col("w") >= LEVEL_FROM_KNOWN * pl.col("n"))
    last, newest = settled["month"].max(), months["month"].max()
    assert isinstance(first, date) and isinstance(last, date) and isinstance(newest, date)
    w = pl.col("w")
    x = ((pl.col("month").dt.year() - last.year) * 12
         + pl.col("month").dt.month().cast(pl.Int32) - last.month).cast(pl.Float64)
    y = pl.col("on_time") / w
    x_mean, y_mean = (w * x).sum() / w.sum(), (w * y).sum() / w.sum()
    sxx = (w * (x - x_mean) ** 2).sum()
    slope = (w * (x - x_mean) * (y - y_mean)).sum() / sxx
    latest = y_mean - slope * x_mean
    fit = months.select(
        slope.alias("slope"), latest.alias("latest"), sxx.alias("sxx"),
        y_mean.alias("mean"),
        ((w * (y - latest - slope * x) ** 2).sum() / (months.height - 2)).alias("scatter"),
    ).row(0, named=True)
    shares = settled.select(y.min().alias("lowest"), y.max().alias("highest")).row(0)
    scatter = max(fit["scatter"], fit["mean"] * (1 - fit["mean"]))
    return OnTimeTrend(first, last, fit["slope"], math.sqrt(scatter / fit["sxx"]),
                       fit["latest"], shares[0], shares[1], newest,
                       months.height - known_months.height)
