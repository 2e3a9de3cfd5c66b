"""Two exports of one case list compared, case by case (the `compare` command).

Cases are matched by case id over the two analysed frames: each export is analysed at its own
as-of date (last month's statuses as of last month's date), so a case's move from one status
to another is what happened between the two dates. A case in one export and not the other is
listed as new or disappeared, or, when its row was set aside in the other export, as set aside
there, so no case drops out silently. For the cases in both, every date column the two exports
share is compared: a date that was already there and changed (edited), went blank (removed), or
appeared although it falls on or before the earlier as-of date (recorded late: it belonged in
the earlier export) is listed by case id and column with both values. A date that appears
after the earlier as-of date is the case moving on, and is not listed.

Plain Polars joins: no row is looked at in Python.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    CASE_ID,
    DATE_OF_BIRTH,
    OPEN_PLAN_STATUSES,
    PERSON_ID,
    PLAN_STATUS,
    PlanStatus,
    column,
)
from ehcp_timeliness.schema.checks import HIDDEN
from ehcp_timeliness.schema.issue_codes import SET_ASIDE

# Who a case is about: one changed between exports means the case id now names another child
# (an id reused, or a record merged), or the child's record was corrected.
IDENTITY: tuple[str, ...] = (PERSON_ID, DATE_OF_BIRTH)

# Findings, in the order they are listed. A case has at most one of the first eight; each of
# its dates that changed adds one of the last three.
NEW = "new"
DISAPPEARED = "disappeared"
SET_ASIDE_IN_PREVIOUS = "set_aside_in_previous"
SET_ASIDE_IN_CURRENT = "set_aside_in_current"
NEWLY_ISSUED = "newly_issued"
CLOSED = "closed"
NEWLY_OVERDUE = "newly_overdue"
REOPENED = "reopened"
DATE_EDITED = "date_edited"
DATE_REMOVED = "date_removed"
DATE_RECORDED_LATE = "date_recorded_late"
PERSON_CHANGED = "person_changed"
FINDINGS: tuple[str, ...] = (
    NEW, DISAPPEARED, SET_ASIDE_IN_PREVIOUS, SET_ASIDE_IN_CURRENT, NEWLY_ISSUED, CLOSED,
    NEWLY_OVERDUE, REOPENED, PERSON_CHANGED, DATE_EDITED, DATE_REMOVED, DATE_RECORDED_LATE,
)
DATE_FINDINGS: tuple[str, ...] = (DATE_EDITED, DATE_REMOVED, DATE_RECORDED_LATE)
# What a board must hear about: history rewritten, or a case gone without being closed. A
# date recorded late is listed and counted but does not fail the run: data entry lag (a plan
# issued on the 30th, typed in on the 2nd) is routine, not an error.
NEEDS_ATTENTION: frozenset[str] = frozenset({DISAPPEARED, PERSON_CHANGED, DATE_EDITED,
                                            DATE_REMOVED})

# The findings table (`compare --format csv|json`), in this order (docs/commands.md#compare).
COMPARE_COLUMNS: tuple[str, ...] = (
    "finding", "case_id", "previous_plan_status", "current_plan_status", "column",
    "previous_value", "current_value", "days_moved", "set_aside_reasons",
)

_ISSUED = (PlanStatus.ISSUED_ON_TIME.value, PlanStatus.ISSUED_LATE.value)
_OPEN = tuple(str(s) for s in OPEN_PLAN_STATUSES)
_OPEN_NOT_OVERDUE = tuple(s for s in _OPEN if s != PlanStatus.OVERDUE)
_PREVIOUS, _CURRENT = "previous ", "current "  # a space: no canonical name has one
_KEY = "case key"


def case_key(ids: pl.Expr) -> pl.Expr:
    """A case id as compare matches it: Unicode NFC (as headers are matched), case and
    surrounding spaces ignored, so `REQ-1 `, `req-1` and a decomposed accent match."""
    return ids.str.normalize("NFC").str.strip_chars().str.to_lowercase()


def set_aside_ids(issues: pl.DataFrame, analysed: pl.DataFrame) -> pl.DataFrame:
    """case_id -> set_aside_reasons (the issue codes, `; `-joined) of the rows set aside with a
    case id, less the ids also analysed (a duplicate id: its first row is analysed)."""
    aside = issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE])
                          & pl.col(CASE_ID).is_not_null())
    return (aside.group_by(CASE_ID)
            .agg(pl.col("code").unique().sort().str.join("; ").alias("set_aside_reasons"))
            .join(analysed.select(CASE_ID), on=CASE_ID, how="anti")
            .sort(CASE_ID))


def _side(cases: pl.DataFrame, dates: Sequence[str], identity: Sequence[str],
          prefix: str) -> pl.DataFrame:
    kept = dict.fromkeys([*dates, *identity])
    return cases.select(
        case_key(column(CASE_ID)).alias(_KEY),
        column(CASE_ID).alias(f"{prefix}{CASE_ID}"),
        column(PLAN_STATUS).cast(pl.String).alias(f"{prefix.strip()}_plan_status"),
        *(column(d).alias(f"{prefix}{d}") for d in kept),
        pl.lit(True).alias(f"{prefix}present"))


def _aside(aside: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return (aside.select(case_key(pl.col(CASE_ID)).alias(_KEY),
                         pl.col("set_aside_reasons").alias(f"{prefix}set_aside_reasons"))
            .unique(_KEY, keep="first", maintain_order=True))


_IN_BOTH = pl.col(f"{_PREVIOUS}present") & pl.col(f"{_CURRENT}present")
_STATUSES = (pl.col("previous_plan_status"), pl.col("current_plan_status"))


def _person_findings(joined: pl.DataFrame, name: str) -> pl.DataFrame:
    """Cases in both exports whose NAME (a person id, a date of birth) was there before and
    is another now: the id may have been reused for another child. The values are personal:
    compared, never shown (a person id compared as case ids are, NFC and case ignored)."""
    before, after = pl.col(f"{_PREVIOUS}{name}"), pl.col(f"{_CURRENT}{name}")
    if name == PERSON_ID:
        before, after = case_key(before), case_key(after)
    changed = before.is_not_null() & after.is_not_null() & (before != after)
    return (joined.filter(_IN_BOTH & changed)
            .select(pl.lit(PERSON_CHANGED).alias("finding"), CASE_ID, *_STATUSES,
                    pl.lit(name, pl.String).alias("column"),
                    pl.lit(HIDDEN).alias("previous_value"), pl.lit(HIDDEN).alias("current_value")))


def _case_findings(joined: pl.DataFrame) -> pl.DataFrame:
    """One row per case whose presence or plan status changed."""
    before, after = _STATUSES
    in_previous, in_current = pl.col(f"{_PREVIOUS}present"), pl.col(f"{_CURRENT}present")
    aside_before = pl.col(f"{_PREVIOUS}set_aside_reasons")
    aside_after = pl.col(f"{_CURRENT}set_aside_reasons")
    both = in_previous & in_current & before.is_not_null() & after.is_not_null()
    finding = (
        pl.when(in_current & ~in_previous & aside_before.is_null()).then(pl.lit(NEW))
        .when(in_previous & ~in_current & aside_after.is_null()).then(pl.lit(DISAPPEARED))
        .when(in_current & ~in_previous).then(pl.lit(SET_ASIDE_IN_PREVIOUS))
        .when(in_previous & ~in_current).then(pl.lit(SET_ASIDE_IN_CURRENT))
        .when(both & ~before.is_in(_ISSUED) & after.is_in(_ISSUED)).then(pl.lit(NEWLY_ISSUED))
        .when(both & before.is_in(_OPEN) & (after == PlanStatus.CLOSED_NO_PLAN.value))
        .then(pl.lit(CLOSED))
        .when(both & before.is_in(_OPEN_NOT_OVERDUE) & (after == PlanStatus.OVERDUE.value))
        .then(pl.lit(NEWLY_OVERDUE))
        .when(both & ~before.is_in(_OPEN) & after.is_in(_OPEN)).then(pl.lit(REOPENED)))
    return (joined.with_columns(finding.alias("finding"))
            .filter(pl.col("finding").is_not_null())
            .select("finding", CASE_ID, *_STATUSES,
                    pl.lit(None, pl.String).alias("column"),
                    pl.lit(None, pl.String).alias("previous_value"),
                    pl.lit(None, pl.String).alias("current_value"),
                    pl.lit(None, pl.Int64).alias("days_moved"),
                    pl.coalesce(aside_before, aside_after).alias("set_aside_reasons")))


def _date_findings(joined: pl.DataFrame, name: str, previous_as_of: date,
                   personal: bool) -> pl.DataFrame:
    """Cases in both exports whose NAME date changed (see the module's docstring)."""
    before, after = pl.col(f"{_PREVIOUS}{name}"), pl.col(f"{_CURRENT}{name}")
    finding = (
        pl.when(before.is_not_null() & after.is_not_null() & (before != after))
        .then(pl.lit(DATE_EDITED))
        .when(before.is_not_null() & after.is_null()).then(pl.lit(DATE_REMOVED))
        .when(before.is_null() & (after <= pl.lit(previous_as_of)))
        .then(pl.lit(DATE_RECORDED_LATE)))

    def shown(value: pl.Expr) -> pl.Expr:
        # A personal date (a date of birth) is compared but never shown, as in validate.
        if personal:
            return pl.when(value.is_not_null()).then(pl.lit(HIDDEN)).otherwise(None)
        return value.dt.to_string("%Y-%m-%d")

    moved = pl.lit(None, pl.Int64) if personal else (after - before).dt.total_days()
    return (joined.filter(_IN_BOTH)
            .with_columns(finding.alias("finding"))
            .filter(pl.col("finding").is_not_null())
            .select("finding", CASE_ID, *_STATUSES, pl.lit(name, pl.String).alias("column"),
                    shown(before).alias("previous_value"), shown(after).alias("current_value"),
                    moved.cast(pl.Int64).alias("days_moved")))


def compare_exports(previous: pl.DataFrame, current: pl.DataFrame,
                    previous_aside: pl.DataFrame, current_aside: pl.DataFrame,
                    dates: Sequence[str], previous_as_of: date,
                    personal: Collection[str] = (),
                    identity: Sequence[str] = ()) -> pl.DataFrame:
    """The findings (COMPARE_COLUMNS), in FINDINGS order, then by case id and date column.

    PREVIOUS, CURRENT: each export's analysed cases (case_id, plan_status at its own as-of
    date, and the DATES columns, those both exports have). *_ASIDE: set_aside_ids of each.
    PERSONAL: date columns compared but whose values are never shown. IDENTITY: the columns
    of IDENTITY both exports have; one changed is PERSON_CHANGED (a date of birth changed is
    that, not DATE_EDITED). Case ids are matched by case_key; the current export's spelling
    is shown.
    """
    joined = (_side(previous, dates, identity, _PREVIOUS)
              .join(_side(current, dates, identity, _CURRENT), on=_KEY, how="full",
                    coalesce=True)
              .join(_aside(previous_aside, _PREVIOUS), on=_KEY, how="left")
              .join(_aside(current_aside, _CURRENT), on=_KEY, how="left")
              .with_columns(pl.col(f"{p}present").fill_null(False) for p in (_PREVIOUS, _CURRENT))
              .with_columns(pl.coalesce(f"{_CURRENT}{CASE_ID}", f"{_PREVIOUS}{CASE_ID}")
                            .alias(CASE_ID)))
    person = [_person_findings(joined, name) for name in identity]
    dated = [_date_findings(joined, d, previous_as_of, d in personal) for d in dates]
    dated = [f.filter(pl.col("finding") != DATE_EDITED) if d in identity else f
             for d, f in zip(dates, dated, strict=True)]
    parts = [_case_findings(joined), *person, *dated]
    order = {name: i for i, name in enumerate(dates)}
    # The case findings have every column; the others leave out the ones they never fill.
    return (pl.concat(parts, how="diagonal")
            .with_columns(pl.col("finding").replace_strict(
                              {f: i for i, f in enumerate(FINDINGS)}, return_dtype=pl.Int32)
                          .alias("finding rank"),
                          pl.col("column").replace_strict(order, default=-1,
                                                          return_dtype=pl.Int32)
                          .alias("column rank"))
            .sort("finding rank", CASE_ID, "column rank")
            .select(COMPARE_COLUMNS))
