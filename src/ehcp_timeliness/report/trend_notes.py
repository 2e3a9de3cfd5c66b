"""The notes under the trend's tables: in the terminal (report/trend.py), on the board and in the
workbook. Kept apart from the terminal view so the board and the workbook take the sentences
without its tables.
"""

# Under every table that shows review figures for past month ends (docs/reports.md#trend).
LOWER_BOUND_NOTE = (
    "≥: a lower bound. An export holds only each plan's last review, so at a month end before "
    "it a plan whose last review came later can be counted neither as reviewed nor as "
    "overdue (Reviews not known: how many); the figure can only be higher. Months with none "
    "are exact; the as-of month has none when the export was taken on the as-of date.")


def no_review_column_note(column: str) -> str:
    """LOWER_BOUND_NOTE for an export with no COLUMN for the review the 12 months run from
    (Analysis.missing_review_column): every month end is a lower bound, for that reason."""
    return (
        f"≥: a lower bound. This export has no {column} column, so at a month end a plan with "
        "a review due can be counted neither as reviewed nor as overdue (Reviews not known: "
        "how many); the figure can only be higher. If the export holds the review dates under "
        f'another header, map it in the config file: [columns] {column} = "Your header".')


# The board and the workbook show only the exact review figures (report/board_trend.py).
BLANK_REVIEWS_NOTE = (
    "Reviews overdue and Reviewed % are blank for a month end the export cannot give exactly: "
    "an export holds only each plan's last review, and Reviews not known is how many plans had "
    "a review due then but a later last review. The as-of month is exact when the export was "
    "taken on the as-of date.")


def blank_reviews_note(missing_column: str | None) -> str:
    """BLANK_REVIEWS_NOTE, or, for an export with no MISSING_COLUMN for the review the 12
    months run from (Analysis.missing_review_column), why every month end is blank."""
    if missing_column is None:
        return BLANK_REVIEWS_NOTE
    return (
        "Reviews overdue and Reviewed % are blank for a month end the export cannot give "
        f"exactly: this export has no {missing_column} column, so no plan's review can be "
        "dated, and Reviews not known is how many plans had a review due then. If the export "
        "holds the review dates under another header, map it in the config file: "
        f'[columns] {missing_column} = "Your header".')


# How the due-month cohort differs from DfE's month-of-issue rate (docs/reports.md#trend): the
# one note under `trend`, the board's cohort chart and the workbook's Over time sheet.
COHORT_NOTE = (
    "By month due (the cohort): the requests in DfE's scope (no mediation or tribunal, no plan "
    "transferred in or assessed elsewhere) whose 20-week date fell in the month and that "
    "ended in a plan or are still open; on time = the plan issued by that date (your "
    "day-counting convention). DfE's rate counts each plan in the month it was issued, within "
    "20 weeks = issued no more than 140 days after the request. They differ in three ways: "
    "the month (a plan cleared from the backlog lowers DfE's rate in the month it is issued, "
    "an early plan counts a month sooner); a request still open past its date counts, late, "
    "in the cohort now and in DfE's rate only once issued; and a plan with no usable request "
    "date counts in DfE's plans but has no month due.")


def not_split_note(by_headers: tuple[str, ...] | list[str], clearance: bool) -> str:
    """Under the year-end sentence (and the backlog clearance: CLEARANCE) of `summary` or
    `trend` with --by: they are the whole export's, while the tables beside them are split."""
    what = ("The year-end forecast and the backlog clearance are"
            if clearance else "The year-end forecast is")
    return f"{what} for all the cases, not split by {', '.join(by_headers)}."
