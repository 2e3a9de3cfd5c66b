"""Headline KPIs for a board, and the monthly trend behind them (docs/reports.md#kpis).

20-week rates are DfE's (rates.py: same scope, same rounding) over windows of whole calendar
months ending with the as-of date's month: that month to date, the last 3 and the last 12. The
windows line up with the monthly trend, so a board can add up the bars it sees. The two counts
are the as-of snapshot of open_work.py: open requests past the 20-week date, reviews overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    KPI_IDS,
    KPIS_LOWER_IS_BETTER,
    PLAN_STATUS,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
)
from ehcp_timeliness.rules.dfe_method import OverAYear, excluding_exceptions, within_20_weeks
from ehcp_timeliness.summaries.grouping import percentage
from ehcp_timeliness.summaries.rates import ISSUE_DATE, issued_plans, timeliness_rates

# KPI id suffix -> calendar months in the window (ending with the as-of date's month).
WINDOWS: tuple[tuple[str, int], ...] = (("month", 1), ("3_months", 3), ("12_months", 12))
TREND_MONTHS = 24


@dataclass(frozen=True)
class Kpi:
    kpi: str                  # one of columns.KPI_IDS
    value: float | int | None  # percentage (one decimal) or count; None: no plans in the window
    numerator: int | None     # rates only
    denominator: int | None
    period_from: date | None  # rates: first day of the window; counts: None (a snapshot)
    period_to: date           # the as-of date

    @property
    def lower_is_better(self) -> bool:
        return self.kpi in KPIS_LOWER_IS_BETTER

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None or self.denominator is not None

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "numerator": self.numerator,
                "denominator": self.denominator,
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat()}


def window_start(as_of: date, months: int) -> date:
    """First day of the calendar month `months - 1` before the as-of date's month."""
    index = as_of.year * 12 + as_of.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def issued_in_window(as_of: date, months: int) -> pl.Expr:
    """A plan of rates.issued_plans (issued by the as-of date) issued in the window of MONTHS
    calendar months ending with the as-of date's month: the board KPIs' and the gate's."""
    return pl.col(ISSUE_DATE) >= pl.lit(window_start(as_of, months))


def headline_kpis(cases: pl.DataFrame, as_of: date,
                  undated: pl.DataFrame | None = None) -> tuple[Kpi, ...]:
    """Every KPI of columns.KPI_IDS, in that order, computed in one pass over each frame.
    UNDATED: plans set aside for their request date alone (rates.issued_plans)."""
    on_time = within_20_weeks()  # DfE's rule, not plan_status: rules/dfe_method.py
    ex = excluding_exceptions()
    aggs: list[pl.Expr] = []
    for suffix, months in WINDOWS:
        inside = issued_in_window(as_of, months)
        plans, within = inside.sum(), (inside & on_time).sum()
        plans_ex, within_ex = (inside & ex).sum(), (inside & on_time & ex).sum()
        aggs += [
            plans.alias(f"d_{suffix}"), within.alias(f"n_{suffix}"),
            percentage(within, plans).alias(f"p_{suffix}"),
            plans_ex.alias(f"d_ex_{suffix}"), within_ex.alias(f"n_ex_{suffix}"),
            percentage(within_ex, plans_ex).alias(f"p_ex_{suffix}"),
        ]
    rates = (issued_plans(cases, as_of, undated).select(aggs).collect(engine="in-memory")
             .row(0, named=True))
    counts = cases.select(
        (pl.col(PLAN_STATUS) == PlanStatus.OVERDUE).sum().alias("open_cases_overdue"),
        (pl.col(REVIEW_STATUS) == ReviewStatus.OVERDUE).sum().alias("reviews_overdue"),
    ).row(0, named=True)

    found: dict[str, Kpi] = {}
    for suffix, months in WINDOWS:
        start = window_start(as_of, months)
        for ex_part in ("", "ex_"):
            key = f"{ex_part}{suffix}"
            found[f"pct_within_20_weeks_{key}"] = Kpi(
                f"pct_within_20_weeks_{key}", rates[f"p_{key}"], int(rates[f"n_{key}"]),
                int(rates[f"d_{key}"]), start, as_of)
    for name, value in counts.items():
        found[name] = Kpi(name, int(value), None, None, None, as_of)
    return tuple(found[k] for k in KPI_IDS)


def monthly_trend(cases: pl.DataFrame, as_of: date, months: int = TREND_MONTHS,
                  undated: pl.DataFrame | None = None,
                  over_a_year_reading: OverAYear = "52_weeks") -> pl.DataFrame:
    """The summary table by month of issue for the `months` months ending with the as-of
    month, one row per month: months without plans are there with zero counts.
    """
    start = window_start(as_of, months)
    calendar = pl.DataFrame({"period": pl.date_range(start, as_of, "1mo", eager=True)
                             .dt.strftime("%Y-%m")})
    rates = timeliness_rates(cases, as_of, "month", [], undated, over_a_year_reading)
    counts = [c for c, t in rates.schema.items() if t == pl.Int64]
    return (calendar.join(rates, on="period", how="left", maintain_order="left")
            .with_columns(pl.col(counts).fill_null(0)))
