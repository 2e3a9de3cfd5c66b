"""Where the year lands (summaries/outlook.py): a worked case, and the range against every way
the open requests could still end, tried one by one."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import trend_oracle
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.summaries.outlook import year_end
from trend_cases import START, analysed, trend_cases

import oracle


def test_E63_where_the_year_lands() -> None:
    """docs/worked-examples.md E63."""
    as_of = date(2025, 6, 30)
    batch = [
        trend_oracle.TrendCase(received=date(2025, 1, 2), issued=date(2025, 3, 1)),
        trend_oracle.TrendCase(received=date(2024, 9, 1), issued=date(2025, 2, 15)),
        trend_oracle.TrendCase(received=date(2025, 1, 10)),
        trend_oracle.TrendCase(received=date(2025, 5, 1)),
        trend_oracle.TrendCase(received=date(2024, 12, 1), issued=date(2024, 12, 20)),
    ]
    year = year_end(analysed(batch, as_of, RulesConfig()), as_of)
    assert (year.plans_issued, year.issued_within_20_weeks) == (2, 1)
    assert (year.open_overdue, year.open_in_time, year.open_in_time_due_this_year) == (1, 1, 1)
    assert year.current_on_time_rate == 100.0
    assert (year.pct_so_far, year.lowest, year.central, year.highest) == (50.0, 25.0, 50.0,
                                                                          66.7)


def _rate(within: int, plans: int) -> float | None:
    return trend_oracle.percentage(within, plans)


@settings(max_examples=150, deadline=None)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=9),
       as_of=st.integers(300, 900).map(lambda n: START + timedelta(n)))
def test_the_range_is_the_lowest_and_highest_of_every_possible_ending(
        batch: list[trend_oracle.TrendCase], as_of: date) -> None:
    cases = analysed(batch, as_of, RulesConfig())
    if cases.height == 0:
        return
    year = year_end(cases, as_of)
    batch = [c for c in batch if c.received <= as_of]
    issued = [c for c in batch if trend_oracle.in_dfe_scope(c) and (
        d := oracle.issue_date(c, as_of)) is not None and d.year == as_of.year]
    within = sum(oracle.dfe_bucket(c.received, oracle.issue_date(
        c, as_of)) == "within_20_weeks" for c in issued)
    still_open = [c for c in batch if trend_oracle.in_dfe_scope(c)
                  and oracle.plan_status(c, as_of) in (
                      "overdue", "due_soon", "in_progress")]
    year_last = date(as_of.year, 12, 31)
    endings = []
    for c in still_open:
        due = c.received + timedelta(days=140)
        ways = [(0, 0)]  # not issued this year
        if due >= as_of:
            ways.append((1, 1))  # issued on time this year
        if due < year_last:
            ways.append((0, 1))  # issued late this year
        endings.append(ways)
    rates = [_rate(within + sum(w for w, _ in combo), len(issued) + sum(p for _, p in combo))
             for combo in itertools.product(*endings)]
    known = [r for r in rates if r is not None]
    assert year.pct_so_far == _rate(within, len(issued))
    assert year.lowest == (min(known) if known else None)
    assert year.highest == (max(known) if known else None)
    if year.central is not None:
        assert year.lowest <= year.central <= year.highest  # type: ignore[operator]

