"""Shared pieces of every summary: calendar periods, --by groups and DfE-style percentages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import polars as pl

from ehcp_timeliness.columns import column
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.rules.day_table import day_table, value_on_day

Period = Literal["year", "quarter", "month"]
BLANK_GROUP = "(blank)"


def period_key(date: pl.Expr, period: Period) -> pl.Expr:
    """The calendar period of a date as a whole number (the year; year·4 + quarter − 1;
    year·12 + month − 1): a key to group by that period_label writes out afterwards, for the
    few groups, rather than a label or a period start worked out for each case. Looked up per
    calendar day (rules/day_table.py): reading the year out of every date costs more."""
    return value_on_day(day_table(("period", period), lambda day: _period_of(day, period)), date)


def _period_of(date: pl.Expr, period: Period) -> pl.Expr:
    year = date.dt.year().cast(pl.Int32)
    if period == "year":
        return year
    month = date.dt.month().cast(pl.Int32) - 1
    return year * 4 + month // 3 if period == "quarter" else year * 12 + month


def period_label(key: pl.Expr, period: Period) -> pl.Expr:
    """The period period_key numbers KEY as the tables write it: '2024', '2024-Q1' or
    '2024-01' (sorts as text)."""
    if period == "year":
        return key.cast(pl.String)
    per_year = 4 if period == "quarter" else 12
    year, part = (key // per_year).cast(pl.String), (key % per_year + 1).cast(pl.String)
    if period == "quarter":
        return pl.concat_str(year, pl.lit("-Q"), part)
    return pl.concat_str(year, pl.lit("-"), part.str.zfill(2))


def reject_clashes(by: list[str], outputs: Iterable[str]) -> None:
    """A --by column named like one of the table's own columns, or given twice, would be two
    columns of one name, which Polars refuses with a DuplicateError: say so instead."""
    taken = set(outputs)
    for i, name in enumerate(by):
        if name in taken or name in by[:i]:
            raise UsageError(
                f"--by {name}: " + ("given twice" if name in by[:i] else
                                    "the summary has a column of its own with that name"),
                "Group by each column once; to group by this one, rename it in the export.")


def finding_counts(rows: pl.DataFrame, findings: Iterable[str]) -> dict[str, int]:
    """Each of FINDINGS -> the ROWS whose `finding` it is (0 when none): a list's counts."""
    counted = dict(rows.group_by("finding").len().iter_rows())
    return {f: int(counted.get(f, 0)) for f in findings}


def group_values(by: list[str]) -> list[pl.Expr]:
    """--by columns as text, blanks shown as '(blank)' so they stay visible in tables."""
    return [column(c).cast(pl.String).fill_null(BLANK_GROUP).alias(c) for c in by]


def percentage(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """100·n/d to one decimal place, halves rounded up as DfE publishes; null when d = 0.

    Integer arithmetic, so 46.45 is never floated down to 46.4.
    """
    tenths = (numerator.cast(pl.Int64) * 2000 + denominator) // (denominator * 2)
    # round(1) after the exact integer step: Polars may divide by multiplying by 0.1.
    return pl.when(denominator > 0).then((tenths / 10).round(1))
