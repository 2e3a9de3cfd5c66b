"""The one aggregation pass (summaries/figures.py) against plain Python: open requests by
status and by whole weeks since the request (counted against cut-off dates in the pass),
reviews by status, plan statuses; and plans set aside for their request date count in the
20-week denominators and in nothing else."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness.columns import (
    OPEN_PLAN_STATUSES,
    PLAN_ISSUED_DATE,
    PLAN_STATUS,
    RECEIVED_DATE,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
)
from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.summaries.figures import AGE_BANDS, REVIEW_COLUMNS, by_group, case_figures

from conftest import SAMPLE
from conftest import SAMPLE_AS_OF as AS_OF

ROWS = 40


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), AS_OF)


def _band(received: date | None) -> str | None:
    """The age band of a request by plain day counting: whole weeks since the request."""
    if received is None:
        return None
    weeks = (AS_OF - received).days / 7
    for name, low, high in AGE_BANDS:
        if weeks >= low and (high is None or weeks < high):
            return name
    return None  # received after the as-of date: in no band


# Days before the as-of date: around every band's edges, and anywhere.
EDGES = sorted({7 * weeks + d for _, low, high in AGE_BANDS for weeks in (low, high or low)
                for d in (-1, 0, 1)})
received_date = st.one_of(st.none(), st.sampled_from(EDGES), st.integers(-20, 500)).map(
    lambda days: None if days is None else AS_OF - timedelta(days=days))
row = st.tuples(
    received_date,
    st.one_of(st.none(), st.sampled_from([s.value for s in PlanStatus])),
    st.one_of(st.none(), st.sampled_from([s.value for s in ReviewStatus])),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(rows=st.lists(row, min_size=ROWS, max_size=ROWS))
def test_snapshot_counts_match_plain_python(analysis: Analysis,
                                            rows: list[tuple[date | None, str | None,
                                                             str | None]]) -> None:
    received, statuses, reviews = zip(*rows, strict=True)
    cases = analysis.cases.head(ROWS).with_columns(
        pl.Series(RECEIVED_DATE, received, pl.Date),
        pl.Series(PLAN_STATUS, statuses, pl.String),
        pl.Series(REVIEW_STATUS, reviews, pl.String))
    found = case_figures(cases, AS_OF)
    open_row = found.open_requests().row(0, named=True)
    is_open = [s in OPEN_PLAN_STATUSES for s in statuses]
    assert open_row["open_cases"] == sum(is_open)
    for name, _, _ in AGE_BANDS:
        assert open_row[name] == sum(o and _band(r) == name
                                     for o, r in zip(is_open, received, strict=True)), name
    for status in PlanStatus:
        assert found.plan_statuses()[status.value] == statuses.count(status.value)
    review_row = found.reviews().row(0, named=True)
    assert review_row["plans_to_review"] == sum(
        r is not None and r != ReviewStatus.NOT_APPLICABLE for r in reviews)
    assert review_row["reviews_overdue"] == reviews.count(ReviewStatus.OVERDUE)
    assert review_row["reviews_not_known"] == reviews.count(ReviewStatus.NOT_KNOWN)
    assert review_row["reviews_overdue_is_lower_bound"] == (ReviewStatus.NOT_KNOWN in reviews)
    # The --by grouping counts the same, group by group.
    grouped = by_group(cases.with_columns(pl.lit("one").alias("Team")), AS_OF, ["Team"])
    assert grouped[0].drop("Team").equals(found.open_requests())
    assert grouped[1].drop("Team").equals(found.reviews().select(REVIEW_COLUMNS))


def test_undated_plans_count_only_in_the_denominators(analysis: Analysis) -> None:
    cases = analysis.cases
    # Any rows in cases' columns will do: these, issued in the last 12 months, show in its rate.
    undated = cases.filter(pl.col(PLAN_ISSUED_DATE) >= date(2024, 7, 1)).head(20)
    assert undated.height == 20
    alone, joined = case_figures(cases, AS_OF), case_figures(cases, AS_OF, undated)
    assert joined.plan_statuses() == alone.plan_statuses()
    assert joined.open_requests().equals(alone.open_requests())
    assert joined.reviews().equals(alone.reviews())
    assert joined.first_request_date == alone.first_request_date
    both = pl.concat([cases, undated])
    by_frames = case_figures(both, AS_OF)
    for months in (1, 3, 12):
        for excluding in (False, True):
            assert joined.rate(months, excluding) == by_frames.rate(months, excluding)
    assert joined.rate(12, False).plans == alone.rate(12, False).plans + 20
