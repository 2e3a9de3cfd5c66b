"""The front door: analyse(path, config, as_of) -> Analysis.

The only module that knows the order of the stages. One lazy query reads the file, parses the
values (normalise), flags row-level problems (checks) and adds deadlines and statuses (rules);
it is collected once, by Polars' streaming engine. Then, on the collected frame,
the few cells the fast parse missed are re-read (repair), issues are listed, and rows with errors
are set aside: rows in = rows analysed + rows set aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from ehcp_timeliness.batches import aligned, without
from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import (
    ADVICE_REQUESTED_DATE,
    AMENDED_PLAN_DATE,
    AMENDMENT_NOTICE_DATE,
    CASE_OUTPUT_COLUMNS,
    DATE_OF_BIRTH,
    REVIEW_DECISION_DATE,
    REVIEW_PROCESS_INPUTS,
    ROW,
)
from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.readers import explain_read_failure, read_table
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.review_process import with_review_process
from ehcp_timeliness.schema.checks import build_checks, find_issues, with_flags
from ehcp_timeliness.schema.headers import HeaderMap, map_headers
from ehcp_timeliness.schema.issue_codes import SET_ASIDE
from ehcp_timeliness.schema.normalise import (
    BLANK_ROW,
    SAMPLE_ROWS,
    Normalised,
    normalise,
    plan_parsing,
)
from ehcp_timeliness.schema.repair import repair

# Bookkeeping columns of the checks and the parse, dropped once the issues are listed.
_INTERNAL = r"^__(f\d+|raw_.*|has_.*)$"


@dataclass(frozen=True)
class Analysis:
    raw: RawTable
    config: Config
    as_of: date
    headers: HeaderMap
    normalised: Normalised
    rows_in: int
    cases: pl.DataFrame      # analysed rows: every canonical column, pass-throughs, outputs
    issues: pl.DataFrame     # every row-level issue (schema.checks.ISSUE_COLUMNS)

    @property
    def rows_analysed(self) -> int:
        return self.cases.height

    @property
    def rows_set_aside(self) -> int:
        return self.rows_in - self.rows_analysed

    def set_aside_reasons(self) -> pl.DataFrame:
        """code -> number of set-aside rows with that issue (a row can have several)."""
        aside = self.issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE]))
        return (aside.unique(["row", "code"]).group_by("code").agg(pl.len().alias("rows"))
                .sort(["rows", "code"], descending=[True, False]))

    def output_columns(self) -> list[str]:
        """Input columns in file order (mapped ones under canonical names), then the outputs."""
        return [*self.normalised.input_columns, *CASE_OUTPUT_COLUMNS]


def optional_dates(config: Config) -> frozenset[str]:
    """Dates the 20-week and 12-month rules do not read: an unreadable one is a warning (the
    row keeps its core analysis, the review-process step it feeds stays unknown), not a
    set-aside error.
    """
    optional = {DATE_OF_BIRTH, AMENDMENT_NOTICE_DATE, AMENDED_PLAN_DATE, ADVICE_REQUESTED_DATE}
    if config.rules.review_clock == "meeting":
        optional.add(REVIEW_DECISION_DATE)
    return frozenset(optional)


def _collect(raw: RawTable, query: pl.LazyFrame, streaming: bool) -> pl.DataFrame:
    try:
        return query.collect(engine="streaming" if streaming else "in-memory")
    except pl.exceptions.PolarsError as exc:
        raise explain_read_failure(raw, exc) from exc


def review_process_shown(config: Config, present: tuple[str, ...]) -> bool:
    """Whether `cases` writes the review-process columns (review_process.case_columns)."""
    mode = config.review_process.case_columns
    return mode == "all" or (mode == "auto" and any(c in present for c in REVIEW_PROCESS_INPUTS))


def analyse(path: Path, config: Config, as_of: date, sheet: str | None = None,
            streaming: bool | None = None, review_process: bool = True) -> Analysis:
    """Read, check and analyse an export.

    REVIEW_PROCESS False: the review-process columns (rules/review_process.py) only when the
    export has their inputs or the configuration shows them; commands that never read them
    otherwise (summary, check, dfe, benchmark, validate) save their cost.

    The query runs on Polars' streaming engine (None or True): it reads and computes in
    batches, so memory follows the typed result rather than the file, and on 1M cases it is
    also the faster engine here (docs/performance.md). False: the in-memory engine.
    """
    raw = read_table(path, sheet if sheet is not None else config.input.sheet)
    headers = map_headers(raw.headers, config.column_mapping(), raw.path.name)
    streaming = streaming is not False
    sample = _collect(raw, raw.head(SAMPLE_ROWS), streaming=True)
    if sample.height == 0:
        raise InputFileError(
            f"{raw.path}: has a header row but no case rows",
            "Export the case list again including its rows (check any filter in the export).")
    norm = normalise(raw.frame, raw.headers, headers,
                     plan_parsing(sample, headers, config.outcome_codes))
    checks = build_checks(norm, as_of, optional_dates(config))
    rules = config.rules

    review_stage = review_process or review_process_shown(config, norm.present)

    def derive(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = with_status(with_deadlines(with_flags(frame, checks), rules), as_of, rules)
        if not review_stage:
            return frame
        return with_review_process(frame, as_of, config, england_bank_holidays())

    frame = repair(aligned(_collect(raw, derive(norm.frame.lazy()), streaming)), norm,
                   lambda rows: derive(rows.lazy()).collect(engine="in-memory"))
    issues = find_issues(frame, checks)
    aside = issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE]))["row"]
    cases = without(frame.drop(pl.col(_INTERNAL), BLANK_ROW),  # dropping copies nothing
                    pl.col(ROW).is_in(aside.implode()))
    return Analysis(raw, config, as_of, headers, norm, frame.height, cases, issues)
