"""Property: every figure of `trend` equals the month-by-month plain-Python oracle
(tests/trend_oracle.py) on random cases, and the stocks add up month to month."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trend_oracle
from ehcp_timeliness.columns import (
    BOOLEAN_COLUMNS,
    CANONICAL_COLUMNS,
    DATE_COLUMNS,
    OPEN_PLAN_STATUSES,
    PLAN_STATUS,
    REVIEW_STATUS,
    PlanStatus,
    ReviewStatus,
)
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.summaries.kpis import monthly_trend
from ehcp_timeliness.summaries.open_work import AGE_BANDS, open_requests
from ehcp_timeliness.summaries.trend import (
    LEFT_BY_CLOSURE,
    LEFT_BY_ISSUE,
    TREND_COLUMNS,
    trend_table,
)

START = date(2023, 1, 1)
MONTH_ENDS = [date(2023, m, 28) for m in range(1, 13)] + [date(2024, 2, 29), date(2023, 12, 31)]
a_day = st.one_of(st.sampled_from(MONTH_ENDS),
                  st.integers(0, 900).map(lambda n: START + timedelta(n)))


def maybe_after(start: date, max_days: int = 600) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.integers(0, max_days).map(lambda n: start + timedelta(n)))


@st.composite
def trend_cases(draw: st.DrawFn) -> trend_oracle.TrendCase:
    received = draw(a_day)
    outcome = draw(st.sampled_from([None, "Y", "N", "W", "H"]))
    issued = draw(maybe_after(received, 500)) if outcome in (None, "Y", "H") else None
    start = draw(maybe_after(received - timedelta(400), 500)) if outcome == "H" else None
    made = issued or start or received
    return trend_oracle.TrendCase(
        received=received, issued=issued,
        request_outcome=draw(st.sampled_from([None, "Y", "N", "W"])) if not issued else "Y",
        request_outcome_date=draw(maybe_after(received, 90)),
        assessment_outcome=outcome,
        # Undated no-plan outcomes often: they count as open until the last known date.
        assessment_outcome_date=draw(maybe_after(received, 200)) if outcome in ("N", "W")
        else None,
        plan_start=start,
        last_review=draw(maybe_after(made, 900)),
        review_decision=draw(maybe_after(made, 900)),
        cease=draw(maybe_after(made, 1200)),
        transfer_in=draw(st.one_of(st.none(), st.none(), maybe_after(made - timedelta(30)))),
        mediation=draw(st.booleans()),
    )


def to_frame(batch: list[trend_oracle.TrendCase]) -> pl.DataFrame:
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    rows = [{
        "case_id": f"C{i}", "received_date": c.received, "plan_issued_date": c.issued,
        "request_outcome": c.request_outcome, "request_outcome_date": c.request_outcome_date,
        "assessment_outcome": c.assessment_outcome,
        "assessment_outcome_date": c.assessment_outcome_date,
        "plan_start_date": c.plan_start, "last_review_date": c.last_review,
        "review_decision_date": c.review_decision, "cease_date": c.cease,
        "transfer_in_date": c.transfer_in, "mediation": c.mediation,
        "team": "North" if i % 2 else "South",
    } for i, c in enumerate(batch)]
    return pl.DataFrame(rows, schema={**schema, "team": pl.String}).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False))


rules_configs = st.builds(
    RulesConfig, anchor_is_day_one=st.booleans(),
    review_convention=st.sampled_from(["s44", "anniversary"]),
    review_clock=st.sampled_from(["meeting", "decision"]))


def analysed(batch: list[trend_oracle.TrendCase], as_of: date,
             rules: RulesConfig) -> pl.DataFrame:
    """As the pipeline leaves them: rows received after the as-of date are set aside."""
    frame = to_frame([c for c in batch if c.received <= as_of])
    return with_status(with_deadlines(frame, rules), as_of, rules)  # type: ignore[return-value]


def close(actual: object, expected: object) -> bool:
    if isinstance(expected, float) and actual is not None:
        return abs(float(actual) - expected) <= 0.05 + 1e-9  # type: ignore[arg-type]
    return actual == expected


@settings(max_examples=250, deadline=None)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=20),
       as_of=st.integers(200, 1000).map(lambda n: START + timedelta(n)), rules=rules_configs)
def test_every_figure_equals_the_month_by_month_oracle(
        batch: list[trend_oracle.TrendCase], as_of: date, rules: RulesConfig) -> None:
    batch = [c for c in batch if c.received <= as_of]
    if not batch:
        return
    cases = analysed(batch, as_of, rules)
    got = trend_table(cases, as_of, rules, []).public().to_dicts()
    expected = trend_oracle.month_rows(batch, as_of, None, rules.anchor_is_day_one,
                                       rules.review_convention, rules.review_clock)
    assert [r["month"] for r in got] == [r["month"] for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        for name in TREND_COLUMNS:
            assert close(mine[name], theirs[name]), (mine["month"], name, mine[name],
                                                     theirs[name])


@settings(max_examples=150, deadline=None)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=20),
       as_of=st.integers(200, 1000).map(lambda n: START + timedelta(n)), rules=rules_configs)
def test_stocks_add_up_and_the_as_of_month_is_the_engines_snapshot(
        batch: list[trend_oracle.TrendCase], as_of: date, rules: RulesConfig) -> None:
    cases = analysed(batch, as_of, rules)
    if cases.height == 0:
        return
    table = trend_table(cases, as_of, rules, []).table
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
    ).row(0, named=True)
    assert last["open_at_month_end"] == engine["open"]
    assert last["open_overdue_at_month_end"] == engine["overdue"]
    assert last["plans_in_force_at_month_end"] == engine["in_force"]
    assert last["reviews_overdue_at_month_end"] == engine["reviews_overdue"]
    assert last["open_over_52_weeks_at_month_end"] == open_requests(cases, as_of, [])[
        AGE_BANDS[-1][0]].item()
    # DfE's plans by month are summary's --period month rates.
    months = monthly_trend(cases, as_of, len(rows))
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


def test_undated_closures_are_counted_and_open_until_their_last_known_date() -> None:
    rules = RulesConfig()
    case = trend_oracle.TrendCase(received=date(2024, 1, 10), request_outcome="Y",
                                  request_outcome_date=date(2024, 3, 5),
                                  assessment_outcome="N")
    cases = analysed([case], date(2024, 5, 31), rules)
    trend = trend_table(cases, date(2024, 5, 31), rules, [])
    assert trend.undated_closures == 1
    assert trend.public()["open_at_month_end"].to_list() == [1, 1, 0, 0, 0]


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
