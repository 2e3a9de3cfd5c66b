"""The year-end forecast (summaries/year_end.py) in plain Python, day by day: a life table of
the last 12 months by age band (two years and more: the last 3 months), each open and each
future request carried to 31 December; when the on-time share of the last 12 known months of
receipt and the months since (read at the part of their plans within 20 weeks expected by now)
has a trend (summaries/on_time_trend.py), the table's rates of plans within 20 weeks scaled to
give a new request the line's level."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import trend_oracle
from trend_oracle import TrendCase

import oracle

HISTORY_DAYS = 365
BAND_DAYS = 14
OLDEST_BAND_FROM = 1 + 52 * BAND_DAYS
OPEN = ("overdue", "due_soon", "in_progress")
TREND_MONTHS = 12
SIGNIFICANCE = 3.0
OLDEST_RECENT_DAYS = 91


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
    history_months: int
    trend: tuple[float, float, float, float, float] | None  # slope, its error, latest, low, high
    on_time_scale: float
    scaled_on_time_share: float  # a new request's chance of a plan within 20 weeks, scaled
    most_on_time_share: float    # and at the factor's ceiling


def band(age: int) -> int:
    return max(min(age, OLDEST_BAND_FROM) - 1, 0) // BAND_DAYS


def _within(case: TrendCase, issued: date) -> bool:
    return case.received <= issued and (issued - case.received).days <= 140


def on_time_trend(counted: list[TrendCase], as_of: date, by_age: Callable[[int], float]
                  ) -> tuple[float, float, float, float, float] | None:
    """Slope a month, its standard error, the level at the newest month at least half known,
    and those months' lowest and highest shares: a weighted least-squares line through the
    last 12 months of receipt whose last day + 140 is on or before AS_OF and every month
    received after them. A month's weight is the sum over its requests of BY_AGE(age, at
    most 140), the part of a plan within 20 weeks expected by that age; its share, its plans
    within 20 weeks so far over that weight."""
    months: dict[tuple[int, int], list[float]] = {}
    for c in counted:
        last_day = calendar.monthrange(c.received.year, c.received.month)[1]
        known = date(c.received.year, c.received.month, last_day) + timedelta(140) <= as_of
        issued = oracle.issue_date(c, as_of)
        tally = months.setdefault((c.received.year, c.received.month), [0, 0.0, 0, known])
        tally[0] += 1
        tally[1] += by_age(min((as_of - c.received).days, 140))
        tally[2] += issued is not None and _within(c, issued)
    known_months = [key for key, (_, _, _, known) in sorted(months.items()) if known]
    if len(known_months) < TREND_MONTHS:
        return None
    first = known_months[-TREND_MONTHS]
    kept = [(key, n, w, on) for key, (n, w, on, _) in sorted(months.items())
            if key >= first and w > 0]
    settled = [(key, on / w) for key, n, w, on in kept if w >= 0.5 * n]
    last_year, last_month = settled[-1][0]
    xs = [float((y - last_year) * 12 + m - last_month) for (y, m), _, _, _ in kept]
    ws = [w for _, _, w, _ in kept]
    ys = [on / w for _, _, w, on in kept]
    total = sum(ws)
    x_mean = sum(w * x for w, x in zip(ws, xs, strict=True)) / total
    y_mean = sum(w * y for w, y in zip(ws, ys, strict=True)) / total
    sxx = sum(w * (x - x_mean) ** 2 for w, x in zip(ws, xs, strict=True))
    slope = sum(w * (x - x_mean) * (y - y_mean)
                for w, x, y in zip(ws, xs, ys, strict=True)) / sxx
    latest = y_mean - slope * x_mean
    scatter = sum(w * (y - latest - slope * x) ** 2
                  for w, x, y in zip(ws, xs, ys, strict=True)) / (len(kept) - 2)
    scatter = max(scatter, y_mean * (1 - y_mean))
    shares = [share for _, share in settled]
    return slope, math.sqrt(scatter / sxx), latest, min(shares), max(shares)


def forecast(cases: list[TrendCase], exceptions: list[bool], as_of: date,
             scale: float | None = None) -> Forecast:
    """SCALE: the factor on the rates of plans within 20 weeks (None: found here, as the
    forecast finds it, by bisection)."""
    counted = [c for c, exception in zip(cases, exceptions, strict=True)
               if not exception and trend_oracle.in_dfe_scope(c) and c.received <= as_of]
    issued_this_year = [(c, d) for c in counted
                        if (d := oracle.issue_date(c, as_of)) is not None
                        and d.year == as_of.year]
    within_so_far = sum(_within(c, d) for c, d in issued_this_year)

    start = as_of - timedelta(HISTORY_DAYS)
    recent_start, oldest = as_of - timedelta(OLDEST_RECENT_DAYS), band(OLDEST_BAND_FROM)
    days: dict[int, int] = {}
    events: dict[tuple[int, str], int] = {}
    for c in counted:
        issued = oracle.issue_date(c, as_of)
        leaves = issued or trend_oracle.closed_on(c, as_of)
        first = max((start - c.received).days + 1, 0)
        last = (min(leaves or as_of, as_of) - c.received).days
        for age in range(first, last + 1):
            # Two years old and more: only the days of the last 3 months.
            if band(age) == oldest and c.received + timedelta(age) <= recent_start:
                continue
            days[band(age)] = days.get(band(age), 0) + 1
        if (leaves is not None and start < leaves <= as_of and last >= first
                and (band((leaves - c.received).days) != oldest or leaves > recent_start)):
            kind = ("closed" if issued is None else
                    "within" if _within(c, issued) else "late")
            key = (band((leaves - c.received).days), kind)
            events[key] = events.get(key, 0) + 1

    def rate(b: int, kind: str) -> float:
        return events.get((b, kind), 0) / days[b] if days.get(b) else 0.0

    def carried(age_now: int, steps: int, scale: float) -> tuple[float, float]:
        survive, within, late = 1.0, 0.0, 0.0
        for age in range(age_now, age_now + steps):
            b = band(age)
            on_time = min(rate(b, "within") * scale,
                          max(1 - rate(b, "late") - rate(b, "closed"), 0.0) / 2)
            within += survive * on_time
            late += survive * rate(b, "late")
            survive *= 1 - min(on_time + rate(b, "late") + rate(b, "closed"), 1.0)
        return within, late

    def share(factor: float) -> float:  # a new request's chance of a plan by day 140
        return carried(0, 141, factor)[0]

    def by_age(age: int) -> float:  # the part of share(1.0) the table gives by AGE's end
        if age >= 140:
            return 1.0
        return carried(0, age + 1, 1.0)[0] / share(1.0) if share(1.0) > 0 else 0.0

    trend = on_time_trend(counted, as_of, by_age)
    if scale is None:
        scale = 1.0
        if trend is not None and abs(trend[0]) > SIGNIFICANCE * trend[1] and share(1.0) > 0:
            level = min(max(trend[2], trend[3]), trend[4])
            low, high = 0.0, 1.0
            while share(high) < level and high < 64:
                low, high = high, 2 * high
            for _ in range(40):
                middle = (low + high) / 2
                low, high = (middle, high) if share(middle) < level else (low, middle)
            scale = (low + high) / 2

    left = (date(as_of.year, 12, 31) - as_of).days
    e_within = e_late = v_within = v_late = cov = 0.0
    for c in counted:
        if oracle.plan_status(c, as_of) not in OPEN:
            continue
        within, late = carried((as_of - c.received).days + 1, left, scale)
        e_within, e_late = e_within + within, e_late + late
        v_within += within * (1 - within)
        v_late += late * (1 - late)
        cov -= within * late
    pace = sum(c.received > start for c in counted) / HISTORY_DAYS
    for arrives_days_before_end in range(1, left + 1):
        within, late = carried(0, arrives_days_before_end, scale)
        e_within, e_late = e_within + pace * within, e_late + pace * late
        v_within, v_late = v_within + pace * within, v_late + pace * late
    history = min(HISTORY_DAYS, max((as_of - c.received).days for c in counted)
                  if counted else 0)
    months = _months_from(min(c.received for c in counted), as_of) if counted else 0
    return Forecast(len(issued_this_year), within_so_far, e_within, e_late, v_within, v_late,
                    cov, history, months, trend, scale, share(scale), share(64.0))


def _months_from(first: date, as_of: date) -> int:
    """How many months can be stepped from FIRST without passing AS_OF (a step from the 31st
    lands on the month's last day when it has no 31st)."""
    months = 0
    while True:
        year, month = divmod(first.month + months, 12)
        year, month = first.year + year, month + 1
        day = min(first.day, calendar.monthrange(year, month)[1])
        if date(year, month, day) > as_of:
            return months
        months += 1
