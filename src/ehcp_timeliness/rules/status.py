"""Statuses as of a date A (rules.md §1 and §2). Events dated after A had not happened on A."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CEASE_DATE,
    DAYS_OVERDUE,
    EXCEPTION_APPLIES,
    LAST_REVIEW_DATE,
    NO_PLAN_OUTCOMES,
    PLAN_DUE_DATE,
    PLAN_ISSUED_DATE,
    PLAN_START_DATE,
    PLAN_STATUS,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    REVIEW_DUE_DATE,
    REVIEW_STATUS,
    TRANSFER_IN_DATE,
    WEEK20_EXCEPTION,
    WEEKS_TO_ISSUE,
    PlanStatus,
    ReviewStatus,
    status_type,
)
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules.day_table import day_tables, first_day_reaching, value_on_day
from ehcp_timeliness.rules.deadlines import days_between
from ehcp_timeliness.rules.reviews import TRANSFER_IN_REVIEW_MONTHS, months_beginning_with

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen, Then

# Internal columns with_status materialises first: later expressions read them many times, and
# would otherwise rebuild them inside every expression.
ISSUED = "__issued_as_of"
REVIEW_CLOCK = "__review_clock"
REVIEW_NOT_KNOWN = "__review_not_known"
ELSEWHERE_OUTCOMES = ("H", "S")  # transferred in / assessed by another authority (rules.md §5)


def status_literal(value: StrEnum) -> pl.Expr:
    """VALUE as a literal of its status column's type (columns.status_type)."""
    return pl.lit(value.value, dtype=status_type(type(value)))


def by_due_date(chain: Then | ChainedThen, due: pl.Expr, as_of: date, due_soon_days: int,
                overdue: StrEnum, due_soon: StrEnum, otherwise: StrEnum) -> pl.Expr:
    """CHAIN continued by the one reading of a due date every status shares: OVERDUE when
    A > due (a step due today is not yet overdue), DUE_SOON when due − A ≤ due_soon_days,
    else OTHERWISE. Compared with A and the last day due soon, so no day count per row."""
    soon = pl.lit(as_of + timedelta(days=due_soon_days))
    return (chain.when(due < pl.lit(as_of)).then(status_literal(overdue))
            .when(due <= soon).then(status_literal(due_soon))
            .otherwise(status_literal(otherwise)))


def issued_by_as_of() -> pl.Expr:
    """The plan's issue date if it was issued by A, else null: what the rules and summaries
    read (with_status keeps it in a working column of its own)."""
    return pl.col(ISSUED)


def known_by(column: str, as_of: date) -> pl.Expr:
    """The column's date if it had happened by A, else null."""
    return pl.when(pl.col(column) <= pl.lit(as_of)).then(pl.col(column))


def decided_by(outcome: str, outcome_date: str, as_of: date) -> pl.Expr:
    """A no-plan outcome that had been decided by A (undated outcomes are taken as decided)."""
    return pl.col(outcome).is_in(NO_PLAN_OUTCOMES) & (
        pl.col(outcome_date).is_null() | (pl.col(outcome_date) <= pl.lit(as_of)))


def assessed_elsewhere() -> pl.Expr:
    """A plan transferred in (H) or issued after another authority's assessment (S)."""
    return pl.col(ASSESSMENT_OUTCOME).is_in(ELSEWHERE_OUTCOMES).fill_null(False)


def exception_recorded() -> pl.Expr:
    """The export records a reg 10(4)/13(3) exception for the case (week20_exception, SEN2
    Week20); a blank cell records none."""
    return pl.col(WEEK20_EXCEPTION).fill_null(False)


def issue_date_as_of(as_of: date) -> pl.Expr:
    """The final plan's issue date, if issued by A. For H/S the plan began elsewhere: its start."""
    elsewhere = assessed_elsewhere()
    issued = (pl.when(elsewhere)
              .then(pl.coalesce(pl.col(PLAN_ISSUED_DATE), pl.col(PLAN_START_DATE)))
              .otherwise(pl.col(PLAN_ISSUED_DATE)))
    return pl.when(issued <= pl.lit(as_of)).then(issued)


def plan_status(as_of: date, due_soon_days: int) -> pl.Expr:
    """reg 13(2) status of the final plan against plan_due_date, as of A.

    A case due today is not yet overdue; due_soon when 0 ≤ due − A ≤ due_soon_days. No status
    (null) without a received date: only historical/transferred-in (H) rows get this far.
    """
    issued = pl.col(ISSUED)
    due = pl.col(PLAN_DUE_DATE)
    closed = (decided_by(REQUEST_OUTCOME, REQUEST_OUTCOME_DATE, as_of)
              | decided_by(ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE, as_of)).fill_null(False)
    return by_due_date(
        pl.when(due.is_null()).then(pl.lit(None, dtype=status_type(PlanStatus)))
        .when(issued.is_not_null() & (issued <= due))
        .then(status_literal(PlanStatus.ISSUED_ON_TIME))
        .when(issued.is_not_null()).then(status_literal(PlanStatus.ISSUED_LATE))
        .when(closed).then(status_literal(PlanStatus.CLOSED_NO_PLAN)),
        due, as_of, due_soon_days,
        PlanStatus.OVERDUE, PlanStatus.DUE_SOON, PlanStatus.IN_PROGRESS)


def weeks_to_issue() -> pl.Expr:
    """(issue − R) / 7 for plans issued by A; null otherwise. Two decimals."""
    days = days_between(pl.col(RECEIVED_DATE), pl.col(ISSUED))
    return (days / 7).round(2)


def days_overdue(as_of: date) -> pl.Expr:
    """Open and overdue: A − due. Issued late: issue − due. Otherwise null."""
    status = pl.col(PLAN_STATUS)
    due = pl.col(PLAN_DUE_DATE)
    return (
        pl.when(status == PlanStatus.OVERDUE).then(days_between(due, pl.lit(as_of)))
        .when(status == PlanStatus.ISSUED_LATE)
        .then(days_between(due, pl.col(ISSUED)))
        .cast(pl.Int64)
    )


def exception_applies() -> pl.Expr:
    """reg 13(3) applies reg 10(4)(a)-(d) to the 20-week limit: the authority "need not comply"
    where one of them made it impractical. The deadline and plan_status do not move (DfE
    reports both ways, rules.md §1); this says whether the export records such an exception
    (week20_exception, SEN2 Week20), so "late, excused" can be told from "late". Null for a
    case with no 20-week status (no request date).
    """
    return pl.when(pl.col(PLAN_STATUS).is_not_null()).then(exception_recorded())


def review_clock_date(as_of: date, rules: RulesConfig) -> pl.Expr:
    """CFA s44(1)(a)/(b): the date the 12 months run from: the later of the plan's making and
    the last review (meeting or decision, per `review_clock`). Null when no plan had been made
    by A, or when the plan had not yet transferred in (plan_here_by). Needs ISSUED.
    """
    made = pl.coalesce(pl.col(ISSUED), known_by(PLAN_START_DATE, as_of))
    last = known_by(review_clock_column(rules), as_of)
    return pl.when(made.is_not_null() & plan_here_by(as_of)).then(pl.max_horizontal(made, last))


def review_clock_column(rules: RulesConfig) -> str:
    """The recorded review the 12 months run from: the meeting or the decision."""
    return LAST_REVIEW_DATE if rules.review_clock == "meeting" else REVIEW_DECISION_DATE


def review_not_known(as_of: date, rules: RulesConfig, reviews_recorded: bool = True) -> pl.Expr:
    """Whether a plan's review status on A cannot be known from the export: a review had
    already fallen due by A (CFA 2014 s44(1)(a): the 12 months from the plan's first making
    ended before A) and the export cannot date the review that answers it. Either its one
    recorded review (review_clock_column) is dated after A: an export keeps only each plan's
    last review, so a review held in the 12 months to A may have been overwritten by the
    later one (docs/rules.md §2, worked example E77); with A at the extract date, only a
    review dated in the future does that. Or REVIEWS_RECORDED is False: the export has no
    column for that review at all (records_reviews), so a blank is no "no review held"
    (E83). The plan may have been reviewed on A, or overdue. Needs ISSUED. This is what
    rules/spans.py's review_not_known_span counts for a month end.
    """
    first_made = pl.min_horizontal(pl.col(ISSUED), known_by(PLAN_START_DATE, as_of))
    # The 12 months from a later day never end sooner, so they ended before A for exactly the
    # days before the first whose 12 months reach A: one comparison, no look-up per row.
    fallen_due = first_made < pl.lit(first_day_reaching(_review_tables(rules)[0], as_of))
    undated = (pl.col(review_clock_column(rules)) > pl.lit(as_of) if reviews_recorded
               else pl.lit(True))
    return (undated & fallen_due).fill_null(False)


def records_reviews(present: tuple[str, ...] | frozenset[str], rules: RulesConfig) -> bool:
    """Whether an export supplying the canonical columns PRESENT has the column the review
    clock reads (review_clock_column: the meeting, or the decision under review_clock =
    "decision"). A blank cell in that column records no review; without the column the
    export cannot say whether a review was held (CFA 2014 s44(1))."""
    return review_clock_column(rules) in present


def plan_here_by(as_of: date) -> pl.Expr:
    """reg 15(2)-(3): a plan transferred in is maintained by this authority from the day of
    the transfer; before it the old authority maintains it. So with a transfer_in_date after
    A the plan is not in force here on A, and no review of this authority's is due or overdue
    (reg 15(5) runs from the transfer). True with no transfer recorded."""
    return (pl.col(TRANSFER_IN_DATE) <= pl.lit(as_of)).fill_null(True)


def twelve_months_after(day: pl.Expr, rules: RulesConfig) -> pl.Expr:
    """CFA s44(1): the last day of the 12 months from DAY, read per `review_convention`."""
    return value_on_day(_review_tables(rules)[0], day)


def transfer_in_months_after(day: pl.Expr, rules: RulesConfig) -> pl.Expr:
    """reg 15(5)(b): the last day of the 3 months beginning with the transfer-in DAY, read as
    the configured 12 months are read."""
    return value_on_day(_review_tables(rules)[1], day)


def _review_tables(rules: RulesConfig) -> list[pl.Series]:
    """The 12 months from each calendar day and the 3 months beginning with it, made together
    (rules/day_table.py): the month arithmetic once a day, not once a row."""
    convention = rules.review_convention
    return day_tables({
        ("twelve_months", convention): lambda day: months_beginning_with(day, 12, convention),
        ("transfer_in_months", convention): lambda day: months_beginning_with(
            day, TRANSFER_IN_REVIEW_MONTHS, convention)})


def review_due_date(rules: RulesConfig, as_of: date) -> pl.Expr:
    """The 12 months from the review clock date (REVIEW_CLOCK; blank when no plan, or when it
    is not known: REVIEW_NOT_KNOWN); for a plan transferred in, reg 15(5): the later
    of that date (the transfer does not restart it: reg 15(3)(a) treats the plan as made when
    the old authority made it) and 3 months beginning with the transfer (known by A). Once a
    review on or after the transfer moves the clock, its 12 months end after those 3 months
    anyway, so "the later of the two" holds for every review, not only the first after it.
    """
    twelve = twelve_months_after(pl.col(REVIEW_CLOCK), rules)
    three = transfer_in_months_after(known_by(TRANSFER_IN_DATE, as_of), rules)
    return (pl.when(pl.col(REVIEW_NOT_KNOWN)).then(pl.lit(None, dtype=pl.Date))
            .when(twelve.is_not_null() & three.is_not_null())
            .then(pl.max_horizontal(twelve, three)).otherwise(twelve))


def review_status(as_of: date, due_soon_days: int) -> pl.Expr:
    """overdue (A > due), due_soon (0 ≤ due − A ≤ due_soon_days), not_due; not_applicable when
    there is no plan or it had ceased by A; not_known when the export cannot say
    (REVIEW_NOT_KNOWN).
    """
    due = pl.col(REVIEW_DUE_DATE)
    ceased = (pl.col(CEASE_DATE) <= pl.lit(as_of)).fill_null(False)
    return by_due_date(
        pl.when(pl.col(REVIEW_CLOCK).is_null() | ceased)
        .then(status_literal(ReviewStatus.NOT_APPLICABLE))
        .when(pl.col(REVIEW_NOT_KNOWN)).then(status_literal(ReviewStatus.NOT_KNOWN))
        .when(due.is_null()).then(status_literal(ReviewStatus.NOT_APPLICABLE)),
        due, as_of, due_soon_days,
        ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON, ReviewStatus.NOT_DUE)


def with_status(frame: pl.LazyFrame | pl.DataFrame, as_of: date, rules: RulesConfig,
                reviews_recorded: bool = True) -> pl.LazyFrame | pl.DataFrame:
    """Add plan_status, weeks_to_issue, days_overdue, review_due_date, review_status.

    Needs plan_due_date (with_deadlines) first. REVIEWS_RECORDED: the export has the review
    clock's column (records_reviews); without it a review that had fallen due is not known.
    """
    soon = rules.due_soon_days
    return (
        frame.with_columns(issue_date_as_of(as_of).alias(ISSUED))
        .with_columns(review_clock_date(as_of, rules).alias(REVIEW_CLOCK),
                      review_not_known(as_of, rules, reviews_recorded)
                      .alias(REVIEW_NOT_KNOWN))
        .with_columns(
            plan_status(as_of, soon).alias(PLAN_STATUS),
            weeks_to_issue().alias(WEEKS_TO_ISSUE),
            review_due_date(rules, as_of).alias(REVIEW_DUE_DATE),
        )
        .with_columns(
            days_overdue(as_of).alias(DAYS_OVERDUE),
            review_status(as_of, soon).alias(REVIEW_STATUS),
            exception_applies().alias(EXCEPTION_APPLIES),
        )
    )
