"""After the annual review meeting, phase transfers, under-5s and the working-day view of every
due date (rules.md §2, §4; worked examples E07, E08, E21–E29, E41): one stage,
`with_review_process`, run after with_status.

Pure expressions: the as-of date, the configuration and the bank holidays are passed in. As in
status.py, an event dated after the as-of date A had not happened on A. Dates that belong to an
earlier review (a decision or amendment dated before the last meeting) are not counted against
the last one. Our readings are marked as such and listed in docs/rules.md §7.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    AMENDED_PLAN_DATE,
    AMENDED_PLAN_DUE_DATE,
    AMENDED_PLAN_STATUS,
    AMENDMENT_NOTICE_DATE,
    AMENDMENT_NOTICE_DUE_DATE,
    AMENDMENT_NOTICE_STATUS,
    CEASE_DATE,
    DATE_OF_BIRTH,
    DUE_DATE_COLUMNS,
    LAST_REVIEW_DATE,
    OPEN_STEP_STATUSES,
    PHASE_TRANSFER_DUE_DATE,
    PHASE_TRANSFER_STATUS,
    PLAN_START_DATE,
    REVIEW_DECISION_DATE,
    REVIEW_DECISION_DUE_DATE,
    REVIEW_DECISION_STATUS,
    UNDER_5_REVIEW_GUIDE,
    UNDER_5_REVIEW_GUIDE_DATE,
    StepStatus,
    TransferKind,
    Under5Guide,
    last_working_day_name,
    on_non_working_day_name,
)
from ehcp_timeliness.config import Config
from ehcp_timeliness.rules.phase_transfer import latest_review_meeting, phase_transfer_due_date
from ehcp_timeliness.rules.reviews import (
    amended_plan_due_date,
    amendment_notice_due_date,
    review_decision_due_date,
    under_five_review_guide_date,
)
from ehcp_timeliness.rules.status import (
    ISSUED,
    REVIEW_CLOCK,
    by_due_date,
    known_by,
    status_literal,
)
from ehcp_timeliness.rules.working_days import last_working_day_by, on_non_working_day
from ehcp_timeliness.schema.normalise import TRANSFER_KIND_READ, TRANSFER_YEAR_READ

# Internal columns, materialised once because several statuses read them.
MEETING = "__meeting"            # last review meeting, if held by A
DECIDED = "__review_decided"     # review decision on or after that meeting, by A
NOTICE = "__amendment_notice"    # amendment notice of the latest review (or no meeting), by A
AMENDED = "__amended"            # amended plan issued after that notice / meeting, by A
TRANSFER_KIND = "__transfer_kind"
TRANSFER_REVIEWED = "__transfer_reviewed"  # a review meeting counted for the transfer
TRANSFER_DONE = "__transfer_done"  # the day the transfer review and amendment were complete

SEPTEMBER = 9                        # transfers happen at the start of the school year
MAX_UNDER_5_YEARS = 5                # CoP 9.178: children under 5


def _after_meeting(column: str, as_of: date) -> pl.Expr:
    """The column's date if known by A and not before the last meeting (else it belongs to an
    earlier review). Without a recorded meeting, any known date counts.
    """
    day = known_by(column, as_of)
    meeting = pl.col(MEETING)
    return pl.when(meeting.is_null() | (day >= meeting)).then(day)


def _timed(done: pl.Expr, due: pl.Expr, as_of: date, due_soon_days: int) -> pl.Expr:
    """on_time / late when done; otherwise overdue (A > due), due_soon, pending."""
    return by_due_date(
        pl.when(done.is_not_null() & (done <= due)).then(status_literal(StepStatus.ON_TIME))
        .when(done.is_not_null()).then(status_literal(StepStatus.LATE)),
        due, as_of, due_soon_days, StepStatus.OVERDUE, StepStatus.DUE_SOON, StepStatus.PENDING)


def _ceased(as_of: date) -> pl.Expr:
    return (pl.col(CEASE_DATE) <= pl.lit(as_of)).fill_null(False)


def _no_plan() -> pl.Expr:
    return pl.col(REVIEW_CLOCK).is_null()


def review_decision_status(as_of: date, due_soon_days: int) -> pl.Expr:
    """reg 20(10): the decision to maintain, amend or cease within 4 weeks of the meeting.

    not_applicable: no plan or no meeting by A, or (our reading) the plan had ceased by A with
    no decision recorded: ceasing ends the review.
    """
    due = pl.col(REVIEW_DECISION_DUE_DATE)
    decided = pl.col(DECIDED)
    return (pl.when(_no_plan() | pl.col(MEETING).is_null()
                    | (decided.is_null() & _ceased(as_of)))
            .then(status_literal(StepStatus.NOT_APPLICABLE))
            .otherwise(_timed(decided, due, as_of, due_soon_days)))


def amendment_notice_status(as_of: date, due_soon_days: int) -> pl.Expr:
    """Devon: the notice of proposed amendments within 4 weeks of the review meeting, a step of
    its own, so a late notice shows here instead of moving the amended plan's deadline.

    Judged only when a notice after the meeting is recorded (on_time or late): without one the
    export cannot tell a review that kept the plan as it was from a notice nobody recorded,
    so not_applicable (our reading), as for the amended plan. not_applicable too with no plan
    or no meeting by A: the 4-week limit counts from a meeting the export does not hold
    (warning `amendment-notice-without-meeting`).
    """
    notice = pl.col(NOTICE)
    return (pl.when(_no_plan() | pl.col(MEETING).is_null() | notice.is_null())
            .then(status_literal(StepStatus.NOT_APPLICABLE))
            .otherwise(_timed(notice, pl.col(AMENDMENT_NOTICE_DUE_DATE), as_of, due_soon_days)))


def amended_plan_status(as_of: date, due_soon_days: int) -> pl.Expr:
    """The amended final plan by the earlier of notice + 8 weeks (reg 22(3)) and meeting +
    12 weeks (Devon): reviews.amended_plan_due_date, the one date the worklist and the
    phase-transfer at-risk flag read too.

    An amendment is under way once a notice is recorded, or done once an amended plan is.
    Without either the review may have kept the plan as it was, which the export cannot tell
    from an amendment nobody recorded: not_applicable (our reading).
    """
    amended, notice = pl.col(AMENDED), pl.col(NOTICE)
    return (pl.when(_no_plan() | pl.col(AMENDED_PLAN_DUE_DATE).is_null()
                    | (amended.is_null() & (notice.is_null() | _ceased(as_of))))
            .then(status_literal(StepStatus.NOT_APPLICABLE))
            .otherwise(_timed(amended, pl.col(AMENDED_PLAN_DUE_DATE), as_of, due_soon_days)))


def transfer_kind(year: pl.Expr) -> pl.Expr:
    """school_phase or post_16 from the kind column. Blank or unrecognised (our reading): a
    young person 16 by 31 August of the transfer year is moving to post-16, anyone else
    between school phases; with no date of birth, school_phase, the earlier deadline.
    """
    sixteen_by = pl.date(year - 16, 8, 31)
    return pl.coalesce(
        pl.col(TRANSFER_KIND_READ),
        pl.when(pl.col(DATE_OF_BIRTH) <= sixteen_by).then(pl.lit(TransferKind.POST_16))
        .otherwise(pl.lit(TransferKind.SCHOOL_PHASE)))


def transfer_due_date(config: Config) -> pl.Expr:
    """reg 18(1)(b) before 15 February (school phases), 18(1)(a) before 31 March (post-16) of
    the calendar year of transfer; strict or lenient reading by configuration (E24, E26).
    """
    return phase_transfer_due_date(pl.col(TRANSFER_YEAR_READ), pl.col(TRANSFER_KIND),
                                   config.review_process.phase_transfer_reading)


def transfer_day() -> pl.Expr:
    """The transfer: 1 September of the transfer year."""
    return pl.date(pl.col(PHASE_TRANSFER_DUE_DATE).dt.year(), SEPTEMBER, 1)


def transfer_review_window_start(config: Config) -> pl.Expr:
    """reg 18(1) applies once a child "is within 12 months of a transfer": only a review held
    in the 12 months (review_process.phase_transfer_window_months) before the transfer day can
    be the transfer review. An earlier one, such as the year 5 review in the spring before, is
    the previous annual review: with 12, the window opens on 1 September of the year before.
    """
    months = config.review_process.phase_transfer_window_months
    return transfer_day().dt.offset_by(f"-{months}mo")


def transfer_reviewed(config: Config) -> pl.Expr:
    """The last meeting (by A) was the transfer review: in the window, before the transfer."""
    meeting = pl.col(MEETING)
    return ((meeting >= transfer_review_window_start(config)) & (meeting < transfer_day())) \
        .fill_null(False)


def transfer_done() -> pl.Expr:
    """When reg 18's "review and amend" was complete: the amended plan's issue, or with no
    amendment under way, the review decision. Null while incomplete or with no review counted.
    """
    return (pl.when(pl.col(TRANSFER_REVIEWED))
            .then(pl.when(pl.col(AMENDED).is_not_null()).then(pl.col(AMENDED))
                  .when(pl.col(NOTICE).is_null()).then(pl.col(DECIDED))))


def phase_transfer_status(as_of: date, due_soon_days: int) -> pl.Expr:
    """reg 18(1) status. not_applicable: no transfer year, no plan by A or ceased by A; a plan
    made after the deadline (it was written for the new phase); or (our reading) a last meeting
    on or after the transfer day: the export no longer holds the transfer's review.
    """
    due = pl.col(PHASE_TRANSFER_DUE_DATE)
    made = pl.coalesce(pl.col(ISSUED), known_by(PLAN_START_DATE, as_of))
    return (pl.when(due.is_null() | _no_plan() | _ceased(as_of) | (made > due).fill_null(False)
                    | (pl.col(MEETING) >= transfer_day()).fill_null(False))
            .then(status_literal(StepStatus.NOT_APPLICABLE))
            .otherwise(_timed(pl.col(TRANSFER_DONE), due, as_of, due_soon_days)))


# What the stage knows of a plan's phase transfer, as named expressions: summaries count these
# and never read the stage's working columns by name.
def transfer_kind_read() -> pl.Expr:
    """school_phase or post_16 (TransferKind), from the export's kind or the transfer year."""
    return pl.col(TRANSFER_KIND)


def transfer_review_held() -> pl.Expr:
    """A review meeting counted for the transfer has been held (reg 18(1))."""
    return pl.col(TRANSFER_REVIEWED)


def transfer_amended() -> pl.Expr:
    """That review held and the amended plan issued after it, by A."""
    return pl.col(TRANSFER_REVIEWED) & pl.col(AMENDED).is_not_null()


def transfer_complete() -> pl.Expr:
    """The transfer review and any amendment complete, by A."""
    return pl.col(TRANSFER_DONE).is_not_null()


def transfer_at_risk(as_of: date) -> pl.Expr:
    """Open and the usual 12-week chain can no longer end by the deadline: past it already,
    the amended plan due after the review's meeting falls after it, or no review has been held
    and the latest meeting day for the chain (E25: deadline − 84 days) has passed.
    """
    open_ = pl.col(PHASE_TRANSFER_STATUS).is_in(OPEN_STEP_STATUSES)
    deadline = pl.col(PHASE_TRANSFER_DUE_DATE)
    too_late = (pl.when(pl.col(TRANSFER_REVIEWED)).then(pl.col(AMENDED_PLAN_DUE_DATE) > deadline)
                .otherwise(pl.lit(as_of) > latest_review_meeting(deadline)))
    return open_ & ((pl.col(PHASE_TRANSFER_STATUS) == StepStatus.OVERDUE) | too_late)


def years_before(day: date, years: int) -> date:
    """The same date YEARS earlier; 29 February gives 28 February. A child born after it is
    under YEARS on DAY (born 29 February: a birthday on 1 March in other years, as in UK law).
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def under_5_guide_date(as_of: date, config: Config) -> pl.Expr:
    """CoP 9.178: for a child under 5 on A, consider a review every 3–6 months from the later
    of the plan's making and the last review (E29). Null for anyone else.
    """
    dob = pl.col(DATE_OF_BIRTH)
    under_5 = (dob <= pl.lit(as_of)) & (dob > pl.lit(years_before(as_of, MAX_UNDER_5_YEARS)))
    return (pl.when(under_5 & ~_ceased(as_of))
            .then(under_five_review_guide_date(pl.col(REVIEW_CLOCK),
                                               config.review_process.under_5_review_months)))


def under_5_guide(as_of: date) -> pl.Expr:
    """Guidance, never a breach: consider_review once the guide date is reached, else not_yet."""
    guide = pl.col(UNDER_5_REVIEW_GUIDE_DATE)
    return (pl.when(guide.is_null()).then(status_literal(Under5Guide.NOT_APPLICABLE))
            .when(guide <= pl.lit(as_of)).then(status_literal(Under5Guide.CONSIDER_REVIEW))
            .otherwise(status_literal(Under5Guide.NOT_YET)))


def working_day_columns(bank_holidays: Sequence[date]) -> list[pl.Expr]:
    """rules.md §4: flag each due date on a weekend or bank holiday and give the last working
    day by it. The deadline itself never moves.
    """
    return [expr for due in DUE_DATE_COLUMNS for expr in (
        on_non_working_day(pl.col(due), bank_holidays).alias(on_non_working_day_name(due)),
        last_working_day_by(pl.col(due), bank_holidays).alias(last_working_day_name(due)))]


def with_review_process(frame: pl.LazyFrame | pl.DataFrame, as_of: date, config: Config,
                        bank_holidays: Sequence[date]) -> pl.LazyFrame | pl.DataFrame:
    """Add the review-process columns (columns.REVIEW_PROCESS_OUTPUT_COLUMNS) and the internal
    ones above. Needs with_status first (its plan-issued and review-clock columns).

    Always computed, whatever the export holds (missing inputs are typed nulls); which of them
    `cases` writes is decided by review_process.case_columns.
    """
    soon = config.rules.due_soon_days
    meeting = pl.col(MEETING)
    return (
        frame.with_columns(known_by(LAST_REVIEW_DATE, as_of).alias(MEETING))
        .with_columns(
            _after_meeting(REVIEW_DECISION_DATE, as_of).alias(DECIDED),
            _after_meeting(AMENDMENT_NOTICE_DATE, as_of).alias(NOTICE),
            transfer_kind(pl.col(TRANSFER_YEAR_READ)).alias(TRANSFER_KIND),
        )
        .with_columns(
            # reg 22(3): an amended plan counts from the latest of meeting and notice; an
            # earlier one belongs to an earlier amendment.
            pl.when(known_by(AMENDED_PLAN_DATE, as_of)
                    >= pl.coalesce(pl.col(NOTICE), meeting))
            .then(known_by(AMENDED_PLAN_DATE, as_of)).alias(AMENDED),
            review_decision_due_date(meeting).alias(REVIEW_DECISION_DUE_DATE),
            pl.when(meeting.is_not_null() | pl.col(NOTICE).is_not_null())
            .then(amended_plan_due_date(meeting, pl.col(NOTICE))).alias(AMENDED_PLAN_DUE_DATE),
            amendment_notice_due_date(meeting).alias(AMENDMENT_NOTICE_DUE_DATE),
            pl.when(pl.col(TRANSFER_YEAR_READ).is_not_null()).then(transfer_due_date(config))
            .alias(PHASE_TRANSFER_DUE_DATE),
            under_5_guide_date(as_of, config).alias(UNDER_5_REVIEW_GUIDE_DATE),
        )
        .with_columns(
            review_decision_status(as_of, soon).alias(REVIEW_DECISION_STATUS),
            amended_plan_status(as_of, soon).alias(AMENDED_PLAN_STATUS),
            amendment_notice_status(as_of, soon).alias(AMENDMENT_NOTICE_STATUS),
            transfer_reviewed(config).alias(TRANSFER_REVIEWED),
            under_5_guide(as_of).alias(UNDER_5_REVIEW_GUIDE),
            *working_day_columns(bank_holidays),
        )
        .with_columns(transfer_done().alias(TRANSFER_DONE))
        .with_columns(phase_transfer_status(as_of, soon).alias(PHASE_TRANSFER_STATUS))
    )
