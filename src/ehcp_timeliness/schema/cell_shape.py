"""What a cell looks like, never what it says: the one way messages and issue exports describe a
value from the export.

Any cell may hold a child's name, address or date of birth (a column mapped wrongly, a first
row that is data, free text typed into a date field), so every message builder (the issue
values of schema/checks.py, the header lists of schema/headers.py, the readers' errors)
describes a value by its shape: its length, the kinds of character in it, whether it looks
like a date or a number, and, for a cell of digits and separators only, its pattern with
every digit shown as 9 (`31/02/2011` -> `99/99/9999`): enough to see what is wrong with it,
nothing of what it says. Case ids and header names are the only text from an export that is
ever echoed.

One definition, as a Polars expression (`cell_shape`, for whole columns of issue values, no
per-row Python) and the same expression on a few values (`describe_cell_shapes`, for messages).
"""

from __future__ import annotations

from datetime import date

import polars as pl

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_SEP = r"\s*[-/.]\s*"
_SEP_OR_SPACE = r"(?:,?\s+|\s*[-/.,]\s*)"
# The ways a date is written, day, month or year first, with digits or a month word (ordinals
# and a comma allowed): `15/01/2024`, `2024-01-15`, `7th April 2011`, `April 7, 2011`,
# `2024-Jan-15`. Case is ignored.
_DATE = "|".join((
    rf"\d{{1,4}}{_SEP}\d{{1,2}}{_SEP}\d{{1,4}}",
    rf"\d{{1,2}}{_ORDINAL}{_SEP_OR_SPACE}?{_MONTH}{_SEP_OR_SPACE}\d{{2,4}}",
    rf"{_MONTH}{_SEP_OR_SPACE}\d{{1,2}}{_ORDINAL}{_SEP_OR_SPACE}\d{{2,4}}",
    rf"\d{{4}}{_SEP_OR_SPACE}{_MONTH}{_SEP_OR_SPACE}\d{{1,2}}",
))
_WHOLE_DATE = rf"(?i)^\s*(?:{_DATE})\s*$"
# Digits on either side of the date would make it part of a longer number, not a date.
_SOME_DATE = rf"(?i)(?:^|\D)(?:{_DATE})(?:\D|$)"
_WHOLE_NUMBER = r"^\s*[-+]?\d+\s*$"
_DECIMAL = r"^\s*[-+]?\d*[.,]\d+\s*$"

# (pattern, name) of each kind of character, in the order they are listed.
_CHARACTER_CLASSES = (
    (r"\p{L}", "letters"),
    (r"\p{N}", "digits"),
    (r"[\t\p{Zs}]", "spaces"),
    (r"[\r\n\u2028\u2029]", "line breaks"),
    (r"[\p{P}\p{S}]", "punctuation"),
    (r"[\p{Cc}\p{Cf}&&[^\t\r\n]]", "control characters"),
)
# A cell of digits and these separators only has its pattern shown (digits as 9): it tells a
# date's form (99/99/99, 99999) without a single digit of it.
_PATTERN_SHOWN = r"^[0-9 \-/.:,+]{1,32}$"

LOOKS_LIKE_A_DATE = "looks like a date"
LOOKS_LIKE_A_DATE_WITH_EXTRA_TEXT = "looks like a date with extra text"
A_WHOLE_NUMBER = "a whole number"
A_NUMBER = "a number"


def cell_kind(text: pl.Expr) -> pl.Expr:
    """One of the four kinds above for text that reads as a date or a number, else null."""
    return (pl.when(text.str.contains(_WHOLE_DATE)).then(pl.lit(LOOKS_LIKE_A_DATE))
            .when(text.str.contains(_SOME_DATE)).then(pl.lit(LOOKS_LIKE_A_DATE_WITH_EXTRA_TEXT))
            .when(text.str.contains(_WHOLE_NUMBER)).then(pl.lit(A_WHOLE_NUMBER))
            .when(text.str.contains(_DECIMAL)).then(pl.lit(A_NUMBER)))


def cell_shape(text: pl.Expr) -> pl.Expr:
    """The shape of each value of TEXT (null stays null), e.g. `10 characters (digits,
    punctuation), looks like a date: 99/99/9999` or `20 characters (letters, spaces)`."""
    length = text.str.len_chars()
    classes = pl.concat_str(
        [pl.when(text.str.contains(pattern)).then(pl.lit(name))
         for pattern, name in _CHARACTER_CLASSES],
        separator=", ", ignore_nulls=True)
    described = pl.concat_str(
        [length.cast(pl.String),
         pl.when(length == 1).then(pl.lit(" character (")).otherwise(pl.lit(" characters (")),
         classes, pl.lit(")"),
         pl.lit(", ") + cell_kind(text),
         pl.when(text.str.contains(_PATTERN_SHOWN))
         .then(pl.lit(": ") + text.str.replace_all(r"\d", "9"))],
        ignore_nulls=True)
    return pl.when(text.is_null()).then(pl.lit(None, pl.String)) \
        .when(length == 0).then(pl.lit("empty")).otherwise(described)


def reads_as_words(text: pl.Expr) -> pl.Expr:
    """Whether TEXT reads as words rather than a code: a lower-case letter, and a space between
    two other characters (`Exported by J Smith`, `Total rows: 29`, a name). Ids are codes
    (`REQ-000123`, `EHC 2024/17`, `4412`)."""
    return text.str.contains(r"\p{Ll}") & text.str.contains(r"\S\s+\S")


def describe_cell_shapes(texts: list[str]) -> list[str]:
    """cell_shape of each of TEXTS, for a message."""
    values = pl.Series("text", texts, pl.String)
    return values.to_frame().select(cell_shape(pl.col("text")).alias("shape"))["shape"].to_list()


def looks_like_values(texts: list[str]) -> list[bool]:
    """For each of TEXTS, whether it reads as a date or a number (cell_kind) or holds a line
    break: a header like that is a row of data, not a column's name. One Polars pass, so a
    16,384-column header row costs no more than a few."""
    text = pl.col("text")
    like = cell_kind(text).is_not_null() | text.str.contains(r"[\r\n]")
    frame = pl.Series("text", texts, pl.String).to_frame()
    return frame.select(like.fill_null(False).alias("like"))["like"].to_list()


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
# ASCII digits only: Polars' \d matches any script's digits, which no integer cast reads.
_DAY_FIRST = r"^\s*([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})\s*$"
_YEAR_FIRST = r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$"


def impossible_date(text: pl.Expr) -> pl.Expr:
    """For a date written in digits, day first or ISO, that no calendar has, why: `31/09/2024:
    September has 30 days`, `29/02/2023: February 2023 has 28 days`, `06/22/2025: there is no
    month 22 (written month first?)`. Null for anything else. The text is shown: a date of
    digits and separators says nothing a pattern of 9s would not, beyond the day that is
    wrong. Callers describe a personal column's value by nothing at all (checks.HIDDEN)."""
    parts = [pl.coalesce(text.str.extract(_DAY_FIRST, first), text.str.extract(_YEAR_FIRST, last))
             .cast(pl.Int32, strict=False) for first, last in ((1, 3), (2, 2), (3, 1))]
    day, month, year = parts
    shown = text.str.strip_chars()
    real_month = month.is_between(1, 12)
    days = pl.date(year.clip(1, 9999), month.clip(1, 12), 1).dt.month_end().dt.day()
    name = month.clip(1, 12).replace_strict(list(range(1, 13)), list(_MONTH_NAMES),
                                           return_dtype=pl.String)
    in_year = pl.when(month == 2).then(pl.lit(" ") + year.cast(pl.String)).otherwise(pl.lit(""))
    return (pl.when(day.is_null()).then(pl.lit(None, pl.String))
            .when(~real_month & (day <= 12) & (month <= 31))
            .then(shown + pl.lit(": there is no month ") + month.cast(pl.String)
                  + pl.lit(" (written month first?)"))
            .when(~real_month).then(shown + pl.lit(": there is no month ")
                                    + month.cast(pl.String))
            .when(day == 0).then(shown + pl.lit(": there is no day 0"))
            .when(day > days).then(shown + pl.lit(": ") + name + in_year + pl.lit(" has ")
                                   + days.cast(pl.String) + pl.lit(" days")))


# Excel counts days from 30 December 1899: 18264 is 1 January 1950 and 73415 is 31 December
# 2100, the years the tool reads.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIALS = (18264, 73415)


def excel_date_number(text: pl.Expr) -> pl.Expr:
    """For a date cell holding a whole number Excel would show as a date of 1950-2100, which
    date: `45307: Excel's number for 2024-01-15 (format the column as a date)`. A cell
    formatted as a number (General) in Excel gives such numbers, in a workbook or the CSV
    saved from it; read as such they would be a guess, so they are reported. Null for
    anything else. Like impossible_date, the text is shown; callers hide a personal
    column's value."""
    digits = text.str.strip_chars()
    serial = pl.when(digits.str.contains(r"^[0-9]{5}$")).then(digits.cast(pl.Int64, strict=False))
    read = (pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial)).dt.to_string("%Y-%m-%d")
    return (pl.when(serial.is_between(*_EXCEL_SERIALS))
            .then(digits + pl.lit(": Excel's number for ") + read
                  + pl.lit(" (format the column as a date)")))
