"""Row-level checks: each a Polars condition with a stable issue code (issue_codes.py).

All flags are computed in one pass; only rows with at least one flag are expanded into the issues
frame (row, case_id, column, value, code, severity, message). A cell the tool could not read is
described by its shape (schema/cell_shape.py), never quoted: it may be a name or an address typed
into the wrong field. A value from a personal column is not described at all. What is shown as
it is: case ids, SEN2 outcome codes and dates the tool read (as YYYY-MM-DD).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    ADVICE_REQUESTED_DATE,
    AMENDED_PLAN_DATE,
    AMENDMENT_NOTICE_DATE,
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    BOOLEAN_COLUMNS,
    CASE_ID,
    CEASE_DATE,
    DATE_COLUMNS,
    LAST_REVIEW_DATE,
    NO_PLAN_OUTCOMES,
    OUTCOME_COLUMNS,
    PERSONAL_COLUMNS,
    PHASE_TRANSFER_KIND,
    PHASE_TRANSFER_YEAR,
    PLAN_ISSUED_DATE,
    PLAN_START_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    ROW,
    TRANSFER_IN_DATE,
)
from ehcp_timeliness.schema.cell_shape import (
    cell_shape,
    excel_date_number,
    impossible_date,
    reads_as_words,
)
from ehcp_timeliness.schema.issue_codes import ISSUE_CODES, RECEIVED_AFTER_AS_OF, SET_ASIDE
from ehcp_timeliness.schema.normalise import (
    BLANK_ROW,
    TRANSFER_KIND_READ,
    TRANSFER_YEAR_READ,
    Frame,
    Normalised,
    has_name,
    raw_name,
)

ISSUES_SCHEMA = {
    "row": pl.Int64, "case_id": pl.String, "column": pl.String, "value": pl.String,
    "code": pl.String, "severity": pl.String, "message": pl.String,
}
ISSUE_COLUMNS = tuple(ISSUES_SCHEMA)
HIDDEN = "(not shown: personal data)"
NOT_AN_ID = "(not shown: words, not an id)"


@dataclass(frozen=True)
class Check:
    code: str
    column: str           # the column the user should look at ("" = the whole row)
    condition: pl.Expr
    # The issue's value, built only for a check that fired: most never do, and a cell's
    # shape is an expression of hundreds of parts. None: the date read in COLUMN.
    value: Callable[[], pl.Expr] | None = None

    def value_shown(self) -> pl.Expr:
        if self.value is None:
            return pl.col(self.column).dt.to_string("%Y-%m-%d")
        return self.value()


def sets_aside(check: Check) -> bool:
    """Whether a row CHECK flags is set aside (an error), rather than analysed."""
    return ISSUE_CODES[check.code].severity in SET_ASIDE


def _shape(column: str) -> Callable[[], pl.Expr]:
    """The shape of COLUMN's text: for raw_name(X), of X's cell that could not be read."""
    return lambda: cell_shape(pl.col(column))


def _unread_date(name: str) -> Callable[[], pl.Expr]:
    """Why no calendar has the date (31/09/2024: September has 30 days), or which date an
    Excel date number is, else its shape."""
    text = pl.col(raw_name(name))
    return lambda: pl.coalesce(impossible_date(text), excel_date_number(text), cell_shape(text))


def _nothing() -> pl.Expr:
    return pl.lit(None)


def _has(name: str) -> pl.Expr:
    """The cell held something (not blank)."""
    return pl.col(has_name(name))


def build_checks(norm: Normalised, as_of: date, optional_dates: frozenset[str]) -> list[Check]:
    present = norm.present
    received = pl.col(RECEIVED_DATE)
    plan_made = pl.coalesce(pl.col(PLAN_ISSUED_DATE), pl.col(PLAN_START_DATE))
    historical = ((pl.col(REQUEST_OUTCOME) == "H") | (pl.col(ASSESSMENT_OUTCOME) == "H")) \
        .fill_null(False)
    # A plan register has no received_date column at all: its rows are plans to review, and
    # no row is missing what the export never meant to hold (is_plan_register).
    requests = RECEIVED_DATE in present
    checks = [
        Check("missing-case-id", CASE_ID, pl.col(CASE_ID).is_null(), _nothing),
        # SEN2 omits ReceivedDate for H (decided before the collection, or transferred in):
        # such a row still has a plan to review, so it is kept, with a warning.
        Check("missing-received-date", RECEIVED_DATE,
              ~_has(RECEIVED_DATE) & ~historical & pl.lit(requests), _nothing),
        Check("historical-without-request-date", RECEIVED_DATE,
              ~_has(RECEIVED_DATE) & historical & pl.lit(requests), _nothing),
        *(Check("unparseable-optional-date" if name in optional_dates else "unparseable-date",
                name, _has(name) & pl.col(name).is_null(), _unread_date(name))
          for name in DATE_COLUMNS if name in present),
        Check("issued-before-received", PLAN_ISSUED_DATE, pl.col(PLAN_ISSUED_DATE) < received),
        Check(RECEIVED_AFTER_AS_OF, RECEIVED_DATE, received > pl.lit(as_of)),
        Check("review-before-plan", LAST_REVIEW_DATE, pl.col(LAST_REVIEW_DATE) < plan_made),
        Check("cease-before-plan", CEASE_DATE, pl.col(CEASE_DATE) < plan_made),
        Check("issued-without-date", PLAN_ISSUED_DATE,
              (pl.col(ASSESSMENT_OUTCOME) == "Y") & pl.col(PLAN_ISSUED_DATE).is_null()
              & ~_has(PLAN_ISSUED_DATE) & ~_has(ASSESSMENT_OUTCOME_DATE),
              _nothing),
        Check("plan-date-contradicts-outcome", ASSESSMENT_OUTCOME,
              pl.col(PLAN_ISSUED_DATE).is_not_null() & (
                  (_has(ASSESSMENT_OUTCOME)
                   & pl.col(ASSESSMENT_OUTCOME).is_in([*NO_PLAN_OUTCOMES, "A"]))
                  | pl.col(REQUEST_OUTCOME).is_in(NO_PLAN_OUTCOMES)),
              # Text first: "-" is not one of the codes (columns.OUTCOME_CODE_TYPE).
              lambda: pl.concat_str(
                  pl.col(REQUEST_OUTCOME).cast(pl.String).fill_null("-"), pl.lit("/"),
                  pl.col(ASSESSMENT_OUTCOME).cast(pl.String).fill_null("-"))),
        Check("outcome-codes-contradict", REQUEST_OUTCOME,
              pl.col(REQUEST_OUTCOME).is_in(NO_PLAN_OUTCOMES)
              & _has(ASSESSMENT_OUTCOME)
              & pl.col(ASSESSMENT_OUTCOME).is_in(["Y", "N"]),
              lambda: pl.concat_str(pl.col(REQUEST_OUTCOME), pl.lit("/"),
                                    pl.col(ASSESSMENT_OUTCOME))),
    ]
    for name in (REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME_DATE):
        checks.append(Check("date-before-received", name, pl.col(name) < received))
    for name in (REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME_DATE, PLAN_ISSUED_DATE,
                 PLAN_START_DATE, LAST_REVIEW_DATE, REVIEW_DECISION_DATE, CEASE_DATE):
        if name == PLAN_ISSUED_DATE and norm.plan_date_from_outcome:
            continue  # the derived copy would repeat the assessment_outcome_date warning
        checks.append(Check("date-after-as-of", name, pl.col(name) > pl.lit(as_of)))
    for name in OUTCOME_COLUMNS:
        checks.append(Check("unknown-outcome-code", name,
                            _has(name) & pl.col(name).is_null(), _shape(raw_name(name))))
    # Free text in a yes/no column can name a child or a family's circumstances: the issue
    # describes the cell's shape, never its text.
    for name in BOOLEAN_COLUMNS:
        if name in present:
            checks.append(Check("unknown-boolean", name, pl.col(raw_name(name)).is_not_null(),
                                _shape(raw_name(name))))
    return checks + _review_process_checks(as_of)


def _review_process_checks(as_of: date) -> list[Check]:
    """The review-process inputs; all warnings: the case's other figures stand (they feed only
    the review-process steps)."""
    year, kind = pl.col(PHASE_TRANSFER_YEAR), pl.col(PHASE_TRANSFER_KIND)
    amended, notice = pl.col(AMENDED_PLAN_DATE), pl.col(AMENDMENT_NOTICE_DATE)
    checks = [
        Check("unparseable-transfer-year", PHASE_TRANSFER_YEAR,
              year.is_not_null() & pl.col(TRANSFER_YEAR_READ).is_null(),
              _shape(PHASE_TRANSFER_YEAR)),
        Check("unknown-transfer-kind", PHASE_TRANSFER_KIND,
              kind.is_not_null() & pl.col(TRANSFER_KIND_READ).is_null(),
              _shape(PHASE_TRANSFER_KIND)),
        Check("amended-plan-before-notice", AMENDED_PLAN_DATE, amended < notice),
        # reg 22 amends a plan "following a review": a notice with no meeting is one whose
        # meeting the export does not hold (the export never says an amendment stood alone).
        Check("amendment-notice-without-meeting", AMENDMENT_NOTICE_DATE,
              (notice <= pl.lit(as_of)) & pl.col(LAST_REVIEW_DATE).is_null()),
    ]
    for name in (AMENDMENT_NOTICE_DATE, AMENDED_PLAN_DATE, ADVICE_REQUESTED_DATE):
        checks.append(Check("date-after-as-of", name, pl.col(name) > pl.lit(as_of)))
    checks += [
        # reg 20(10): the decision follows its meeting; one dated before it belongs to an
        # earlier review (rules/review_process.py, summaries/dfe.py::review_figures).
        Check("review-decision-before-meeting", REVIEW_DECISION_DATE,
              pl.col(REVIEW_DECISION_DATE) < pl.col(LAST_REVIEW_DATE)),
        Check("date-after-as-of", TRANSFER_IN_DATE, pl.col(TRANSFER_IN_DATE) > pl.lit(as_of)),
    ]
    return checks


DUPLICATE = Check(
    "duplicate-case-id", CASE_ID,
    pl.col(CASE_ID).is_not_null() & ~pl.col(CASE_ID).is_first_distinct(),
    lambda: pl.col(CASE_ID) + pl.lit(" (first at row ")
    + pl.col(ROW).first().over(CASE_ID).cast(pl.String) + pl.lit(")"))


def flag_name(index: int) -> str:
    return f"__f{index}"


def with_flags(frame: Frame, checks: list[Check]) -> Frame:
    """One boolean column per check (row-local checks only: they can run while streaming)."""
    blank = pl.col(BLANK_ROW)
    return frame.with_columns((check.condition.fill_null(False) & ~blank).alias(flag_name(i))
                              for i, check in enumerate(checks))


def with_reader_issues(issues: pl.DataFrame, set_aside: pl.DataFrame | None,
                       rows: int) -> pl.DataFrame:
    """ISSUES with the rows a reader set aside (RawTable.set_aside) added after the ROWS case
    rows, numbered on from the last (the first case row is row 2)."""
    if set_aside is None or set_aside.height == 0:
        return issues
    extra = set_aside.with_row_index("row", offset=rows + 2).select(
        pl.col("row").cast(pl.Int64), pl.lit(None, pl.String).alias("case_id"), "column",
        "value", "code")
    return pl.concat([issues, _described(extra)])


def with_header_issues(issues: pl.DataFrame,
                       duplicates: tuple[tuple[str, int, int], ...]) -> pl.DataFrame:
    """ISSUES with a `duplicate-header` warning on row 1 (the header row) for each header
    written twice (RawTable.duplicate_headers): the column is the header, the value names
    both positions."""
    if not duplicates:
        return issues
    extra = pl.DataFrame(
        [(1, None, header, f"columns {first} and {this}", "duplicate-header")
         for header, first, this in duplicates],
        schema={c: ISSUES_SCHEMA[c] for c in ISSUE_COLUMNS[:5]}, orient="row")
    return pl.concat([_described(extra), issues])


def _described(issues: pl.DataFrame) -> pl.DataFrame:
    """Issues (row, case_id, column, value, code) with each code's severity and message."""
    codes = list(ISSUE_CODES)
    return issues.with_columns(
        pl.col("code").replace_strict(codes, [ISSUE_CODES[c].severity.value for c in codes],
                                      return_dtype=pl.String).alias("severity"),
        pl.col("code").replace_strict(codes, [ISSUE_CODES[c].action for c in codes],
                                      return_dtype=pl.String).alias("message"),
    ).select(ISSUE_COLUMNS).cast(ISSUES_SCHEMA)


def shown_issues(issues: pl.DataFrame) -> pl.DataFrame:
    """ISSUES as `validate` and --issues-out show them. A case id that reads as words is no id
    but a note in the id column (a footer `Exported by …`, a name typed there, a row shifted
    along): it is not shown (the row number finds it), nor quoted as a duplicate. The issues
    themselves keep it (compare matches set-aside rows by it)."""
    words = reads_as_words(pl.col("case_id")).fill_null(False)
    return issues.with_columns(
        pl.when(words).then(pl.lit(NOT_AN_ID)).otherwise(pl.col("case_id")).alias("case_id"),
        pl.when(words & (pl.col("code") == DUPLICATE.code))
        .then(pl.lit("the same") + pl.col("value").str.extract(r"( \(first at row \d+\))$"))
        .otherwise(pl.col("value")).alias("value"))


def find_issues(flagged: pl.DataFrame, checks: list[Check], ids: pl.DataFrame) -> pl.DataFrame:
    """All row-level issues, in row order then check order.

    FLAGGED: the rows of a flagged frame (with_flags) with a flag raised or every cell blank
    (other rows may be there too). IDS: every row's ROW, CASE_ID and BLANK_ROW, in any order,
    for the duplicate check, which looks across rows. Values are built only for the rows
    flagged.
    """
    is_blank = pl.col(BLANK_ROW)
    duplicate_flag = flag_name(len(checks))
    # Rows that may share a case id, found by the ids' 64-bit hashes (hashing strings once is
    # cheaper than comparing them); a collision only lets an extra row into `sharing`, where
    # the duplicate check compares the ids themselves. Counting distinct hashes is cheaper
    # still, and settles the usual case: all different.
    known = pl.col(CASE_ID).drop_nulls()
    if ids.select(known.hash().n_unique() == known.len()).item():
        sharing = ids.clear()
    else:
        sharing = ids.filter(pl.col(CASE_ID).hash().is_duplicated()
                             & pl.col(CASE_ID).is_not_null()).sort(ROW)
    # Every row sharing an id is here, so "first at row N" is right.
    sharing = sharing.with_columns((DUPLICATE.condition & ~is_blank).alias(duplicate_flag))
    parts = [flagged.filter(is_blank).select(
        pl.col(ROW).alias("row"), pl.lit(None, pl.String).alias("case_id"),
        pl.lit("").alias("column"), pl.lit(None, pl.String).alias("value"),
        pl.lit("blank-row").alias("code"), pl.lit(-1).alias("__order"))]
    raised = flagged.select(pl.col(flag_name(i)).any() for i in range(len(checks))).row(0)
    found = [(i, check, flagged) for i, check in enumerate(checks) if raised[i]]
    if sharing.select(pl.col(duplicate_flag).any()).item():
        found.append((len(checks), DUPLICATE, sharing))
    for i, check, rows in found:  # most checks find nothing: their empty parts are not built
        value = pl.lit(HIDDEN) if check.column in PERSONAL_COLUMNS else check.value_shown()
        parts.append(rows.with_columns(value.cast(pl.String).alias("__value"))
                     .filter(pl.col(flag_name(i))).select(
            pl.col(ROW).alias("row"), pl.col(CASE_ID).alias("case_id"),
            pl.lit(check.column).alias("column"), pl.col("__value").alias("value"),
            pl.lit(check.code).alias("code"), pl.lit(i).alias("__order")))
    issues = pl.concat(parts).sort("row", "__order", maintain_order=True).drop("__order")
    return _described(issues)
