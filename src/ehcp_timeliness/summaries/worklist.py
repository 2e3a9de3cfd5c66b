"""The worklist: open work whose next statutory step is overdue or due within N days.

Kinds of work, one row each: a request without a final plan (its next step is the decision
whether to assess while that is outstanding, then the final plan), a plan whose annual review
is coming up or late, and when the export records them, a review decision, an amended plan or
a phase transfer still to do. Most urgent first: the earliest due date, so the longest overdue
tops the list.

"Due within N days" is judged by `act_by_date`, the last working day by the statutory date
(rules.md §4): a date on a weekend or bank holiday has to be met by the working day before it.
The statutory date itself (`step_due_date`) never moves, and a step is overdue only after it.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    AMENDED_PLAN_DUE_DATE,
    AMENDED_PLAN_STATUS,
    CASE_ID,
    DECISION_DUE_DATE,
    EXCEPTION_APPLIES,
    OPEN_PLAN_STATUSES,
    OPEN_STEP_STATUSES,
    OUTCOME_CODES,
    PERSON_ID,
    PHASE_TRANSFER_DUE_DATE,
    PHASE_TRANSFER_STATUS,
    PLAN_DUE_DATE,
    PLAN_STATUS,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DUE_DATE,
    REVIEW_DECISION_STATUS,
    REVIEW_DUE_DATE,
    REVIEW_STATUS,
    ROW,
    ReviewStatus,
    last_working_day_name,
)
from ehcp_timeliness.summaries.grouping import group_values

NEW_PLAN = "new plan"
ANNUAL_REVIEW = "annual review"
# Each step and the law that sets its date, in a column of its own ("law").
STEP_DECISION = "decide whether to assess"
LAW_DECISION = "SEND Regs 2014 reg 5(1)"
STEP_FINAL_PLAN = "issue the final EHC plan"
LAW_FINAL_PLAN = "SEND Regs 2014 reg 13(2)"
STEP_REVIEW = "review the plan"
LAW_REVIEW = "CFA 2014 s44(1)"
PHASE_TRANSFER = "phase transfer"
# Steps after the review meeting and before a phase transfer: (work, step, law, status, due).
REVIEW_PROCESS_STEPS = (
    (ANNUAL_REVIEW, "notify the review decision", "SEND Regs 2014 reg 20(10)",
     REVIEW_DECISION_STATUS, REVIEW_DECISION_DUE_DATE),
    (ANNUAL_REVIEW, "issue the amended plan", "SEND Regs 2014 reg 22(3)", AMENDED_PLAN_STATUS,
     AMENDED_PLAN_DUE_DATE),
    (PHASE_TRANSFER, "review and amend before the transfer", "SEND Regs 2014 reg 18(1)",
     PHASE_TRANSFER_STATUS, PHASE_TRANSFER_DUE_DATE),
)
OVERDUE = "overdue"
DUE = "due"

WORKLIST_COLUMNS: tuple[str, ...] = (
    CASE_ID, PERSON_ID, "work", "next_step", "law", "step_due_date", "act_by_date", "days_left",
    "lateness", "urgency", RECEIVED_DATE, PLAN_DUE_DATE, EXCEPTION_APPLIES,
)


def lateness(days_left: pl.Expr) -> pl.Expr:
    """The one wording of how late or how near a step is, in every output: `537 days
    overdue`, `due today`, `due in 5 days` (1 day, 1 day overdue)."""
    days = days_left.abs()
    thousands = (days // 1000).cast(pl.String) + pl.lit(",") \
        + (days % 1000).cast(pl.String).str.zfill(3)
    count = pl.when(days >= 1000).then(thousands).otherwise(days.cast(pl.String)) + pl.when(
        days == 1).then(pl.lit(" day")).otherwise(pl.lit(" days"))
    return (pl.when(days_left < 0).then(count + pl.lit(" overdue"))
            .when(days_left == 0).then(pl.lit("due today"))
            .otherwise(pl.lit("due in ") + count))
_DECIDED = tuple(code for code in OUTCOME_CODES if code != "A")  # A: awaiting


def _act_by(due: str) -> pl.Expr:
    return pl.col(last_working_day_name(due))


def worklist(cases: pl.DataFrame, as_of: date, within: int, by: list[str],
             knows_decisions: bool, review_steps: tuple[str, ...] = (),
             show: list[str] | None = None) -> pl.DataFrame:
    """Open work due within `within` days of A (by its act-by date) or overdue, most urgent
    first across the `by` groups, which are its first columns (in_groups orders it by them).

    `knows_decisions`: the export has a request-outcome column. Without one a blank outcome
    means "not recorded", not "awaiting", so the next step shown is the final plan.
    `review_steps`: the status columns of REVIEW_PROCESS_STEPS whose inputs the export has
    (without a review-decision column, every meeting would look undecided).
    `show`: context columns (a setting, a caseworker) put after the list's own.
    """
    by = [c for c in by if c not in WORKLIST_COLUMNS]  # already columns of the list
    shown = [c for c in show or [] if c not in WORKLIST_COLUMNS and c not in by]
    # reg 5(1): no decision whether to assess had been made by A (blank or A = awaiting).
    decided = pl.col(REQUEST_OUTCOME).is_in(_DECIDED).fill_null(False) & (
        pl.col(REQUEST_OUTCOME_DATE).is_null() | (pl.col(REQUEST_OUTCOME_DATE) <= pl.lit(as_of)))
    deciding = ~decided if knows_decisions else pl.lit(False)
    # One lazy query: the open work of each kind, stacked, is filtered to what is due before
    # its lateness is written and the steps are materialised once.
    frame = cases.lazy()
    common = [pl.col(CASE_ID), pl.col(PERSON_ID), *group_values(by), *group_values(shown),
              pl.col(RECEIVED_DATE), pl.col(ROW)]
    plans = frame.filter(pl.col(PLAN_STATUS).is_in(OPEN_PLAN_STATUSES)).select(
        *common,
        pl.lit(NEW_PLAN).alias("work"),
        pl.when(deciding).then(pl.lit(STEP_DECISION)).otherwise(pl.lit(STEP_FINAL_PLAN))
        .alias("next_step"),
        pl.when(deciding).then(pl.lit(LAW_DECISION)).otherwise(pl.lit(LAW_FINAL_PLAN))
        .alias("law"),
        pl.when(deciding).then(pl.col(DECISION_DUE_DATE)).otherwise(pl.col(PLAN_DUE_DATE))
        .alias("step_due_date"),
        pl.when(deciding).then(_act_by(DECISION_DUE_DATE)).otherwise(_act_by(PLAN_DUE_DATE))
        .alias("act_by_date"),
        pl.col(PLAN_DUE_DATE),
        # reg 13(3): an open request past its date with a reg 10(4) exception is excused, not
        # on time; the list keeps it (the deadline does not move) and says so.
        pl.col(EXCEPTION_APPLIES),
    )
    # The plan's review and the later steps: (work, step, law, status, open statuses, due).
    reviews = (ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON, ReviewStatus.NOT_DUE)
    later = [(ANNUAL_REVIEW, STEP_REVIEW, LAW_REVIEW, REVIEW_STATUS, reviews, REVIEW_DUE_DATE),
             *((work, step, law, status, OPEN_STEP_STATUSES, due)
               for work, step, law, status, due in REVIEW_PROCESS_STEPS if status in review_steps)]
    # The 20-week date of a plan issued long ago would only distract from the review, and
    # the exception belongs to the 20-week process: reviews and later steps have neither.
    steps = [frame.filter(pl.col(status).is_in(statuses)).select(
        *common, pl.lit(work).alias("work"), pl.lit(step).alias("next_step"),
        pl.lit(law).alias("law"),
        pl.col(due).alias("step_due_date"), _act_by(due).alias("act_by_date"),
        pl.lit(None, dtype=pl.Date).alias(PLAN_DUE_DATE),
        pl.lit(None, dtype=pl.Boolean).alias(EXCEPTION_APPLIES),
    ) for work, step, law, status, statuses, due in later]
    days_left = (pl.col("step_due_date") - pl.lit(as_of)).dt.total_days()
    act_in = (pl.col("act_by_date") - pl.lit(as_of)).dt.total_days()
    return (
        pl.concat([plans, *steps])
        .with_columns(days_left.alias("days_left"))
        .with_columns(lateness(pl.col("days_left")).alias("lateness"))
        .filter(act_in <= within)
        # Due today is not yet overdue (rules.md §1): days_left 0 is "due".
        .with_columns(pl.when(pl.col("days_left") < 0).then(pl.lit(OVERDUE))
                      .otherwise(pl.lit(DUE)).alias("urgency"))
        .sort("step_due_date", "work", CASE_ID, ROW, nulls_last=True)
        .select(*by, *WORKLIST_COLUMNS, *shown)
        .collect(engine="in-memory")
    )


def in_groups(rows: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """A worklist (in urgency order across groups) put most urgent first within each --by
    group: a stable sort by the groups, so one list serves both
    the board's most urgent few and its grouped list."""
    keys = [c for c in by if c not in WORKLIST_COLUMNS]  # as worklist: already columns
    return rows.sort(keys, maintain_order=True) if keys else rows
