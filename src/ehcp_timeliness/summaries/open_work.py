"""The as-of snapshot: open requests by status and age, and annual reviews by status."""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    OPEN_PLAN_STATUSES,
    PLAN_STATUS,
    RECEIVED_DATE,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
    column,
)
from ehcp_timeliness.summaries.grouping import group_values, reject_clashes

# Weeks since the request: the 6-week decision, 16-week no-plan decision, 20-week plan deadline,
# then how far past it. Lower bound inclusive, upper exclusive.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("weeks_0_6", 0, 6), ("weeks_6_16", 6, 16), ("weeks_16_20", 16, 20),
    ("weeks_20_30", 20, 30), ("weeks_30_52", 30, 52), ("weeks_52_plus", 52, None),
)
AGE_BAND_LABELS = {"weeks_0_6": "0–6", "weeks_6_16": "6–16", "weeks_16_20": "16–20",
                   "weeks_20_30": "20–30", "weeks_30_52": "30–52", "weeks_52_plus": "52+"}


def _count(condition: pl.Expr, name: str) -> pl.Expr:
    return condition.sum().cast(pl.Int64).alias(name)


def open_requests(cases: pl.DataFrame, as_of: date, by: list[str]) -> pl.DataFrame:
    """Open requests (no plan, not closed) by status and by weeks since the request."""
    status = pl.col(PLAN_STATUS)
    weeks = (pl.lit(as_of) - pl.col(RECEIVED_DATE)).dt.total_days() / 7
    bands = []
    for name, low, high in AGE_BANDS:
        in_band = weeks >= low if high is None else (weeks >= low) & (weeks < high)
        bands.append(_count(status.is_in(OPEN_PLAN_STATUSES) & in_band, name))
    return _grouped(cases, by, [
        _count(status.is_in(OPEN_PLAN_STATUSES), "open_cases"),
        _count(status == PlanStatus.OVERDUE, "overdue"),
        _count(status == PlanStatus.DUE_SOON, "due_soon"),
        _count(status == PlanStatus.IN_PROGRESS, "in_progress"),
        *bands,
    ])


def age_profile(open_table: pl.DataFrame) -> pl.DataFrame:
    """One row: the open requests of an open_requests table (any --by groups) by weeks since
    the request, added up over its groups."""
    return open_table.select(pl.col(name).sum() for name, _, _ in AGE_BANDS)


def reviews(cases: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Plans needing annual reviews, by review status."""
    status = pl.col(REVIEW_STATUS)
    return _grouped(cases, by, [
        _count(status != ReviewStatus.NOT_APPLICABLE, "plans_to_review"),
        _count(status == ReviewStatus.OVERDUE, "reviews_overdue"),
        _count(status == ReviewStatus.DUE_SOON, "reviews_due_soon"),
        _count(status == ReviewStatus.NOT_DUE, "reviews_not_due"),
    ])


def plan_status_counts(cases: pl.DataFrame) -> dict[str, int]:
    counts = dict(cases.group_by(PLAN_STATUS).len().iter_rows())
    return {s.value: int(counts.get(s.value, 0)) for s in PlanStatus}


def _grouped(cases: pl.DataFrame, by: list[str], aggs: list[pl.Expr]) -> pl.DataFrame:
    # Lazy: the optimiser works out each shared condition (status.is_in(...)) once, not once
    # per count (four times faster on a million cases than the eager select).
    if not by:
        return cases.lazy().select(aggs).collect(engine="in-memory")
    reject_clashes(by, (a.meta.output_name() for a in aggs))
    # Keys made text inside the group_by, so --by received_date leaves the ages intact.
    keys = [column(c) for c in by]  # export headers: never patterns
    return cases.lazy().group_by(group_values(by)).agg(aggs).sort(keys).collect(
        engine="in-memory")
