"""Dates through the whole pipeline: every form the data contract accepts reads as its date;
near-misses read as the intended date or not at all; never as another date.

Each example is one export whose date columns hold many drawn dates, either all in one form
(what a real export does, and what the fast parse is tuned for) or in mixed forms (the slow
path for cells the fast parse misses). The as-of date is past every drawn date, so statuses
never set a row aside.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.columns import PLAN_ISSUED_DATE, RECEIVED_DATE, ROW
from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import Analysis, analyse
from fuzz.generators import (
    CONTRACT_DATE_FORMS,
    NEAR_MISS_FORMS,
    TIME_SUFFIXES,
    contract_dates,
    fuzz,
    must_not_parse,
)

LATER_THAN_ANY = date(2101, 1, 1)


def analyse_dates(cells: list[str]) -> Analysis:
    """One row per cell, the cell as both the received and the plan issue date."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Case Ref", "Date Request Received", "Final EHCP Issued"])
    writer.writerows([f"C{i}", cell, cell] for i, cell in enumerate(cells))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dates.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return analyse(path, Config(), LATER_THAN_ANY)


def read_as(analysis: Analysis, n: int) -> list[date | None]:
    """What each row's cell was read as: its date, or None when the row was set aside."""
    got = dict(zip(analysis.cases[ROW], analysis.cases[RECEIVED_DATE], strict=True))
    assert analysis.cases[RECEIVED_DATE].to_list() == analysis.cases[PLAN_ISSUED_DATE].to_list()
    return [got.get(row) for row in range(2, n + 2)]


def unreadable_rows(analysis: Analysis) -> set[int]:
    issues = analysis.issues.filter((pl.col("code") == "unparseable-date")
                                    & (pl.col("column") == RECEIVED_DATE))
    return set(issues["row"].to_list())


forms = st.sampled_from(sorted(CONTRACT_DATE_FORMS))
suffixes = st.sampled_from(TIME_SUFFIXES)


@st.composite
def contract_cells(draw: st.DrawFn) -> tuple[list[date], list[str]]:
    days = draw(st.lists(contract_dates, min_size=1, max_size=40))
    if draw(st.booleans()):  # one form for the whole column, as an export writes it
        form, suffix = draw(forms), draw(suffixes)
        cells = [CONTRACT_DATE_FORMS[form](d) + suffix for d in days]
    else:
        cells = [CONTRACT_DATE_FORMS[draw(forms)](d) + draw(suffixes) for d in days]
    padding = draw(st.sampled_from(["", " ", "  ", "\t"]))
    return days, [padding + c + padding for c in cells]


@fuzz(60)
@given(contract_cells())
def test_every_contract_form_reads_as_its_date(drawn: tuple[list[date], list[str]]) -> None:
    days, cells = drawn
    analysis = analyse_dates(cells)
    assert read_as(analysis, len(cells)) == days, list(zip(cells, days, strict=True))


@st.composite
def near_miss_cells(draw: st.DrawFn) -> tuple[list[date], list[str]]:
    days = draw(st.lists(contract_dates, min_size=1, max_size=40))
    names = sorted(NEAR_MISS_FORMS)
    mixed = draw(st.booleans())
    one = draw(st.sampled_from(names))
    # A near-miss column usually sits among good dates: mix in contract forms too.
    cells = [NEAR_MISS_FORMS[draw(st.sampled_from(names)) if mixed else one](d)
             if draw(st.integers(0, 3)) else CONTRACT_DATE_FORMS[draw(forms)](d) for d in days]
    return days, cells


@fuzz(60)
@given(near_miss_cells())
def test_a_near_miss_reads_as_its_date_or_is_reported_never_as_another(
        drawn: tuple[list[date], list[str]]) -> None:
    days, cells = drawn
    analysis = analyse_dates(cells)
    unreadable = unreadable_rows(analysis)
    for row, (cell, day, got) in enumerate(zip(cells, days, read_as(analysis, len(cells)),
                                               strict=True), start=2):
        assert got in (day, None), f"{cell!r} read as {got}, not {day}"
        assert got is not None or row in unreadable, f"{cell!r} set aside with no reason"


@fuzz(60)
@given(st.lists(contract_dates.flatmap(lambda d: st.sampled_from(must_not_parse(d))),
                min_size=1, max_size=40))
def test_two_digit_years_and_impossible_dates_are_reported_not_read(cells: list[str]) -> None:
    """15/01/24 is never the year 24 or 2024; 31/04, 30/02, 29/02 of a common year, month 13,
    month-first with the day over 12 and years outside 1950-2100 are all reported."""
    analysis = analyse_dates(cells)
    assert analysis.rows_analysed == 0, analysis.cases[RECEIVED_DATE].to_list()
    assert unreadable_rows(analysis) == set(range(2, len(cells) + 2))
