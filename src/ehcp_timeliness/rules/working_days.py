"""Deadlines on non-working days: flagged, never moved (rules.md §4; E07, E08).

The regulations have no roll-forward rule and the tribunal's rule 12 does not bind authorities,
so the deadline stays; these expressions only tell a caseworker when to act in practice.

Polars' business-day functions cost a holiday search per row; a deadline column has only a few
thousand distinct days, so each day's answer is worked out once, in a calendar of every day a
deadline can fall on, and looked up by position (a gather: one cheap pass per column).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import polars as pl

from ehcp_timeliness.schema.values import MAX_YEAR, MIN_YEAR

# Deadlines run from dates in the accepted years: at most about a year after the last one
# (12 months from a review in December 2100). The calendar starts a month early so the first
# days can roll back to a working day before them.
CALENDAR_START = date(MIN_YEAR - 1, 12, 1)
CALENDAR_END = date(MAX_YEAR + 2, 12, 31)


@lru_cache(maxsize=4)
def _calendar(bank_holidays: tuple[date, ...]) -> tuple[pl.Series, pl.Series]:
    """(non-working?, last working day on or before) for every day of the calendar."""
    days = pl.date_range(CALENDAR_START, CALENDAR_END, eager=True)
    holidays = list(bank_holidays)
    return (~days.dt.is_business_day(holidays=holidays),
            days.dt.add_business_days(0, holidays=holidays, roll="backward"))


def _position(due: pl.Expr) -> pl.Expr:
    """The day's place in the calendar; null outside it (no such deadline can arise)."""
    offset = (due - pl.lit(CALENDAR_START)).dt.total_days()
    return pl.when(due.is_between(CALENDAR_START, CALENDAR_END)).then(offset)


def on_non_working_day(due: pl.Expr, bank_holidays: Sequence[date]) -> pl.Expr:
    """True when the deadline falls on a Saturday, Sunday or England bank holiday."""
    non_working, _ = _calendar(tuple(bank_holidays))
    return pl.lit(non_working).gather(_position(due))


def last_working_day_by(due: pl.Expr, bank_holidays: Sequence[date]) -> pl.Expr:
    """The deadline itself if it is a working day, else the last working day before it."""
    _, last_working = _calendar(tuple(bank_holidays))
    return pl.lit(last_working).gather(_position(due))
