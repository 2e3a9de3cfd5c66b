"""Bank holidays (England and Wales) as plain tuples of dates, from the pinned `holidays` package.

Used only to *flag* a deadline that falls on a non-working day and give the last working day
before it: weekends and bank holidays never move a statutory deadline (rules.md §4). Offline:
the package's dates for 1950–2100 are shipped as reference_data/england_bank_holidays.csv
(scripts/make_bank_holidays.py; a test keeps it equal to the pinned package), so no run pays
for computing them.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files

BANK_HOLIDAYS_FILE = "england_bank_holidays.csv"


@cache
def england_bank_holidays() -> tuple[date, ...]:
    """Bank holidays in England (and Wales), sorted, for the years of the data contract.

    `subdiv="ENG"` matters (scripts/make_bank_holidays.py): GB without a subdivision leaves out
    Easter Monday, and the Scottish or Northern Irish lists have days (2 January, St Andrew's
    Day, 12 July) that are working days in England.
    """
    text = files("ehcp_timeliness").joinpath("reference_data", BANK_HOLIDAYS_FILE).read_text(
        encoding="utf-8")
    return tuple(date.fromisoformat(line) for line in text.split()[1:])
