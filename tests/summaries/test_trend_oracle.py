"""Property: every figure of `trend` equals the month-by-month plain-Python oracle
(tests/trend_oracle.py) on random cases, and the stocks add up month to month."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import trend_oracle
from ehcp_timeliness.columns import (
    OPEN_PLAN_STATUSES,
    PLAN_STATUS,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
)
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.summaries.figures import AGE_BANDS, case_figures
from ehcp_timeliness.summaries.trend import (
    LEFT_BY_CLOSURE,
    LEFT_BY_ISSUE,
    NOT_KNOWN,
    TREND_COLUMNS,
    trend_table,
)
from fuzz.generators import fuzz
from trend_cases import START, analysed, rules_configs, trend_cases


def close(actual: object, expected: object) -> bool:
    if isinstance(expected, float) and actual is not None:
        return abs(float(actual) - expected) <= 0.05 + 1e-9  # type: ignore[arg-type]
    return actual == expected


@fuzz(250)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=20),
       as_of=st.integers(200, 1000).map(lambda n: START + timedelta(n)), rules=rules_configs,
       column=st.booleans())
def test_every_figure_equals_the_month_by_month_oracle(
        batch: list[trend_oracle.TrendCase], as_of: date, rules: RulesConfig,
        column: bool) -> None:
    """COLUMN False: an export without the review clock's column."""
    batch = [c for c in batch if c.received <= as_of]
    if not batch:
        return
    cases = analysed(batch, as_of, rules, column)
    got = trend_table(cases, as_of, rules, [], reviews_recorded=column).public().to_dicts()
    expected = trend_oracle.month_rows(batch, as_of, None, rules.anchor_is_day_one,
                                       rules.review_convention, rules.review_clock, column)
    assert [r["month"] for r in got] == [r["month"] for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        for name in TREND_COLUMNS:
            assert close(mine[name], theirs[name]), (mine["month"], name, mine[name],
                                                     theirs[name])


@fuzz(150)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=20),
       as_of=st.integers(200, 1000).map(lambda n: START + timedelta(n)), rules=rules_configs,
       column=st.booleans())
def test_stocks_add_up_and_the_as_of_month_is_the_engines_snapshot(
        batch: list[trend_oracle.TrendCase], as_of: date, rules: RulesConfig,
        column: bool) -> None:
    cases = analysed(batch, as_of, rules, column)
    if cases.height == 0:
        return
    trend = trend_table(cases, as_of, rules, [], reviews_recorded=column)
    table = trend.table
    rows = table.to_dicts()
    first = rows[0]
    # Nothing is open before the first request's month.
    assert first["open_at_month_end"] == first["requests_received"] - first[
        LEFT_BY_ISSUE] - first[LEFT_BY_CLOSURE]
    for before, now in itertools.pairwise(rows):
        assert now["open_at_month_end"] == (before["open_at_month_end"]
                                            + now["requests_received"]
                                            - now[LEFT_BY_ISSUE] - now[LEFT_BY_CLOSURE])
        assert now["plans_issued"] == (now["plans_issued_from_backlog"]
                                       + now["plans_issued_current"])
    for row in rows:
        assert row["open_overdue_at_month_end"] <= row["open_at_month_end"]
        assert row["open_over_52_weeks_at_month_end"] <= row["open_overdue_at_month_end"]
        assert row["plans_due_issued_on_time"] <= row["plans_due"]
        assert row["reviews_overdue_at_month_end"] <= row["plans_in_force_at_month_end"]
    # The as-of month is the analysis as of the as-of date (summary's figures).
    last = rows[-1]
    status, review = pl.col(PLAN_STATUS), pl.col(REVIEW_STATUS)
    engine = cases.select(
        status.is_in(OPEN_PLAN_STATUSES).sum().alias("open"),
        (status == PlanStatus.OVERDUE).sum().alias("overdue"),
        (review != ReviewStatus.NOT_APPLICABLE).sum().alias("in_force"),
        (review == ReviewStatus.OVERDUE).sum().alias("reviews_overdue"),
        (review == ReviewStatus.NOT_KNOWN).sum().alias("not_known"),
    ).row(0, named=True)
    assert last["open_at_month_end"] == engine["open"]
    assert last["open_overdue_at_month_end"] == engine["overdue"]
    assert last["plans_in_force_at_month_end"] == engine["in_force"]
    assert last["reviews_overdue_at_month_end"] == engine["reviews_overdue"]
    # A review recorded after the as-of date: the case's status and the trend's as-of month
    # leave the same plans not known (rules/status.py review_not_known, rules/spans.py).
    assert last[NOT_KNOWN] == engine["not_known"]
    assert last["open_over_52_weeks_at_month_end"] == case_figures(cases, as_of).open_requests()[
        AGE_BANDS[-1][0]].item()
    # The board's rates by month cover the trend's months, zeros where no plan was issued.
    months = trend.rates_by_month(len(rows))
    assert months["period"].to_list() == table["month"].to_list()
    assert months["plans_issued"].to_list() == table["plans_issued"].to_list()
    assert months["pct_within_20_weeks"].to_list() == table["pct_within_20_weeks"].to_list()


def test_by_group_rows_add_up_to_the_whole() -> None:
    rules = RulesConfig()
    as_of = date(2024, 6, 30)
    batch = [trend_oracle.TrendCase(received=START + timedelta(days=17 * i),
                                    issued=START + timedelta(days=17 * i + 100 + 9 * i)
                                    if i % 3 else None) for i in range(30)]
    cases = analysed(batch, as_of, rules)
    whole = trend_table(cases, as_of, rules, []).public()
    grouped = trend_table(cases, as_of, rules, ["team"]).public()
    counts = [c for c, t in whole.schema.items() if t == pl.Int64]
    summed = grouped.group_by("month").agg(pl.col(counts).sum()).sort("month")
    assert summed.select(counts).equals(whole.select(counts))


@pytest.mark.parametrize("first", [date(2022, 11, 1), date(2023, 6, 1)])
def test_from_month_carries_the_stocks_in(first: date) -> None:
    rules = RulesConfig()
    as_of = date(2023, 12, 31)
    batch = [trend_oracle.TrendCase(received=START + timedelta(days=11 * i)) for i in range(20)]
    cases = analysed(batch, as_of, rules)
    got = trend_table(cases, as_of, rules, [], first).public().to_dicts()
    expected = trend_oracle.month_rows(batch, as_of, first)
    assert [r["open_at_month_end"] for r in got] == [r["open_at_month_end"] for r in expected]
    assert got[0]["month"] == f"{first.year}-{first.month:02d}"
