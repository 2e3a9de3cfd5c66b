"""The year-end forecast (summaries/year_end.py) in plain Python, day by day: a life table of
the last 12 months by age band, each open and each future request carried to 31 December."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import trend_oracle
from trend_oracle import TrendCase

import oracle

HISTORY_DAYS = 365
BAND_DAYS = 14
OLDEST_BAND_FROM = 1 + 52 * BAND_DAYS
OPEN = ("overdue", "due_soon", "in_progress")


@dataclass(frozen=True)
class Forecast:
    plans_issued: int
    issued_within_20_weeks: int
    expected_within: float
    expected_late: float
    variance_within: float
    variance_late: float
    covariance: float
    history_days: int


def band(age: int) -> int:
    return max(min(age, OLDEST_BAND_FROM) - 1, 0) // BAND_DAYS


def _within(case: TrendCase, issued: date) -> bool:
    return case.received <= issued and (issued - case.received).days <= 140


def forecast(cases: list[TrendCase], exceptions: list[bool], as_of: date) -> Forecast:
    counted = [c for c, exception in zip(cases, exceptions, strict=True)
               if not exception and trend_oracle.in_dfe_scope(c) and c.received <= as_of]
    issued_this_year = [(c, d) for c in counted
                        if (d := oracle.issue_date(c, as_of)) is not None
                        and d.year == as_of.year]
    within_so_far = sum(_within(c, d) for c, d in issued_this_year)

    start = as_of - timedelta(HISTORY_DAYS)
    days: dict[int, int] = {}
    events: dict[tuple[int, str], int] = {}
    for c in counted:
        issued = oracle.issue_date(c, as_of)
        leaves = issued or trend_oracle.closed_on(c, as_of)
        first = max((start - c.received).days + 1, 0)
        last = (min(leaves or as_of, as_of) - c.received).days
        for age in range(first, last + 1):
            days[band(age)] = days.get(band(age), 0) + 1
        if leaves is not None and start < leaves <= as_of and last >= first:
            kind = ("closed" if issued is None else
                    "within" if _within(c, issued) else "late")
            key = (band((leaves - c.received).days), kind)
            events[key] = events.get(key, 0) + 1

    def rate(b: int, kind: str) -> float:
        return events.get((b, kind), 0) / days[b] if days.get(b) else 0.0

    def carried(age_now: int, steps: int) -> tuple[float, float]:
        survive, within, late = 1.0, 0.0, 0.0
        for age in range(age_now, age_now + steps):
            b = band(age)
            within += survive * rate(b, "within")
            late += survive * rate(b, "late")
            survive *= 1 - min(rate(b, "within") + rate(b, "late") + rate(b, "closed"), 1.0)
        return within, late

    left = (date(as_of.year, 12, 31) - as_of).days
    e_within = e_late = v_within = v_late = cov = 0.0
    for c in counted:
        if oracle.plan_status(c, as_of) not in OPEN:
            continue
        within, late = carried((as_of - c.received).days + 1, left)
        e_within, e_late = e_within + within, e_late + late
        v_within += within * (1 - within)
        v_late += late * (1 - late)
        cov -= within * late
    pace = sum(c.received > start for c in counted) / HISTORY_DAYS
    for arrives_days_before_end in range(1, left + 1):
        within, late = carried(0, arrives_days_before_end)
        e_within, e_late = e_within + pace * within, e_late + pace * late
        v_within, v_late = v_within + pace * within, v_late + pace * late
    history = min(HISTORY_DAYS, max((as_of - c.received).days for c in counted)
                  if counted else 0)
    return Forecast(len(issued_this_year), within_so_far, e_within, e_late, v_within, v_late,
                    cov, history)
