"""The year-end forecast (summaries/year_end.py): a worked case, the forecast against a
day-by-day plain-Python oracle (tests/year_end_oracle.py), and the hard bounds against every
way the open requests could still end, tried one by one."""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import event as hevent
from hypothesis import strategies as st

import trend_oracle
import year_end_oracle
from ehcp_timeliness.columns import WEEK20_EXCEPTION
from ehcp_timeliness.config import RulesConfig, load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.summaries import life_table, on_time_trend
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
    # 10 months, short of the 24 the forecast reads, and it says so.
    assert (year.history_days, year.history_months, year.short_history) == (303, 10, True)
    assert "short history, so less reliable: the export holds only 10 months" in year.sentence()


def test_E75_a_forecast_on_short_history_says_so() -> None:
    """docs/worked-examples.md E75."""
    issued = {"request_outcome": "Y", "assessment_outcome": "Y"}
    batch = [trend_oracle.TrendCase(received=date(2024, 1, 31), issued=date(2024, 5, 10),
                                    **issued),  # day 100
             trend_oracle.TrendCase(received=date(2025, 11, 3), request_outcome="Y")]
    words = ("resting on short history, so less reliable: the export holds only 23 months of "
             "requests before the as-of date, fewer than the 24 the forecast reads")
    # A month from 31 January ends on the last day of February, two years on 31 January.
    for as_of, months in ((date(2024, 2, 28), 0), (date(2024, 2, 29), 1),
                          (date(2026, 1, 30), 23), (date(2026, 1, 31), 24)):
        year = year_end(analysed(batch, [False, False], as_of), as_of)
        fields = year.to_dict()
        assert (year.history_months, fields["history_months"]) == (months, months)
        assert year.short_history is fields["short_history"] is (months < 24)
        assert (words in year.sentence()) is (months == 23)
        assert ("short history" in year.sentence()) is (months < 24)


def test_E76_requests_two_years_old_leave_at_the_last_3_months_rate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/worked-examples.md E76."""
    as_of = date(2025, 6, 30)
    issued = {"request_outcome": "Y", "assessment_outcome": "Y"}
    received = date(2022, 1, 3)  # two years old (day 729) on 2024-01-02
    batch = [trend_oracle.TrendCase(received=received, issued=date(2024, 9, 2), **issued)] * 2
    batch += [trend_oracle.TrendCase(received=received, issued=date(2025, 5, 1), **issued)] * 2
    batch += [trend_oracle.TrendCase(received=received, request_outcome="Y")] * 2
    year = year_end(analysed(batch, [False] * 6, as_of), as_of)
    # The last 3 months, 2025-04-01 to 2025-06-30: 2 late plans over 2 × 31 + 2 × 91 days at
    # risk. Over the 12 months it would be 4 over 2 × 64 + 2 × 305 + 2 × 365 days.
    recent, year_long = 2 / 244, 4 / 1468
    days_left = (date(2025, 12, 31) - as_of).days
    assert days_left == 184
    p_late = 1 - (1 - recent) ** days_left
    assert math.isclose(year.expected_late, 2 * p_late) and year.expected_within == 0
    assert round(2 * p_late, 2) == 1.56
    expected = year_end_oracle.forecast(batch, [False] * 6, as_of)
    assert math.isclose(year.expected_late, expected.expected_late)
    # The same table with the oldest band over the 12 months, as the other ages are.
    monkeypatch.setattr(life_table, "OLDEST_RECENT_DAYS", 365)
    over_the_year = year_end(analysed(batch, [False] * 6, as_of), as_of)
    p_late = 1 - (1 - year_long) ** days_left
    assert math.isclose(over_the_year.expected_late, 2 * p_late)
    assert round(2 * p_late, 2) == 0.79


def _turning(on_time: list[int], per_month: int = 4) -> list[trend_oracle.TrendCase]:
    """PER_MONTH requests on the 1st of each month from 2024-02: ON_TIME[i] of month i's
    issued on day 100, the rest on day 200."""
    batch = []
    for i, k in enumerate(on_time):
        received = date(2024 + (1 + i) // 12, (1 + i) % 12 + 1, 1)
        for j in range(per_month):
            batch.append(trend_oracle.TrendCase(
                received=received, issued=received + timedelta(100 if j < k else 200),
                request_outcome="Y", assessment_outcome="Y"))
    return batch


def test_E73_a_service_turning_round_is_forecast_at_its_latest_on_time_share() -> None:
    """docs/worked-examples.md E73."""
    as_of = date(2025, 6, 30)
    on_time = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4]  # of 4 a month, 2024-02 … 2025-01
    batch = _turning(on_time)
    year = year_end(analysed(batch, [False] * len(batch), as_of), as_of)
    trend = year.trend
    assert trend is not None and year.trend_used
    # Known months: 2025-01's last day + 140 = 2025-06-20, on or before the as-of date;
    # 2025-02's (2025-07-18) is not. Equal weights: the ordinary least-squares line.
    assert (trend.first_month, trend.last_month) == (date(2024, 2, 1), date(2025, 1, 1))
    shares = [k / 4 for k in on_time]
    xs = list(range(-11, 1))
    mean_x, mean_share = sum(xs) / 12, sum(shares) / 12
    sxx = sum((x - mean_x) ** 2 for x in xs)
    assert sxx == 143
    slope = sum((x - mean_x) * (y - mean_share) for x, y in zip(xs, shares, strict=True)) / sxx
    assert math.isclose(trend.slope, slope) and round(slope, 4) == 0.0935  # 13.375 / 143
    latest = mean_share - slope * mean_x  # 23/48 + 0.0935 × 5.5
    assert math.isclose(trend.latest, latest) and round(latest, 4) == 0.9936
    assert trend.level == trend.latest  # within the months' 0 … 1
    # The months scatter less about the line than a binomial share would: the binomial
    # 23/48 × 25/48 per request, over 4 × 143.
    error = math.sqrt(23 / 48 * 25 / 48 / (4 * 143))
    assert math.isclose(trend.slope_error, error) and round(error, 4) == 0.0209
    assert abs(trend.slope) > on_time_trend.SIGNIFICANCE * error  # 4.5 standard errors
    # The last 12 months' rates give a new request a 69% chance of a plan within 20 weeks;
    # scaled so it is 99%, the 6.3 plans to come (requests not yet received: none of this
    # year's open requests is left) are forecast all but all on time.
    assert year.table_on_time is not None and round(year.table_on_time, 3) == 0.693
    expected = year_end_oracle.forecast(batch, [False] * len(batch), as_of)
    assert expected.trend is not None and math.isclose(expected.trend[0], slope)
    assert math.isclose(year.expected_within, expected.expected_within, rel_tol=1e-9)
    assert round(year.expected_within, 2) == 6.31 and year.expected_late == 0
    assert (year.plans_issued, year.issued_within_20_weeks) == (22, 14)
    assert year.central == round(100 * (14 + year.expected_within) / (22 + 6.31), 1) == 71.7
    # Without the trend, the table's own rates (the oracle at a factor of 1): 69.5%.
    unscaled = year_end_oracle.forecast(batch, [False] * len(batch), as_of, scale=1.0)
    assert round(100 * (14 + unscaled.expected_within)
                 / (22 + unscaled.expected_within + unscaled.expected_late), 1) == 69.5
    assert "rising, 9.4 points a month" in year.sentence()
    assert "2024-02 to 2025-01" in year.sentence() and "99% of requests" in year.sentence()
    assert year.to_dict()["on_time_trend"] == {
        "months": "2024-02..2025-01", "months_under_way": 0, "level_month": "2025-01",
        "points_a_month": 9.35, "standard_error": 2.09, "latest_pct": 99.4, "used": True}


def test_E73_without_a_trend_the_forecast_is_the_tables() -> None:
    """The same months with a flat on-time share: no trend, the table's rates unscaled."""
    as_of = date(2025, 6, 30)
    batch = _turning([2] * 12)
    year = year_end(analysed(batch, [False] * len(batch), as_of), as_of)
    assert year.trend is not None and not year.trend_used
    assert "points a month" not in year.sentence()
    expected = year_end_oracle.forecast(batch, [False] * len(batch), as_of)
    assert expected.on_time_scale == 1.0
    assert math.isclose(year.expected_within, expected.expected_within, rel_tol=1e-9)


def test_E74_months_still_short_of_20_weeks_join_the_line() -> None:
    """docs/worked-examples.md E74."""
    as_of = date(2025, 6, 30)
    # Known months 2024-02 … 2025-01 at 1 then 2 of 4 on time: alone, 1.55 standard errors
    # from flat, no trend. 2025-02 and 2025-03 (all 4 issued on day 100, by 2025-06-09) are
    # not known (2025-02-28 + 140 = 2025-07-18), but the table's plans within 20 weeks all
    # come on day 100, so requests aged 149 and 121 have all of theirs expected by now:
    # weight 4 each. 2025-04's requests (aged 90, still open) have none expected: left out.
    batch = _turning([1] * 6 + [2] * 6 + [4, 4])
    batch += [trend_oracle.TrendCase(received=date(2025, 4, 1), request_outcome="Y")] * 4
    year = year_end(analysed(batch, [False] * len(batch), as_of), as_of)
    trend = year.trend
    assert trend is not None and year.trend_used
    assert (trend.first_month, trend.newest_month, trend.last_month, trend.under_way) == (
        date(2024, 2, 1), date(2025, 3, 1), date(2025, 3, 1), 2)
    shares = [0.25] * 6 + [0.5] * 6 + [1.0, 1.0]
    xs = list(range(-13, 1))
    mean_x, mean_share = sum(xs) / 14, sum(shares) / 14  # -6.5, 13/28
    sxx = 4 * sum((x - mean_x) ** 2 for x in xs)
    slope = 4 * sum((x - mean_x) * (y - mean_share)
                    for x, y in zip(xs, shares, strict=True)) / sxx
    assert sxx == 910 and math.isclose(trend.slope, slope) and round(slope, 4) == 0.0527
    assert math.isclose(trend.latest, mean_share - slope * mean_x)  # 80.7%
    error = math.sqrt(13 / 28 * 15 / 28 / sxx)  # the binomial floor
    assert math.isclose(trend.slope_error, error) and round(slope / error, 2) == 3.19
    known = shares[:12]
    known_x = [x + 2 for x in xs[:12]]
    known_sxx = 4 * sum((x - sum(known_x) / 12) ** 2 for x in known_x)
    known_slope = 4 * sum((x - sum(known_x) / 12) * (y - sum(known) / 12)
                          for x, y in zip(known_x, known, strict=True)) / known_sxx
    known_mean = sum(known) / 12
    known_error = math.sqrt(known_mean * (1 - known_mean) / known_sxx)
    assert known_slope < on_time_trend.SIGNIFICANCE * known_error  # 1.55: no trend alone
    expected = year_end_oracle.forecast(batch, [False] * len(batch), as_of)
    assert expected.trend is not None and math.isclose(expected.trend[0], slope)
    assert math.isclose(year.on_time_scale, expected.on_time_scale, rel_tol=1e-9)
    assert math.isclose(year.expected_within, expected.expected_within, rel_tol=1e-9)
    assert year.central == 62.6
    unscaled = year_end_oracle.forecast(batch, [False] * len(batch), as_of, scale=1.0)
    assert round(100 * (16 + unscaled.expected_within)
                 / (29 + unscaled.expected_within + unscaled.expected_late), 1) == 58.7
    assert "2 of those months still short of their 20 weeks" in year.sentence()
    assert "forecast at 81% of requests" in year.sentence()
    assert "its level for 2025-03." in year.sentence()
    assert year.to_dict()["on_time_trend"] == {
        "months": "2024-02..2025-03", "months_under_way": 2, "level_month": "2025-03",
        "points_a_month": 5.27, "standard_error": 1.65, "latest_pct": 80.7, "used": True}


@st.composite
def turning_services(draw: st.DrawFn) -> list[trend_oracle.TrendCase]:
    """12 to 16 months of requests from 2023-01, 1 to 4 a month, whose on-time share rises,
    falls or scatters: each on time, late, refused or still open."""
    shape = draw(st.sampled_from(["rising", "falling", "scattered"]))
    months = draw(st.integers(12, 16))
    batch = []
    for i in range(months):
        start = date(2023 + i // 12, i % 12 + 1, 1)
        share = {"rising": i / (months - 1), "falling": 1 - i / (months - 1)}.get(shape)
        for _ in range(draw(st.integers(1, 4))):
            received = start + timedelta(draw(st.integers(0, 27)))
            on_time = (draw(st.floats(0, 1)) < share if share is not None
                       else draw(st.booleans()))
            ending = "on_time" if on_time else draw(st.sampled_from(["late", "refused", "open"]))
            if ending == "refused":
                batch.append(trend_oracle.TrendCase(
                    received=received, request_outcome="N",
                    request_outcome_date=received + timedelta(30)))
                continue
            days = (draw(st.integers(40, 140)) if ending == "on_time"
                    else draw(st.integers(141, 400)) if ending == "late" else 2000)
            batch.append(trend_oracle.TrendCase(
                received=received, issued=received + timedelta(days),
                request_outcome="Y", assessment_outcome="Y" if ending != "open" else None))
    return batch


@fuzz(80)
@given(batch=turning_services(), as_of=st.integers(0, 300).map(
    lambda n: date(2024, 5, 20) + timedelta(n)))
def test_a_trend_in_the_on_time_share_is_the_oracles(
        batch: list[trend_oracle.TrendCase], as_of: date) -> None:
    """The line and its test against the oracle's; the factor found gives a new request the
    line's level (or is at its ceiling, the level out of reach); and at that factor, every
    expected count is the oracle's day-by-day one."""
    exceptions = [False] * len(batch)
    year = year_end(analysed(batch, exceptions, as_of), as_of)
    own = year_end_oracle.forecast(batch, exceptions, as_of)
    assert (year.trend is None) == (own.trend is None)
    if year.trend is not None and own.trend is not None:
        for got, want in zip((year.trend.slope, year.trend.slope_error, year.trend.latest,
                              year.trend.lowest, year.trend.highest), own.trend, strict=True):
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
        # The oracle scales only a table with some plan within 20 weeks (most_on_time_share,
        # at the highest factor, is 0 exactly when the table's own share is).
        assert year.trend_used == (abs(own.trend[0]) > year_end_oracle.SIGNIFICANCE
                                   * own.trend[1] and own.most_on_time_share > 0)
    # A handful of requests can ask for factors no service shows (the backtest's reach 2.1):
    # then a request open at a great age has a chance of still being open that rounds away
    # in the forecast's ratio of two cumulative chances. Compared up to a factor of 4.
    assume(year.on_time_scale <= 4)
    at = year_end_oracle.forecast(batch, exceptions, as_of, scale=year.on_time_scale)
    if year.trend_used and year.trend is not None and year.table_on_time:
        hevent("on-time rates scaled")
        assert (math.isclose(at.scaled_on_time_share, year.trend.level, abs_tol=1e-6)
                or (year.on_time_scale > 63.99 and at.most_on_time_share < year.trend.level))
    else:
        assert year.on_time_scale == 1.0
    for name in ("expected_within", "expected_late", "variance_within", "variance_late",
                 "covariance"):
        # Scaled rates can leave few requests open at a great age: the forecast's ratio of
        # two small chances agrees with the day-by-day product to a millionth.
        assert math.isclose(getattr(year, name), getattr(at, name),
                            rel_tol=1e-6, abs_tol=1e-9), name


# Up to nine requests, each with or without an exception, as of a day 300-900 days into START.
_small_services = given(
    batch=st.lists(trend_cases(), min_size=1, max_size=9),
    exceptions=st.lists(st.booleans(), min_size=9, max_size=9),
    as_of=st.integers(300, 900).map(lambda n: START + timedelta(n)))


@fuzz(120)
@_small_services
def test_the_forecast_is_the_day_by_day_life_table(
        batch: list[trend_oracle.TrendCase], exceptions: list[bool], as_of: date) -> None:
    exceptions = exceptions[:len(batch)]
    cases = analysed(batch, exceptions, as_of)
    if cases.height == 0:
        return
    year = year_end(cases, as_of)
    expected = year_end_oracle.forecast(batch, exceptions, as_of)
    assert (year.plans_issued, year.issued_within_20_weeks, year.history_days,
            year.history_months) == (expected.plans_issued, expected.issued_within_20_weeks,
                                     expected.history_days, expected.history_months)
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
@_small_services
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


def test_a_trend_is_not_used_when_the_last_12_months_have_no_plan_within_20_weeks() -> None:
    """As of long after the export's last request: the last 12 months' rates give a new
    request no chance of a plan within 20 weeks, so no trend can be scaled to, and the
    forecast does not set one beside the other."""
    as_of = date(2040, 1, 1)
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), as_of)
    year = year_end(analysis.cases, as_of, analysis.undated_plans)
    assert year.trend is not None and year.trend.significant and year.table_on_time == 0
    assert not year.trend_used and year.on_time_scale == 1.0
    assert "are forecast at" not in year.sentence()
    assert year.to_dict()["on_time_trend"]["used"] is False  # type: ignore[index]


def test_an_export_of_exceptions_alone_has_no_history_and_says_so() -> None:
    """Every request with a reg 10(4) exception: the export holds months of requests, none
    the forecast reads; the sentence does not call that 0 months of requests."""
    issued = {"request_outcome": "Y", "assessment_outcome": "Y"}
    batch = [trend_oracle.TrendCase(received=date(2024, 1, 8), issued=date(2024, 6, 3),
                                    **issued),
             trend_oracle.TrendCase(received=date(2025, 1, 6), request_outcome="Y")]
    as_of = date(2025, 6, 30)
    year = year_end(analysed(batch, [True, True], as_of), as_of)
    assert (year.history_days, year.history_months, year.short_history) == (0, 0, True)
    assert "0 months" not in year.sentence()
    assert ("resting on no history: the export holds no request before the as-of date in "
            "DfE's scope without a reg 10(4) exception") in year.sentence()


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
