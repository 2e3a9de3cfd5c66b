"""DfE's method for its published figures (rules.md §3), as named Polars expressions: new plans
within 20 weeks, decisions whether to assess within 6 weeks, decisions not to issue within 16
weeks and annual-review decisions within 4 weeks of the meeting.

One definition, read by every DfE-style figure: `dfe`, `benchmark`, the 20-week rates of
`summary` and `report` (summaries/rates.py, kpis.py) and the `check` gate (summaries/gate.py),
so none of them can disagree with another. DfE's method is not the authority's: it does not
move with `rules.anchor_is_day_one` or any other local setting. The per-case `plan_status`
keeps the local convention; `differs_from_plan_status` finds the plans where the two part.

Each expression reads the plan's issue date as of the as-of date (rules/status.py ISSUED, null
when not issued by then) and the received date.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    LAST_REVIEW_DATE,
    MEDIATION,
    PLAN_STATUS,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    TRIBUNAL,
    PlanStatus,
)
from ehcp_timeliness.rules.deadlines import (
    PLAN_DAYS,
    days_after,
    days_between,
    decision_due_date,
    no_plan_decision_due_date,
)
from ehcp_timeliness.rules.reviews import review_decision_due_date
from ehcp_timeliness.rules.status import (
    ISSUED,
    assessed_elsewhere,
    exception_recorded,
    known_by,
)

# DfE: "EHC plans issued within 20 weeks": issue date − received date ≤ 140 days (reg 13(2):
# within 20 weeks of the request; the day of receipt not counted).
WITHIN_20_WEEKS_DAYS = PLAN_DAYS
# DfE's data guidance (EES "Education, health and care plans" RY2025, timeliness_20_week.csv)
# describes plans_issued_gt_1_year as "EHC plans issued after 52 weeks" and
# plans_issued_gt20weeks_ltYear as "between 20 and 52 weeks": over a year = more than
# 52 × 7 = 364 days after the request (docs/benchmarking.md, "Over a year"). How DfE counts a
# part week is not published, and the column names say "1 year": `dfe.over_a_year =
# "anniversary"` reads it as after the anniversary of the request instead.
OVER_A_YEAR_DAYS = 52 * 7
OverAYear = Literal["52_weeks", "anniversary"]


def in_dfe_scope() -> pl.Expr:
    """DfE leaves out cases with mediation or a tribunal appeal, plans transferred in (H) and
    plans issued after another authority's assessment (S) (EES footnote; rules.md §3)."""
    return (~pl.col(MEDIATION).fill_null(False) & ~pl.col(TRIBUNAL).fill_null(False)
            & ~assessed_elsewhere())


def issued_in_dfe_scope() -> pl.Expr:
    """A new plan DfE counts: issued by the as-of date and in scope. Whether its request date
    is usable does not matter: DfE's denominator counts every plan issued. A historical or
    transferred-in request (H) without a received date is not a new plan of the year (SEN2
    leaves the date out for H; rules.md §7), so it stays out, as it always has."""
    historical = ((pl.col(REQUEST_OUTCOME) == "H") & pl.col(RECEIVED_DATE).is_null()) \
        .fill_null(False)
    return pl.col(ISSUED).is_not_null() & in_dfe_scope() & ~historical


def excluding_exceptions() -> pl.Expr:
    """DfE's `_ex` figures: cases without a reg 10(4)/13(3) exception (SEN2 Week20)."""
    return ~exception_recorded()


def has_usable_request_date() -> pl.Expr:
    """A received date, on or before the issue date. Without one DfE counts the plan in its
    denominator and in none of its three buckets (England 2024: 41,448 + 42,402 + 6,478 =
    90,328 of 90,392)."""
    received = pl.col(RECEIVED_DATE)
    return (received.is_not_null() & (received <= pl.col(ISSUED))).fill_null(False)


def days_to_issue() -> pl.Expr:
    """Days from the request to the plan's issue; null without a usable request date."""
    return pl.when(has_usable_request_date()).then(
        days_between(pl.col(RECEIVED_DATE), pl.col(ISSUED)))


def within_20_weeks() -> pl.Expr:
    """DfE's "within 20 weeks": issued no more than 140 days after the request."""
    return (days_to_issue() <= WITHIN_20_WEEKS_DAYS).fill_null(False)


def a_year_after_request(reading: OverAYear = "52_weeks") -> pl.Expr:
    """The last day a plan is not yet "over a year": R + 364 days (DfE's "52 weeks"), or the
    anniversary R + 1 year (29 February: 28 February)."""
    received = pl.col(RECEIVED_DATE)
    if reading == "anniversary":
        return received.dt.offset_by("1y")
    return days_after(received, OVER_A_YEAR_DAYS)


def between_20_weeks_and_a_year(reading: OverAYear = "52_weeks") -> pl.Expr:
    """DfE's "between 20 and 52 weeks": from day 141 to a year after the request."""
    return ((days_to_issue() > WITHIN_20_WEEKS_DAYS)
            & (pl.col(ISSUED) <= a_year_after_request(reading))).fill_null(False)


def over_a_year(reading: OverAYear = "52_weeks") -> pl.Expr:
    """DfE's "after 52 weeks" (plans_issued_gt_1_year): more than 364 days after the request,
    or with "anniversary", after the anniversary."""
    return (has_usable_request_date()
            & (pl.col(ISSUED) > a_year_after_request(reading))).fill_null(False)


def differs_from_plan_status() -> pl.Expr:
    """An issued plan the local convention (plan_status) classes on time and DfE's rule late,
    or the other way round: with `anchor_is_day_one`, a plan issued on day 140."""
    on_time = (pl.col(PLAN_STATUS) == PlanStatus.ISSUED_ON_TIME).fill_null(False)
    return has_usable_request_date() & (on_time != within_20_weeks())


# The decisions DfE times (requests.csv, assessments.csv, annual_reviews.csv). Each measure is a
# pair: which decisions it counts, and which of them were in time. The day counts are DfE's
# (the day of receipt not counted), never `rules.anchor_is_day_one`.
DECIDED_OUTCOMES = ("Y", "N")  # a decision whether to assess; W (withdrawn) is not a decision


def decided_whether_to_assess(as_of: date) -> pl.Expr:
    """requests.csv: a decision to assess or not (Y or N) notified by the as-of date, in
    DfE's scope."""
    return (pl.col(REQUEST_OUTCOME).is_in(DECIDED_OUTCOMES).fill_null(False)
            & known_by(REQUEST_OUTCOME_DATE, as_of).is_not_null() & in_dfe_scope())


def decided_within_6_weeks() -> pl.Expr:
    """reg 5(1), DfE's "within 6 weeks": notified no more than 42 days after the request."""
    return pl.col(REQUEST_OUTCOME_DATE) <= decision_due_date(anchor_is_day_one=False)


def decided_not_to_issue(as_of: date) -> pl.Expr:
    """assessments.csv: a decision not to issue a plan (N) notified by the as-of date, in
    DfE's scope."""
    return ((pl.col(ASSESSMENT_OUTCOME) == "N").fill_null(False)
            & known_by(ASSESSMENT_OUTCOME_DATE, as_of).is_not_null() & in_dfe_scope())


def decided_within_16_weeks() -> pl.Expr:
    """reg 10(1), DfE's "within 16 weeks": notified no more than 112 days after the request."""
    return (pl.col(ASSESSMENT_OUTCOME_DATE)
            <= no_plan_decision_due_date(anchor_is_day_one=False))


def review_decided(as_of: date) -> pl.Expr:
    """annual_reviews.csv: a review decision on or after its meeting, both by the as-of date.
    Every plan counts (no new-plan scope). A decision dated before the meeting belongs to an
    earlier review (`review-decision-before-meeting`), as review_decision_status reads it."""
    meeting = known_by(LAST_REVIEW_DATE, as_of)
    decided_on = known_by(REVIEW_DECISION_DATE, as_of)
    return meeting.is_not_null() & decided_on.is_not_null() & (decided_on >= meeting)


def review_decided_within_4_weeks() -> pl.Expr:
    """reg 20(10): the decision within 4 weeks (28 days) of the meeting."""
    return pl.col(REVIEW_DECISION_DATE) <= review_decision_due_date(pl.col(LAST_REVIEW_DATE))
