"""Whether an export looks older than the as-of date it is analysed for.

An export taken on 30 June 2025 and analysed "as of today" a year later calls every open
request and every review overdue: its cases stopped moving on the day it was taken, not today.
The newest date it records is the best sign of when that was.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

import polars as pl

from ehcp_timeliness.columns import DATE_COLUMNS, PERSONAL_COLUMNS, column

# Dates of the casework itself: a date of birth says nothing about when the export was taken.
ACTIVITY_DATES: tuple[str, ...] = tuple(c for c in DATE_COLUMNS if c not in PERSONAL_COLUMNS)


def newest_date(cases: pl.DataFrame, by: date) -> date | None:
    """The latest casework date on or before BY (a later one is a typing error, flagged
    elsewhere), or None when the export records none."""
    dates = [c for c in ACTIVITY_DATES if c in cases.columns and cases.schema[c] == pl.Date]
    if not dates or cases.height == 0:
        return None
    newest = cases.select(pl.max_horizontal(
        column(c).filter(column(c) <= by).max() for c in dates)).item()
    return newest if isinstance(newest, date) else None


def a_month_before(day: date) -> date:
    """The same day of the previous month (its last day when it has no such day)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def stale_export_warning(cases: pl.DataFrame, as_of: date) -> str | None:
    """The warning for an as-of date that was not chosen (today) when the export's newest
    date is more than a month earlier; None when it is not."""
    newest = newest_date(cases, as_of)
    if newest is None or newest >= a_month_before(as_of):
        return None
    return (f"Warning: no --as-of given, so the figures are as of today ({as_of.isoformat()}), "
            f"but the newest date in the export is {newest.isoformat()}. If the export was "
            "taken then, every open request and review looks later than it is: rerun with "
            f"--as-of {newest.isoformat()}.")
