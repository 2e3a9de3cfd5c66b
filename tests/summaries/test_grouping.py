"""Rates are grouped by a number for each period, turned into its first day and labelled
afterwards: the labels are those of the dates themselves."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness.summaries.grouping import (
    Period,
    period_first_day,
    period_key,
    period_label,
)


def period_start(day: pl.Expr, period: Period) -> pl.Expr:
    return period_first_day(period_key(day, period), period)


@pytest.mark.parametrize("period", ["year", "quarter", "month"])
@settings(max_examples=30, deadline=None)
@given(days=st.lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
                     min_size=1, max_size=50))
def test_the_period_start_has_the_label_of_every_date_in_it(period: Period,
                                                            days: list[date]) -> None:
    frame = pl.DataFrame({"day": days}, schema={"day": pl.Date})
    labels = frame.select(
        period_label(pl.col("day"), period).alias("direct"),
        period_label(period_start(pl.col("day"), period), period).alias("via_start"),
        (period_start(pl.col("day"), period) <= pl.col("day")).alias("starts_before"))
    assert labels["direct"].to_list() == labels["via_start"].to_list()
    assert labels["starts_before"].all()


def test_labels_of_period_starts() -> None:
    day = pl.lit(date(2024, 8, 31))
    assert pl.select(period_label(period_start(day, "year"), "year")).item() == "2024"
    assert pl.select(period_label(period_start(day, "quarter"), "quarter")).item() == "2024-Q3"
    assert pl.select(period_start(day, "quarter")).item() == date(2024, 7, 1)
    assert pl.select(period_start(day, "month")).item() == date(2024, 8, 1)
