"""Turn a RawTable into typed canonical columns, keeping the cleaned raw text for the checks.

After this step every canonical column exists (typed nulls where the export lacks it), so rules
never test for a column's presence; `present` records which ones the user actually supplied.

Exports repeat a few thousand distinct dates and a handful of codes across their rows, so on an
in-memory frame each column's *distinct* values are converted once and joined back (the same
expressions, a fraction of the work). A LazyFrame (the streaming path) gets the expressions
applied directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    BY_NAME,
    CANONICAL_COLUMNS,
    CASE_OUTPUT_COLUMNS,
    PLAN_ISSUED_DATE,
    Kind,
    column,
)
from ehcp_timeliness.schema.headers import HeaderMap
from ehcp_timeliness.schema.values import clean_text, parse_boolean, parse_date, parse_outcome

Frame = pl.DataFrame | pl.LazyFrame
BLANK_ROW = "__blank_row"


def raw_name(canonical: str) -> str:
    """Internal column holding the trimmed text a canonical column was parsed from."""
    return f"__raw_{canonical}"


@dataclass(frozen=True)
class Normalised:
    frame: Frame
    present: tuple[str, ...]       # canonical columns the export supplied, in canonical order
    passthrough: tuple[str, ...]   # other columns, under their own (possibly de-clashed) names
    input_columns: tuple[str, ...]  # what `cases` writes before its outputs, in file order
    plan_date_from_outcome: bool   # no plan_issued_date column: taken from AssessmentOutcomeDate


def _typed_null(kind: Kind) -> pl.Expr:
    if kind is Kind.DATE:
        return pl.lit(None, dtype=pl.Date)
    if kind is Kind.BOOLEAN:
        return pl.lit(False)
    return pl.lit(None, dtype=pl.String)


def _parser(name: str, kind: Kind, outcome_codes: dict[str, str]) -> Callable[[pl.Expr], pl.Expr]:
    if kind is Kind.DATE:
        return parse_date
    if kind is Kind.OUTCOME:
        return lambda e: parse_outcome(e, outcome_codes)
    if kind is Kind.BOOLEAN:
        return parse_boolean
    return clean_text


def _convert(frame: Frame, name: str, parse: Callable[[pl.Expr], pl.Expr],
             distinct: bool) -> Frame:
    """Replace text column NAME by its parsed value, keeping the trimmed text in raw_name(NAME)."""
    outputs = [clean_text(pl.col(name)).alias(raw_name(name)), parse(pl.col(name)).alias("__v")]
    if distinct and isinstance(frame, pl.DataFrame):
        # Join the key column alone: joining the whole frame would copy every column.
        key = frame.select(name)
        mapping = key.unique().with_columns(outputs)
        converted = key.join(mapping, on=name, how="left", nulls_equal=True,
                             maintain_order="left")
        return frame.with_columns(converted[raw_name(name)], converted["__v"].alias(name))
    return frame.with_columns(outputs).drop(name).rename({"__v": name})


def normalise(frame: Frame, file_headers: list[str], headers: HeaderMap,
              outcome_codes: dict[str, str]) -> Normalised:
    """FRAME holds the export's columns as text (plus the row number); see module docstring."""
    reserved = {c.name for c in CANONICAL_COLUMNS} | set(CASE_OUTPUT_COLUMNS)
    renames: dict[str, str] = {}
    passthrough: list[str] = []
    dropped_outputs: list[str] = []
    for header in headers.passthrough(file_headers):
        if header in CASE_OUTPUT_COLUMNS:
            # A previous `cases` output fed back in: derived columns are recomputed, not trusted.
            dropped_outputs.append(header)
            continue
        name = f"{header}_input" if header in reserved else header
        renames[header] = name
        passthrough.append(name)

    frame = frame.drop(dropped_outputs).rename(
        {**{h: c for c, h in headers.mapped.items()}, **renames})
    present = tuple(c.name for c in CANONICAL_COLUMNS if c.name in headers.mapped)

    for col in CANONICAL_COLUMNS:
        if col.name not in present:
            continue
        if col.kind is Kind.TEXT:
            # Identifiers: nearly all distinct, and never parsed, so cleaned in place.
            frame = frame.with_columns(clean_text(pl.col(col.name)))
        else:
            frame = _convert(frame, col.name, _parser(col.name, col.kind, outcome_codes),
                             distinct=True)

    # A row is blank when every cell is empty (blank-like tokens such as N/A count as empty).
    cells = [pl.col(c if BY_NAME[c].kind is Kind.TEXT else raw_name(c)).is_null()
             for c in present]
    # Passthrough names are export headers: selected exactly, never as patterns ("*").
    cells += [column(c).is_null() | (column(c).str.strip_chars() == "") for c in passthrough]
    frame = frame.with_columns(
        (pl.all_horizontal(cells) if cells else pl.lit(False)).alias(BLANK_ROW))
    frame = frame.with_columns(
        expr for col in CANONICAL_COLUMNS if col.name not in present
        for expr in (_typed_null(col.kind).alias(col.name),
                     pl.lit(None, dtype=pl.String).alias(raw_name(col.name))))
    frame = frame.with_columns(
        pl.col(c.name).alias(raw_name(c.name)) for c in CANONICAL_COLUMNS
        if c.kind is Kind.TEXT and c.name in present)

    # SEN2: for outcome Y the AssessmentOutcomeDate *is* the plan issue date (rules.md §5).
    if ASSESSMENT_OUTCOME_DATE in present:
        frame = frame.with_columns(
            pl.when(pl.col(PLAN_ISSUED_DATE).is_null() & (pl.col(ASSESSMENT_OUTCOME) == "Y"))
            .then(pl.col(ASSESSMENT_OUTCOME_DATE)).otherwise(pl.col(PLAN_ISSUED_DATE))
            .alias(PLAN_ISSUED_DATE)
        )
    by_header = {h: c for c, h in headers.mapped.items()} | renames
    input_columns = [by_header[h] for h in file_headers if h in by_header]
    derive = ASSESSMENT_OUTCOME_DATE in present and PLAN_ISSUED_DATE not in present
    if derive:
        present = tuple(c.name for c in CANONICAL_COLUMNS
                        if c.name in headers.mapped or c.name == PLAN_ISSUED_DATE)
        at = input_columns.index(ASSESSMENT_OUTCOME_DATE) + 1
        input_columns.insert(at, PLAN_ISSUED_DATE)
    return Normalised(frame, present, tuple(passthrough), tuple(input_columns), derive)

