"""What each column of the board workbook's tables means, one sentence each, written beside the
table on its sheet (xlsx.py) so a reader of a forwarded workbook needs no other document.
Columns an export names itself (a --by group) are the export's own and have no entry.
"""

from __future__ import annotations

from ehcp_timeliness.summaries.open_work import AGE_BAND_LABELS

DEFINITIONS: dict[str, str] = {
    # 20-week rates by month of issue (summaries/rates.py), DfE's scope and method.
    "period": "Calendar month of issue; '(to 15 Jun)' marks a part month.",
    "plans_issued": "New plans issued in the month, in DfE's scope.",
    "issued_within_20_weeks": "Of them, issued within 20 weeks (140 days) of the request.",
    "pct_within_20_weeks": "Within 20 weeks as a % of plans issued.",
    "plans_issued_ex": "Plans issued, leaving out reg 10(4) exceptions (DfE's headline).",
    "issued_within_20_weeks_ex": "Of them, issued within 20 weeks.",
    "pct_within_20_weeks_ex": "DfE's headline rate: within 20 weeks, excluding exceptions.",
    "issued_20_to_52_weeks": "Issued after 20 weeks but within a year.",
    "issued_over_52_weeks": "Issued more than a year after the request.",
    "median_weeks_to_issue": "Median weeks from the request to the plan.",
    "target": "The 20-week target set in the config, if any.",
    "england_ex": "England's latest published rate, excluding exceptions.",
    # The over-time table (summaries/trend.py; docs/reports.md#trend), one row a month.
    "month": "Calendar month; '(to 15 Jun)' marks a part month.",
    "requests_received": "Requests for an assessment received in the month.",
    "left_open_by_issue": "Open requests that left the open list in the month with a final plan.",
    "left_open_by_closure": "Open requests closed in the month without a plan.",
    "plans_issued_within_20_weeks": "Of the plans issued, those within 20 weeks (DfE's method).",
    "plans_due": "Requests in DfE's scope whose 20-week date fell in the month and that ended "
                 "in a plan or are still open.",
    "plans_due_issued_on_time": "Of them, plans issued by their 20-week date.",
    "pct_due_issued_on_time": "On time as a % of plans due in the month (not DfE's rate).",
    "open_at_month_end": "Requests open at the month end (the as-of date for this month).",
    "open_overdue_at_month_end": "Of them, past their 20-week date.",
    "open_over_52_weeks_at_month_end": "Of them, open 52 weeks or more.",
    "plans_issued_from_backlog": "Plans issued in the month already past the 20-week date when "
                                 "the month began.",
    "plans_issued_current": "The other plans issued in the month.",
    "current_within_20_weeks": "Of those, within 20 weeks.",
    "pct_current_within_20_weeks": "Within 20 weeks as a % of the current plans.",
    "reviews_overdue_at_month_end": "Plans overdue for annual review at the month end; blank "
                                    "where the export can give only a lower bound.",
    "pct_reviewed_in_last_12_months": "Plans reviewed in the 12 months to the month end, as a % "
                                      "of those with a review due; blank where a lower bound.",
    "reviews_not_known_at_month_end": "Plans whose review status that month a later review "
                                      "hides (the export keeps only the last review).",
    # Open requests and annual reviews on the as-of date (summaries/open_work.py).
    "open_cases": "Requests with no final plan yet and not closed.",
    "overdue": "Open requests past their 20-week date (every route, DfE's scope or not).",
    "due_soon": "Open requests whose 20-week date falls within the due-soon window.",
    "in_progress": "Open requests with more time left.",
    **{k: f"Open requests {v} weeks after the request." for k, v in AGE_BAND_LABELS.items()},
    "plans_to_review": "Plans needing an annual review.",
    "reviews_overdue": "Plans whose annual review is overdue (no review in 12 months).",
    "reviews_due_soon": "Plans whose review falls due within the due-soon window.",
    "reviews_not_due": "Plans reviewed within 12 months, or whose first review is not due.",
    "reviews_not_known": "Plans whose review status the export cannot give: their only "
                         "recorded review is after the as-of date (Overdue is then a lower "
                         "bound).",
    # The worklist (summaries/worklist.py).
    "case_id": "The case's id in the export (a keyed pseudonym with --pseudonymise).",
    "person_id": "The child's id in the export (pseudonymised likewise).",
    "work": "A request or an annual review.",
    "next_step": "The next statutory step and the regulation that sets it.",
    "step_due_date": "The step's statutory due date.",
    "act_by_date": "The last working day on or before the due date.",
    "days_left": "Days from the as-of date to the due date; negative when overdue.",
    "urgency": "overdue, or due within the window.",
    "received_date": "Date the request for assessment was received.",
    "plan_due_date": "The request's 20-week date.",
    "exception_applies": "Whether a reg 10(4) exception applies.",
    # Review decisions and phase transfers (summaries/review_process.py).
    "time_period": "Calendar year.",
    "number_decsion_4weeks": "Review decisions within 4 weeks of the meeting (reg 20(10)).",
    "number_decision_gt_4weeks": "Review decisions after 4 weeks.",
    "pc_decsion_4weeks": "Within 4 weeks as a % of decisions.",
    "pc_decision_gt_4weeks": "After 4 weeks as a % of decisions.",
    "reviews_awaiting_decision": "Review meetings with no decision yet.",
    "awaiting_decision_over_4_weeks": "Of them, more than 4 weeks after the meeting.",
    "awaiting_decision_6_months": "Of them, 6 months or more after the meeting.",
    "awaiting_decision_12_months": "Of them, 12 months or more after the meeting.",
    "awaiting_decision_24_months": "Of them, 24 months or more after the meeting.",
    "transfer_kind": "The phase transfer (reg 18).",
    "deadline": "Date the amended plan must be issued by.",
    "weeks_left": "Weeks from the as-of date to the deadline; negative once passed.",
    "plans_transferring": "Plans making the transfer next September.",
    "reviewed": "Of them, reviewed.", "amended": "Of them, amended.",
    "completed": "Of them, complete.", "at_risk": "Not complete and cannot be by the deadline.",
    # Data quality (summaries/data_quality.py, report/quality_view.py).
    "problem": "The problem found in the rows.",
    "rows": "Rows with the problem.",
    "severity": "What happened to the rows: set aside, or analysed with a warning.",
    "message": "What to do about it.",
    "code": "The issue code `validate` and docs/issue-codes.md use.",
}
