"""Headline KPIs for a board, and the monthly trend behind them (docs/reports.md#kpis).

The KPIs are worked out with every other as-of figure in one pass (figures.py): 20-week rates
by DfE's method over windows of whole calendar months ending with the as-of date's month (that
month to date, the last 3 and the last 12), which line up with the monthly trend, so a board
can add up the bars it sees; and the snapshot counts of open requests past the 20-week date
and reviews overdue.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.summaries.figures import WINDOWS, Kpi, window_start
from ehcp_timeliness.summaries.grouping import percentage

TREND_MONTHS = 24


def rate_kpis_from_months(monthly: pl.DataFrame, day: date) -> tuple[Kpi, ...]:
    """The 20-week KPIs as of DAY, the last day of a month of MONTHLY (Trend.rates_by_month):
    the sums of the months in each window. The windows are whole calendar months, so the
    months' bars add up to the KPI as it stood that day: a plan issued by then was issued in
    one of them, and whether it was within 20 weeks does not change afterwards."""
    end = f"{day:%Y-%m}"
    first = f"{window_start(day, max(m for _, m in WINDOWS)):%Y-%m}"
    if monthly.height == 0 or str(monthly["period"].min()) > first:
        raise ValueError(f"the monthly table does not reach back to {first}")
    aggs, ids = [], []
    for suffix, months in WINDOWS:
        inside = pl.col("period").is_between(pl.lit(f"{window_start(day, months):%Y-%m}"),
                                             pl.lit(end))
        for ex in ("", "_ex"):
            kpi = f"pct_within_20_weeks{ex}_{suffix}"
            within = pl.col(f"issued_within_20_weeks{ex}").filter(inside).sum()
            plans = pl.col(f"plans_issued{ex}").filter(inside).sum()
            aggs += [within.alias(f"n {kpi}"), plans.alias(f"d {kpi}"),
                     percentage(within, plans).alias(f"p {kpi}")]
            ids.append((kpi, window_start(day, months)))
    row = monthly.select(aggs).row(0, named=True)
    return tuple(Kpi(kpi, row[f"p {kpi}"], int(row[f"n {kpi}"]), int(row[f"d {kpi}"]), start,
                     day) for kpi, start in ids)
