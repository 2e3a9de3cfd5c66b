"""Value normalisation as Polars expressions: dates (day first, never month first), SEN2 outcome
codes and booleans, in the forms the data contract accepts. No per-row Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import TypeVar

import polars as pl

from ehcp_timeliness.boolean_words import (
    BLANK_TOKENS,
    BOOLEAN_FALSE_WORDS,
    BOOLEAN_NO_PREFIX,
    BOOLEAN_TRUE_WORDS,
    DEFAULT_TRUE_REASONS,
    boolean_key,
    boolean_key_expr,
)
from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR, OUTCOME_CODE_TYPE, TransferKind

V = TypeVar("V")

# Tried in order; the first that parses wins. Day-first only: 03/04/2024 is 3 April.
DATE_FORMATS = (
    "%Y-%m-%d",   # ISO 2024-01-15
    "%d/%m/%Y",   # UK 15/01/2024
    "%d-%m-%Y",   # 15-01-2024
    "%d.%m.%Y",   # 15.01.2024
    "%d %b %Y",   # 15 Jan 2024
    "%d-%b-%Y",   # 15-Jan-2024
    "%d %B %Y",   # 15 January 2024
    "%Y-%b-%d",   # SEN2 COLLECT 2024-Jan-15 (time removed first)
    "%Y/%m/%d",   # 2024/01/15
)
# A trailing time of day (datetimes: the time is dropped).
_TIME_SUFFIX = (r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?"
                r"(?:Z|[+-]\d{2}:?\d{2})?)$")


def _cases(forms: Iterable[str]) -> set[str]:
    """FORMS as exports capitalise them, so matching needs no lower-casing of every cell."""
    return {v for f in forms for v in (f, f.upper(), f.title(), f.capitalize())}


_BLANK_VARIANTS = tuple(sorted(_cases(BLANK_TOKENS)))


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trim and turn blank-like tokens (empty, 'N/A', 'NULL', …) into null."""
    return blank_as_null(expr.str.strip_chars())


def is_blank_token(expr: pl.Expr) -> pl.Expr:
    """Null, empty or a blank-like token as it stands (no trimming: a cheap look-up; padded
    cells need clean_text)."""
    return expr.is_null() | expr.is_in(_word_list(_BLANK_VARIANTS))


@cache
def _word_list(words: tuple[str, ...]) -> pl.Expr:
    """WORDS as one list value, for is_in: made once, where a Python list is made into a
    Polars value at each use."""
    return pl.lit(pl.Series(words, dtype=pl.String)).implode()


def blank_as_null(text: pl.Expr) -> pl.Expr:
    """Text as it stands, with blank-like tokens as null (clean_text without the trim)."""
    return pl.when(is_blank_token(text)).then(None).otherwise(text)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """Text -> pl.Date, null where blank or unparseable (checks report the unparseable ones)."""
    return read_date(without_time(clean_text(expr)))


def without_time(text: pl.Expr) -> pl.Expr:
    """The text without a trailing time of day (a datetime's time is dropped)."""
    return text.str.replace(_TIME_SUFFIX, "")


def read_date(text: pl.Expr) -> pl.Expr:
    """Trimmed text without a time (without_time) -> the date the first of DATE_FORMATS reads
    in it, null where none does or the year is out of range (plausible_date)."""
    return plausible_date(pl.coalesce([text.str.to_date(fmt, strict=False)
                                       for fmt in DATE_FORMATS]))


# Data contract "Outcome codes" (case, spaces, '-', '_' ignored): word -> SEN2 code.
OUTCOME_WORDS: tuple[tuple[str, str], ...] = (
    ("y", "Y"), ("yes", "Y"), ("assess", "Y"), ("issue", "Y"), ("issued", "Y"),
    ("n", "N"), ("no", "N"), ("not assess", "N"), ("not issue", "N"), ("refused", "N"),
    ("declined", "N"),
    ("a", "A"), ("awaiting", "A"), ("pending", "A"),
    ("w", "W"), ("withdrawn", "W"), ("ceased", "W"),
    ("h", "H"), ("historical", "H"), ("transferred in", "H"),
    ("s", "S"),
)
def lookup(text: pl.Expr, table: dict[str, V], dtype: pl.DataType) -> pl.Expr:
    """TABLE[text], or null for text not in it, by one look-up: the cell as an Enum of
    TABLE's keys (null for other text) is the position of its value. Unlike `replace_strict`,
    Polars' streaming engine runs this batch by batch rather than over the whole column."""
    keys, values = _lookup_parts(tuple(table.items()), dtype)
    return values.gather(text.cast(keys, strict=False).to_physical())


@cache
def _lookup_parts(items: tuple[tuple[str, V], ...], dtype: pl.DataType
                  ) -> tuple[pl.Enum, pl.Expr]:
    """A look-up table's keys as an Enum and its values as a literal, made once per table."""
    return (pl.Enum([key for key, _ in items]),
            pl.lit(pl.Series([value for _, value in items], dtype=dtype)))


def outcome_code(cleaned: pl.Expr, extra: dict[str, str] | None = None) -> pl.Expr:
    """Trimmed text -> SEN2 code, or null for blank or unknown text."""
    # Compared lower case, with spaces, '-' and '_' left out: the words and the cells alike.
    table = {re.sub(r"[\s\-_]", "", word.lower()): code
             for word, code in (*OUTCOME_WORDS, *(extra or {}).items())}
    key = cleaned.str.to_lowercase().str.replace_all(r"[\s\-_]", "")
    return lookup(key, table, OUTCOME_CODE_TYPE)


def parse_outcome(expr: pl.Expr, extra: dict[str, str] | None = None) -> pl.Expr:
    """Text -> SEN2 code. Blank is A (awaiting); unknown text is null (reported as an issue)."""
    cleaned = clean_text(expr)
    return (pl.when(cleaned.is_null()).then(pl.lit("A", dtype=OUTCOME_CODE_TYPE))
            .otherwise(outcome_code(cleaned, extra)))


def _boolean_words(true_words: tuple[str, ...]) -> dict[str, bool]:
    """Each accepted boolean word -> its value (boolean_words.py holds the lists; the
    config's [booleans] true_words, the exception reasons, win over the built-in words)."""
    return {**dict.fromkeys((*BOOLEAN_FALSE_WORDS, *BLANK_TOKENS), False),
            **dict.fromkeys((*BOOLEAN_TRUE_WORDS, *true_words), True)}


# A yes/no cell read by the look-up as one code, its value and whether it held something, so
# that telling a blank cell costs no second look-up: bit 1 the cell is not blank, bit 0 true.
BLANK_FALSE, BLANK_TRUE, WORD_FALSE, WORD_TRUE = 0, 1, 2, 3


def boolean_codes(true_words: tuple[str, ...] = DEFAULT_TRUE_REASONS) -> dict[str, int]:
    """Every common spelling of the boolean words -> its code (BLANK_FALSE … WORD_TRUE): the
    look-up that reads a trimmed cell before boolean_reading. A spelling is a word in any
    case, its words joined by ' ', '-' or '_': each has the word's boolean_key, so the look-up
    reads a cell exactly as boolean_reading does."""
    spellings: dict[bool, set[str]] = {False: set(), True: set()}
    for word, value in _boolean_words(true_words).items():
        words = boolean_key(word).split()
        spellings[value] |= _cases({word, *(sep.join(words) for sep in (" ", "-", "_"))})
    # A spelling of both a true and a false word is true, as boolean_reading has it.
    table = {**dict.fromkeys(sorted(spellings[False]), False),
             **dict.fromkeys(sorted(spellings[True]), True)}
    blank = set(_BLANK_VARIANTS)
    return {spelling: (BLANK_FALSE if spelling in blank else WORD_FALSE) + int(value)
            for spelling, value in table.items()}


def boolean_reading(text: pl.Expr, true_words: tuple[str, ...] = DEFAULT_TRUE_REASONS
                    ) -> pl.Expr:
    """A trimmed cell read with every form the data contract accepts: True, False, or null for
    text that is neither (reported as unknown-boolean, counted as false). Blank = False.
    The normaliser calls this only for cells its look-up missed (boolean_codes)."""
    keys = _boolean_keys(true_words)
    key = boolean_key_expr(text)
    no_prefix = text.str.to_lowercase().str.contains(BOOLEAN_NO_PREFIX)
    # A listed word first (a configured reason wins, as in the look-up); then "No - …".
    return (pl.when(is_blank_token(text) | (text == "")).then(pl.lit(False))
            .when(key.is_in(_word_list(keys[True]))).then(pl.lit(True))
            .when(key.is_in(_word_list(keys[False])) | no_prefix).then(pl.lit(False)))


@cache
def _boolean_keys(true_words: tuple[str, ...]) -> dict[bool, tuple[str, ...]]:
    """True and False -> the boolean_key of each word with that value."""
    words = _boolean_words(true_words).items()
    return {value: tuple(key for word, v in words if v == value and (key := boolean_key(word)))
            for value in (True, False)}


# --- The forms a sample shows ---------------------------------------------------------------
# parse_date/parse_outcome above accept everything the data contract allows but cost several
# passes per cell. Each column is first read with only the forms found in a sample of its rows
# (schema/normalise.py); the few cells those miss are read by the full parsers above.

# Datetime forms to_date reads directly (the time is ignored), tried after DATE_FORMATS.
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%b-%d %H:%M:%S",
)
ALL_FAST_FORMATS = DATE_FORMATS + DATETIME_FORMATS


def detect_date_formats(sample: pl.Series, counts: pl.Series) -> tuple[str, ...]:
    """The forms that read sample values no earlier form (in priority order) read, most used
    first: each is tried only on the cells the ones before it left unread, so the common form
    should go first. A form that adds nothing (%B after %b) is left out. The order cannot
    change a date: no text reads as two different plausible dates under two of these forms.
    COUNTS: how many cells each value of SAMPLE stands for.
    """
    text = sample.str.strip_chars()
    known = text.is_not_null()
    text, weight = text.filter(known), counts.filter(known)
    chosen: list[tuple[int, int, str]] = []
    for priority, form in enumerate(ALL_FAST_FORMATS):
        if text.is_empty():
            break
        # Each value is here once: Polars' cache of converted values would only cost.
        read = text.str.to_date(form, strict=False, cache=False).is_not_null()
        if (count := int(weight.filter(read).sum())) > 0:
            chosen.append((-count, priority, form))
            text, weight = text.filter(~read), weight.filter(~read)
    return tuple(form for _, _, form in sorted(chosen))


def plausible_date(column: pl.Expr) -> pl.Expr:
    """The date if its year is in range, else null (two-digit years read as 00xx, typos)."""
    low, high = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    return pl.when(column.is_between(low, high)).then(column)


def outcome_table(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every common spelling of every accepted outcome word -> its SEN2 code: any case, its
    words joined by nothing, ' ', '-' or '_'."""
    words = {**dict(OUTCOME_WORDS), **(extra or {})}
    return {spelling: code for text, code in words.items()
            for spelling in _cases(sep.join(text.strip().lower().split())
                                   for sep in ("", " ", "-", "_"))}


# Phase transfers (data contract): the kind as exports write it, compared lower-case with only
# letters and digits, and the calendar year of the September transfer.
POST_16_WORDS = ("post16", "p16", "post16transfer", "secondarytopost16", "schooltopost16",
                 "year11", "y11", "yr11", "college", "fe", "furthereducation", "sixthform")
SCHOOL_PHASE_WORDS = ("schoolphase", "school", "phase", "phasetransfer", "earlyyearstoschool",
                      "nurserytoschool", "nurserytoprimary", "eytoschool", "infanttojunior",
                      "primarytosecondary", "middletosecondary", "juniortosecondary",
                      "primary", "secondary", "reception", "year2", "year6", "y2", "y6", "yr2",
                      "yr6")


def parse_transfer_kind(expr: pl.Expr) -> pl.Expr:
    """"post_16", "school_phase", or null when blank or not recognised."""
    key = expr.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
    return (pl.when(key.is_in(POST_16_WORDS)).then(pl.lit(TransferKind.POST_16.value))
            .when(key.is_in(SCHOOL_PHASE_WORDS)).then(pl.lit(TransferKind.SCHOOL_PHASE.value)))


def parse_transfer_year(expr: pl.Expr) -> pl.Expr:
    """The first four-digit year in the cell ("2026", "2026/27", "Sept 2026", "01/09/2026"),
    within the contract's years; else null.
    """
    year = expr.str.extract(r"(?:^|\D)(\d{4})(?:\D|$)", 1).cast(pl.Int32, strict=False)
    return pl.when(year.is_between(FIRST_YEAR, LAST_YEAR)).then(year)
