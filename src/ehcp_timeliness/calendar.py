"""Bank holidays (England and Wales) as plain tuples of dates, from the pinned `holidays` package.

Used only to *flag* a deadline that falls on a non-working day and give the last working day
before it: weekends and bank holidays never move a statutory deadline (rules.md §4). Offline:
the package carries its own rules, nothing is fetched.
"""

from __future__ import annotations

from datetime import date
from functools import cache

# The years a date in an export may have (data contract: four-digit years 1950–2100).
FIRST_YEAR = 1950
LAST_YEAR = 2100


@cache
def england_bank_holidays(first_year: int = FIRST_YEAR,
                          last_year: int = LAST_YEAR) -> tuple[date, ...]:
    """Bank holidays in England (and Wales) for the years given, inclusive, sorted.

    `subdiv="ENG"` matters: GB without a subdivision leaves out Easter Monday, and the Scottish
    or Northern Irish lists have days (2 January, St Andrew's Day, 12 July) that are working
    days in England.
    """
    # Imported here, not at module level: the package takes a noticeable fraction of a second to
    # load, and only commands that analyse cases need it (not --help, config, sample).
    import holidays

    found = holidays.country_holidays("GB", subdiv="ENG",
                                      years=range(first_year, last_year + 1))
    return tuple(sorted(found))


def is_bank_holiday(day: date) -> bool:
    return day in england_bank_holidays(day.year, day.year)
