"""`trend`: one row per calendar month, each a snapshot at the month's last day (the as-of date
for the as-of month), with the month's flows (docs/reports.md#trend).

All months at once, in pure Polars: a status held over a span of days (rules/spans.py) adds
one at the month its span starts and takes one away at the month it ends; a cumulative sum
over the month calendar then gives the count at every month end. Flows (requests received,
plans issued, plans due) are counted by the month of their date. The analysis is run once,
as of the as-of date; no month reruns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    PLAN_DUE_DATE,
    RECEIVED_DATE,
    SUMMARY_COLUMNS,
)
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules import spans
from ehcp_timeliness.rules.dfe_method import (
    WITHIN_20_WEEKS_DAYS,
    OverAYear,
    has_usable_request_date,
    in_dfe_scope,
    within_20_weeks,
)
from ehcp_timeliness.summaries.grouping import (
    group_values,
    percentage,
    period_key,
    period_label,
    reject_clashes,
)
from ehcp_timeliness.summaries.rates import ISSUE_DATE, timeliness_rates

# The output, in this order (data contract; docs/reports.md#trend defines each column).
TREND_COLUMNS: tuple[str, ...] = (
    "month", "requests_received", "plans_issued", "plans_issued_within_20_weeks",
    "pct_within_20_weeks", "plans_due", "plans_due_issued_on_time", "pct_due_issued_on_time",
    "open_at_month_end", "open_overdue_at_month_end", "open_over_52_weeks_at_month_end",
    "mean_weeks_open_overdue_at_month_end", "plans_issued_from_backlog", "plans_issued_current",
    "pct_current_within_20_weeks", "plans_in_force_at_month_end",
    "reviews_overdue_at_month_end", "reviews_overdue_at_month_end_is_lower_bound",
    "pct_reviewed_in_last_12_months", "pct_reviewed_in_last_12_months_is_lower_bound",
    "reviews_not_known_at_month_end",
)
# The figures an export can give for a past month end only as lower bounds, each with its
# flag: it holds only the last review, so a plan whose last review came after the month end
# counts as neither reviewed nor overdue then (reviews_not_known_at_month_end of them). The
# flag is set exactly when there is such a plan; the as-of month has one only when the export
# records a review after the as-of date (an export taken later, or a future date typed in).
LOWER_BOUNDS: dict[str, str] = {
    "reviews_overdue_at_month_end": "reviews_overdue_at_month_end_is_lower_bound",
    "pct_reviewed_in_last_12_months": "pct_reviewed_in_last_12_months_is_lower_bound",
}
NOT_KNOWN = "reviews_not_known_at_month_end"
# Percentage column -> (numerator, denominator): for small-number suppression (privacy.py).
TREND_RATES: dict[str, tuple[str, str]] = {
    "pct_within_20_weeks": ("plans_issued_within_20_weeks", "plans_issued"),
    "pct_due_issued_on_time": ("plans_due_issued_on_time", "plans_due"),
    "pct_current_within_20_weeks": ("current_within_20_weeks", "plans_issued_current"),
    "pct_reviewed_in_last_12_months": ("reviewed_in_last_12_months", "review_due_once"),
}
# Also in the frame, not in the output: how each open request stopped being open (every
# plan issued, DfE's scope or not; closed without a plan), so open(M) = open(M−1) +
# received(M) − left_by_issue(M) − left_by_closure(M); the numerators and denominators the
# output's percentages hide; and the sum of received days behind the mean age.
LEFT_BY_ISSUE, LEFT_BY_CLOSURE = "left_open_by_issue", "left_open_by_closure"
STOCKS = ("open_at_month_end", "open_overdue_at_month_end", "open_over_52_weeks_at_month_end",
          "plans_in_force_at_month_end", "reviews_overdue_at_month_end", "review_due_once",
          "reviewed_in_last_12_months", NOT_KNOWN, "overdue_received_days")
MONTH = "__month"  # months since year 0: year·12 + month − 1
_MEASURE, _VALUE, _DAY = "__measure", "__value", "__day"


def index_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Trend:
    table: pl.DataFrame      # month, the --by keys, TREND_COLUMNS[1:], then the hidden parts
    as_of: date
    by: tuple[str, ...]
    undated_closures: int    # closed without a plan and with no outcome date (rules/spans.py)
    # DfE's plans by month of issue (issued_by_month), every month with a plan: the table's
    # plan columns and the board's rates by month, worked out once.
    issued: pl.DataFrame

    def rates_by_month(self, months: int) -> pl.DataFrame:
        """`summary --period month`'s table for the MONTHS months ending with the as-of
        month, one row a month: months without plans are there with zero counts."""
        first = index_of(self.as_of) - months + 1
        calendar = pl.DataFrame({"period": [month_label(m) for m in
                                            range(first, index_of(self.as_of) + 1)]})
        rates = self.issued.select("period", *SUMMARY_COLUMNS[1:])
        counts = [c for c, t in rates.schema.items() if t == pl.Int64]
        return (calendar.join(rates, on="period", how="left", maintain_order="left")
                .with_columns(pl.col(counts).fill_null(0)))

    def public(self) -> pl.DataFrame:
        return self.table.select("month", *self.by, *TREND_COLUMNS[1:])


class _Events:
    """The per-month contributions of every measure. Each is first worked out per case as a
    day (null: none), all in one pass over the cases, so the shared dates (the issue, the
    closure, the review clocks) are computed once; then counted per day, and the few days
    made months."""

    def __init__(self, frame: pl.LazyFrame, by: list[str], first: int, as_of: date) -> None:
        self.frame, self.by, self.first, self.as_of = frame, by, first, as_of
        self.first_day = date(first // 12, first % 12 + 1, 1)
        self.events: dict[str, pl.Expr] = {}
        self.meta: dict[str, tuple[str, int, str | None]] = {}  # measure, sign, weight column
        self.weights: dict[str, pl.Expr] = {}
        self.days: list[pl.Expr] = []  # every distinct day the measures read (_day)

    def _day(self, day: pl.Expr) -> pl.Expr:
        """DAY as a column worked out once for all the measures that read it (a span's end is
        often the next one's start), before the days are counted."""
        number = next((n for n, seen in enumerate(self.days) if seen.meta.eq(day)),
                      len(self.days))
        if number == len(self.days):
            self.days.append(day)
        return pl.col(f"__day_{number}")

    def _add(self, name: str, day: pl.Expr, sign: int = 1,
             weight: tuple[str, pl.Expr] | None = None) -> None:
        column = f"__{len(self.events)}"
        self.events[column] = day.alias(column)
        if weight is not None:
            self.weights[weight[0]] = weight[1].alias(weight[0])
        self.meta[column] = (name, sign, None if weight is None else weight[0])

    def flow(self, name: str, day: pl.Expr, when: pl.Expr | None = None) -> None:
        """One in the month of DAY when WHEN (always), by the as-of date, from the first
        month shown."""
        day = self._day(day)
        keep = (day <= pl.lit(self.as_of)) & (day >= pl.lit(self.first_day))
        self._add(name, pl.when(keep if when is None else keep & when).then(day))

    def stock(self, name: str, span: spans.Span,
              weight: tuple[str, pl.Expr] | None = None) -> None:
        """One (or the WEIGHT) at every month end inside SPAN: added at its start's month,
        taken away at its end's (in one month, the two cancel); months before the first
        shown are carried into it."""
        start, end = self._day(span[0]), self._day(span[1])
        ends = end.is_not_null() & (end <= pl.lit(self.as_of))
        held = start.is_not_null() & (start <= pl.lit(self.as_of)) & (~ends | (end > start))
        self._add(name, pl.when(held).then(start), 1, weight)
        self._add(name, pl.when(held & ends).then(end), -1, weight)

    def counts(self) -> pl.LazyFrame:
        """Each measure's contributions by month (and group): MONTH, _MEASURE, _VALUE."""
        # Streaming: the shared dates and the spans are worked out batch by batch, and only
        # the narrow day columns are kept for every case.
        days = (day.alias(f"__day_{n}") for n, day in enumerate(self.days))
        narrow = (self.frame.with_columns(days)
                  .select(*group_values(self.by), *self.weights.values(),
                          *self.events.values()).collect(engine="streaming"))
        parts = []
        for column, (name, sign, weight) in self.meta.items():
            amount = pl.len() if weight is None else pl.col(weight).cast(pl.Int64).sum()
            parts.append(
                narrow.lazy().filter(pl.col(column).is_not_null())
                .group_by(*self.by, pl.col(column).alias(_DAY))
                .agg((amount.cast(pl.Int64) * sign).alias(_VALUE))
                .with_columns(pl.lit(name).alias(_MEASURE)))
        # Days before the first month shown count in it.
        month = pl.max_horizontal(period_key(pl.col(_DAY), "month"), self.first)
        return (pl.concat(parts, how="vertical")
                .select(*self.by, month.cast(pl.Int32).alias(MONTH), _VALUE, _MEASURE))


def issued_by_month(cases: pl.DataFrame, as_of: date, by: list[str],
                    undated: pl.DataFrame | None = None,
                    over_a_year_reading: OverAYear = "52_weeks") -> pl.DataFrame:
    """`summary --period month`'s rates (rates.timeliness_rates), with DfE's plans split by
    whether the plan was already past DfE's 20-week date (day 140) when its month began: a
    plan from the backlog is late."""
    issue, within = pl.col(ISSUE_DATE), within_20_weeks()
    backlog = has_usable_request_date() & (
        pl.col(RECEIVED_DATE) + pl.duration(days=WITHIN_20_WEEKS_DAYS)
        < issue.dt.truncate("1mo"))
    return timeliness_rates(cases, as_of, "month", by, undated, over_a_year_reading,
                            [backlog.sum().alias("plans_issued_from_backlog"),
                             (within & ~backlog).sum().alias("current_within_20_weeks")])


# The trend's plan counts -> issued_by_month's columns.
_ISSUED = {"plans_issued": "plans_issued",
           "plans_issued_within_20_weeks": "issued_within_20_weeks",
           "plans_issued_from_backlog": "plans_issued_from_backlog",
           "current_within_20_weeks": "current_within_20_weeks"}


def trend_table(cases: pl.DataFrame, as_of: date, rules: RulesConfig, by: list[str],
                first_month: date | None = None,
                undated: pl.DataFrame | None = None,
                over_a_year_reading: OverAYear = "52_weeks",
                reviews_recorded: bool = True) -> Trend:
    """The trend from FIRST_MONTH (default: the month of the first request) to the as-of
    month. UNDATED: plans set aside for their request date alone, which DfE's plan counts
    take (rates.issued_plans). OVER_A_YEAR_READING: config dfe.over_a_year, for the rates
    by month (Trend.issued). REVIEWS_RECORDED: Analysis.reviews_recorded (spans.py)."""
    reject_clashes(by, (*TREND_COLUMNS, *MEASURES))
    received = pl.col(RECEIVED_DATE)
    requests = pl.col(PLAN_DUE_DATE).is_not_null()  # with_status: a 20-week date, a status
    first_request = cases.lazy().filter(requests).select(received.min()).collect().item()
    first = index_of(first_month or first_request or as_of)
    frame = spans.with_span_dates(cases.lazy(), as_of, rules, reviews_recorded)
    events = _Events(frame, by, first, as_of)

    events.flow("requests_received", received, requests)
    # DfE's plans issued (rules/dfe_method.py), by month of issue from the first month shown.
    monthly = issued_by_month(cases, as_of, by, undated, over_a_year_reading)
    period = pl.col("period")
    dfe = (monthly.lazy().select(
        (period.str.slice(0, 4).cast(pl.Int32) * 12 + period.str.slice(5, 2).cast(pl.Int32)
         - 1).alias(MONTH), *by, *(pl.col(v).alias(k) for k, v in _ISSUED.items()))
        .filter(pl.col(MONTH) >= first)
        .unpivot(list(_ISSUED), index=[MONTH, *by], variable_name=_MEASURE,
                 value_name=_VALUE))

    # The 20-week cohort: requests in DfE's scope whose 20-week date falls in the month (by
    # the as-of date) and that ended in a plan or are still open on the as-of date. A request
    # closed without a plan (refused, not issued, withdrawn) is no plan, on time or late.
    due, issued = pl.col(PLAN_DUE_DATE), pl.col(spans.ISSUED_ON)
    on_time = (issued <= due).fill_null(False)
    cohort = requests & in_dfe_scope() & (
        issued.is_not_null() | pl.col(spans.CLOSED_ON).is_null())
    events.flow("plans_due", due, cohort)
    events.flow("plans_due_issued_on_time", due, cohort & on_time)

    # How each open request left: at the later of its received month and its end's month, so
    # a request received and issued in one month comes in and goes out in that month.
    start, until = spans.open_span()
    left = pl.max_horizontal(until, start)
    by_issue = (issued.is_not_null() & (issued == until)).fill_null(False)
    events.flow(LEFT_BY_ISSUE, left, start.is_not_null() & until.is_not_null() & by_issue)
    events.flow(LEFT_BY_CLOSURE, left, start.is_not_null() & until.is_not_null() & ~by_issue)

    events.stock("open_at_month_end", spans.open_span())
    overdue = spans.overdue_span()
    events.stock("open_overdue_at_month_end", overdue)
    events.stock("overdue_received_days", overdue, ("__received", received.cast(pl.Int32)))
    events.stock("open_over_52_weeks_at_month_end", spans.open_over_52_weeks_span())
    events.stock("plans_in_force_at_month_end", spans.in_force_span())
    for span in spans.review_overdue_spans():
        events.stock("reviews_overdue_at_month_end", span)
    # Every plan a review has fallen due for is in the denominator: those whose status is
    # known (from the last review on) and those it is not (before it), counted as not
    # reviewed, so the share is a lower bound whenever any is not known.
    events.stock("review_due_once", spans.review_due_once_span())
    events.stock("review_due_once", spans.review_not_known_span())
    events.stock(NOT_KNOWN, spans.review_not_known_span())
    events.stock("reviewed_in_last_12_months", spans.reviewed_in_last_12_months_span())

    long = pl.concat([events.counts(), dfe.select(*by, MONTH, _VALUE, _MEASURE)],
                     how="vertical")
    # The table and the closures without a date in one query.
    table, undated_closures = pl.collect_all([
        _by_month(long, cases, monthly, by, first, as_of),
        cases.lazy().select((requests & spans.undated_closure(as_of)).sum())],
        engine="in-memory")
    return Trend(table, as_of, tuple(by), int(undated_closures.item()), monthly)


MEASURES = ("requests_received", "plans_issued", "plans_issued_within_20_weeks",
            "plans_issued_from_backlog", "current_within_20_weeks", "plans_due",
            "plans_due_issued_on_time", LEFT_BY_ISSUE, LEFT_BY_CLOSURE, *STOCKS)


def _by_month(long: pl.LazyFrame, cases: pl.DataFrame, issued: pl.DataFrame, by: list[str],
              first: int, as_of: date) -> pl.LazyFrame:
    """The contributions summed per month and group, on a calendar of every month and group,
    stocks cumulated, and the derived columns: one query."""
    last = index_of(as_of)
    calendar = pl.LazyFrame({MONTH: pl.int_range(first, last + 1, eager=True, dtype=pl.Int32)})
    if by:
        groups = pl.concat([cases.lazy().select(group_values(by)),
                            issued.lazy().select(by)]).unique()
        calendar = calendar.join(groups, how="cross")
    keys = [MONTH, *by]
    value = pl.col(_VALUE)
    wide = long.group_by(keys).agg(value.filter(pl.col(_MEASURE) == m).sum().cast(pl.Int64)
                                   .alias(m) for m in MEASURES)
    table = (calendar.join(wide, on=keys, how="left")
             .with_columns(pl.col(MEASURES).fill_null(0).cast(pl.Int64))
             .sort([*by, MONTH]))
    stocks = [pl.col(s).cum_sum() for s in STOCKS]
    table = table.with_columns(stocks if not by else [s.over(by) for s in stocks])
    month_end = pl.when(pl.col(MONTH) == last).then(pl.lit(as_of)).otherwise(
        pl.date(pl.col(MONTH) // 12, pl.col(MONTH) % 12 + 1, 1).dt.month_end())
    overdue = pl.col("open_overdue_at_month_end")
    mean_days = (overdue * month_end.cast(pl.Int32) - pl.col("overdue_received_days")) / overdue
    table = table.with_columns(
        period_label(pl.col(MONTH), "month").alias("month"),
        (pl.col("plans_issued") - pl.col("plans_issued_from_backlog"))
        .alias("plans_issued_current"),
        pl.when(overdue > 0).then((mean_days / 7).round(1))
        .alias("mean_weeks_open_overdue_at_month_end"),
        *((pl.col(NOT_KNOWN) > 0).alias(flag) for flag in LOWER_BOUNDS.values()),
    ).with_columns(
        percentage(pl.col(n), pl.col(d)).alias(p) for p, (n, d) in TREND_RATES.items())
    hidden = [c for c in MEASURES if c not in TREND_COLUMNS]
    return table.sort([MONTH, *by]).select("month", *by, *TREND_COLUMNS[1:], *hidden)
