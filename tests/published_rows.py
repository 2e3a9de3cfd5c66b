"""Synthetic cases built to reproduce one of DfE's published rows exactly.

`published_row("Redbridge", 2024)` gathers an authority's (or "England"'s) row of each shipped
DfE file for a year, as published (text). `cases_for_published_row(row)` builds canonical cases
(columns.CANONICAL_COLUMNS names, one row per request) that summaries.dfe turns back into that
row's 20-week, 6-week, 16-week and 4-week figures for `time_period`, as of census_day(year).
Parts published as `x`/`z` are left out. Meant to be reused: written as CSV for the pipeline,
or as a SEN2 XML return for the end-to-end test.

How the cases are laid out (Y = the row's year), so that each counts in exactly one figure of Y:
- plans issued in Y: requested and decided to assess in Y-1, one block per bucket (within
  20 weeks, 20 weeks–1 year, over 1 year), the exception cases (week20_exception) flagged;
  the plans DfE counts in its denominator but in no bucket are issued in Y with no request
  date (the pipeline sets them aside, missing-received-date, and still counts them);
- decisions not to issue (N) notified in Y: requested and decided to assess in Y-1;
- decisions whether to assess notified in Y: refused (N) requests received in Y;
- review decisions notified in Y: plans issued in Y-2, reviewed in Y.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness import published
from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CASE_ID,
    CEASE_DATE,
    LAST_REVIEW_DATE,
    MEDIATION,
    PERSON_ID,
    PLAN_ISSUED_DATE,
    PLAN_START_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    TRANSFER_IN_DATE,
    TRIBUNAL,
    WEEK20_EXCEPTION,
)

COLUMNS = (CASE_ID, PERSON_ID, RECEIVED_DATE, REQUEST_OUTCOME, REQUEST_OUTCOME_DATE,
           ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE, PLAN_ISSUED_DATE, WEEK20_EXCEPTION,
           MEDIATION, TRIBUNAL, PLAN_START_DATE, LAST_REVIEW_DATE, REVIEW_DECISION_DATE,
           CEASE_DATE, TRANSFER_IN_DATE)
SCHEMA = {c: (pl.Date if c.endswith("_date") else pl.Boolean
              if c in (WEEK20_EXCEPTION, MEDIATION, TRIBUNAL) else pl.String) for c in COLUMNS}


def census_day(year: int) -> date:
    """The SEN2 census day after the year: every event of the year has happened."""
    return date(year + 1, 1, 16)


def published_row(area: str, year: int) -> dict[str, str]:
    """The row of every shipped DfE file for an authority (name or code) or "England"."""
    row: dict[str, str] = {"time_period": str(year)}
    for name in published.TABLES:
        table = published.published_table(name).filter(pl.col("time_period") == year)
        if area == "England":
            table = published.england(table)
        else:
            table = table.filter(
                pl.col("old_la_code") == published.find_authority(area).old_la_code)
        if table.height == 1:
            row.update({k: v for k, v in table.row(0, named=True).items()
                        if k not in published.ID_COLUMNS and v is not None})
    return row


def _count(row: dict[str, str], column: str) -> int | None:
    value = row.get(column)
    return int(value) if value is not None and value.isdigit() else None


def _block(prefix: str, n: int, received: date, spread: int, **offsets: object) -> pl.DataFrame:
    """n cases: received on `received` + (i mod spread) days; each date column given as
    (days, modulus) is received + days + (i mod modulus); other keywords are literals.
    """
    i = pl.int_range(n, dtype=pl.Int64)
    r = pl.lit(received) + pl.duration(days=i % spread)
    exprs = [pl.format(f"{prefix}-{{}}", i.cast(pl.String).str.zfill(6)).alias(CASE_ID),
             pl.format(f"P{prefix}-{{}}", i.cast(pl.String).str.zfill(6)).alias(PERSON_ID),
             r.alias(RECEIVED_DATE)]
    for column, value in offsets.items():
        if isinstance(value, tuple):
            days, modulus = value
            exprs.append((r + pl.duration(days=days + i % modulus)).alias(column))
        else:
            exprs.append(pl.lit(value).alias(column))
    frame = pl.select(exprs) if n else pl.DataFrame(schema={CASE_ID: pl.String})
    return frame.select(pl.col(c).cast(SCHEMA[c]) if c in frame.columns
                        else pl.lit(None, SCHEMA[c]).alias(c) for c in COLUMNS)


def _plan_blocks(row: dict[str, str], y: int) -> list[pl.DataFrame]:
    den, den_ex = _count(row, "plans_issued_den"), _count(row, "plans_issued_den_ex")
    within, within_ex = (_count(row, "plans_issued_within_20_weeks"),
                         _count(row, "plans_issued_20_weeks_ex"))
    if None in (den, den_ex, within, within_ex):
        return []
    over, over_ex = _count(row, "plans_issued_gt_1_year"), _count(row, "plans_issued_gt_1_year_ex")
    if over is None or over_ex is None:  # before 2023 DfE gives no buckets: none over a year
        over, over_ex = 0, 0
    middle = _count(row, "plans_issued_gt20weeks_ltYear")
    middle_ex = _count(row, "plans_issued_gt20weeks_ltYear_ex")
    if middle is None or middle_ex is None:  # before 2023: every plan is within or 20w–1y
        middle, middle_ex = den - within - over, den_ex - within_ex - over_ex
    # DfE's buckets add up to less than its denominator when plans had no usable request
    # date (England 2024: 90,328 of 90,392): those plans are in the denominator only.
    undated, undated_ex = den - within - middle - over, den_ex - within_ex - middle_ex - over_ex
    pairs = ((within, within_ex), (middle, middle_ex), (over, over_ex), (undated, undated_ex))
    if any(n_ex < 0 or n < n_ex for n, n_ex in pairs):  # a bucket the others overfill
        raise ValueError(f"published row does not add up: {row}")
    plan = {REQUEST_OUTCOME: "Y", ASSESSMENT_OUTCOME: "Y", MEDIATION: False, TRIBUNAL: False}
    # (name, count, received from, issued at received + days + (i mod modulus))
    buckets = [("W", within, within_ex, date(y - 1, 9, 10), (131, 10)),
               ("M", middle, middle_ex, date(y - 1, 7, 1), (200, 150)),
               ("L", over, over_ex, date(y - 1, 1, 10), (365, 100))]
    blocks = []
    for name, n, n_ex, received, issued in buckets:
        for exception, count in ((False, n_ex), (True, n - n_ex)):
            blocks.append(_block(f"{y}{name}{'X' if exception else ''}", count, received, 50,
                                 **{REQUEST_OUTCOME_DATE: (30, 5), PLAN_ISSUED_DATE: issued,
                                    WEEK20_EXCEPTION: exception}, **plan))
    for exception, count in ((False, undated_ex), (True, undated - undated_ex)):
        # No request date: issued in Y (census day − 60 + i mod 300 days is within Y).
        block = _block(f"{y}U{'X' if exception else ''}", count, date(y, 1, 20), 300,
                       **{WEEK20_EXCEPTION: exception}, **plan)
        blocks.append(block.with_columns(pl.col(RECEIVED_DATE).alias(PLAN_ISSUED_DATE))
                      .with_columns(pl.lit(None, pl.Date).alias(RECEIVED_DATE)))
    return blocks


def without_request_date(cases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """CASES split as the pipeline splits them: (rows analysed, plans set aside for having no
    request date, which DfE's denominators still count)."""
    undated = pl.col(RECEIVED_DATE).is_null()
    return cases.filter(~undated), cases.filter(undated)


def _decision_blocks(row: dict[str, str], y: int) -> list[pl.DataFrame]:
    blocks = []
    no_plan = {REQUEST_OUTCOME: "Y", ASSESSMENT_OUTCOME: "N", WEEK20_EXCEPTION: False,
               MEDIATION: False, TRIBUNAL: False}
    within, over = (_count(row, "outcome_decision_within_time"),
                    _count(row, "outcome_decision_over_time"))
    if within is not None and over is not None:  # notified ≤ 112 days / later, in Y
        blocks += [
            _block(f"{y}NW", within, date(y - 1, 10, 1), 30, **no_plan,
                   **{REQUEST_OUTCOME_DATE: (30, 1), ASSESSMENT_OUTCOME_DATE: (100, 12)}),
            _block(f"{y}NO", over, date(y - 1, 9, 1), 30, **no_plan,
                   **{REQUEST_OUTCOME_DATE: (30, 1), ASSESSMENT_OUTCOME_DATE: (130, 60)}),
        ]
    refused = {REQUEST_OUTCOME: "N", WEEK20_EXCEPTION: False, MEDIATION: False,
               TRIBUNAL: False}
    within, over = (_count(row, "request_outcome_six_weeks"),
                    _count(row, "request_outcome_over_6_weeks"))
    if within is not None and over is not None:  # decided ≤ 42 days / later, in Y
        blocks += [
            _block(f"{y}RW", within, date(y, 2, 1), 200, **refused,
                   **{REQUEST_OUTCOME_DATE: (20, 23)}),
            _block(f"{y}RO", over, date(y, 1, 1), 200, **refused,
                   **{REQUEST_OUTCOME_DATE: (43, 60)}),
        ]
    within, over = _count(row, "number_decsion_4weeks"), _count(row, "number_decision_gt_4weeks")
    if within is not None and over is not None:  # plans from Y-2, reviewed in Y
        reviewed = {**no_plan, ASSESSMENT_OUTCOME: "Y"}
        for name, n, decided in (("VW", within, (10, 19)), ("VO", over, (29, 50))):
            block = _block(f"{y}{name}", n, date(y - 2, 1, 10), 60, **reviewed,
                           **{REQUEST_OUTCOME_DATE: (30, 1), PLAN_ISSUED_DATE: (120, 1)})
            meeting = pl.lit(date(y, 2, 1)) + pl.duration(days=pl.int_range(n) % 250)
            blocks.append(block.with_columns(meeting.alias(LAST_REVIEW_DATE)).with_columns(
                (pl.col(LAST_REVIEW_DATE) + pl.duration(
                    days=decided[0] + pl.int_range(n) % decided[1])).alias(REVIEW_DECISION_DATE)))
    return blocks


def cases_for_published_row(row: dict[str, str]) -> pl.DataFrame:
    """Canonical cases whose DfE figures for row["time_period"] are the row's published ones."""
    y = int(row["time_period"])
    blocks = [*_plan_blocks(row, y), *_decision_blocks(row, y)]
    return pl.concat(blocks, how="vertical") if blocks else pl.DataFrame(schema=SCHEMA)


def published_figures(row: dict[str, str], columns: tuple[str, ...]) -> dict[str, object]:
    """The row's published values of `columns` as numbers (`x`/`z` left out)."""
    out: dict[str, object] = {}
    for column in columns:
        value = row.get(column)
        if value is None or value in ("x", "z"):
            continue
        out[column] = float(value) if published.is_percentage(column) else int(value)
    return out

