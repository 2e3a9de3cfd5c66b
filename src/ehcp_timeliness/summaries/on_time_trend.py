"""Whether the share of requests issued within 20 weeks is moving, for the year-end forecast
(summaries/year_end.py; docs/reports.md#where-the-year-will-land).

A month of receipt is known once its last request has passed day 140: its share q is the plans
issued within 20 weeks over its requests (the forecast's: DfE's scope, excluding exceptions,
so a refused or withdrawn request counts against it). A line is fitted to the last 12 known
months, weighted by their requests. It counts as a trend when its slope is more than
SIGNIFICANCE standard errors from flat; a month's share is taken to scatter at least as a
binomial one does (q(1 − q) over its requests), because a stable service's months scatter that
much by chance and a line that happens to fit them closely would otherwise read chance as a
trend. The forecast then uses the line's level at the latest known month, kept within the
shares the 12 months showed, for the requests still to be issued: no extrapolation beyond the
months the export has seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import RECEIVED_DATE
from ehcp_timeliness.rules.dfe_method import WITHIN_20_WEEKS_DAYS, within_20_weeks
from ehcp_timeliness.rules.status import issued_by_as_of

MONTHS = 12
# In standard errors of the slope. Chosen on the backtest's published exports and checked on
# 48 fresh ones (docs/reports.md#backtest): at 2 a slowly falling service's chance dips were
# read as trends often enough to push its worst error past the target; at 2.5 they were not.
SIGNIFICANCE = 2.5
REQUESTS, ON_TIME = "__requests", "__on_time"


@dataclass(frozen=True)
class OnTimeTrend:
    """The line through the last MONTHS known months' shares (0..1): its slope a month, the
    slope's standard error, its level at the latest month, and the months' lowest and highest
    shares."""

    first_month: date
    last_month: date
    slope: float
    slope_error: float
    latest: float
    lowest: float
    highest: float

    @property
    def significant(self) -> bool:
        return abs(self.slope) > SIGNIFICANCE * self.slope_error

    @property
    def level(self) -> float:
        """The share the forecast uses: the line at the latest month, within the months'
        own range."""
        return min(max(self.latest, self.lowest), self.highest)


def issued_on_time() -> pl.Expr:
    """A request issued a plan within 20 weeks."""
    return issued_by_as_of().is_not_null() & within_20_weeks()


def on_time_trend(by_day: pl.DataFrame, as_of: date) -> OnTimeTrend | None:
    """BY_DAY: the forecast's requests (received by AS_OF) by day of receipt, RECEIVED_DATE
    with their count REQUESTS and those issued_on_time, ON_TIME. None with fewer than MONTHS known
    months of receipt."""
    received = pl.col(RECEIVED_DATE)
    known = received.dt.month_end() + pl.duration(days=WITHIN_20_WEEKS_DAYS) <= pl.lit(as_of)
    months = (by_day.lazy().filter(known)
              .group_by(received.dt.month_start().alias("month"))
              .agg(pl.col(REQUESTS).sum().cast(pl.Float64).alias("w"),
                   pl.col(ON_TIME).sum().cast(pl.Float64).alias("on_time"))
              .sort("month").tail(MONTHS).collect(engine="in-memory"))
    if months.height < MONTHS:
        return None
    last = months["month"].max()
    assert isinstance(last, date)
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
        y_mean.alias("mean"), y.min().alias("lowest"), y.max().alias("highest"),
        ((w * (y - latest - slope * x) ** 2).sum() / (MONTHS - 2)).alias("scatter"),
    ).row(0, named=True)
    scatter = max(fit["scatter"], fit["mean"] * (1 - fit["mean"]))
    return OnTimeTrend(months["month"].min(), last, fit["slope"],  # type: ignore[arg-type]
                       math.sqrt(scatter / fit["sxx"]), fit["latest"], fit["lowest"],
                       fit["highest"])
