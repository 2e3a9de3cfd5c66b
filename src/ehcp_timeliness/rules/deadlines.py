"""Deadline arithmetic.

"N weeks of X" is 7·N calendar days after X: the day of X is not counted (Dodds v Walker [1981]),
so the last compliant day falls on X's weekday. Weekends and bank holidays never move a statutory
deadline: the regulations have no roll-forward rule (rules.md §4).
"""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.columns import (
    DECISION_DUE_DATE,
    PLAN_DUE_DATE,
    RECEIVED_DATE,
)
from ehcp_timeliness.config import RulesConfig

DECISION_DAYS = 42          # reg 5(1): decision whether to assess within 6 weeks of the request
NO_PLAN_DECISION_DAYS = 112  # reg 10(1): decision not to issue a plan within 16 weeks
PLAN_DAYS = 140             # reg 13(2): final EHC plan within 20 weeks of the request


def days_after(start: pl.Expr, days: int) -> pl.Expr:
    """The date DAYS days after the date START. Added to the day number: Polars adds a
    duration by way of datetimes, ten times slower."""
    return (start.cast(pl.Int32) + days).cast(pl.Date)


def days_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Whole days from the date START to the date END (Int64, as a duration's total_days),
    on the day numbers: Polars subtracts dates by way of durations, ten times slower."""
    return end.cast(pl.Int64) - start.cast(pl.Int64)


def weeks_after_request(received: pl.Expr | None, days: int,
                        anchor_is_day_one: bool = False) -> pl.Expr:
    """The last compliant day of a limit of DAYS (7·N) counted from the request: R + DAYS,
    the day of receipt not counted (Dodds v Walker). Authorities that count the day of
    receipt as day 1 (`rules.anchor_is_day_one`, rules.md §6) get R + DAYS − 1: one
    convention for the 6-, 16- and 20-week dates alike.
    """
    received = pl.col(RECEIVED_DATE) if received is None else received
    return days_after(received, days - 1 if anchor_is_day_one else days)


def decision_due_date(received: pl.Expr | None = None,
                      anchor_is_day_one: bool = False) -> pl.Expr:
    """reg 5(1): notify the decision whether to assess within 6 weeks: R + 42 days
    (R + 41 with `anchor_is_day_one`)."""
    return weeks_after_request(received, DECISION_DAYS, anchor_is_day_one)


def no_plan_decision_due_date(received: pl.Expr | None = None,
                              anchor_is_day_one: bool = False) -> pl.Expr:
    """reg 10(1): notify a decision not to issue a plan within 16 weeks: R + 112 days
    (R + 111 with `anchor_is_day_one`)."""
    return weeks_after_request(received, NO_PLAN_DECISION_DAYS, anchor_is_day_one)


def plan_due_date(received: pl.Expr | None = None, anchor_is_day_one: bool = False) -> pl.Expr:
    """reg 13(2): issue the final EHC plan within 20 weeks of the request: R + 140 days.

    Our reading (rules.md §6, configurable): the day of receipt is not counted. Authorities that
    count it as day 1 (`anchor_is_day_one`) get R + 139.
    """
    return weeks_after_request(received, PLAN_DAYS, anchor_is_day_one)


def with_deadlines(frame: pl.LazyFrame | pl.DataFrame,
                   rules: RulesConfig) -> pl.LazyFrame | pl.DataFrame:
    """Add decision_due_date and plan_due_date (they do not depend on the as-of date)."""
    return frame.with_columns(
        decision_due_date(anchor_is_day_one=rules.anchor_is_day_one).alias(DECISION_DUE_DATE),
        plan_due_date(anchor_is_day_one=rules.anchor_is_day_one).alias(PLAN_DUE_DATE),
    )
