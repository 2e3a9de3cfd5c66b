"""A plain-Python oracle of `trend` (docs/reports.md#trend): every month, one at a time, every
case, one at a time, its status on the month's last day (the as-of date for the as-of month)
by tests/oracle.py's rules. Deliberately naive: no spans, no cumulative sums.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import oracle

NO_PLAN = ("N", "W")


@dataclass
class TrendCase(oracle.Case):
    mediation: bool = False


def months(first: date, as_of: date) -> list[tuple[str, date, date]]:
    """(YYYY-MM, first day, snapshot day) from FIRST's month to the as-of month."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (as_of.year, as_of.month):
        start = date(year, month, 1)
        end = min(date(year, month, calendar.monthrange(year, month)[1]), as_of)
        out.append((f"{year:04d}-{month:02d}", start, end))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _known(day: date | None, as_of: date) -> date | None:
    return day if day is not None and day <= as_of else None


def undated_closure(case: oracle.Case, as_of: date) -> bool:
    if oracle.issue_date(case, as_of) is not None:
        return False
    return any(outcome in NO_PLAN and when is None for outcome, when in (
        (case.request_outcome, case.request_outcome_date),
        (case.assessment_outcome, case.assessment_outcome_date)))


def closed_on(case: oracle.Case, as_of: date) -> date | None:
    """The first day closed without a plan; an undated outcome: the last known request date."""
    known = [d for d in (case.received, _known(case.request_outcome_date, as_of),
                         _known(case.assessment_outcome_date, as_of)) if d is not None]
    days = []
    for outcome, when in ((case.request_outcome, case.request_outcome_date),
                          (case.assessment_outcome, case.assessment_outcome_date)):
        if outcome in NO_PLAN:
            if when is None:
                days.append(max(known))
            elif when <= as_of:
                days.append(when)
    return min(days) if days else None


def open_on(case: oracle.Case, day: date, as_of: date) -> bool:
    """oracle.plan_status on DAY is open, but an undated closure counts from its day."""
    if case.received > day or oracle.issue_date(case, day) is not None:
        return False
    closed = closed_on(case, as_of)
    return closed is None or closed > day


def in_dfe_scope(case: TrendCase) -> bool:
    return not case.mediation and case.assessment_outcome not in ("H", "S")


def percentage(numerator: int, denominator: int) -> float | None:
    if denominator == 0:
        return None
    tenths = (numerator * 2000 + denominator) // (denominator * 2)
    return tenths / 10


def first_made(case: oracle.Case, as_of: date) -> date | None:
    made = [d for d in (oracle.issue_date(case, as_of), _known(case.plan_start, as_of)) if d]
    return min(made) if made else None


def review_known(case: oracle.Case, day: date, as_of: date, clock: str,
                 column: bool = True) -> bool:
    """Only the last review is in an export: before it, the review status is not known; with
    no column for it (COLUMN False), never."""
    last = case.last_review if clock == "meeting" else case.review_decision
    return column and (last is None or last <= day)


def month_rows(cases: list[TrendCase], as_of: date, first: date | None = None,
               anchor_is_day_one: bool = False, convention: str = "s44",
               clock: str = "meeting", column: bool = True) -> list[dict[str, object]]:
    """COLUMN False: the export has no column for the review the clock reads."""
    first = first or min(c.received for c in cases)
    rows = []
    for label, start, end in months(first, as_of):
        def in_month(day: date | None) -> bool:
            return day is not None and start <= day <= end  # noqa: B023 - used at once

        row: dict[str, object] = {"month": label}
        row["requests_received"] = sum(in_month(c.received) for c in cases)
        issued = [c for c in cases
                  if in_dfe_scope(c) and in_month(oracle.issue_date(c, as_of))]
        within = [c for c in issued if oracle.dfe_bucket(
            c.received, oracle.issue_date(c, as_of)) == "within_20_weeks"]
        backlog = [c for c in issued if c.received + timedelta(days=140) < start]
        row["plans_issued"] = len(issued)
        row["plans_issued_within_20_weeks"] = len(within)
        row["pct_within_20_weeks"] = percentage(len(within), len(issued))
        due, due_on_time = 0, 0
        for c in cases:
            plan_due = oracle.plan_due(c.received, anchor_is_day_one)
            if not in_month(plan_due) or not in_dfe_scope(c):
                continue
            done = oracle.issue_date(c, as_of)
            on_time = done is not None and done <= plan_due
            if done is None and closed_on(c, as_of) is not None:
                continue  # closed without a plan: no plan, due or not
            due += 1
            due_on_time += on_time
        row["plans_due"], row["plans_due_issued_on_time"] = due, due_on_time
        row["pct_due_issued_on_time"] = percentage(due_on_time, due)
        still_open = [c for c in cases if open_on(c, end, as_of)]
        overdue = [c for c in still_open
                   if end > oracle.plan_due(c.received, anchor_is_day_one)]
        row["open_at_month_end"] = len(still_open)
        row["open_overdue_at_month_end"] = len(overdue)
        row["open_over_52_weeks_at_month_end"] = sum(
            (end - c.received).days >= 364 for c in still_open)
        row["mean_weeks_open_overdue_at_month_end"] = (
            sum((end - c.received).days for c in overdue) / len(overdue) / 7
            if overdue else None)
        row["plans_issued_from_backlog"] = len(backlog)
        row["plans_issued_current"] = len(issued) - len(backlog)
        row["pct_current_within_20_weeks"] = percentage(
            len([c for c in within if c not in backlog]), len(issued) - len(backlog))
        in_force = [c for c in cases
                    if oracle.review_status(c, end, 0, convention, clock) != "not_applicable"]
        known = [c for c in in_force if review_known(c, end, as_of, clock, column)]
        row["plans_in_force_at_month_end"] = len(in_force)
        row["reviews_overdue_at_month_end"] = sum(
            oracle.review_status(c, end, 0, convention, clock) == "overdue" for c in known)
        due_once = [c for c in in_force if oracle.twelve_months(
            first_made(c, as_of), convention) < end]  # type: ignore[arg-type]
        # A review fell due, but the only review in the export came after E: not known.
        not_known = [c for c in due_once if not review_known(c, end, as_of, clock, column)]
        reviewed = 0
        for c in due_once:
            last = _known(c.last_review if clock == "meeting" else c.review_decision, as_of)
            reviewed += column and last is not None and last <= end <= oracle.twelve_months(
                last, convention)
        row["pct_reviewed_in_last_12_months"] = percentage(reviewed, len(due_once))
        row["reviews_not_known_at_month_end"] = len(not_known)
        row["reviews_overdue_at_month_end_is_lower_bound"] = bool(not_known)
        row["pct_reviewed_in_last_12_months_is_lower_bound"] = bool(not_known)
        rows.append(row)
    return rows


def clearance(overdue_by_month: list[int], as_of: date) -> tuple[str, str | None]:
    """(verdict, clearance month) of the backlog clearance (docs/reports.md#backlog-clearance):
    the slower of the 3- and 6-month average falls, taken off the backlog one month at a time
    for at most 5 years."""
    now = overdue_by_month[-1] if overdue_by_month else 0
    if now == 0:
        return "no_backlog", None
    falls = [Fraction(overdue_by_month[-1 - k] - now, k) for k in (3, 6)
             if len(overdue_by_month) > k]
    if not falls:
        return "too_few_months", None
    fall, left, year, month = min(falls), Fraction(now), as_of.year, as_of.month
    for _ in range(5 * 12 if fall > 0 else 0):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        left -= fall
        if left <= 0:
            return "clears", f"{year:04d}-{month:02d}"
    return "not_clearing", None
