"""Every as-of figure `summary`, `check`, `dfe` and the board's headline show, as named
aggregations worked out together in one query (case_figures): one `select` over the analysed
cases (plan statuses, open requests by age, annual reviews, the first request date) beside
one over the plans DfE counts (the 20-week rates over the KPI windows, the median weeks to a
plan, where DfE's method and the plan statuses part); with --by, one `group_by` (by_group).

Each figure has one definition here, so `check` can never disagree with a board card or
`summary`. The 20-week rates are DfE's (rules/dfe_method.py: same scope, same rounding as
rates.py) over windows of whole calendar months ending with the as-of date's month. Ages are
counted by comparing the request date with fixed cut-offs (the as-of date less N weeks), not
by working out each case's age. Plans set aside for their request date alone
(pipeline.Analysis.undated_plans) count in the 20-week denominators and in nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from ehcp_timeliness.columns import (
    KPI_IDS,
    KPIS_LOWER_IS_BETTER,
    OPEN_PLAN_STATUSES,
    PLAN_STATUS,
    RECEIVED_DATE,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
    column,
)
from ehcp_timeliness.rules.dfe_method import (
    differs_from_plan_status,
    has_usable_request_date,
    in_dfe_scope,
)
from ehcp_timeliness.rules.status import exception_recorded, issued_by_as_of
from ehcp_timeliness.summaries.grouping import group_values, percentage, reject_clashes
from ehcp_timeliness.summaries.rates import DAYS, EXCLUDING, WITHIN, dfe_plans

# Weeks since the request: the 6-week decision, 16-week no-plan decision, 20-week plan deadline,
# then how far past it. Lower bound inclusive, upper exclusive.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("weeks_0_6", 0, 6), ("weeks_6_16", 6, 16), ("weeks_16_20", 16, 20),
    ("weeks_20_30", 20, 30), ("weeks_30_52", 30, 52), ("weeks_52_plus", 52, None),
)
# KPI id suffix -> calendar months in the window (ending with the as-of date's month).
WINDOWS: tuple[tuple[str, int], ...] = (("month", 1), ("3_months", 3), ("12_months", 12))
HEADLINE_MONTHS = 12  # the board headline's window: DfE's measure over 12 months

OPEN_COLUMNS = ("open_cases", "overdue", "due_soon", "in_progress",
                *(name for name, _, _ in AGE_BANDS))
REVIEW_COUNTS = ("plans_to_review", "reviews_overdue", "reviews_due_soon", "reviews_not_due",
                 "reviews_not_known")
# An export holds only each plan's last review: with a plan whose status on the as-of date is
# not known (review_status not_known: its one recorded review is later), the overdue count is
# a lower bound, flagged beside it as trend flags a past month's (summaries/trend.py).
REVIEWS_OVERDUE_IS_LOWER_BOUND = "reviews_overdue_is_lower_bound"
REVIEW_COLUMNS = (*REVIEW_COUNTS, REVIEWS_OVERDUE_IS_LOWER_BOUND)

def window_start(as_of: date, months: int) -> date:
    """First day of the calendar month `months - 1` before the as-of date's month."""
    index = as_of.year * 12 + as_of.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of DAY's month."""
    return window_start(day, 0) - timedelta(days=1)


def issued_in_window(as_of: date, months: int) -> pl.Expr:
    """An issued plan (issued by the as-of date) issued in the window of MONTHS calendar
    months ending with the as-of date's month: the board KPIs', the gate's, the headline's."""
    return issued_by_as_of() >= pl.lit(window_start(as_of, months))


def _count(condition: pl.Expr, name: str) -> pl.Expr:
    return condition.sum().cast(pl.Int64).alias(name)


def _received_weeks_before(as_of: date, weeks: int) -> pl.Expr:
    """The request is at least WEEKS whole weeks old on the as-of date."""
    return pl.col(RECEIVED_DATE) <= pl.lit(as_of - timedelta(weeks=weeks))


def open_request_counts(as_of: date) -> list[pl.Expr]:
    """Open requests (no plan, not closed) by status and by weeks since the request."""
    status = pl.col(PLAN_STATUS)
    is_open = status.is_in(OPEN_PLAN_STATUSES)
    bands = []
    for name, low, high in AGE_BANDS:
        in_band = _received_weeks_before(as_of, low)
        if high is not None:
            in_band = in_band & ~_received_weeks_before(as_of, high)
        bands.append(_count(is_open & in_band, name))
    return [
        _count(is_open, "open_cases"),
        _count(status == PlanStatus.OVERDUE, "overdue"),
        _count(status == PlanStatus.DUE_SOON, "due_soon"),
        _count(status == PlanStatus.IN_PROGRESS, "in_progress"),
        *bands,
    ]


def review_counts() -> list[pl.Expr]:
    """Plans needing annual reviews, by review status (REVIEW_COUNTS)."""
    status = pl.col(REVIEW_STATUS)
    return [
        _count(status != ReviewStatus.NOT_APPLICABLE, "plans_to_review"),
        _count(status == ReviewStatus.OVERDUE, "reviews_overdue"),
        _count(status == ReviewStatus.DUE_SOON, "reviews_due_soon"),
        _count(status == ReviewStatus.NOT_DUE, "reviews_not_due"),
        _count(status == ReviewStatus.NOT_KNOWN, "reviews_not_known"),
    ]


def with_review_bound(table: pl.DataFrame) -> pl.DataFrame:
    """TABLE (REVIEW_COUNTS) with REVIEWS_OVERDUE_IS_LOWER_BOUND after them."""
    return table.with_columns(
        (pl.col("reviews_not_known") > 0).alias(REVIEWS_OVERDUE_IS_LOWER_BOUND))


def plan_status_counts() -> list[pl.Expr]:
    """Cases by plan_status, one count per status: `status_<status>`."""
    return [_count(pl.col(PLAN_STATUS) == s.value, f"status_{s.value}")
            for s in PlanStatus]


def _window_rates(as_of: date, months: int) -> list[pl.Expr]:
    """In-scope plans issued in the window of M months and those issued within 20 weeks by
    DfE's rule (reading rates.dfe_plans' conditions), including and excluding exceptions:
    `plans_<m>`, `within_<m>`, `plans_ex_<m>`, `within_ex_<m>` and the percentages `pct_<m>`,
    `pct_ex_<m>`."""
    inside = issued_in_window(as_of, months)
    on_time, ex = pl.col(WITHIN), pl.col(EXCLUDING)
    plans, within = inside.sum(), (inside & on_time).sum()
    plans_ex, within_ex = (inside & ex).sum(), (inside & on_time & ex).sum()
    return [plans.alias(f"plans_{months}"), within.alias(f"within_{months}"),
            percentage(within, plans).alias(f"pct_{months}"),
            plans_ex.alias(f"plans_ex_{months}"), within_ex.alias(f"within_ex_{months}"),
            percentage(within_ex, plans_ex).alias(f"pct_ex_{months}")]


def _case_aggs(as_of: date) -> list[pl.Expr]:
    """The figures of the analysed cases."""
    to_review, overdue, *_ = reviews = review_counts()
    overdue_now = pl.col(PLAN_STATUS) == PlanStatus.OVERDUE
    out_of_scope = overdue_now & ~in_dfe_scope()
    return [*open_request_counts(as_of), *reviews,
            percentage(overdue, to_review).alias("pct_reviews_overdue"),
            *plan_status_counts(),
            # Open overdue requests DfE's scope leaves out (mediation, a tribunal appeal,
            # transferred in or assessed elsewhere): the board headline's overdue card.
            out_of_scope.sum().alias("overdue_out_of_scope"),
            # and those in it with a reg 10(4) exception, which DfE's headline (and so the
            # year-end outlook) leaves out as well.
            (overdue_now & in_dfe_scope() & exception_recorded()).sum()
            .alias("overdue_excepted"),
            pl.col(RECEIVED_DATE).min().alias("first_request_date")]


def _plan_aggs(as_of: date, months: Iterable[int]) -> list[pl.Expr]:
    """The figures of the plans DfE counts (rates.dfe_plans): the 20-week rates over each
    window; the median weeks from request to plan over the board headline's window, and how
    many plans it is taken over; and where DfE's figures and the per-case analysis part:
    plans whose DfE class differs from their plan_status, and plans counted without a usable
    request date."""
    days = pl.col(DAYS).filter(issued_in_window(as_of, HEADLINE_MONTHS))
    return [*(e for m in sorted(set(months)) for e in _window_rates(as_of, m)),
            (days.median() / 7).round(1).alias("median_weeks"),
            days.is_not_null().sum().alias("median_plans"),
            differs_from_plan_status().sum().alias("differs"),
            (~has_usable_request_date()).sum().alias("undated")]


@dataclass(frozen=True)
class Kpi:
    kpi: str                  # one of columns.KPI_IDS
    value: float | int | None  # percentage (one decimal) or count; None: no plans in the window
    numerator: int | None     # rates only
    denominator: int | None
    period_from: date | None  # rates: first day of the window; counts: None (a snapshot)
    period_to: date           # the as-of date
    # The export can give the value only as a lower bound (reviews_overdue with a review
    # status not known): the truth may be higher.
    is_lower_bound: bool = False

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
                "to": self.period_to.isoformat(), "is_lower_bound": self.is_lower_bound}


@dataclass(frozen=True)
class Rate:
    """A 20-week rate over a window: plans within 20 weeks of plans issued."""

    within: int
    plans: int
    pct: float | None  # one decimal, halves up (grouping.percentage); None: no plans


@dataclass(frozen=True)
class Figures:
    """The as-of figures of one export, from one pass (case_figures)."""

    as_of: date
    values: Mapping[str, Any]  # one value per figure, by name

    def _int(self, name: str) -> int:
        return int(self.values[name] or 0)

    def open_requests(self) -> pl.DataFrame:
        """One row: open requests by status and age (OPEN_COLUMNS)."""
        return pl.DataFrame({c: [self._int(c)] for c in OPEN_COLUMNS},
                            schema=dict.fromkeys(OPEN_COLUMNS, pl.Int64))

    def reviews(self) -> pl.DataFrame:
        """One row: plans needing annual reviews, by review status (REVIEW_COLUMNS)."""
        return with_review_bound(pl.DataFrame({c: [self._int(c)] for c in REVIEW_COUNTS},
                                              schema=dict.fromkeys(REVIEW_COUNTS, pl.Int64)))

    @property
    def reviews_not_known(self) -> int:
        """Plans whose review status on the as-of date the export cannot give: the review
        figures are then lower bounds (REVIEWS_OVERDUE_IS_LOWER_BOUND)."""
        return self._int("reviews_not_known")

    def tables(self, cases: pl.DataFrame, by: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The open requests and annual reviews tables of CASES (these figures' cases): by
        the --by groups (by_group), or these figures' one row each without them."""
        return by_group(cases, self.as_of, by) if by else (self.open_requests(), self.reviews())

    def plan_statuses(self) -> dict[str, int]:
        return {s.value: self._int(f"status_{s.value}") for s in PlanStatus}

    def rate(self, months: int, excluding: bool) -> Rate:
        """DfE's 20-week rate over the window of MONTHS calendar months (case_figures'
        MONTHS), including or excluding exceptions."""
        ex = "ex_" if excluding else ""
        return Rate(self._int(f"within_{ex}{months}"), self._int(f"plans_{ex}{months}"),
                    self.values[f"pct_{ex}{months}"])

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        """Every KPI of columns.KPI_IDS, in that order."""
        found: dict[str, Kpi] = {}
        for suffix, months in WINDOWS:
            for ex in (False, True):
                key = f"pct_within_20_weeks_{'ex_' if ex else ''}{suffix}"
                rate = self.rate(months, ex)
                found[key] = Kpi(key, rate.pct, rate.within, rate.plans,
                                 window_start(self.as_of, months), self.as_of)
        found["open_cases_overdue"] = Kpi("open_cases_overdue", self._int("overdue"), None,
                                          None, None, self.as_of)
        found["reviews_overdue"] = Kpi("reviews_overdue", self._int("reviews_overdue"), None,
                                       None, None, self.as_of, self.reviews_not_known > 0)
        return tuple(found[k] for k in KPI_IDS)

    @property
    def differs_from_plan_status(self) -> int:
        """Issued plans DfE's 20-week rule classes otherwise than their plan_status."""
        return self._int("differs")

    @property
    def without_request_date(self) -> int:
        """Issued plans in DfE's denominators and in none of its buckets."""
        return self._int("undated")

    @property
    def median_weeks(self) -> float | None:
        """Median weeks from the request to the plan over the headline's window (one
        decimal); None: no plan with a usable request date."""
        return self.values["median_weeks"]

    @property
    def median_plans(self) -> int:
        """Plans with a usable request date the median is taken over."""
        return self._int("median_plans")

    @property
    def overdue_out_of_scope(self) -> int:
        return self._int("overdue_out_of_scope")

    @property
    def overdue_excepted(self) -> int:
        return self._int("overdue_excepted")

    @property
    def first_request_date(self) -> date | None:
        """The earliest request received date in the export: where its history begins."""
        return self.values["first_request_date"]


def figures_query(cases: pl.DataFrame, as_of: date, plans: pl.LazyFrame,
                  months: Iterable[int] = ()) -> pl.LazyFrame:
    """Every figure of Figures in one query, one row: CASES' figures beside those of PLANS
    (rates.dfe_plans of CASES). MONTHS: 20-week windows besides the KPIs' (the gate's
    --window-months)."""
    windows = (*(m for _, m in WINDOWS), *months)
    return pl.concat([cases.lazy().select(_case_aggs(as_of)),
                      plans.select(_plan_aggs(as_of, windows))], how="horizontal")


def case_figures(cases: pl.DataFrame, as_of: date, undated: pl.DataFrame | None = None,
                 months: Iterable[int] = ()) -> Figures:
    """figures_query's Figures of CASES and the plans DfE counts (with UNDATED, the plans set
    aside for their request date alone, in the 20-week denominators)."""
    query = figures_query(cases, as_of, dfe_plans(cases, as_of, undated), months)
    return Figures(as_of, query.collect(engine="in-memory").row(0, named=True))


def grouped(cases: pl.DataFrame, by: list[str], aggs: list[pl.Expr]) -> pl.DataFrame:
    """AGGS over CASES by the --by groups, one row a group, the keys first and sorted."""
    reject_clashes(by, (a.meta.output_name() for a in aggs))
    # Keys made text inside the group_by, so --by received_date leaves the ages intact.
    keys = [column(c) for c in by]  # export headers: never patterns
    return cases.lazy().group_by(group_values(by)).agg(aggs).sort(keys).collect(
        engine="in-memory")


def by_group(cases: pl.DataFrame, as_of: date, by: list[str]
             ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Open requests and annual reviews by the --by groups, in one group_by: the
    open_requests and reviews tables, their key columns first."""
    table = grouped(cases, by, [*open_request_counts(as_of), *review_counts()])
    keys = [column(c) for c in by]
    return (table.select(*keys, *OPEN_COLUMNS),
            with_review_bound(table.select(*keys, *REVIEW_COUNTS)))
