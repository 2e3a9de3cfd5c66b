"""England and Wales bank holidays from the pinned `holidays` package (rules.md §4): known dates,
and days that are holidays elsewhere in the UK but working days in England.
"""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR

D = date.fromisoformat


def test_the_holidays_package_is_the_pinned_version() -> None:
    # pyproject pins it: a new release may change the lists and so the working-day columns.
    assert holidays.__version__ == "0.109"


@pytest.mark.parametrize("day", [
    "2023-05-08",  # coronation of King Charles III
    "2022-06-02", "2022-06-03",  # spring bank holiday moved, and the platinum jubilee
    "2022-09-19",  # state funeral of Queen Elizabeth II
    "2024-03-29", "2024-04-01",  # Good Friday, Easter Monday
    "2024-05-06", "2024-05-27", "2024-08-26",  # early May, spring, summer (England's late Aug)
    "2025-05-26",  # E07: spring bank holiday
    "2025-12-25", "2025-12-26", "2026-01-01",
    "2020-05-08",  # VE day: early May moved from the Monday
    "2027-12-28",  # Boxing Day on a Sunday: substitute Tuesday
])
def test_known_england_bank_holidays(day: str) -> None:
    assert D(day) in england_bank_holidays()


@pytest.mark.parametrize(("day", "where"), [
    ("2024-07-12", "NIR"),   # Battle of the Boyne: Northern Ireland only
    ("2025-03-17", "NIR"),   # St Patrick's Day: Northern Ireland only
    ("2024-01-02", "SCT"),   # 2 January: Scotland only
    ("2023-11-30", "SCT"),   # St Andrew's Day: Scotland only
    ("2024-08-05", "SCT"),   # Scotland's summer bank holiday is the first Monday of August
])
def test_holidays_elsewhere_in_the_uk_are_working_days_in_england(day: str, where: str) -> None:
    assert D(day) in holidays.country_holidays("GB", subdiv=where, years=D(day).year)
    assert D(day) not in england_bank_holidays()


def test_ordinary_days_are_not_holidays() -> None:
    assert D("2024-06-03") not in england_bank_holidays()  # E01's 20-week date, a Monday
    assert D("2024-12-24") not in england_bank_holidays()  # Christmas Eve is a working day


def test_the_list_covers_the_data_contract_years_sorted() -> None:
    days = england_bank_holidays()
    assert list(days) == sorted(days)
    assert days[0].year == 1950 and days[-1].year == 2100


def test_shipped_table_equals_the_pinned_package() -> None:
    # The tool reads reference_data/england_bank_holidays.csv, not the package: regenerate it
    # with scripts/make_bank_holidays.py whenever the pin moves.
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    assert england_bank_holidays() == tuple(sorted(found))
