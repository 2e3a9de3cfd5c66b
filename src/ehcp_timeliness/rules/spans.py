"""The days on which a case held a status, as spans [start, end) of dates (docs/reports.md#trend).

rules/status.py says what a case's status is on one as-of date A; these say, for every day
up to A at once, on which days it held it, by the same rules: a status held on day D is the
status with_status would give with D as the as-of date. `trend` counts each status at every
month end from these spans, with no per-month rerun of the analysis.

A span is a pair of date expressions: the first day the status holds and the first day it no
longer does (null: still held on A). A null start, or an end on or before the start, is an
empty span. Events dated after A had not happened on A, as in rules/status.py.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CEASE_DATE,
    LAST_REVIEW_DATE,
    PLAN_DUE_DATE,
    PLAN_START_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    TRANSFER_IN_DATE,
)
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules.status import (
    NO_PLAN_OUTCOMES,
    issue_date_as_of,
    known_by,
    transfer_in_months_after,
    twelve_months_after,
)

Span = tuple[pl.Expr, pl.Expr]
ONE_DAY = pl.duration(days=1)
# Open "52 weeks or more": summary's weeks_52_plus age band (summaries/open_work.py AGE_BANDS).
OPEN_52_WEEKS_DAYS = 52 * 7

# The dates a case's request records, in the order the process runs: the last one known by A
# is when a no-plan outcome without a date of its own is taken to have been decided.
REQUEST_DATES = (RECEIVED_DATE, REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME_DATE)


def issued_on(as_of: date) -> pl.Expr:
    """The day the final plan was issued, if by A (rules/status.py, from public columns)."""
    return issue_date_as_of(as_of)


def undated_closure(as_of: date) -> pl.Expr:
    """A no-plan outcome (N or W) with no date, on a case with no plan issued by A. With one
    as-of date the engine takes such an outcome as decided (rules/status.py decided_by); over
    time it has no day of its own, so the case counts as open until its last known date."""
    undated = pl.lit(False)
    for outcome, when in ((REQUEST_OUTCOME, REQUEST_OUTCOME_DATE),
                          (ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE)):
        undated = undated | (pl.col(outcome).is_in(NO_PLAN_OUTCOMES) & pl.col(when).is_null())
    return (undated & issued_on(as_of).is_null()).fill_null(False)


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


def open_until(as_of: date) -> pl.Expr:
    """The first day the request was no longer open: the plan's issue or the closure,
    whichever came first (with_status: an issued plan wins over a closure)."""
    return pl.min_horizontal(issued_on(as_of), closed_on(as_of))


def open_span(as_of: date) -> Span:
    """Open (overdue, due soon or in progress): received, no plan issued, not closed. A
    case with no 20-week date (no request date) is never open, as with_status says."""
    start = pl.when(pl.col(PLAN_DUE_DATE).is_not_null()).then(pl.col(RECEIVED_DATE))
    return start, open_until(as_of)


def overdue_span(as_of: date) -> Span:
    """Open past the 20-week date (plan_status overdue): from the day after plan_due_date;
    due that day is not overdue."""
    return pl.col(PLAN_DUE_DATE) + ONE_DAY, open_until(as_of)


def open_over_52_weeks_span(as_of: date) -> Span:
    """Open 52 weeks or more since the request (summary's weeks_52_plus band)."""
    start = pl.when(pl.col(PLAN_DUE_DATE).is_not_null()).then(
        pl.col(RECEIVED_DATE) + pl.duration(days=OPEN_52_WEEKS_DAYS))
    return start, open_until(as_of)


def review_clock_column(rules: RulesConfig) -> str:
    return LAST_REVIEW_DATE if rules.review_clock == "meeting" else REVIEW_DECISION_DATE


def first_made(as_of: date) -> pl.Expr:
    """The first day a plan existed: issued by A or started (made elsewhere) by A."""
    return pl.min_horizontal(issued_on(as_of), known_by(PLAN_START_DATE, as_of))


def in_force_span(as_of: date) -> Span:
    """A plan made and not ceased (review_status is not not_applicable)."""
    return first_made(as_of), pl.col(CEASE_DATE)


def _last_review(as_of: date, rules: RulesConfig) -> pl.Expr:
    return known_by(review_clock_column(rules), as_of)


def _without(span: Span, hole: Span) -> tuple[Span, Span]:
    """SPAN minus HOLE, as two spans (either may be empty); no hole: SPAN and an empty span."""
    (start, end), (gap_start, gap_end) = span, hole
    left = (start, pl.min_horizontal(end, gap_start))
    right = (pl.when(gap_start.is_not_null() & start.is_not_null())
             .then(pl.max_horizontal(start, gap_end)), end)
    return left, right


def review_overdue_spans(as_of: date, rules: RulesConfig) -> tuple[Span, ...]:
    """Overdue for annual review (review_status overdue), counted from the last review on.

    The plan's making is its issue, or before the issue its start (with_status's review
    clock: coalesce(issued, start)); so there are two stretches, each with its own clock
    max(made, last review) and its 12 months (CFA s44(1)). Overdue from the day after the
    12 months end, until the plan ceases; not while reg 15(5)(b)'s 3 months from a transfer
    in run (the later of the two dates is due)."""
    issued, start = issued_on(as_of), known_by(PLAN_START_DATE, as_of)
    last = _last_review(as_of, rules)
    cease = pl.col(CEASE_DATE)
    transfer = pl.col(TRANSFER_IN_DATE)
    hole = (transfer, transfer_in_months_after(transfer, rules) + ONE_DAY)
    spans: list[Span] = []
    for made, until in ((start, issued), (issued, pl.lit(None, dtype=pl.Date))):
        clock = pl.max_horizontal(made, last)
        overdue_from = pl.when(made.is_not_null()).then(
            twelve_months_after(clock, rules) + ONE_DAY)
        spans += _without((overdue_from, pl.min_horizontal(until, cease)), hole)
    return tuple(spans)


def review_due_once_span(as_of: date, rules: RulesConfig) -> Span:
    """In force for more than 12 months (a review has fallen due), counted from the last
    review on: the denominator of pct_reviewed_in_last_12_months."""
    made = first_made(as_of)
    start = pl.max_horizontal(twelve_months_after(made, rules) + ONE_DAY,
                              _last_review(as_of, rules))
    return pl.when(made.is_not_null()).then(start), pl.col(CEASE_DATE)


def reviewed_in_last_12_months_span(as_of: date, rules: RulesConfig) -> Span:
    """Of those, reviewed within the last 12 months: from the last review until its 12
    months run out (CFA s44(1))."""
    start, cease = review_due_once_span(as_of, rules)
    last = _last_review(as_of, rules)
    return (pl.when(last.is_not_null()).then(start),
            pl.min_horizontal(cease, twelve_months_after(last, rules) + ONE_DAY))
