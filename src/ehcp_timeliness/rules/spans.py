"""The days on which a case held a status, as spans [start, end) of dates (docs/reports.md#trend).

rules/status.py says what a case's status is on one as-of date A; these say, for every day
up to A at once, on which days it held it, by the same rules: a status held on day D is the
status with_status would give with D as the as-of date. `trend` counts each status at every
month end from these spans, with no per-month rerun of the analysis.

A span is a pair of date expressions: the first day the status holds and the first day it no
longer does (null: still held on A). A null start, or an end on or before the start, is an
empty span. Events dated after A had not happened on A, as in rules/status.py.

with_span_dates adds the dates the spans share (the issue, the closure, the review clocks)
as columns first, each worked out once per case: the spans read them many times, and would
otherwise rebuild them inside every span.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CEASE_DATE,
    NO_PLAN_OUTCOMES,
    PLAN_DUE_DATE,
    PLAN_START_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    TRANSFER_IN_DATE,
)
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules.deadlines import days_after
from ehcp_timeliness.rules.status import (
    issue_date_as_of,
    known_by,
    review_clock_column,
    transfer_in_months_after,
    twelve_months_after,
)

Span = tuple[pl.Expr, pl.Expr]


# Open "52 weeks or more": summary's weeks_52_plus age band (summaries/open_work.py AGE_BANDS).
OPEN_52_WEEKS_DAYS = 52 * 7

# The dates a case's request records, in the order the process runs: the last one known by A
# is when a no-plan outcome without a date of its own is taken to have been decided.
REQUEST_DATES = (RECEIVED_DATE, REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME_DATE)


# The dates with_span_dates adds (working columns, never written out).
ISSUED_ON = "__span_issued"
CLOSED_ON = "__span_closed"
OPEN_UNTIL = "__span_open_until"
STARTED = "__span_started"
FIRST_MADE = "__span_first_made"
LAST_REVIEW = "__span_last_review"
TWELVE_FROM_START = "__span_twelve_from_start"
TWELVE_FROM_ISSUE = "__span_twelve_from_issue"
TWELVE_FROM_FIRST = "__span_twelve_from_first"
TWELVE_FROM_REVIEW = "__span_twelve_from_review"
TRANSFER_MONTHS_END = "__span_transfer_months_end"


def undated_closure(as_of: date) -> pl.Expr:
    """A no-plan outcome (N or W) with no date, on a case with no plan issued by A. With one
    as-of date the engine takes such an outcome as decided (rules/status.py decided_by); over
    time it has no day of its own, so the case counts as open until its last known date."""
    undated = pl.lit(False)
    for outcome, when in ((REQUEST_OUTCOME, REQUEST_OUTCOME_DATE),
                          (ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE)):
        undated = undated | (pl.col(outcome).is_in(NO_PLAN_OUTCOMES) & pl.col(when).is_null())
    return (undated & issue_date_as_of(as_of).is_null()).fill_null(False)


def closed_on(as_of: date) -> pl.Expr:
    """The first day the request stood closed without a plan (reg 5 refusal to assess, reg 10
    decision not to issue, or withdrawal): the earliest no-plan outcome dated by A; an undated
    one counts from the last request date known by A (undated_closure). Null: never closed."""
    last_known = pl.max_horizontal(*(known_by(c, as_of) for c in REQUEST_DATES))
    days = []
    for outcome, when in ((REQUEST_OUTCOME, REQUEST_OUTCOME_DATE),
                          (ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE)):
        no_plan = pl.col(outcome).is_in(NO_PLAN_OUTCOMES).fill_null(False)
        days.append(pl.when(no_plan).then(pl.coalesce(known_by(when, as_of),
                                                      pl.when(pl.col(when).is_null())
                                                      .then(last_known))))
    return pl.min_horizontal(*days)


def with_span_dates(frame: pl.LazyFrame, as_of: date, rules: RulesConfig,
                    reviews_recorded: bool = True) -> pl.LazyFrame:
    """Add the dates above. The plan's making is its issue, or before the issue its start (made
    elsewhere; with_status's review clock: coalesce(issued, start)); an export keeps only the
    last review (the clock column: meeting or decision, per `review_clock`), taken as recorded
    even when it is after A: no span it starts is counted by A, and before it the review
    status is not known (review_not_known_span), as on A itself (status.review_not_known).
    REVIEWS_RECORDED False (the export has no such column, status.records_reviews): no review
    can be dated by A, which these spans read as a last review the day after A, so every day
    a review had fallen due is not known, as status.review_not_known says on A (CFA 2014
    s44(1))."""
    issued, started, last = pl.col(ISSUED_ON), pl.col(STARTED), pl.col(LAST_REVIEW)
    recorded = (pl.col(review_clock_column(rules)) if reviews_recorded
                else pl.lit(as_of + timedelta(days=1), dtype=pl.Date))
    return (
        frame.with_columns(issue_date_as_of(as_of).alias(ISSUED_ON),
                           closed_on(as_of).alias(CLOSED_ON),
                           known_by(PLAN_START_DATE, as_of).alias(STARTED),
                           recorded.alias(LAST_REVIEW))
        .with_columns(
            # with_status: an issued plan wins over a closure.
            pl.min_horizontal(issued, pl.col(CLOSED_ON)).alias(OPEN_UNTIL),
            pl.min_horizontal(issued, started).alias(FIRST_MADE),
            twelve_months_after(pl.max_horizontal(started, last), rules)
            .alias(TWELVE_FROM_START),
            twelve_months_after(pl.max_horizontal(issued, last), rules)
            .alias(TWELVE_FROM_ISSUE),
            twelve_months_after(last, rules).alias(TWELVE_FROM_REVIEW),
            transfer_in_months_after(pl.col(TRANSFER_IN_DATE), rules)
            .alias(TRANSFER_MONTHS_END))
        .with_columns(twelve_months_after(pl.col(FIRST_MADE), rules).alias(TWELVE_FROM_FIRST))
    )


def open_span() -> Span:
    """Open (overdue, due soon or in progress): received, no plan issued, not closed. A
    case with no 20-week date (no request date) is never open, as with_status says."""
    start = pl.when(pl.col(PLAN_DUE_DATE).is_not_null()).then(pl.col(RECEIVED_DATE))
    return start, pl.col(OPEN_UNTIL)


def overdue_span() -> Span:
    """Open past the 20-week date (plan_status overdue): from the day after plan_due_date;
    due that day is not overdue."""
    return days_after(pl.col(PLAN_DUE_DATE), 1), pl.col(OPEN_UNTIL)


def open_over_52_weeks_span() -> Span:
    """Open 52 weeks or more since the request (summary's weeks_52_plus band)."""
    start = pl.when(pl.col(PLAN_DUE_DATE).is_not_null()).then(
        days_after(pl.col(RECEIVED_DATE), OPEN_52_WEEKS_DAYS))
    return start, pl.col(OPEN_UNTIL)


def in_force_span() -> Span:
    """A plan made (issued, or started elsewhere) and not ceased: review_status is not
    not_applicable. A plan transferred in is in force here from the transfer (reg 15(2)-(3),
    rules/status.py plan_here_by), whenever the old authority made it."""
    made = pl.col(FIRST_MADE)
    start = pl.when(made.is_not_null()).then(pl.max_horizontal(made, pl.col(TRANSFER_IN_DATE)))
    return start, pl.col(CEASE_DATE)


def review_overdue_spans() -> tuple[Span, ...]:
    """Overdue for annual review (review_status overdue), counted from the last review on:
    before it, the earlier reviews are not in the export, so the status is not known.

    Two stretches, before the issue (made = the start) and after it (made = the issue), each
    with its clock max(made, last review) and its 12 months (CFA s44(1)); every day after
    those end is overdue until the plan ceases. For a plan transferred in, no day before the
    end of reg 15(5)(b)'s 3 months from the transfer: before the transfer the plan is not
    this authority's, and after it the later of the two dates is due. The clock is at or
    after the last review, so its 12 months end after it: no span starts before the last
    review."""
    cease = pl.col(CEASE_DATE)
    transfer_due_end = days_after(pl.col(TRANSFER_MONTHS_END), 1)  # null: no transfer
    spans: list[Span] = []
    for made, twelve, until in (
            (pl.col(STARTED), TWELVE_FROM_START, pl.col(ISSUED_ON)),
            (pl.col(ISSUED_ON), TWELVE_FROM_ISSUE, pl.lit(None, dtype=pl.Date))):
        overdue_from = pl.when(made.is_not_null()).then(
            pl.max_horizontal(days_after(pl.col(twelve), 1), transfer_due_end))
        spans.append((overdue_from, pl.min_horizontal(until, cease)))
    return tuple(spans)


def review_due_once_span() -> Span:
    """In force for more than 12 months (a review has fallen due), counted from the last
    review on and, for a plan transferred in, from the transfer: with review_not_known_span,
    the denominator of pct_reviewed_in_last_12_months."""
    start = pl.max_horizontal(days_after(pl.col(TWELVE_FROM_FIRST), 1), pl.col(LAST_REVIEW),
                              pl.col(TRANSFER_IN_DATE))
    return pl.when(pl.col(FIRST_MADE).is_not_null()).then(start), pl.col(CEASE_DATE)


def reviewed_in_last_12_months_span() -> Span:
    """Of those, reviewed within the last 12 months: from the last review until its 12
    months run out (CFA s44(1))."""
    start, cease = review_due_once_span()
    return (pl.when(pl.col(LAST_REVIEW).is_not_null()).then(start),
            pl.min_horizontal(cease, days_after(pl.col(TWELVE_FROM_REVIEW), 1)))


def review_not_known_span() -> Span:
    """In force for more than 12 months (a review has fallen due) and before the last recorded
    review: the export holds only that review, so whether the plan was reviewed, or overdue,
    on these days is not known. Counted beside the review columns, whose figures for a day
    with any such plan are lower bounds (docs/reports.md#trend). A plan transferred in is not
    this authority's before the transfer (in_force_span), so nothing is unknown before it."""
    start = pl.when(pl.col(FIRST_MADE).is_not_null() & pl.col(LAST_REVIEW).is_not_null()) \
        .then(pl.max_horizontal(days_after(pl.col(TWELVE_FROM_FIRST), 1),
                                pl.col(TRANSFER_IN_DATE)))
    return start, pl.min_horizontal(pl.col(LAST_REVIEW), pl.col(CEASE_DATE))
