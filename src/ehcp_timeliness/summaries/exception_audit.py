"""The reg 10(4)(a) exception audit (rules.md §1, §4; worked examples E30–E32).

The 20-week limit does not apply where it was impractical because advice was requested from a
school or setting in the window from one week before it closed for at least 4 continuous weeks
to one week before it reopened. Given the term dates (config [term_dates]) and the day advice
was requested, this lists:

- every case flagged as an exception (SEN2 Week20), and whether its dates make the closure
  window plausible;
- every late case (issued late, or open past its 20-week date) not flagged, whose dates fall in
  a closure window: the exception may have applied.

Only (a)/(b) can be judged from dates: exceptional personal circumstances (c) and absence from
the area (d) cannot, so a flagged case outside every window is "not shown by the dates", not
wrong. Exports rarely hold the day advice was requested: without `advice_requested_date` the
proxy is the day the decision to assess was notified (advice is sought once the authority has
decided to assess, reg 6(1): our reading), or none (config exception_audit.advice_date_proxy).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    ADVICE_REQUESTED_DATE,
    CASE_ID,
    PERSON_ID,
    PLAN_DUE_DATE,
    PLAN_ISSUED_DATE,
    PLAN_STATUS,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    ROW,
    WEEK20_EXCEPTION,
    PlanStatus,
)
from ehcp_timeliness.config import Config
from ehcp_timeliness.rules.exception_windows import (
    MIN_CLOSURE_DAYS,
    advice_request_in_closure_window,
    closure_window_end,
    closure_window_start,
    england_summer_closes,
    england_summer_reopens,
)
from ehcp_timeliness.rules.status import exception_recorded, known_by

RECORDED = "recorded"
PROXY = "proxy: decision to assess"
FLAGGED_PLAUSIBLE = "flagged_window_plausible"
FLAGGED_NOT_SHOWN = "flagged_window_not_shown"
FLAGGED_NO_DATE = "flagged_no_advice_date"
UNFLAGGED_IN_WINDOW = "unflagged_late_in_window"
FINDINGS = (FLAGGED_PLAUSIBLE, FLAGGED_NOT_SHOWN, FLAGGED_NO_DATE, UNFLAGGED_IN_WINDOW)
LATE_STATUSES = (PlanStatus.ISSUED_LATE, PlanStatus.OVERDUE)
AUDIT_COLUMNS = (
    CASE_ID, PERSON_ID, RECEIVED_DATE, PLAN_DUE_DATE, PLAN_ISSUED_DATE, PLAN_STATUS,
    WEEK20_EXCEPTION, "advice_date", "advice_date_source", "closure_closes", "closure_reopens",
    "window_start", "window_end", "finding",
)


def advice_date(config: Config, as_of: date) -> pl.Expr:
    """The day advice was requested: recorded, else the proxy in force; known by A."""
    recorded = known_by(ADVICE_REQUESTED_DATE, as_of)
    if config.exception_audit.advice_date_proxy == "none":
        return recorded
    # SEN2 RequestOutcome Y: the authority decided to assess, so it now seeks advice.
    proxy = pl.when(pl.col(REQUEST_OUTCOME) == "Y").then(known_by(REQUEST_OUTCOME_DATE, as_of))
    return pl.coalesce(recorded, proxy)


def advice_date_source(as_of: date) -> pl.Expr:
    return (pl.when(known_by(ADVICE_REQUESTED_DATE, as_of).is_not_null()).then(pl.lit(RECORDED))
            .when(pl.col("advice_date").is_not_null()).then(pl.lit(PROXY)))


def closure_for(config: Config, day: pl.Expr, part: str) -> pl.Expr:
    """The closure ('closes' or 'reopens' date) whose window holds DAY; failing that, for
    reference, that year's summer closure (the first listed one of at least 4 weeks, else the
    default pattern's). Null when there is none.
    """
    default = {"closes": england_summer_closes, "reopens": england_summer_reopens}[part]
    year = day.dt.year()
    closures = config.term_dates.closures  # a few config entries, not rows: built once
    # The England pattern covers the years the config lists no closure starting in.
    in_default = (pl.lit(False) if config.term_dates.default_pattern == "none"
                  else ~year.is_in(sorted({c.closes.year for c in closures})))
    steps = [(advice_request_in_closure_window(day, pl.lit(c.closes), pl.lit(c.reopens)),
              pl.lit(getattr(c, part))) for c in closures]
    # Reference closures when no window holds the date.
    reference = [c for c in closures
                 if (c.reopens - c.closes).days >= MIN_CLOSURE_DAYS and c.closes.month in (6, 7, 8)]
    steps += [(in_default, default(year))]
    steps += [(year == c.closes.year, pl.lit(getattr(c, part))) for c in reference]
    chain: pl.Expr | None = None
    for condition, value in steps:
        chain = (pl.when(condition) if chain is None else chain.when(condition)).then(value)
    assert chain is not None
    return chain.otherwise(pl.lit(None, dtype=pl.Date))


def exception_audit(cases: pl.DataFrame, config: Config, as_of: date) -> pl.DataFrame:
    """AUDIT_COLUMNS for flagged cases and unflagged late cases in a window, ordered by
    finding then received date.
    """
    closes, reopens = pl.col("closure_closes"), pl.col("closure_reopens")
    in_window = advice_request_in_closure_window(
        pl.col("advice_date"), closes, reopens).fill_null(False)
    flagged = exception_recorded()
    late = pl.col(PLAN_STATUS).is_in(LATE_STATUSES)
    finding = (pl.when(flagged & pl.col("advice_date").is_null()).then(pl.lit(FLAGGED_NO_DATE))
               .when(flagged & in_window).then(pl.lit(FLAGGED_PLAUSIBLE))
               .when(flagged).then(pl.lit(FLAGGED_NOT_SHOWN))
               .when(late & in_window).then(pl.lit(UNFLAGGED_IN_WINDOW)))
    order = pl.col("finding").replace_strict(FINDINGS, list(range(len(FINDINGS))))
    return (
        cases.with_columns(advice_date(config, as_of).alias("advice_date"))
        .with_columns(
            advice_date_source(as_of).alias("advice_date_source"),
            closure_for(config, pl.col("advice_date"), "closes").alias("closure_closes"),
            closure_for(config, pl.col("advice_date"), "reopens").alias("closure_reopens"),
        )
        .with_columns(closure_window_start(closes).alias("window_start"),
                      closure_window_end(reopens).alias("window_end"),
                      finding.alias("finding"))
        .filter(pl.col("finding").is_not_null())
        .sort(order, pl.col(RECEIVED_DATE), pl.col(CASE_ID), pl.col(ROW), nulls_last=True)
        .select(AUDIT_COLUMNS)
    )
