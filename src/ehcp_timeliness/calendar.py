"""Bank holidays (England and Wales) as plain tuples of dates, from the pinned `holidays` package.

Used only to *flag* a deadline that falls on a non-working day and give the last working day
before it: weekends and bank holidays never move a statutory deadline (rules.md §4). Offline:
the package carries its own rules, nothing is fetched.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays


@cache
def england_bank_holidays(first_year: int, last_year: int) -> tuple[date, ...]:
    """Bank holidays in England (and Wales) for the years given, inclusive, sorted."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(found))


def is_bank_holiday(day: date) -> bool:
    return day in england_bank_holidays(day.year, day.year)
