"""The front door: analyse(path, config, as_of) -> Analysis.

The only module that knows the order of the stages: read -> map headers -> normalise -> check
-> set aside error rows -> deadlines -> statuses. Every input row ends up either in
`Analysis.cases` or in the set-aside count with its reasons: rows_in = analysed + set aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import (
    CASE_OUTPUT_COLUMNS,
    DATE_OF_BIRTH,
    REVIEW_DECISION_DATE,
    ROW,
)
from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.readers import explain_read_failure, read_table
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.review_process import with_review_process
from ehcp_timeliness.schema.checks import find_issues
from ehcp_timeliness.schema.headers import HeaderMap, map_headers
from ehcp_timeliness.schema.issue_codes import SET_ASIDE
from ehcp_timeliness.schema.normalise import Normalised, normalise


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
        names = self.normalised.input_columns
        return [*names, *CASE_OUTPUT_COLUMNS]


def optional_dates(config: Config) -> frozenset[str]:
    """Dates no rule in force reads: an unreadable one is a warning, not a set-aside error."""
    optional = {DATE_OF_BIRTH}
    if config.rules.review_clock == "meeting":
        optional.add(REVIEW_DECISION_DATE)
    return frozenset(optional)


def analyse(path: Path, config: Config, as_of: date, sheet: str | None = None) -> Analysis:
    raw = read_table(path, sheet if sheet is not None else config.input.sheet)
    headers = map_headers(raw.headers, config.column_mapping(), raw.path.name)
    try:
        text = raw.frame.collect()
    except pl.exceptions.PolarsError as exc:
        raise explain_read_failure(raw, exc) from exc
    norm = normalise(text, raw.headers, headers, config.outcome_codes)
    frame = norm.frame
    assert isinstance(frame, pl.DataFrame)
    if frame.height == 0:
        raise InputFileError(
            f"{raw.path}: has a header row but no case rows",
            "Export the case list again including its rows (check any filter in the export).")
    issues = find_issues(frame, norm, as_of, optional_dates(config))
    aside = issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE]))["row"]
    analysed = frame.filter(~pl.col(ROW).is_in(aside.implode()))
    rules = config.rules
    cases = with_status(with_deadlines(analysed, rules), as_of, rules)
    cases = with_review_process(cases, as_of, config, england_bank_holidays())
    return Analysis(raw, config, as_of, headers, norm, frame.height, cases, issues)
