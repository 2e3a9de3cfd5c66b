"""The as-of snapshot: open requests by status and age, and annual reviews by status, for
one frame of cases (figures.py counts them, with every other as-of figure, in one pass)."""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.summaries.figures import AGE_BANDS as AGE_BANDS
from ehcp_timeliness.summaries.figures import (
    by_group,
    grouped,
    open_request_counts,
    review_counts,
)

AGE_BAND_LABELS = {"weeks_0_6": "0–6", "weeks_6_16": "6–16", "weeks_16_20": "16–20",
                   "weeks_20_30": "20–30", "weeks_30_52": "30–52", "weeks_52_plus": "52+"}


def open_requests(cases: pl.DataFrame, as_of: date, by: list[str]) -> pl.DataFrame:
    """Open requests (no plan, not closed) by status and by weeks since the request."""
    if by:
        return by_group(cases, as_of, by)[0]
    return cases.lazy().select(open_request_counts(as_of)).collect(engine="in-memory")


def age_profile(open_table: pl.DataFrame) -> pl.DataFrame:
    """One row: the open requests of an open_requests table (any --by groups) by weeks since
    the request, added up over its groups."""
    return open_table.select(pl.col(name).sum() for name, _, _ in AGE_BANDS)


def reviews(cases: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Plans needing annual reviews, by review status."""
    if by:
        return grouped(cases, by, review_counts())
    return cases.lazy().select(review_counts()).collect(engine="in-memory")
