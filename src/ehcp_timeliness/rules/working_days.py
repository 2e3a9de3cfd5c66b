"""Deadlines on non-working days: flagged, never moved (rules.md §4; E07, E08).

The regulations have no roll-forward rule and the tribunal's rule 12 does not bind authorities,
so the deadline stays; these expressions only tell a caseworker when to act in practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl


def on_non_working_day(due: pl.Expr, bank_holidays: Sequence[date]) -> pl.Expr:
    """True when the deadline falls on a Saturday, Sunday or England bank holiday."""
    return ~due.dt.is_business_day(holidays=list(bank_holidays))


def last_working_day_by(due: pl.Expr, bank_holidays: Sequence[date]) -> pl.Expr:
    """The deadline itself if it is a working day, else the last working day before it."""
    return due.dt.add_business_days(0, holidays=list(bank_holidays), roll="backward")
