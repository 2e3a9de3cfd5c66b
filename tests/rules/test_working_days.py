"""The per-day look-ups (rules/day_table.py) give what the plain-Python oracle gives: weekday and
bank-holiday checks against the `holidays` package itself (not the shipped table the rules read),
and the 12-month review deadline by calendar arithmetic.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules.day_table import CALENDAR_END, CALENDAR_START
from ehcp_timeliness.rules.reviews import months_beginning_with
from ehcp_timeliness.rules.status import REVIEW_CLOCK, twelve_months_after
from ehcp_timeliness.rules.working_days import last_working_day_by, on_non_working_day
from fuzz.generators import fuzz

import oracle

HOLIDAYS = england_bank_holidays()


# Days every rule meets: all accepted years, with the days around Easter, Christmas, the New
# Year and one-off bank holidays (1999-12-31, 2022-09-19) drawn far more often than chance.
EDGE_DAYS = [date(2022, 9, 19), date(1999, 12, 31), date(2002, 6, 4), date(2020, 5, 8),
             *(date(y, m, d) for y in (1950, 1975, 2024, 2025, 2027, 2100)
               for m, d in ((1, 1), (1, 2), (1, 3), (12, 25), (12, 26), (12, 27), (12, 28)))]
ORACLE_HOLIDAYS = oracle.bank_holidays(FIRST_YEAR, LAST_YEAR)


@fuzz(200)
@given(days=st.lists(st.one_of(st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
                               st.sampled_from(EDGE_DAYS), st.none()), min_size=1, max_size=30))
def test_look_up_equals_weekday_and_bank_holiday_checks(days: list[date | None]) -> None:
    frame = pl.DataFrame({"due": days}, schema={"due": pl.Date})
    due = pl.col("due")
    got = frame.select(on_non_working_day(due, HOLIDAYS).alias("off"),
                       last_working_day_by(due, HOLIDAYS).alias("last"))
    assert got["off"].to_list() == [
        None if d is None else d.weekday() >= 5 or d in ORACLE_HOLIDAYS for d in days]
    assert got["last"].to_list() == [oracle.last_working_day(d, ORACLE_HOLIDAYS) for d in days]


def test_the_calendar_holds_every_possible_deadline() -> None:
    # The latest: 12 months after a review on the last accepted day; the earliest deadline
    # is after the first accepted day, and rolling back from it stays inside the calendar.
    latest = pl.select(months_beginning_with(pl.lit(date(LAST_YEAR, 12, 31)), 12,
                                             "anniversary")).item()
    assert latest + timedelta(weeks=12) <= CALENDAR_END
    first = date(FIRST_YEAR, 1, 1)
    assert CALENDAR_START <= first - timedelta(days=14)
    rolled = pl.select(last_working_day_by(pl.lit(first), HOLIDAYS)).item()
    assert rolled is not None and rolled <= first


LEAP_AND_MONTH_ENDS = [date(y, m, d) for y in (1952, 2023, 2024, 2096, 2099, 2100)
                      for m, d in ((2, 28), (2, 29), (3, 1), (1, 31), (12, 31))
                      if not (m == 2 and d == 29 and (y % 4 or y == 2100))]


@fuzz(200)
@given(days=st.lists(st.one_of(st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
                               st.sampled_from(LEAP_AND_MONTH_ENDS), st.none()),
                     min_size=1, max_size=30),
       convention=st.sampled_from(["s44", "anniversary"]))
def test_review_due_look_up_equals_the_calendar_arithmetic(days: list[date | None],
                                                           convention: str) -> None:
    frame = pl.DataFrame({REVIEW_CLOCK: days}, schema={REVIEW_CLOCK: pl.Date})
    rules = RulesConfig(review_convention=convention)
    got = frame.select(twelve_months_after(pl.col(REVIEW_CLOCK), rules)).to_series().to_list()
    assert got == [None if d is None else oracle.twelve_months(d, convention) for d in days]
