"""A plain-Python oracle of rules.md §1–2, written independently of the Polars rules.

Deliberately naive (one row at a time, dateutil for months) so that a Polars expression and this
code agreeing on random dates means something.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


@dataclass
class Case:
    received: date
    issued: date | None = None
    request_outcome: str | None = None
    request_outcome_date: date | None = None
    assessment_outcome: str | None = None
    assessment_outcome_date: date | None = None
    plan_start: date | None = None
    last_review: date | None = None
    review_decision: date | None = None
    cease: date | None = None


def plan_due(received: date, anchor_is_day_one: bool = False) -> date:
    return received + timedelta(days=139 if anchor_is_day_one else 140)


def decision_due(received: date) -> date:
    return received + timedelta(days=42)


def twelve_months(clock: date, convention: str = "s44") -> date:
    target_year = clock.year + 1
    last_day = calendar.monthrange(target_year, clock.month)[1]
    if convention == "anniversary":
        return date(target_year, clock.month, min(clock.day, last_day))
    if clock.day > last_day:  # no corresponding day: the period ends at the month's end
        return date(target_year, clock.month, last_day)
    return date(target_year, clock.month, clock.day) - timedelta(days=1)


def _known(day: date | None, as_of: date) -> date | None:
    return day if day is not None and day <= as_of else None


def issue_date(case: Case, as_of: date) -> date | None:
    issued = case.issued
    if case.assessment_outcome in ("H", "S") and issued is None:
        issued = case.plan_start
    return _known(issued, as_of)


def plan_status(case: Case, as_of: date, due_soon_days: int = 28,
                anchor_is_day_one: bool = False) -> str:
    due = plan_due(case.received, anchor_is_day_one)
    issued = issue_date(case, as_of)
    if issued is not None:
        return "issued_on_time" if issued <= due else "issued_late"
    for outcome, when in ((case.request_outcome, case.request_outcome_date),
                          (case.assessment_outcome, case.assessment_outcome_date)):
        if outcome in ("N", "W") and (when is None or when <= as_of):
            return "closed_no_plan"
    if as_of > due:
        return "overdue"
    if (due - as_of).days <= due_soon_days:
        return "due_soon"
    return "in_progress"


def weeks_to_issue(case: Case, as_of: date) -> float | None:
    issued = issue_date(case, as_of)
    return None if issued is None else round((issued - case.received).days / 7, 2)


def days_overdue(case: Case, as_of: date, due_soon_days: int = 28,
                 anchor_is_day_one: bool = False) -> int | None:
    status = plan_status(case, as_of, due_soon_days, anchor_is_day_one)
    due = plan_due(case.received, anchor_is_day_one)
    if status == "overdue":
        return (as_of - due).days
    if status == "issued_late":
        issued = issue_date(case, as_of)
        assert issued is not None
        return (issued - due).days
    return None


def review_due(case: Case, as_of: date, convention: str = "s44",
               clock: str = "meeting") -> date | None:
    made = issue_date(case, as_of) or _known(case.plan_start, as_of)
    if made is None:
        return None
    last = _known(case.last_review if clock == "meeting" else case.review_decision, as_of)
    start = max(made, last) if last is not None else made
    return twelve_months(start, convention)


def review_status(case: Case, as_of: date, due_soon_days: int = 28, convention: str = "s44",
                  clock: str = "meeting") -> str:
    due = review_due(case, as_of, convention, clock)
    if due is None or (case.cease is not None and case.cease <= as_of):
        return "not_applicable"
    if as_of > due:
        return "overdue"
    if (due - as_of).days <= due_soon_days:
        return "due_soon"
    return "not_due"


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)
