"""Turn a RawTable into typed canonical columns, keeping the raw text for the checks.

After this step every canonical column exists (typed nulls where the export lacks it), so rules
never test for a column's presence; `present` records which ones the user actually supplied.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    BOOLEAN_COLUMNS,
    CANONICAL_COLUMNS,
    CASE_OUTPUT_COLUMNS,
    DATE_COLUMNS,
    OUTCOME_COLUMNS,
    PLAN_ISSUED_DATE,
    Kind,
)
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.schema.headers import HeaderMap
from ehcp_timeliness.schema.values import clean_text, parse_boolean, parse_date, parse_outcome


def raw_name(canonical: str) -> str:
    return f"__raw_{canonical}"


@dataclass(frozen=True)
class Normalised:
    frame: pl.LazyFrame
    present: tuple[str, ...]       # canonical columns the export supplied, in canonical order
    passthrough: tuple[str, ...]   # other columns, under their own (possibly de-clashed) names
    input_columns: tuple[str, ...]  # what `cases` writes before its outputs, in file order
    plan_date_from_outcome: bool   # no plan_issued_date column: taken from AssessmentOutcomeDate


def normalise(raw: RawTable, headers: HeaderMap, outcome_codes: dict[str, str]) -> Normalised:
    reserved = {c.name for c in CANONICAL_COLUMNS} | set(CASE_OUTPUT_COLUMNS)
    renames: dict[str, str] = {}
    passthrough: list[str] = []
    dropped_outputs: list[str] = []
    for header in headers.passthrough(raw.headers):
        if header in CASE_OUTPUT_COLUMNS:
            # A previous `cases` output fed back in: derived columns are recomputed, not trusted.
            dropped_outputs.append(header)
            continue
        name = f"{header}_input" if header in reserved else header
        renames[header] = name
        passthrough.append(name)

    frame = raw.frame.drop(dropped_outputs).rename(
        {**{h: c for c, h in headers.mapped.items()}, **renames})
    present = tuple(c.name for c in CANONICAL_COLUMNS if c.name in headers.mapped)

    typed: list[pl.Expr] = []
    for col in CANONICAL_COLUMNS:
        name = col.name
        if name not in headers.mapped:
            dtype = {Kind.DATE: pl.Date, Kind.BOOLEAN: pl.Boolean}.get(col.kind, pl.String)
            fill = pl.lit(False) if col.kind is Kind.BOOLEAN else pl.lit(None, dtype=dtype)
            if col.kind is Kind.OUTCOME:
                fill = pl.lit(None, dtype=pl.String)
            typed.append(fill.alias(name))
            typed.append(pl.lit(None, dtype=pl.String).alias(raw_name(name)))
            continue
        source = pl.col(name)
        typed.append(source.alias(raw_name(name)))
        if name in DATE_COLUMNS:
            typed.append(parse_date(source).alias(name))
        elif name in OUTCOME_COLUMNS:
            typed.append(parse_outcome(source, outcome_codes).alias(name))
        elif name in BOOLEAN_COLUMNS:
            typed.append(parse_boolean(source).alias(name))
        else:
            typed.append(clean_text(source).alias(name))
    frame = frame.with_columns(typed)

    # SEN2: for outcome Y the AssessmentOutcomeDate *is* the plan issue date (rules.md §5).
    if ASSESSMENT_OUTCOME_DATE in present:
        frame = frame.with_columns(
            pl.when(pl.col(PLAN_ISSUED_DATE).is_null() & (pl.col(ASSESSMENT_OUTCOME) == "Y"))
            .then(pl.col(ASSESSMENT_OUTCOME_DATE)).otherwise(pl.col(PLAN_ISSUED_DATE))
            .alias(PLAN_ISSUED_DATE)
        )
    by_header = {h: c for c, h in headers.mapped.items()} | renames
    input_columns = [by_header[h] for h in raw.headers if h in by_header]
    derive = ASSESSMENT_OUTCOME_DATE in present and PLAN_ISSUED_DATE not in present
    if derive:
        present = tuple(c.name for c in CANONICAL_COLUMNS
                        if c.name in headers.mapped or c.name == PLAN_ISSUED_DATE)
        at = input_columns.index(ASSESSMENT_OUTCOME_DATE) + 1
        input_columns.insert(at, PLAN_ISSUED_DATE)
    return Normalised(frame, present, tuple(passthrough), tuple(input_columns), derive)
