"""The catalogue of row-level issue codes: stable kebab-case names users filter on.

Severity decides what happens to the row:
- error: the row is set aside (counted, reported, not analysed) and `validate` exits 1;
- warning: the row is analysed as described in the hint;
- ignored: the row is set aside without failing validation (a blank line is not a case).
docs/issue-codes.md lists every code; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    IGNORED = "ignored"


SET_ASIDE = (Severity.ERROR, Severity.IGNORED)
# A request received after the as-of date: named where a message tells it from a fault.
RECEIVED_AFTER_AS_OF = "received-after-as-of"


@dataclass(frozen=True)
class IssueCode:
    code: str
    severity: Severity
    title: str
    action: str


_CODES = (
    IssueCode("blank-row", Severity.IGNORED, "Row is empty",
              "Nothing to do: empty rows are skipped."),
    IssueCode("missing-case-id", Severity.ERROR, "No case id",
              "Give every request a case id (the mapped case_id column)."),
    IssueCode("missing-received-date", Severity.ERROR, "No request received date",
              "Enter the date the request for assessment was received."),
    IssueCode("historical-without-request-date", Severity.WARNING,
              "Historical or transferred-in request (H) with no received date",
              "Nothing to do: SEN2 leaves the date out for H. The plan is kept for its annual "
              "reviews; it has no 20-week status and is outside DfE's timeliness figures."),
    IssueCode("unparseable-date", Severity.ERROR, "Date cannot be read",
              "Write the date as 15/01/2024, 2024-01-15 or 15 Jan 2024 (day first, "
              "four-digit year); a date no calendar has (the value says why) needs its day "
              "or month corrected."),
    IssueCode("unparseable-optional-date", Severity.WARNING, "Optional date cannot be read",
              "Write the date as 15/01/2024 or 2024-01-15 (a date no calendar has needs its "
              "day or month corrected); the value is ignored until then."),
    IssueCode("issued-before-received", Severity.ERROR, "Plan issued before the request",
              "Check both dates: a final plan cannot be issued before the request was received."),
    IssueCode("date-before-received", Severity.WARNING, "Decision dated before the request",
              "Check the decision date and the received date."),
    IssueCode(RECEIVED_AFTER_AS_OF, Severity.ERROR, "Request received after the as-of date",
              "The case did not exist on the as-of date: use a later --as-of, or correct the "
              "received date."),
    IssueCode("date-after-as-of", Severity.WARNING, "Event dated after the as-of date",
              "Treated as not yet happened on the as-of date; use a later --as-of to count it, "
              "or correct the date."),
    IssueCode("duplicate-case-id", Severity.ERROR, "Case id already used by an earlier row",
              "Each request needs its own case id: remove the duplicate row or correct its id. "
              "The first row with the id is analysed."),
    IssueCode("review-before-plan", Severity.WARNING, "Review dated before the plan was made",
              "Check the review date: the review clock uses the later of the two dates."),
    IssueCode("cease-before-plan", Severity.WARNING, "Plan ceased before it was made",
              "Check the cease date and the plan issue date."),
    IssueCode("unknown-outcome-code", Severity.ERROR, "Outcome not recognised",
              "Use a SEN2 code (Y, N, A, W, H, S) or add your system's wording to "
              "[outcome_codes] in the config file."),
    IssueCode("issued-without-date", Severity.ERROR, "Plan issued (outcome Y) but no issue date",
              "Enter the date the final EHC plan was issued."),
    IssueCode("plan-date-contradicts-outcome", Severity.ERROR,
              "Plan issue date given but the outcome says no plan",
              "Correct the outcome (Y if a plan was issued) or remove the issue date."),
    IssueCode("outcome-codes-contradict", Severity.WARNING,
              "Assessment outcome recorded although the request was refused or withdrawn",
              "Check the request outcome: an assessment implies the request was agreed (Y)."),
    IssueCode("unparseable-transfer-year", Severity.WARNING, "Phase transfer year cannot be read",
              "Give the calendar year of the September transfer, e.g. 2026 or 2026/27; until "
              "then the case has no phase-transfer deadline."),
    IssueCode("unknown-transfer-kind", Severity.WARNING, "Phase transfer kind not recognised",
              "Use school_phase or post_16 (docs/data-contract.md lists the words accepted); "
              "until then the kind is worked out from the date of birth."),
    IssueCode("amended-plan-before-notice", Severity.WARNING,
              "Amended plan dated before its amendment notice",
              "Check both dates: the amended plan is taken as belonging to an earlier "
              "amendment, so the notice's amendment counts as still open."),
    IssueCode("amendment-notice-without-meeting", Severity.WARNING,
              "Amendment notice with no review meeting recorded",
              "Record the review meeting the amendment followed (last_review_date): without "
              "it the amended plan is due 8 weeks after the notice (reg 22(3)) and the "
              "notice's own 4-week limit and the 12 weeks from the meeting cannot be checked."),
    IssueCode("review-decision-before-meeting", Severity.WARNING,
              "Review decision dated before its review meeting",
              "Check both dates: the decision is taken as belonging to an earlier review, so "
              "this meeting's decision counts as not yet made and the case is in neither of "
              "DfE's decision-within-4-weeks counts."),
    IssueCode("unknown-boolean", Severity.WARNING, "Yes/no value not recognised",
              "Counted as no (false) until then. If the wording means yes (an exception "
              "reason, say), add it to the config file: under [booleans], true_words = "
              "[\"<the wording>\", ...] followed by the default reasons `config init` lists "
              "(your list replaces them); if it means no, write No in the cell."),
    IssueCode("duplicate-header", Severity.WARNING,
              "Two columns have the same header (row 1)",
              "Rename one of them in the export (the value names both positions): until then "
              "the later one is read as '<header> (column N)', and no [columns] mapping may "
              "name the header."),
    IssueCode("unmatched-sen2-row", Severity.ERROR,
              "SEN2 COLLECT row whose parent id matches no row of its parent table",
              "Export every table from the same COLLECT return: the row (named in the value) "
              "belongs to no request, so it is not counted."),
)

ISSUE_CODES: dict[str, IssueCode] = {c.code: c for c in _CODES}


def catalogue_markdown() -> str:
    """The issue-code table of docs/issue-codes.md, generated so the two never drift."""
    lines = ["| code | severity | what it means | what to do |", "|---|---|---|---|"]
    for issue in _CODES:
        lines.append(f"| `{issue.code}` | {issue.severity.value} | {issue.title} | "
                     f"{issue.action} |")
    return "\n".join(lines) + "\n"
