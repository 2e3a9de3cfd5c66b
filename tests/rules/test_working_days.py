"""The per-day look-ups (rules/day_table.py) give what the per-row expressions they replaced
give: Polars' business-day functions, and the 12-month review deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules.day_table import CALENDAR_END, CALENDAR_START
from ehcp_timeliness.rules.reviews import twelve_months_from
from ehcp_timeliness.rules.status import REVIEW_CLOCK, twelve_months_due
from ehcp_timeliness.rules.working_days import last_working_day_by, on_non_working_day
from ehcp_timeliness.schema.values import MAX_YEAR, MIN_YEAR

HOLIDAYS = england_bank_holidays()


@settings(max_examples=50, deadline=None)
@given(days=st.lists(st.one_of(st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR + 1, 12, 31)),
                               st.none()), min_size=1, max_size=30))
def test_look_up_equals_polars_business_days(days: list[date | None]) -> None:
    frame = pl.DataFrame({"due": days}, schema={"due": pl.Date})
    due = pl.col("due")
    got = frame.select(on_non_working_day(due, HOLIDAYS).alias("off"),
                       last_working_day_by(due, HOLIDAYS).alias("last"))
    expected = frame.select(
        (~due.dt.is_business_day(holidays=list(HOLIDAYS))).alias("off"),
        due.dt.add_business_days(0, holidays=list(HOLIDAYS), roll="backward").alias("last"))
    assert got.to_dicts() == expected.to_dicts()


def test_the_calendar_holds_every_possible_deadline() -> None:
    # The latest: 12 months after a review on the last accepted day; the earliest deadline
    # is after the first accepted day, and rolling back from it stays inside the calendar.
    latest = pl.select(twelve_months_from(pl.lit(date(MAX_YEAR, 12, 31)), "anniversary")).item()
    assert latest + timedelta(weeks=12) <= CALENDAR_END
    first = date(MIN_YEAR, 1, 1)
    assert CALENDAR_START <= first - timedelta(days=14)
    rolled = pl.select(last_working_day_by(pl.lit(first), HOLIDAYS)).item()
    assert rolled is not None and rolled <= first


@settings(max_examples=50, deadline=None)
@given(days=st.lists(st.one_of(st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)),
                               st.none()), min_size=1, max_size=30),
       convention=st.sampled_from(["s44", "anniversary"]))
def test_review_due_look_up_equals_the_month_arithmetic(days: list[date | None],
                                                        convention: str) -> None:
    frame = pl.DataFrame({REVIEW_CLOCK: days}, schema={REVIEW_CLOCK: pl.Date})
    rules = RulesConfig(review_convention=convention)
    got = frame.select(twelve_months_due(rules)).to_series().to_list()
    expected = frame.select(twelve_months_from(pl.col(REVIEW_CLOCK), convention)) \
        .to_series().to_list()
    assert got == expected
