"""The year-end forecast (summaries/year_end.py): a worked case, the forecast against a
day-by-day plain-Python oracle (tests/year_end_oracle.py), and the hard bounds against every
way the open requests could still end, tried one by one."""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import trend_oracle
import year_end_oracle
from ehcp_timeliness.columns import WEEK20_EXCEPTION
from ehcp_timeliness.config import RulesConfig, load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.summaries.rates import timeliness_rates
from ehcp_timeliness.summaries.year_end import BASIS, YearEnd, year_end
from fuzz.generators import fuzz
from trend_cases import START, to_frame, trend_cases

import oracle
from conftest import SAMPLE


def analysed(batch: list[trend_oracle.TrendCase], exceptions: list[bool],
             as_of: date) -> pl.DataFrame:
    """As the pipeline leaves them, with a reg 10(4) exception where EXCEPTIONS says."""
    kept = [(c, e) for c, e in zip(batch, exceptions, strict=True) if c.received <= as_of]
    frame = to_frame([c for c, _ in kept]).with_columns(
        pl.Series(WEEK20_EXCEPTION, [e for _, e in kept], dtype=pl.Boolean))
    rules = RulesConfig()
    return with_status(with_deadlines(frame, rules), as_of, rules)  # type: ignore[return-value]


def test_E90_the_forecast_from_the_last_12_months() -> None:
    """docs/worked-examples.md E90."""
    as_of = date(2025, 12, 1)
    issued = {"request_outcome": "Y", "assessment_outcome": "Y"}
    batch = [trend_oracle.TrendCase(received=date(2025, 3, 1), issued=date(2025, 6, 9),
                                    **issued)] * 2  # day 100
    batch += [trend_oracle.TrendCase(received=date(2025, 2, 1), issued=date(2025, 7, 11),
                                     **issued)] * 4  # day 160
    batch += [trend_oracle.TrendCase(received=date(2025, 1, 6), issued=date(2025, 9, 1),
                                     **issued)]  # late, with an exception: left out
    batch += [trend_oracle.TrendCase(received=date(2025, 7, 4), request_outcome="Y")]
    exceptions = [False] * 6 + [True, False]
    year = year_end(analysed(batch, exceptions, as_of), as_of)
    assert (year.plans_issued, year.issued_within_20_weeks, year.pct_so_far) == (6, 2, 33.3)
    assert (year.open_overdue, year.open_in_time, year.days_left) == (1, 0, 30)
    # Days 155-168: 4 plans over 4 × 6 days at risk, 1/6 a day; the open request (day 150)
    # passes all 14 of those days before 31 December; nothing else is issued before day 100.
    p_late = 1 - (5 / 6) ** 14
    assert math.isclose(year.expected_late, p_late) and year.expected_within == 0
    assert year.central == round(100 * 2 / (6 + p_late), 1) == 28.9
    # Chance (delta method) and 12 points a year of drift over the 30 days left.
    plans = 6 + p_late
    chance = (2 / plans ** 2) ** 2 * p_late * (1 - p_late)
    drift = p_late / plans * 0.12 * math.sqrt(30 / 365)
    assert math.isclose(year.standard_error, 100 * math.sqrt(chance + drift ** 2))
    assert round(year.standard_error, 2) == 1.21  # type: ignore[arg-type]
    assert (year.likely_low, year.likely_high) == (27.4, 30.4)
    assert (year.lowest, year.highest) == (28.6, 33.3)
    assert year.to_dict()["basis"] == BASIS
    assert "excluding exceptions" in year.sentence()
    # Its requests start 2025-02-01 (the exception's is left out): 303 of the 12 months' days,
    # and the forecast says so.
    assert year.history_days == 303 and "only 303 of those days" in year.sentence()


@fuzz(120)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=9),
       exceptions=st.lists(st.booleans(), min_size=9, max_size=9),
       as_of=st.integers(300, 900).map(lambda n: START + timedelta(n)))
def test_the_forecast_is_the_day_by_day_life_table(
        batch: list[trend_oracle.TrendCase], exceptions: list[bool], as_of: date) -> None:
    exceptions = exceptions[:len(batch)]
    cases = analysed(batch, exceptions, as_of)
    if cases.height == 0:
        return
    year = year_end(cases, as_of)
    expected = year_end_oracle.forecast(batch, exceptions, as_of)
    assert (year.plans_issued, year.issued_within_20_weeks, year.history_days) == (
        expected.plans_issued, expected.issued_within_20_weeks, expected.history_days)
    for name in ("expected_within", "expected_late", "variance_within", "variance_late",
                 "covariance"):
        assert math.isclose(getattr(year, name), getattr(expected, name),
                            rel_tol=1e-9, abs_tol=1e-9), name
    plans = expected.plans_issued + expected.expected_within + expected.expected_late
    assert year.central == (round(100 * (expected.issued_within_20_weeks
                                         + expected.expected_within) / plans, 1)
                            if plans > 0 else None)
    if year.central is not None:
        assert year.likely_low <= year.central <= year.likely_high  # type: ignore[operator]


def _rate(within: int, plans: int) -> float | None:
    return trend_oracle.percentage(within, plans)


@fuzz(150)
@given(batch=st.lists(trend_cases(), min_size=1, max_size=9),
       exceptions=st.lists(st.booleans(), min_size=9, max_size=9),
       as_of=st.integers(300, 900).map(lambda n: START + timedelta(n)))
def test_the_hard_bounds_are_the_lowest_and_highest_of_every_possible_ending(
        batch: list[trend_oracle.TrendCase], exceptions: list[bool], as_of: date) -> None:
    exceptions = exceptions[:len(batch)]
    cases = analysed(batch, exceptions, as_of)
    if cases.height == 0:
        return
    year = year_end(cases, as_of)
    batch = [c for c, e in zip(batch, exceptions, strict=True)
             if c.received <= as_of and not e and trend_oracle.in_dfe_scope(c)]
    issued = [c for c in batch
              if (d := oracle.issue_date(c, as_of)) is not None and d.year == as_of.year]
    within = sum(oracle.dfe_bucket(c.received, oracle.issue_date(
        c, as_of)) == "within_20_weeks" for c in issued)
    still_open = [c for c in batch if oracle.plan_status(c, as_of) in year_end_oracle.OPEN]
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


def test_no_history_and_nothing_issued_gives_no_forecast() -> None:
    year = YearEnd(2025, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 100)
    assert (year.central, year.likely_low, year.likely_high) == (None, None, None)
    assert "–" in year.sentence()


def test_so_far_is_the_years_headline_rate_excluding_exceptions() -> None:
    """On the sample: pct_so_far is the year's pct_within_20_weeks_ex in `summary`."""
    as_of = date(2025, 6, 30)
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), as_of)
    year = year_end(analysis.cases, as_of, analysis.undated_plans)
    rates = timeliness_rates(analysis.cases, as_of, "year", [], analysis.undated_plans)
    row = rates.filter(pl.col("period") == "2025").row(0, named=True)
    assert (year.plans_issued, year.issued_within_20_weeks, year.pct_so_far) == (
        row["plans_issued_ex"], row["issued_within_20_weeks_ex"], row["pct_within_20_weeks_ex"])
    assert year.plans_issued < row["plans_issued"]  # the sample has exceptions this year
