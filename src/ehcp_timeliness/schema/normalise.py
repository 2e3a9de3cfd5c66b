"""Turn the export's text columns into typed canonical columns, as lazy expressions.

After this step every canonical column exists (typed nulls where the export lacks it), so rules
never test for a column's presence; `present` records which ones the user supplied.

Each parsed column X also gets:
- `__has_X`: the cell held something (not blank): the checks need to tell blank from unreadable;
- `__raw_X`: the cell's trimmed text; once collected, keep_unread_text keeps it only where the
  fast parse could not read it, for schema/repair.py to re-read and the issue report to quote.

Dates are read with the forms a sample of the column uses (values.parse_date_fast); what those
miss is re-read by repair with every accepted form, so the result does not depend on the sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CANONICAL_COLUMNS,
    CASE_OUTPUT_COLUMNS,
    PLAN_ISSUED_DATE,
    Kind,
)
from ehcp_timeliness.columns import column as exact_column
from ehcp_timeliness.schema.headers import HeaderMap
from ehcp_timeliness.schema.values import (
    clean_text,
    detect_date_formats,
    outcome_table,
    parse_boolean,
    parse_date_fast,
    parse_outcome_fast,
    plausible_date,
)

Frame = pl.DataFrame | pl.LazyFrame
BLANK_ROW = "__blank_row"
SAMPLE_ROWS = 20_000  # rows read ahead to learn each date column's forms


def raw_name(canonical: str) -> str:
    """Internal column: the trimmed text the fast parse could not read (else null)."""
    return f"__raw_{canonical}"


def has_name(canonical: str) -> str:
    """Internal column: the cell was not blank."""
    return f"__has_{canonical}"


@dataclass(frozen=True)
class ParsePlan:
    """How each column is parsed: the date forms seen in a sample, the outcome look-up."""

    date_formats: dict[str, tuple[str, ...]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    outcome_codes: dict[str, str] = field(default_factory=dict)  # from config, for repair


@dataclass(frozen=True)
class Normalised:
    frame: Frame
    present: tuple[str, ...]       # canonical columns the export supplied, in canonical order
    passthrough: tuple[str, ...]   # other columns, under their own (possibly de-clashed) names
    input_columns: tuple[str, ...]  # what `cases` writes before its outputs, in file order
    plan_date_from_outcome: bool   # no plan_issued_date column: taken from AssessmentOutcomeDate
    plan: ParsePlan


def plan_parsing(sample: pl.DataFrame, headers: HeaderMap,
                 outcome_codes: dict[str, str]) -> ParsePlan:
    """Learn the date forms in use from the first rows (columns still under file headers)."""
    formats = {}
    for column in CANONICAL_COLUMNS:
        header = headers.mapped.get(column.name)
        if column.kind is Kind.DATE and header is not None:
            formats[column.name] = detect_date_formats(sample[header].cast(pl.String))
    return ParsePlan(formats, outcome_table(outcome_codes), dict(outcome_codes))


def _typed_null(kind: Kind) -> pl.Expr:
    if kind is Kind.DATE:
        return pl.lit(None, dtype=pl.Date)
    if kind is Kind.BOOLEAN:
        return pl.lit(False)
    return pl.lit(None, dtype=pl.String)


def _parsed(name: str, kind: Kind, plan: ParsePlan) -> pl.Expr:
    source = pl.col(raw_name(name))
    if kind is Kind.DATE:
        return parse_date_fast(source, plan.date_formats.get(name, ()))
    if kind is Kind.OUTCOME:
        return parse_outcome_fast(source, plan.outcomes)
    return parse_boolean(source)


def keep_unread_text(frame: Frame, norm: Normalised) -> Frame:
    """Keep each cell's text only where it could not be read: repair re-reads those and the
    issue report quotes them; the rest would only take memory. Cheapest on a collected frame;
    inside a streaming query it bounds memory at some cost in time.
    """
    parsed = [c for c in CANONICAL_COLUMNS if c.name in norm.present
              and c.kind is not Kind.TEXT
              and not (c.name == PLAN_ISSUED_DATE and norm.plan_date_from_outcome)]
    return frame.with_columns(pl.when(pl.col(c.name).is_null()).then(pl.col(raw_name(c.name)))
                              .alias(raw_name(c.name)) for c in parsed)


def with_derived_plan_date(frame: Frame) -> Frame:
    """SEN2: for outcome Y the AssessmentOutcomeDate *is* the plan issue date (rules.md §5)."""
    return frame.with_columns(
        pl.when(pl.col(PLAN_ISSUED_DATE).is_null() & (pl.col(ASSESSMENT_OUTCOME) == "Y"))
        .then(pl.col(ASSESSMENT_OUTCOME_DATE)).otherwise(pl.col(PLAN_ISSUED_DATE))
        .alias(PLAN_ISSUED_DATE))


def normalise(frame: Frame, file_headers: list[str], headers: HeaderMap,
              plan: ParsePlan) -> Normalised:
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

    # The trimmed text, once per column. Parsed columns keep it under __raw_X (trimmed to the
    # unreadable cells by keep_unread_text once collected) and are parsed from it into X.
    text_columns = [c for c in CANONICAL_COLUMNS if c.name in present]
    parsed = [c for c in text_columns if c.kind is not Kind.TEXT]
    frame = frame.with_columns(
        clean_text(pl.col(c.name)).alias(c.name if c.kind is Kind.TEXT else raw_name(c.name))
        for c in text_columns)
    blank_cells = [pl.col(c.name if c.kind is Kind.TEXT else raw_name(c.name)).is_null()
                   for c in text_columns]
    # Passthrough names are export headers: selected exactly, never as patterns ("*").
    blank_cells += [exact_column(c).is_null() | (exact_column(c).str.strip_chars() == "")
                    for c in passthrough]
    frame = frame.with_columns(
        (pl.all_horizontal(blank_cells) if blank_cells else pl.lit(False)).alias(BLANK_ROW),
        *(pl.col(raw_name(c.name)).is_not_null().alias(has_name(c.name)) for c in parsed),
        *(_parsed(c.name, c.kind, plan).alias(c.name) for c in parsed))
    frame = frame.with_columns(plausible_date(pl.col(c.name)).alias(c.name)
                               for c in parsed if c.kind is Kind.DATE)
    frame = frame.with_columns(
        expr for col in CANONICAL_COLUMNS if col.name not in present
        for expr in (_typed_null(col.kind).alias(col.name),
                     pl.lit(None, dtype=pl.String).alias(raw_name(col.name)),
                     pl.lit(False).alias(has_name(col.name))))
    if ASSESSMENT_OUTCOME_DATE in present:
        frame = with_derived_plan_date(frame)

    by_header = {h: c for c, h in headers.mapped.items()} | renames
    input_columns = [by_header[h] for h in file_headers if h in by_header]
    derive = ASSESSMENT_OUTCOME_DATE in present and PLAN_ISSUED_DATE not in present
    if derive:
        present = tuple(c.name for c in CANONICAL_COLUMNS
                        if c.name in headers.mapped or c.name == PLAN_ISSUED_DATE)
        at = input_columns.index(ASSESSMENT_OUTCOME_DATE) + 1
        input_columns.insert(at, PLAN_ISSUED_DATE)
    return Normalised(frame, present, tuple(passthrough), tuple(input_columns), derive, plan)
