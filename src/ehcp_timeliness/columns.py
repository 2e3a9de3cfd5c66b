"""The shared vocabulary: canonical input columns and the public output column names.

Everything here is part of the data contract (docs/data-contract.md). Users' scripts depend on
these names, so they change only with a deprecation path.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl
import polars.selectors as cs


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    OUTCOME = "outcome code"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class CanonicalColumn:
    name: str
    kind: Kind
    required: bool
    meaning: str
    sen2_item: str
    # Headers recognised without a mapping file, compared after normalise_header().
    synonyms: tuple[str, ...] = ()
    # Values of this column may identify a child: never echoed in messages or issue exports.
    personal: bool = False


CASE_ID = "case_id"
PERSON_ID = "person_id"
RECEIVED_DATE = "received_date"
REQUEST_OUTCOME = "request_outcome"
REQUEST_OUTCOME_DATE = "request_outcome_date"
ASSESSMENT_OUTCOME = "assessment_outcome"
ASSESSMENT_OUTCOME_DATE = "assessment_outcome_date"
PLAN_ISSUED_DATE = "plan_issued_date"
WEEK20_EXCEPTION = "week20_exception"
MEDIATION = "mediation"
TRIBUNAL = "tribunal"
PLAN_START_DATE = "plan_start_date"
LAST_REVIEW_DATE = "last_review_date"
REVIEW_DECISION_DATE = "review_decision_date"
CEASE_DATE = "cease_date"
DATE_OF_BIRTH = "date_of_birth"
AMENDMENT_NOTICE_DATE = "amendment_notice_date"
AMENDED_PLAN_DATE = "amended_plan_date"
PHASE_TRANSFER_YEAR = "phase_transfer_year"
PHASE_TRANSFER_KIND = "phase_transfer_kind"
ADVICE_REQUESTED_DATE = "advice_requested_date"
TRANSFER_IN_DATE = "transfer_in_date"

CANONICAL_COLUMNS: tuple[CanonicalColumn, ...] = (
    CanonicalColumn(
        CASE_ID, Kind.TEXT, True, "identifies the request; unique", "request row",
        ("case id", "case ref", "case reference", "case number", "request id", "request ref",
         "request reference", "ehc request id", "referral id", "unique id", "record id"),
    ),
    CanonicalColumn(
        PERSON_ID, Kind.TEXT, False, "the child or young person (treat as personal data)",
        "Person",
        ("person id", "child id", "pupil id", "young person id", "client id", "la child id",
         "personid", "child ref", "child reference", "mosaic id", "lachildid", "upn"),
        personal=True,
    ),
    CanonicalColumn(
        RECEIVED_DATE, Kind.DATE, True, "R, the day the request was received", "ReceivedDate",
        ("received date", "date received", "date request received", "request received date",
         "request received", "request date", "date of request", "referral date",
         "date referral received", "assessment request date", "ehc request date",
         "ehcna request date", "request for assessment date"),
    ),
    CanonicalColumn(
        REQUEST_OUTCOME, Kind.OUTCOME, False, "decision whether to assess", "RequestOutcome",
        ("request outcome", "decision to assess", "assess decision", "outcome of request",
         "request decision", "agreed to assess"),
    ),
    CanonicalColumn(
        REQUEST_OUTCOME_DATE, Kind.DATE, False, "day the decision whether to assess was notified",
        "RequestOutcomeDate",
        ("request outcome date", "decision to assess date", "date of decision to assess",
         "assess decision date", "request decision date", "date decision to assess notified"),
    ),
    CanonicalColumn(
        ASSESSMENT_OUTCOME, Kind.OUTCOME, False, "decision whether to issue a plan",
        "AssessmentOutcome",
        ("assessment outcome", "decision to issue", "outcome of assessment",
         "assessment decision", "issue decision"),
    ),
    CanonicalColumn(
        ASSESSMENT_OUTCOME_DATE, Kind.DATE, False,
        "for N: day the decision not to issue was notified", "AssessmentOutcomeDate",
        ("assessment outcome date", "assessment decision date", "decision to issue date",
         "date of decision not to issue", "decision not to issue date"),
    ),
    CanonicalColumn(
        PLAN_ISSUED_DATE, Kind.DATE, False, "day the final EHC plan was issued",
        "AssessmentOutcomeDate (outcome Y)",
        ("plan issued date", "final plan issued", "final ehcp issued", "date final ehcp issued",
         "final ehcp issue date", "ehcp issued date", "date plan issued", "final plan date",
         "date initial ehc plan issued", "date final plan issued", "issue date",
         "final ehc plan issued", "date ehcp issued", "ehcp final date",
         # plan registers (Annex A and its variants)
         "date initial ehcp issued", "date ehc plan first issued", "date first ehc plan issued",
         "initial ehc plan issue date"),
    ),
    CanonicalColumn(
        WEEK20_EXCEPTION, Kind.BOOLEAN, False, "a reg 10(4) exception applied", "Week20",
        ("week20", "week 20", "week20 exception", "exception", "20 week exception",
         "exception applies", "exception reason", "reg 10 4 exception"),
    ),
    CanonicalColumn(
        MEDIATION, Kind.BOOLEAN, False, "mediation about the request or assessment",
        "RequestMediation / AssessmentMediation",
        ("mediation", "request mediation", "assessment mediation", "mediation flag"),
    ),
    CanonicalColumn(
        TRIBUNAL, Kind.BOOLEAN, False, "tribunal appeal about the request or assessment",
        "RequestTribunal / AssessmentTribunal",
        ("tribunal", "request tribunal", "assessment tribunal", "tribunal flag", "appeal"),
    ),
    CanonicalColumn(
        PLAN_START_DATE, Kind.DATE, False,
        "start of a plan made outside this export (e.g. transferred in)", "StartDate",
        ("plan start date", "start date", "ehcp start date"),
    ),
    CanonicalColumn(
        LAST_REVIEW_DATE, Kind.DATE, False, "day of the last annual review meeting",
        "ReviewMeeting",
        ("last review date", "review meeting", "review meeting date", "last review meeting",
         "last annual review", "last annual review date", "annual review date",
         "date ehc plan last reviewed", "date of last review", "last reviewed",
         "date ehcp last reviewed", "date of last annual review"),
    ),
    CanonicalColumn(
        REVIEW_DECISION_DATE, Kind.DATE, False, "day the review decision was notified",
        "LastReview",
        ("review decision date", "last review decision", "review outcome date",
         "date review decision notified", "lastreview"),
    ),
    CanonicalColumn(
        CEASE_DATE, Kind.DATE, False, "day the plan ceased", "CeaseDate",
        ("cease date", "ceased date", "date ceased", "plan ceased", "plan end date",
         "date plan ceased", "end date"),
    ),
    CanonicalColumn(
        DATE_OF_BIRTH, Kind.DATE, False, "for age-based rules (under 5s, year 9)",
        "PersonBirthDate",
        ("date of birth", "dob", "birth date", "person birth date", "personbirthdate"),
        personal=True,
    ),
    # Review process and exception audit. Not SEN2 items: no SEN2 name to recognise.
    CanonicalColumn(
        AMENDMENT_NOTICE_DATE, Kind.DATE, False,
        "day the notice of proposed amendments after the last review was sent (reg 22(2))", "",
        ("amendment notice date", "date amendment notice sent", "date amendment notice issued",
         "amendment notice issued", "amendment notice sent", "date of amendment notice",
         "notice of amendment date", "proposed amendments date", "notice of proposed amendments"),
    ),
    CanonicalColumn(
        AMENDED_PLAN_DATE, Kind.DATE, False,
        "day the amended final plan after the last review was issued (reg 22(3))", "",
        ("amended plan date", "amended plan issued", "date amended plan issued",
         "amended final plan issued", "date amended final plan issued", "amended final plan date",
         "amended ehcp issued", "date amended ehcp issued", "amended ehcp date",
         "final amended plan issued", "final amended ehcp issued"),
    ),
    CanonicalColumn(
        PHASE_TRANSFER_YEAR, Kind.TEXT, False,
        "calendar year of the September phase transfer (a year like 2026, or any date in it)", "",
        ("phase transfer year", "transfer year", "year of transfer", "phase transfer",
         "phase transfer date", "transition year", "year of phase transfer",
         "date of phase transfer"),
    ),
    CanonicalColumn(
        PHASE_TRANSFER_KIND, Kind.TEXT, False,
        "the transfer: school phase (before 15 February) or post-16 (before 31 March)", "",
        ("phase transfer kind", "phase transfer type", "transfer type", "transfer kind",
         "type of transfer", "type of phase transfer", "transition type"),
    ),
    CanonicalColumn(
        ADVICE_REQUESTED_DATE, Kind.DATE, False,
        "day advice was requested from the school or setting, for the reg 10(4)(a) audit", "",
        ("advice requested date", "date advice requested", "advice request date",
         "date advice requested from school", "school advice requested",
         "educational advice requested", "date educational advice requested",
         "advice requested"),
    ),
    # reg 15: the day the plan came from another authority. Not plan_start_date (the day the
    # plan was first made, which a transfer does not change: reg 15(3)(a)).
    CanonicalColumn(
        TRANSFER_IN_DATE, Kind.DATE, False,
        "day the plan transferred in from another authority (reg 15(2))", "",
        # Only headers that say "date": a bare "Transfer In" is often a yes/no flag.
        ("transfer in date", "date transferred in", "transferred in date", "date of transfer in",
         "date plan transferred in", "date ehcp transferred in", "ehcp transfer in date",
         "date transferred into la", "date of transfer into authority"),
    ),
)

BY_NAME: dict[str, CanonicalColumn] = {c.name: c for c in CANONICAL_COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in CANONICAL_COLUMNS if c.required)
# A plan register (the Ofsted/CQC area-SEND "Annex A" list of children with EHC plans, most
# authorities' plan lists) has plan and review dates but no request date: with one of these
# and no received_date column, the export is analysed for reviews only (rules.md §7).
PLAN_REGISTER_DATES: tuple[str, ...] = (PLAN_ISSUED_DATE, PLAN_START_DATE, LAST_REVIEW_DATE)
DATE_COLUMNS: tuple[str, ...] = tuple(c.name for c in CANONICAL_COLUMNS if c.kind is Kind.DATE)
OUTCOME_COLUMNS: tuple[str, ...] = (REQUEST_OUTCOME, ASSESSMENT_OUTCOME)
BOOLEAN_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in CANONICAL_COLUMNS if c.kind is Kind.BOOLEAN
)
PERSONAL_COLUMNS: frozenset[str] = frozenset(c.name for c in CANONICAL_COLUMNS if c.personal)

# Outputs of `cases`: always present, always these names, in this order (data contract).
DECISION_DUE_DATE = "decision_due_date"
PLAN_DUE_DATE = "plan_due_date"
PLAN_STATUS = "plan_status"
WEEKS_TO_ISSUE = "weeks_to_issue"
DAYS_OVERDUE = "days_overdue"
REVIEW_DUE_DATE = "review_due_date"
REVIEW_STATUS = "review_status"
CASE_OUTPUT_COLUMNS: tuple[str, ...] = (
    DECISION_DUE_DATE, PLAN_DUE_DATE, PLAN_STATUS, WEEKS_TO_ISSUE, DAYS_OVERDUE,
    REVIEW_DUE_DATE, REVIEW_STATUS,
)
# Always written, last (after the review-process columns when shown), so every column before
# it keeps its place: a reg 10(4) exception is recorded for the case (reg 13(3)), so a late
# plan can be told apart from a late plan the law excuses. Blank without a 20-week status.
EXCEPTION_APPLIES = "exception_applies"
# Columns of a `cases` output that are recomputed, never read, when it is fed back in.
RECOMPUTED_OUTPUTS: tuple[str, ...] = (*CASE_OUTPUT_COLUMNS, EXCEPTION_APPLIES)


class PlanStatus(StrEnum):
    ISSUED_ON_TIME = "issued_on_time"
    ISSUED_LATE = "issued_late"
    CLOSED_NO_PLAN = "closed_no_plan"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    IN_PROGRESS = "in_progress"


def status_type(vocabulary: type[StrEnum]) -> pl.Enum:
    """The Polars type of a status column: an Enum of its vocabulary, so the rules write each
    status as a small integer code and every later comparison (figures, rates, the worklist)
    is an integer compare instead of a string compare per row, several times cheaper on a
    large export. Written out as its text (io/writers.py)."""
    return pl.Enum([value.value for value in vocabulary])


OPEN_PLAN_STATUSES: tuple[str, ...] = (
    PlanStatus.OVERDUE, PlanStatus.DUE_SOON, PlanStatus.IN_PROGRESS,
)


class ReviewStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NOT_DUE = "not_due"
    NOT_APPLICABLE = "not_applicable"
    # The export's one recorded review is dated after the as-of date, so an earlier review
    # in the 12 months to it may have been overwritten (rules/status.py review_not_known).
    NOT_KNOWN = "not_known"


# Review-process outputs of `cases`: after the seven above, never between them, so the core
# columns keep their places whether or not the export has review-process inputs.
REVIEW_DECISION_DUE_DATE = "review_decision_due_date"
REVIEW_DECISION_STATUS = "review_decision_status"
AMENDED_PLAN_DUE_DATE = "amended_plan_due_date"
AMENDED_PLAN_STATUS = "amended_plan_status"
PHASE_TRANSFER_DUE_DATE = "phase_transfer_due_date"
PHASE_TRANSFER_STATUS = "phase_transfer_status"
UNDER_5_REVIEW_GUIDE_DATE = "under_5_review_guide_date"
UNDER_5_REVIEW_GUIDE = "under_5_review_guide"
AMENDMENT_NOTICE_DUE_DATE = "amendment_notice_due_date"
AMENDMENT_NOTICE_STATUS = "amendment_notice_status"
# Every due date gets a working-day flag and the last working day by it (rules.md §4).
DUE_DATE_COLUMNS: tuple[str, ...] = (
    DECISION_DUE_DATE, PLAN_DUE_DATE, REVIEW_DUE_DATE, REVIEW_DECISION_DUE_DATE,
    AMENDED_PLAN_DUE_DATE, PHASE_TRANSFER_DUE_DATE, AMENDMENT_NOTICE_DUE_DATE,
)


def on_non_working_day_name(due: str) -> str:
    return f"{due}_on_non_working_day"


def last_working_day_name(due: str) -> str:
    return f"{due}_last_working_day"


def _working_day_names(*dues: str) -> tuple[str, ...]:
    return tuple(name for due in dues
                 for name in (on_non_working_day_name(due), last_working_day_name(due)))


REVIEW_PROCESS_OUTPUT_COLUMNS: tuple[str, ...] = (
    *_working_day_names(DECISION_DUE_DATE, PLAN_DUE_DATE, REVIEW_DUE_DATE),
    REVIEW_DECISION_DUE_DATE, REVIEW_DECISION_STATUS, *_working_day_names(REVIEW_DECISION_DUE_DATE),
    AMENDED_PLAN_DUE_DATE, AMENDED_PLAN_STATUS, *_working_day_names(AMENDED_PLAN_DUE_DATE),
    PHASE_TRANSFER_DUE_DATE, PHASE_TRANSFER_STATUS, *_working_day_names(PHASE_TRANSFER_DUE_DATE),
    UNDER_5_REVIEW_GUIDE_DATE, UNDER_5_REVIEW_GUIDE,
    # Devon: the amendment notice's own step (meeting + 4 weeks), added after the others.
    AMENDMENT_NOTICE_DUE_DATE, AMENDMENT_NOTICE_STATUS,
    *_working_day_names(AMENDMENT_NOTICE_DUE_DATE),
)
# Inputs whose presence turns the review-process outputs on (review_process.case_columns).
REVIEW_PROCESS_INPUTS: tuple[str, ...] = (
    REVIEW_DECISION_DATE, AMENDMENT_NOTICE_DATE, AMENDED_PLAN_DATE, PHASE_TRANSFER_YEAR,
    PHASE_TRANSFER_KIND,
)


class StepStatus(StrEnum):
    """A step after the review meeting, or a phase transfer: done on time or late; not done and
    past its date, due within due_soon_days, or later; or nothing to do.
    """

    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    PENDING = "pending"
    NOT_APPLICABLE = "not_applicable"


OPEN_STEP_STATUSES: tuple[str, ...] = (
    StepStatus.OVERDUE, StepStatus.DUE_SOON, StepStatus.PENDING,
)


class Under5Guide(StrEnum):
    """CoP 9.178 guidance for under-5s: never a breach, so never "overdue"."""

    CONSIDER_REVIEW = "consider_review"
    NOT_YET = "not_yet"
    NOT_APPLICABLE = "not_applicable"


class TransferKind(StrEnum):
    SCHOOL_PHASE = "school_phase"
    POST_16 = "post_16"


# SEN2 outcome codes (rules.md §5).
OUTCOME_CODES: tuple[str, ...] = ("Y", "N", "A", "W", "H", "S")
NO_PLAN_OUTCOMES = ("N", "W")   # refused, decision not to issue, withdrawn (rules.md §1)
# The outcome columns' type once read: an Enum of the codes, for the reason status_type gives.
OUTCOME_CODE_TYPE = pl.Enum(OUTCOME_CODES)

# Case columns that only ever hold one of a few values (or null), an Enum each once analysed:
# --by counts their groups from how many values they have (schema/by_columns.py).
CLOSED_VALUES: dict[str, tuple[str, ...]] = {
    PLAN_STATUS: tuple(s.value for s in PlanStatus),
    REVIEW_STATUS: tuple(s.value for s in ReviewStatus),
    REQUEST_OUTCOME: OUTCOME_CODES, ASSESSMENT_OUTCOME: OUTCOME_CODES,
}

# Summary table of `summary --format csv|json` (data contract).
SUMMARY_COLUMNS: tuple[str, ...] = (
    "period", "plans_issued", "issued_within_20_weeks", "pct_within_20_weeks",
    "plans_issued_ex", "issued_within_20_weeks_ex", "pct_within_20_weeks_ex",
    "issued_20_to_52_weeks", "issued_over_52_weeks", "median_weeks_to_issue",
)
# Added last to a table of periods: true for one the export does not cover whole
# (report/periods.py); `summary` and `dfe`.
IS_PART_PERIOD = "is_part_period"

# Headline KPIs (`kpis` in `summary --format json`, the board pack and the workbook) and the
# keys of the config's [targets] section. 20-week rates over the as-of date's calendar month,
# the 3 and the 12 calendar months ending with it; then counts of open work overdue on the date.
KPI_IDS: tuple[str, ...] = (
    "pct_within_20_weeks_month", "pct_within_20_weeks_3_months",
    "pct_within_20_weeks_12_months", "pct_within_20_weeks_ex_month",
    "pct_within_20_weeks_ex_3_months", "pct_within_20_weeks_ex_12_months",
    "open_cases_overdue", "reviews_overdue",
)
# KPIs counted from request dates: a plan register (PLAN_REGISTER_DATES) has none of them.
REQUEST_BASED_KPIS: frozenset[str] = frozenset(k for k in KPI_IDS if k != "reviews_overdue")
# For these KPIs fewer is better (a board wants them to fall); for the rates more is better.
KPIS_LOWER_IS_BETTER: frozenset[str] = frozenset({"open_cases_overdue", "reviews_overdue"})

# Internal bookkeeping columns, never written out.
ROW = "__row"

# The engine's own working columns (the row number above, the parse's `__raw_X`, the checks'
# flags, deadlines' intermediate dates...) are all named with this prefix, and no column read
# from an export is: the readers name each column by input_name(header), which marks a header
# that starts with the prefix (or with the mark itself), so `__meeting` in an export is the
# column `input:__meeting` inside the tool and can neither replace nor be replaced by a working
# column. Outputs name it by its header again (header_of).
WORKING_PREFIX = "__"
INPUT_MARK = "input:"


def input_name(header: str) -> str:
    """The name the export's column HEADER has inside the tool (see WORKING_PREFIX). A header
    Polars would read as a pattern where a name is expected (`*`, `^Team$`) is marked too, so
    no list of column names handed to Polars can expand it into every column."""
    marked = header.startswith((WORKING_PREFIX, INPUT_MARK)) or header == "*" \
        or (header.startswith("^") and header.endswith("$"))
    return INPUT_MARK + header if marked else header


def header_of(name: str) -> str:
    """The export's header of the column the tool calls NAME (input_name's inverse)."""
    return name.removeprefix(INPUT_MARK)


def column(name: str) -> pl.Expr:
    """The column called exactly NAME. Use it for any name that comes from an export: headers
    are data, and pl.col("*") or pl.col("^Team$") would be read as a wildcard or a regex
    (one would crash, the other drop the column from the output).
    """
    return cs.by_name(name).as_expr()


# The years a date may have, in an export, in the config or as --as-of (data contract): an
# earlier or later year is a typing error (a two-digit year read as 00xx), and the bank
# holiday calendar and the day tables stop there.
FIRST_YEAR, LAST_YEAR = 1950, 2100
