"""The heading of each output column, as every renderer shows it: the terminal tables
(terminal.py, worklist.py, dfe_views.py, benchmark.py), the board pack's HTML page and its
workbook. One definition, so a column reads the same wherever it appears; short enough for a
terminal.
"""

from __future__ import annotations

from ehcp_timeliness.columns import header_of
from ehcp_timeliness.summaries.open_work import AGE_BAND_LABELS

HEADINGS: dict[str, str] = {
    # 20-week rates (summaries/rates.py). `period` is the board's monthly trend; a table by
    # another period (summary --period) names its own.
    "period": "Month", "plans_issued": "Issued", "issued_within_20_weeks": "≤20 wks",
    "pct_within_20_weeks": "%", "plans_issued_ex": "Issued (ex)",
    "issued_within_20_weeks_ex": "≤20 wks (ex)", "pct_within_20_weeks_ex": "% (ex)",
    "issued_20_to_52_weeks": "20–52 wks", "issued_over_52_weeks": ">52 wks",
    "median_weeks_to_issue": "Median wks",
    "is_part_period": "Part period",
    # Open requests and annual reviews (summaries/open_work.py).
    "open_cases": "Open", "overdue": "Overdue", "due_soon": "Due soon",
    "in_progress": "In progress", **{k: f"{v} wks" for k, v in AGE_BAND_LABELS.items()},
    "plans_to_review": "Plans", "reviews_overdue": "Overdue", "reviews_due_soon": "Due soon",
    "reviews_not_due": "Not due", "reviews_not_known": "Not known",
    "reviews_overdue_is_lower_bound": "Overdue: lower bound",
    # After the review meeting and phase transfers (summaries/review_process.py).
    "time_period": "Year", "number_decsion_4weeks": "≤4 wks",
    "number_decision_gt_4weeks": ">4 wks", "pc_decsion_4weeks": "% ≤4 wks",
    "pc_decision_gt_4weeks": "% >4 wks", "reviews_awaiting_decision": "Awaiting decision",
    "awaiting_decision_over_4_weeks": ">4 wks", "awaiting_decision_6_months": "≥6 months",
    "awaiting_decision_12_months": "≥12 months", "awaiting_decision_24_months": "≥24 months",
    "transfer_kind": "Transfer", "deadline": "Deadline", "weeks_left": "Weeks left",
    "plans_transferring": "Plans", "reviewed": "Reviewed", "amended": "Amended",
    "completed": "Completed", "at_risk": "At risk",
    # The worklist (summaries/worklist.py).
    "case_id": "Case", "person_id": "Person", "work": "Work", "next_step": "Next statutory step",
    "law": "Law", "lateness": "When",
    "step_due_date": "Due", "act_by_date": "Act by (working day)", "days_left": "Days left",
    "urgency": "Urgency", "received_date": "Request received", "plan_due_date": "20-week date",
    "exception_applies": "Exception (reg 10(4))",
    # `benchmark`: DfE's published columns beside yours (report/benchmark.py).
    "area": "Area", "role": "Role", "new_la_code": "Code", "plans_issued_den": "Plans",
    "plans_issued_den_ex": "Plans (ex)", "plans_issued_within_20_weeks": "≤20 wks",
    "plans_issued_20_weeks_ex": "≤20 wks (ex)", "pc_plans_issued_within_20_weeks": "%",
    "PC_plans_issued_20_weeks_ex": "% (ex)", "rank": "Rank", "rank_ex": "Rank (ex)",
    # Issues by code (summaries/data_quality.py).
    "code": "Issue code", "severity": "Severity", "rows": "Rows", "message": "What to do",
    # Month by month (summaries/trend.py, `trend` and the board's over-time section).
    "month": "Month", "requests_received": "Received",
    "plans_due": "Due", "plans_due_issued_on_time": "Due: on time",
    "pct_due_issued_on_time": "Due %", "open_at_month_end": "Open",
    "open_overdue_at_month_end": "Overdue", "open_over_52_weeks_at_month_end": "52+ wks",
    "mean_weeks_open_overdue_at_month_end": "Overdue: mean wks",
    "plans_issued_from_backlog": "From backlog", "plans_issued_current": "Current",
    "current_within_20_weeks": "Current ≤20 wks", "pct_current_within_20_weeks": "Current %",
    "plans_in_force_at_month_end": "Plans", "reviews_overdue_at_month_end": "Reviews overdue",
    "pct_reviewed_in_last_12_months": "Reviewed %", "left_open_by_issue": "Issued (all)",
    "reviews_not_known_at_month_end": "Reviews not known",
    "reviews_overdue_at_month_end_is_lower_bound": "Reviews overdue: lower bound",
    "pct_reviewed_in_last_12_months_is_lower_bound": "Reviewed %: lower bound",
    "left_open_by_closure": "Closed, no plan",
    # Two exports compared (summaries/compare.py).
    "previous_plan_status": "Status before", "current_plan_status": "Status now",
    "column": "Column", "previous_value": "Before", "current_value": "Now",
    "days_moved": "Days moved", "set_aside_reasons": "Set aside for",
}


def heading(name: str) -> str:
    """The heading of output column NAME; an export's own column (a --by group) under its
    header as the export spells it."""
    return HEADINGS.get(name, header_of(name))


# Under the as-of reviews table and beside the reviews card wherever a plan's review status
# on the as-of date is not known (summaries/figures.py REVIEWS_OVERDUE_IS_LOWER_BOUND).
AS_OF_REVIEWS_NOTE = (
    "Not known: plans whose only recorded review is dated after the as-of date, though a "
    "review had fallen due before it. An export keeps only each plan's last review, so an "
    "earlier one may have been overwritten. They count in Plans but not in Overdue, so "
    "Overdue is a lower bound: the true figure may be higher. Run as of the export's own date "
    "for exact figures.")


def as_of_reviews_note(missing_column: str | None) -> str:
    """AS_OF_REVIEWS_NOTE, or, for an export with no column for the review the 12 months run
    from (MISSING_COLUMN, Analysis.missing_review_column), why no plan's review is known."""
    if missing_column is None:
        return AS_OF_REVIEWS_NOTE
    return (
        f"Not known: this export has no {missing_column} column, so it cannot say whether any "
        "plan was reviewed. Plans a review had fallen due for count in Plans but not in "
        "Overdue, so Overdue is a lower bound: the true figure may be higher. If the export "
        "holds the review dates under another header, map it in the config file: "
        f'[columns] {missing_column} = "Your header".')
