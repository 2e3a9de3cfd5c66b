"""Rates are grouped by a number for each period and labelled afterwards: the label of each
date's number is the date's period as Python writes it."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness.summaries.grouping import Period, period_key, period_label

ORACLE = {"year": lambda day: f"{day.year}",
          "quarter": lambda day: f"{day.year}-Q{(day.month - 1) // 3 + 1}",
          "month": lambda day: f"{day:%Y-%m}"}


@pytest.mark.parametrize("period", ["year", "quarter", "month"])
@settings(max_examples=30, deadline=None)
@given(days=st.lists(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
                     min_size=1, max_size=50))
def test_the_label_of_a_dates_period_number_is_its_period(period: Period,
                                                          days: list[date]) -> None:
    frame = pl.DataFrame({"day": days}, schema={"day": pl.Date})
    labels = frame.select(period_label(period_key(pl.col("day"), period), period))
    assert labels.to_series().to_list() == [ORACLE[period](day) for day in days]


def test_labels_of_a_day() -> None:
    day = pl.lit(date(2024, 8, 31))
    found = [pl.select(period_label(period_key(day, p), p)).item()
             for p in ("year", "quarter", "month")]
    assert found == ["2024", "2024-Q3", "2024-08"]
