"""Deadlines on non-working days: flagged, never moved (rules.md §4; E07, E08).

The regulations have no roll-forward rule and the tribunal's rule 12 does not bind authorities,
so the deadline stays; these expressions only tell a caseworker when to act in practice.

Polars' business-day functions cost a holiday search per row, so each day's answer is worked
out once, in a table of every calendar day (rules/day_table.py), and looked up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from ehcp_timeliness.rules.day_table import day_tables, value_on_day


def on_non_working_day(due: pl.Expr, bank_holidays: Sequence[date]) -> pl.Expr:
    """True when the deadline falls on a Saturday, Sunday or England bank holiday."""
    return value_on_day(_tables(bank_holidays)[0], due)


def last_working_day_by(due: pl.Expr, bank_holidays: Sequence[date]) -> pl.Expr:
    """The deadline itself if it is a working day, else the last working day before it."""
    return value_on_day(_tables(bank_holidays)[1], due)


def _tables(bank_holidays: Sequence[date]) -> list[pl.Series]:
    holidays = tuple(bank_holidays)
    return day_tables({
        ("non_working", holidays): lambda day: ~day.dt.is_business_day(holidays=list(holidays)),
        ("last_working", holidays): lambda day: day.dt.add_business_days(
            0, holidays=list(holidays), roll="backward")})
