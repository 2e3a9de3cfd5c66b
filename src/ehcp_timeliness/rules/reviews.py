"""Annual-review deadlines after the meeting (rules.md §2; worked examples E15–E23, E29, E41)."""

from __future__ import annotations

from typing import Literal

import polars as pl

from ehcp_timeliness.rules.deadlines import days_after

REVIEW_DECISION_DAYS = 28  # reg 20(10), CoP 9.169: decision within 4 weeks of the meeting
AMENDMENT_NOTICE_TO_FINAL_DAYS = 56  # reg 22(3): amended final plan within 8 weeks of the notice
# R (L, M and P) v Devon CC [2022] EWHC 493 (Admin): after a review the notice of proposed
# amendments goes with the 4-week decision (reg 20(10), 22(2)), so the amended final plan is
# due within 12 weeks of the meeting at the latest. That is an outer limit beside reg 22(3),
# not a replacement for it: a notice sent early brings the plan's date forward.
AMENDMENT_NOTICE_DAYS = REVIEW_DECISION_DAYS
MEETING_TO_AMENDED_FINAL_DAYS = AMENDMENT_NOTICE_DAYS + AMENDMENT_NOTICE_TO_FINAL_DAYS
TRANSFER_IN_REVIEW_MONTHS = 3  # reg 15(5)(b): 3 months beginning with the date of the transfer


def review_decision_due_date(meeting: pl.Expr) -> pl.Expr:
    """reg 20(10): the authority's decision (maintain / amend / cease) within 4 weeks."""
    return days_after(meeting, REVIEW_DECISION_DAYS)


def amendment_notice_due_date(meeting: pl.Expr) -> pl.Expr:
    """Devon; regs 20(10), 22(2): the notice of proposed amendments after a review goes with
    the decision to amend, within 4 weeks of the meeting.
    """
    return days_after(meeting, AMENDMENT_NOTICE_DAYS)


def amended_plan_due_date(meeting: pl.Expr, notice: pl.Expr | None = None) -> pl.Expr:
    """The earlier of notice + 56 days (reg 22(3): 8 weeks of sending the notice of proposed
    amendments) and meeting + 84 days (Devon: 12 weeks of the review meeting). Either alone
    when only one is recorded: meeting + 84 while no notice is recorded yet, notice + 56 when
    the export holds no meeting. Null with neither.
    """
    from_meeting = days_after(meeting, MEETING_TO_AMENDED_FINAL_DAYS)
    if notice is None:
        return from_meeting
    # min_horizontal skips nulls: one recorded date gives its own limit.
    return pl.min_horizontal(from_meeting, days_after(notice, AMENDMENT_NOTICE_TO_FINAL_DAYS))


def months_beginning_with(day: pl.Expr, months: int,
                          convention: Literal["s44", "anniversary"] = "s44") -> pl.Expr:
    """The last day of the period of MONTHS months beginning with DAY: CFA 2014 s44(1)'s
    review "within the period of 12 months starting with" the clock date, and reg 15(5)(b)'s
    3 months from a transfer in.

    s44 reading (default): DAY counts as day one, so the period ends the day before the
    corresponding date; where there is no corresponding date (29 February + 12 months,
    30 November + 3 months) it ends on the last day of that month. `anniversary`: the
    corresponding date, clamped to month end.

    Polars' calendar-month offset does the arithmetic; rules/status.py works it out once per
    calendar day (rules/day_table.py) and looks each row up, rather than once per row.
    """
    shifted = day.dt.offset_by(f"{months}mo")  # clamped to the month's end
    if convention == "anniversary":
        return shifted
    corresponding = shifted.dt.day() == day.dt.day()
    return pl.when(corresponding).then(shifted - pl.duration(days=1)).otherwise(shifted)


def under_five_review_guide_date(plan_made: pl.Expr, months: int = 6) -> pl.Expr:
    """CoP 9.178: consider reviewing under-5s every 3–6 months. Guidance, never a breach.
    Calendar months later, clamped to month end (31 Aug + 6 months = 28 Feb)."""
    return plan_made.dt.offset_by(f"{months}mo")
