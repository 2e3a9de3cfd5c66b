"""The front door: analyse(path, config, as_of) -> Analysis.

The only module that knows the order of the stages. One lazy query reads the file, parses the
values (normalise), flags row-level problems (checks) and adds deadlines and statuses (rules);
it is collected once, by Polars' streaming engine, as the rows analysed and the few rows with a
flag raised or every cell blank. Issues are listed from those few, and rows with errors are set
aside: rows in = rows analysed + rows set aside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import (
    ADVICE_REQUESTED_DATE,
    AMENDED_PLAN_DATE,
    AMENDMENT_NOTICE_DATE,
    CASE_ID,
    CASE_OUTPUT_COLUMNS,
    DATE_OF_BIRTH,
    RECEIVED_DATE,
    REVIEW_DECISION_DATE,
    REVIEW_PROCESS_INPUTS,
    ROW,
    input_name,
)
from ehcp_timeliness.columns import column as exact_column
from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.readers import (
    changed_while_read,
    explain_read_failure,
    leading_rows,
    read_table,
)
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.review_process import with_review_process
from ehcp_timeliness.rules.status import ISSUED, records_reviews, review_clock_column
from ehcp_timeliness.schema.checks import (
    DUPLICATE,
    Check,
    build_checks,
    find_issues,
    flag_name,
    sets_aside,
    with_flags,
    with_header_issues,
    with_reader_issues,
)
from ehcp_timeliness.schema.headers import (
    HEADER_SEARCH_LINES,
    KNOWN_IN_A_HEADER_ROW,
    HeaderMap,
    find_header_row,
    known_headers,
    looks_like_data,
    map_headers,
    mapping_found,
    refuse_duplicated_mapping,
)
from ehcp_timeliness.schema.issue_codes import SET_ASIDE
from ehcp_timeliness.schema.normalise import (
    BLANK_ROW,
    SAMPLE_ROWS,
    Normalised,
    learn_forms,
    normalise,
)
from ehcp_timeliness.schema.suggest import Suggestion, column_evidence, suggest_columns
from ehcp_timeliness.schema.vocabulary import UnknownValue, unknown_values

if TYPE_CHECKING:
    from polars._typing import EngineType

# Bookkeeping columns of the checks and the parse, dropped once the issues are listed.
_INTERNAL = r"^__(f\d+|raw_.*|has_.*|aside|noted)$"
_ASIDE = "__aside"  # set aside by a check of the row alone, or blank
_NOTED = "__noted"  # a flag raised or every cell blank: the issue list reads these rows


@dataclass(frozen=True)
class Export:
    """What the reports may know of the input: its name and how it was read, the headers found
    and the canonical columns it supplied. The reader's frames stay inside the pipeline."""

    path: Path
    description: str                # "cases.csv (csv, encoding utf-8)" (RawTable.describe)
    headers: HeaderMap              # canonical column -> header found; which were recognised
    present: tuple[str, ...]        # canonical columns the export supplied, canonical order
    input_columns: tuple[str, ...]  # what `cases` writes before its outputs, in file order
    skipped: str = ""               # "skipped 1 line above the headers" (RawTable.skipped)

    @property
    def name(self) -> str:
        return self.path.name

    def supplies(self, *columns: str) -> bool:
        """Whether the export has every one of these canonical columns."""
        return all(c in self.present for c in columns)


@dataclass(frozen=True)
class Analysis:
    export: Export
    config: Config
    as_of: date
    rows_in: int
    cases: pl.DataFrame      # analysed rows: every canonical column, pass-throughs, outputs
    #                          (or the columns analyse was asked for, with the row and case id)
    issues: pl.DataFrame     # every row-level issue (schema.checks.ISSUE_COLUMNS)
    # Rows set aside for their request date alone (missing, unreadable, after the issue
    # date) that record a plan issued by the as-of date: `cases`' columns, a handful of rows.
    # Not analysed, but DfE's denominators count such plans (rules/dfe_method.py), so the
    # DfE-style figures take them beside `cases` (summaries/rates.py::issued_plans).
    undated_plans: pl.DataFrame | None = None
    # Rows analysed but left out by --where (cli/runner.filtered): neither in `cases` nor set
    # aside, so every row of the export is still accounted for.
    rows_left_out: int = 0

    @property
    def has_request_dates(self) -> bool:
        """False for a plan register (no received_date column, schema/headers.is_plan_register):
        figures counted from request dates (20-week rates, DfE's new-plan figures, open
        requests) are not in the export; its reviews are analysed as usual."""
        return self.export.supplies(RECEIVED_DATE)

    @property
    def reviews_recorded(self) -> bool:
        """False when the export has no column for the review the 12 months run from
        (rules/status.records_reviews): a review that had fallen due is then not known."""
        return records_reviews(self.export.present, self.config.rules)

    @property
    def missing_review_column(self) -> str | None:
        """The review clock's column when the export lacks it (reviews_recorded False)."""
        return None if self.reviews_recorded else review_clock_column(self.config.rules)

    @property
    def rows_analysed(self) -> int:
        return self.cases.height

    @property
    def rows_set_aside(self) -> int:
        return self.rows_in - self.rows_analysed - self.rows_left_out

    def set_aside_reasons(self) -> pl.DataFrame:
        """code -> number of set-aside rows with that issue (a row can have several)."""
        aside = self.issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE]))
        return (aside.unique(["row", "code"]).group_by("code").agg(pl.len().alias("rows"))
                .sort(["rows", "code"], descending=[True, False]))

    def output_columns(self) -> list[str]:
        """Input columns in file order (mapped ones under canonical names), then the outputs."""
        return [*self.export.input_columns, *CASE_OUTPUT_COLUMNS]

    @property
    def review_process_shown(self) -> bool:
        """Whether `cases` writes the review-process columns (review_process.case_columns)."""
        return review_process_shown(self.config, self.export.present)


def optional_dates(config: Config) -> frozenset[str]:
    """Dates the 20-week and 12-month rules do not read: an unreadable one is a warning (the
    row keeps its core analysis, the review-process step it feeds stays unknown), not a
    set-aside error.
    """
    optional = {DATE_OF_BIRTH, AMENDMENT_NOTICE_DATE, AMENDED_PLAN_DATE, ADVICE_REQUESTED_DATE}
    if config.rules.review_clock == "meeting":
        optional.add(REVIEW_DECISION_DATE)
    return frozenset(optional)


def _collect(raw: RawTable, queries: list[pl.LazyFrame], engine: EngineType
             ) -> list[pl.DataFrame]:
    """QUERIES sharing their reading and parsing, which Polars runs once for all of them."""
    try:
        frames = pl.collect_all(queries, engine=engine)
    # A PanicException is no Exception: Polars panics when a Parquet file shrinks under it.
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        raise explain_read_failure(raw, exc) from exc
    if changed := changed_while_read(raw):
        raise changed
    return frames


def review_process_shown(config: Config, present: tuple[str, ...]) -> bool:
    """Whether `cases` writes the review-process columns (review_process.case_columns)."""
    mode = config.review_process.case_columns
    return mode == "all" or (mode == "auto" and has_review_process_inputs(present))


def has_review_process_inputs(present: tuple[str, ...]) -> bool:
    """Whether the export supplies an input of the review-process steps: then the summaries
    read their columns (report/views.build_review_process), whatever `cases` writes."""
    return any(c in present for c in REVIEW_PROCESS_INPUTS)


@dataclass(frozen=True)
class Query:
    """The analysis as one lazy query, before anything is read."""

    raw: RawTable
    headers: HeaderMap
    normalised: Normalised
    checks: list[Check]
    derive: Callable[[pl.LazyFrame], pl.LazyFrame]  # parsed columns -> flags, deadlines, status

    @property
    def frame(self) -> pl.LazyFrame:
        return self.derive(self.normalised.frame.lazy())


def read_export(path: Path, config: Config, sheet: str | None = None) -> RawTable:
    """The export as read below its header row: the row [input] header_row (--header-row)
    names, else the first line, unless it holds fewer than two headers the tool knows and a
    later one of the first lines is the header row (schema/headers.find_header_row): title
    lines, notes and group lines above the headers are skipped, and counted
    (RawTable.lines_above_headers)."""
    sheet = sheet if sheet is not None else config.input.sheet
    limits = config.input
    header_row = config.input.header_row
    raw = read_table(path, sheet, limits, header_row - 1 if header_row else 0)
    explicit = config.column_mapping()
    if header_row is not None or known_headers(raw.headers, explicit) >= KNOWN_IN_A_HEADER_ROW:
        return raw
    above = find_header_row(leading_rows(raw, sheet, HEADER_SEARCH_LINES), explicit)
    return read_table(path, sheet, limits, above) if above else raw


# Rows of the export read to suggest a mapping: enough to tell ids from categories.
SUGGESTION_ROWS = 5000


@dataclass(frozen=True)
class Inspection:
    """What `validate` can tell an analyst about an export before, or beside, its analysis:
    the headers, what is mapped, the likely header of each column not mapped, and the words
    of its code columns the tool does not read."""

    headers: list[str]
    mapped: dict[str, str]
    suggestions: list[Suggestion]
    unknown: list[UnknownValue]
    first_line_is_data: bool  # then nothing is suggested: its "headers" may be personal


def inspect_export(path: Path, config: Config, sheet: str | None = None) -> Inspection:
    """The export's headers and a sample of its rows, judged by schema/suggest.py, and its
    code columns' unread values over every row (schema/vocabulary.py)."""
    raw = read_export(path, config, sheet)
    if looks_like_data(raw.headers):
        return Inspection(raw.headers, {}, [], [], True)
    mapped = mapping_found(raw.headers, config.column_mapping())
    [sample] = _collect(raw, [raw.head(SUGGESTION_ROWS)], "streaming")
    evidence = column_evidence(sample.select(
        exact_column(input_name(h)).alias(h) for h in dict.fromkeys(raw.headers)))
    suggestions = suggest_columns(raw.headers, evidence, mapped)
    try:
        unknown = unknown_values(raw.frame, mapped, config.outcome_codes,
                                 config.booleans.true_words,
                                 config.privacy.min_rows_to_show_value)
    except pl.exceptions.PolarsError as exc:
        raise explain_read_failure(raw, exc) from exc
    return Inspection(raw.headers, mapped, suggestions, unknown, False)


def build_query(path: Path, config: Config, as_of: date, sheet: str | None = None,
                review_process: bool = True, sample_rows: int = SAMPLE_ROWS,
                raw: RawTable | None = None) -> Query:
    """Read the headers (unless RAW holds them already) and a sample, and build the query
    (see analyse)."""
    raw = raw if raw is not None else read_export(path, config, sheet)
    headers = map_headers(raw.headers, config.column_mapping(), raw.path.name,
                          raw.other_sheets)
    refuse_duplicated_mapping(raw, headers, config.column_mapping())
    [sample] = _collect(raw, [raw.head(sample_rows)], "streaming")
    if sample.height == 0:
        raise InputFileError(
            f"{raw.path}: has a header row but no case rows",
            "Export the case list again including its rows (check any filter in the export).")
    norm = normalise(raw.frame, raw.headers, headers,
                     learn_forms(sample, headers, config.outcome_codes,
                                 config.booleans.true_words))
    checks = build_checks(norm, as_of, optional_dates(config))
    rules = config.rules
    review_stage = (review_process or review_process_shown(config, norm.present)
                    or has_review_process_inputs(norm.present))

    def derive(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = with_status(with_deadlines(with_flags(frame, checks), rules), as_of, rules,
                            records_reviews(norm.present, rules))
        if not review_stage:
            return frame
        return with_review_process(frame, as_of, config, england_bank_holidays())

    return Query(raw, headers, norm, checks, derive)


def analyse(path: Path, config: Config, as_of: date, sheet: str | None = None,
            streaming: bool | None = None, review_process: bool = True,
            sample_rows: int = SAMPLE_ROWS, raw: RawTable | None = None) -> Analysis:
    """Read, check and analyse an export.

    REVIEW_PROCESS False: the review-process columns (rules/review_process.py) only when the
    export has their inputs or the configuration shows them; commands that never read them
    otherwise (summary, check, dfe, benchmark, validate) save their cost. The worklist
    (report/views.urgent_work) reads the working-day columns that stage adds to every due
    date, so an analysis for it is made with True.

    The query runs on Polars' streaming engine (None or True): it reads and computes in
    batches, so memory follows the typed result rather than the file. False: in memory.

    SAMPLE_ROWS: how many rows are read ahead to learn each date column's forms; what is read
    does not depend on it, only how many cells the closing parse reads.

    RAW: PATH as read_export read it, when the caller has read it already (to check options
    against its headers), so it is not read twice.
    """
    query = build_query(path, config, as_of, sheet, review_process, sample_rows, raw)
    raw, checks = query.raw, query.checks
    engine: EngineType = "streaming" if streaming is not False else "in-memory"
    flags = [pl.col(flag_name(i)) for i in range(len(checks))]
    blank = pl.col(BLANK_ROW)
    # Set aside by a check of the row alone; the duplicate check, across rows, comes after.
    aside_here = blank | pl.any_horizontal(
        pl.lit(False), *(f for f, check in zip(flags, checks, strict=True) if sets_aside(check)))
    # Both parts filter on columns of the query they share, which Polars then runs once for
    # both; a filter on the flags themselves is pushed into each part, which is then read and
    # parsed twice.
    frame = query.frame.with_columns(aside_here.alias(_ASIDE),
                                     (blank | pl.any_horizontal(pl.lit(False), *flags))
                                     .alias(_NOTED))
    # The noted rows' text columns as copies of their cells alone. Polars' text columns share
    # the buffers of the batch they were read in, so the few rows noted, a handful from each
    # batch when bad cells are scattered through a file, would otherwise keep most of the
    # file's text in memory while the rows analysed are collected. Padding to length 0
    # changes no cell but writes each into new buffers (casts and slices keep the old ones).
    kept, noted = _collect(raw, [
        frame.filter(~pl.col(_ASIDE)).drop(pl.col(_INTERNAL), BLANK_ROW, strict=False),
        frame.filter(pl.col(_NOTED)).with_columns(pl.col(pl.String).str.pad_end(0))], engine)
    aside_rows = noted.filter(pl.col(_ASIDE))
    rows = kept.height + aside_rows.height
    ids = pl.concat([kept.select(ROW, CASE_ID, pl.lit(False).alias(BLANK_ROW)),
                     aside_rows.select(ROW, CASE_ID, BLANK_ROW)])
    issues = find_issues(noted, checks, ids)
    issues = with_header_issues(with_reader_issues(issues, raw.set_aside, rows),
                                raw.duplicate_headers)
    aside_issues = issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE]))
    # A row kept by the checks of the row alone is set aside now only as a later row of a
    # repeated id: looking those few up, rather than every set-aside row's, spares a pass over
    # the rows kept when the ids are all different.
    repeated = aside_issues.filter(pl.col("code") == DUPLICATE.code)["row"]
    cases = kept.filter(~pl.col(ROW).is_in(repeated.implode())) if repeated.len() else kept
    rows_in = rows + (raw.set_aside.height if raw.set_aside is not None else 0)
    norm = query.normalised
    export = Export(raw.path, raw.describe(), query.headers, norm.present, norm.input_columns,
                    raw.skipped())
    return Analysis(export, config, as_of, rows_in, cases, issues,
                    _undated_plans(noted, cases.columns, aside_issues))


# A set-aside issue about the request date itself: missing, unreadable or after the as-of date
# (checks on received_date), or later than the plan's issue (issued-before-received).
_REQUEST_DATE_ISSUE = (pl.col("column") == RECEIVED_DATE) | (
    pl.col("code") == "issued-before-received")


def _undated_plans(noted: pl.DataFrame, columns: list[str],
                   aside_issues: pl.DataFrame) -> pl.DataFrame:
    """Of the rows noted (every set-aside row is one: it has a flag), those set aside for
    their request date alone whose plan was issued by the as-of date, in `cases`' columns.
    DfE counts such plans in its denominators and in none of its buckets
    (rules/dfe_method.py); the row stays set aside, with its issue code, from everything else.
    """
    rows = (aside_issues.group_by("row").agg(_REQUEST_DATE_ISSUE.all().alias("only"))
            .filter(pl.col("only"))["row"])
    return (noted.filter(pl.col(ROW).is_in(rows.implode()) & pl.col(ISSUED).is_not_null())
            .select(exact_column(c) for c in columns).sort(ROW))
