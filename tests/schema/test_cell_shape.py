"""A cell is described by its shape, never its text (schema/cell_shape.py)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.schema.cell_shape import (
    cell_shape,
    describe_cell_shapes,
    looks_like_values,
)


@pytest.mark.parametrize(("text", "shape"), [
    ("31/02/2011", "10 characters (digits, punctuation), looks like a date: 99/99/9999"),
    ("15/01/24", "8 characters (digits, punctuation), looks like a date: 99/99/99"),
    ("40275", "5 characters (digits), a whole number: 99999"),
    ("7th April 2011", "14 characters (letters, digits, spaces), looks like a date"),
    ("April 7 2011", "12 characters (letters, digits, spaces), looks like a date"),
    ("2024-Jan-15", "11 characters (letters, digits, punctuation), looks like a date"),
    ("15/01/2024x", "11 characters (letters, digits, punctuation), looks like a date with extra "
                    "text"),
    ("c.15/01/2024", "12 characters (letters, digits, punctuation), looks like a date with "
                     "extra text"),
    ("Zebedee Quartermaine", "20 characters (letters, spaces)"),
    ("maybe", "5 characters (letters)"),
    ("Q", "1 character (letters)"),
    ("1.5", "3 characters (digits, punctuation), a number: 9.9"),
    ("a\x1bb\n", "4 characters (letters, line breaks, control characters)"),
    ("", "empty"),
])
def test_a_cell_is_described_by_its_shape(text: str, shape: str) -> None:
    assert describe_cell_shapes([text]) == [shape]


def test_the_expression_and_the_message_agree_and_null_stays_null() -> None:
    texts = ["31/02/2011", "Zebedee", None]
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    column = frame.select(cell_shape(pl.col("t")))
    assert column.to_series().to_list() == [*describe_cell_shapes(texts[:2]), None]


@pytest.mark.parametrize("header", ["7th April 2011", "40275", "April 7 2011", "17/03/2013",
                                    "2013-03-17 00:00:00", "15 Jan 2024", "Name\nDOB"])
def test_a_date_number_or_line_break_is_a_value_not_a_header(header: str) -> None:
    assert looks_like_values([header]) == [True]


@pytest.mark.parametrize("header", ["Case Ref", "Date Request Received", "DOB", "Team",
                                    "Year 2024/25", "Plans issued Mar 2024", "20 Week Exception",
                                    "Phase transfer year"])
def test_a_header_is_not_a_value(header: str) -> None:
    assert looks_like_values([header]) == [False]


# Letters that start no month name (jan … dec), so swapping them cannot make or unmake a date.
_NOT_MONTHS = "hikqwxzHIKQWXZ"
_ALPHABET = _NOT_MONTHS + "0123456789 -/.,:;\t\n\x1b'\"é£"


@given(st.text(alphabet=_ALPHABET, max_size=40), st.randoms(use_true_random=False))
def test_the_shape_tells_nothing_of_which_letters_or_digits(text: str, rng: object) -> None:
    """Any other letters and digits in the same places give the same description: the shape
    cannot carry a name, a date or an id out of the export."""
    import random

    assert isinstance(rng, random.Random)
    swapped = "".join(
        rng.choice("0123456789") if c.isdigit() else
        rng.choice(_NOT_MONTHS) if c in _NOT_MONTHS else c for c in text)
    assert describe_cell_shapes([swapped]) == describe_cell_shapes([text])


@pytest.mark.parametrize(("text", "why"), [
    ("31/09/2024", "31/09/2024: September has 30 days"),
    ("29/02/2023", "29/02/2023: February 2023 has 28 days"),
    ("2024-02-30", "2024-02-30: February 2024 has 29 days"),
    ("06/22/2025", "06/22/2025: there is no month 22 (written month first?)"),
    ("00/01/2024", "00/01/2024: there is no day 0"),
    ("29/02/2024", None), ("15/01/2024", None), ("next week", None), ("31 Sep 2024", None),
])
def test_impossible_date_says_why(text: str, why: str | None) -> None:
    from ehcp_timeliness.schema.cell_shape import impossible_date

    frame = pl.DataFrame({"t": [text]})
    assert frame.select(impossible_date(pl.col("t")).alias("w"))["w"].item() == why


def test_impossible_date_of_birth_is_not_shown(tmp_path, run) -> None:  # type: ignore[no-untyped-def]
    import json

    path = tmp_path / "cases.csv"
    path.write_text("Case Ref,Date Request Received,DOB\nC1,31/09/2024,31/09/2010\n",
                    encoding="utf-8")
    issues = tmp_path / "issues.json"
    run("validate", path, "--as-of", "2025-06-30", "--issues-out", issues)
    values = {i["column"]: i["value"] for i in json.loads(issues.read_text(encoding="utf-8"))}
    assert values["received_date"] == "31/09/2024: September has 30 days"
    assert "31/09/2010" not in json.dumps(values)
    assert "September" not in (values.get("date_of_birth") or "")


@pytest.mark.parametrize(("text", "which"), [
    ("45306", "45306: Excel's number for 2024-01-15 (format the column as a date)"),
    (" 18264 ", "18264: Excel's number for 1950-01-01 (format the column as a date)"),
    ("73415", "73415: Excel's number for 2100-12-31 (format the column as a date)"),
    ("18263", None), ("73416", None), ("4530", None), ("45307.5", None), ("20240115", None),
])
def test_an_excel_date_number_says_which_date(text: str, which: str | None) -> None:
    from ehcp_timeliness.schema.cell_shape import excel_date_number

    frame = pl.DataFrame({"t": [text]})
    assert frame.select(excel_date_number(pl.col("t")).alias("w"))["w"].item() == which


def test_a_workbook_of_date_numbers_says_which_dates_but_not_a_birth_date(tmp_path, run) -> None:  # type: ignore[no-untyped-def]
    """A date column formatted as a number in Excel: each row is reported (never read as a
    guess), and the value says which date the number is, so the fix is plain; a date of
    birth stays unshown."""
    import json

    import xlsxwriter

    path = tmp_path / "numbers.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Case Ref", "Date Request Received", "DOB"])
    sheet.write_row(1, 0, ["C1", 45306, 40275])
    book.close()
    issues = tmp_path / "issues.json"
    run("validate", path, "--as-of", "2025-06-30", "--issues-out", issues)
    values = {i["column"]: i["value"] for i in json.loads(issues.read_text(encoding="utf-8"))}
    assert values["received_date"] == ("45306: Excel's number for 2024-01-15 (format the "
                                       "column as a date)")
    assert values["date_of_birth"] == "(not shown: personal data)"
