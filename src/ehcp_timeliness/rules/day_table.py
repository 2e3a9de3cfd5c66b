"""Per-day look-up tables for date rules that cost more per row than a look-up.

A deadline column holds only a few thousand distinct days, and every day a rule can meet lies in
one calendar (the accepted years, columns.py, and a year after). So a rule that maps a
day to a day or a flag can be worked out once for every calendar day, by the same expression,
and each row looked up by its position (a gather: one cheap pass). The result is the
expression's own, day for day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import polars as pl

from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR

# Deadlines run from dates in the accepted years: at most about a year after the last one
# (12 months from a review in December 2100). The calendar starts a month early so the first
# days can roll back to a working day before them.
CALENDAR_START = date(FIRST_YEAR - 1, 12, 1)
CALENDAR_END = date(LAST_YEAR + 2, 12, 31)

_TABLES: dict[object, pl.Series] = {}
_EPOCH = date(1970, 1, 1)  # day 0 of Polars' dates


def day_table(key: object, rule: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """RULE applied to every calendar day, in order; kept under KEY for the process."""
    return day_tables({key: rule})[0]


def day_tables(rules: dict[object, Callable[[pl.Expr], pl.Expr]]) -> list[pl.Series]:
    """day_table of each key and rule; those not made yet are made in one query, side by
    side."""
    if missing := {key: rule for key, rule in rules.items() if key not in _TABLES}:
        # In memory: the streaming engine runs the business-day rules (rules/working_days.py)
        # many times slower.
        day = pl.col("day")
        tables = pl.LazyFrame().select(pl.date_range(CALENDAR_START, CALENDAR_END).alias("day")) \
            .select(rule(day).alias(str(i)) for i, rule in enumerate(missing.values())) \
            .collect(engine="in-memory")
        _TABLES.update(zip(missing, tables.get_columns(), strict=True))
    return [_TABLES[key] for key in rules]


def value_on_day(table: pl.Series, day: pl.Expr) -> pl.Expr:
    """TABLE's value for each DAY; null for a null day or one outside the calendar (no date
    the tool accepts leads there)."""
    # The day number less the calendar's first: Polars subtracts dates by way of durations,
    # ten times slower.
    offset = day.cast(pl.Int32) - (CALENDAR_START - _EPOCH).days
    return pl.lit(table).gather(pl.when(day.is_between(CALENDAR_START, CALENDAR_END))
                                .then(offset))


def first_day_reaching(table: pl.Series, value: date) -> date:
    """The first calendar day whose value in TABLE (never decreasing from day to day) is
    VALUE or later; the day after the calendar when there is none."""
    return CALENDAR_START + timedelta(days=table.search_sorted(value, side="left"))
