"""Value normalisation: every format in the data contract, and near-misses that must not parse."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR
from ehcp_timeliness.schema.values import (
    ALL_FAST_FORMATS,
    parse_date,
    parse_outcome,
)

from conftest import read_yes_no


def parse(expr_fn, values: list[str | None], **kw) -> list[object]:  # type: ignore[no-untyped-def]
    return pl.DataFrame({"v": values}, schema={"v": pl.String}).select(
        expr_fn(pl.col("v"), **kw)).to_series().to_list()


@pytest.mark.parametrize("text", [
    "2024-01-15", "15/01/2024", "15-01-2024", "15 Jan 2024", "15-Jan-2024", "15 JAN 2024",
    "2024-Jan-15 00:00:00", "2024-01-15 00:00:00", "2024-01-15T09:30:00", "15/01/2024 09:30",
    "15/1/2024", "15 January 2024", " 15/01/2024 ", "15.01.2024", "2024-01-15 10:30:00.000000",
])
def test_accepted_date_forms(text: str) -> None:
    assert parse(parse_date, [text]) == [date(2024, 1, 15)]


def test_dates_are_day_first_never_month_first() -> None:
    assert parse(parse_date, ["03/04/2024", "12/01/2024"]) == [date(2024, 4, 3),
                                                                date(2024, 1, 12)]


@pytest.mark.parametrize("text", [
    "01/15/2024",   # US month-first: no 15th month
    "31/02/2024", "2024-13-01", "15/01/24",  # two-digit year must not become year 24
    "next week", "15th Jan 2024?", "44927",
])
def test_near_misses_do_not_parse(text: str) -> None:
    assert parse(parse_date, [text]) == [None]


@pytest.mark.parametrize("blank", [None, "", "  ", "N/A", "null", "-", "NULL"])
def test_blank_like_dates_are_null(blank: str | None) -> None:
    assert parse(parse_date, [blank]) == [None]


@pytest.mark.parametrize(("text", "code"), [
    ("Y", "Y"), ("yes", "Y"), ("Assess", "Y"), ("issue", "Y"), ("Issued", "Y"),
    ("N", "N"), ("no", "N"), ("Not assess", "N"), ("not-issue", "N"), ("REFUSED", "N"),
    ("declined", "N"), ("A", "A"), ("awaiting", "A"), ("Pending", "A"), (None, "A"), ("", "A"),
    ("W", "W"), ("withdrawn", "W"), ("ceased", "W"), ("H", "H"), ("historical", "H"),
    ("transferred_in", "H"), ("Transferred In", "H"), ("S", "S"), ("maybe", None),
])
def test_outcome_codes(text: str | None, code: str | None) -> None:
    assert parse(parse_outcome, [text]) == [code]


def test_outcome_codes_extended_by_config() -> None:
    assert parse(parse_outcome, ["Agreed to assess", "maybe"],
                 extra={"Agreed to assess": "Y"}) == ["Y", None]


YES_NO_CELLS = [
    ("1", True), ("0", False), ("Y", True), ("n", False), ("yes", True), ("No", False),
    ("TRUE", True), ("false", False), (None, False), ("", False), ("school_closure", True),
    # E55: the words an export writes for "no exception" are false, never true.
    ("No exception", False), ("Not applicable", False), ("None", False), ("N/A", False),
    ("n/a", False), ("No - parent asked for more time", False), ("NO: see notes", False),
    ("  no   exception ", False), ("0", False), ("-", False),
    ("Y", True), ("true", True), ("School Closure", True), ("school-closure", True),
    ("Exceptional personal circumstances", True), ("ABSENCE", True),
    # Anything else counts as false (and is reported as unknown-boolean).
    ("maybe", False), ("Nobody asked", False), ("?", False),
]


def test_booleans(tmp_path: Path) -> None:
    read = read_yes_no(tmp_path, week20_exception=[text for text, _ in YES_NO_CELLS])
    assert read["week20_exception"] == [value for _, value in YES_NO_CELLS]


def _plausible_readings(text: str) -> set[date]:
    cell = pl.Series([text])
    readings = {cell.str.to_date(form, strict=False).item() for form in ALL_FAST_FORMATS}
    return {d for d in readings if d is not None and FIRST_YEAR <= d.year <= LAST_YEAR}


@settings(max_examples=200, deadline=None)
@given(day=st.datetimes(datetime(1950, 1, 1), datetime(2100, 12, 31)),
       form=st.sampled_from(ALL_FAST_FORMATS))
def test_no_text_reads_as_two_dates_under_two_forms(day: datetime, form: str) -> None:
    # normalise tries a column's forms most-used first, not in priority order: that is safe
    # only because no cell can read as two different plausible dates.
    text = pl.Series([day]).dt.to_string(form).item()
    assert len(_plausible_readings(text)) == 1


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789/-. :TJanFebMayDec", min_size=6, max_size=19))
def test_no_odd_text_reads_as_two_dates_under_two_forms(text: str) -> None:
    assert len(_plausible_readings(text)) <= 1
