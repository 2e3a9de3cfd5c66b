"""The words a code column holds that the tool does not know, and the config line that teaches it.

A word a system writes in hundreds of rows ("Agreed to assess", "NTI") is its vocabulary, not a
child's data, so it is shown, with its count, once it recurs in [privacy] min_rows_to_show_value
rows or more. A rarer value may be free text typed into the column (a name, a note): it stays
described by its shape (cell_shape.py), with its count. Only code columns (outcomes, yes/no
flags, phase-transfer kind) are read; free-text and personal columns never.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.boolean_words import DEFAULT_TRUE_REASONS
from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    BOOLEAN_COLUMNS,
    OUTCOME_COLUMNS,
    PHASE_TRANSFER_KIND,
    REQUEST_OUTCOME,
    column,
    input_name,
)
from ehcp_timeliness.schema.cell_shape import cell_shape
from ehcp_timeliness.schema.values import (
    boolean_reading,
    clean_text,
    parse_outcome,
    parse_transfer_kind,
)

CODE_COLUMNS: tuple[str, ...] = (*OUTCOME_COLUMNS, *BOOLEAN_COLUMNS, PHASE_TRANSFER_KIND)

# Words of a system's outcome wording -> the SEN2 code they suggest, first match wins: the
# negatives first ("Not agreed" is N, not Y). A guess, shown as one for the analyst to check.
_GUESSES: dict[str, tuple[tuple[str, str], ...]] = {
    REQUEST_OUTCOME: (
        (r"\b(not|nta|no|refus\w*|declin\w*|reject\w*)\b", "N"),
        (r"\bwithdr\w*", "W"), (r"\btransfer\w*", "H"),
        (r"\b(await\w*|pend\w*|open|ongoing|in progress)\b", "A"),
        (r"\b(agree\w*|assess\w*|accept\w*|approv\w*)\b", "Y"),
    ),
    ASSESSMENT_OUTCOME: (
        (r"\b(not|nti|no|refus\w*|declin\w*)\b", "N"),
        (r"\b(withdr\w*|ceas\w*)", "W"), (r"\btransfer\w*", "H"),
        (r"\b(await\w*|pend\w*|open|ongoing|in progress)\b", "A"),
        (r"\b(issu\w*|plan|agree\w*|final\w*|draft)\b", "Y"),
    ),
}


@dataclass(frozen=True)
class UnknownValue:
    """Rows of one code column whose value the tool does not read: a word shown (TEXT) when it
    recurs in enough rows, else one shape of rarer values (TEXT None)."""

    canonical: str
    header: str
    rows: int
    text: str | None = None
    shape: str | None = None


def guess_code(canonical: str, text: str) -> str | None:
    """The SEN2 code an outcome word suggests (_GUESSES), or None."""
    words = " ".join(re.split(r"[^a-z0-9]+", text.lower()))
    for pattern, code in _GUESSES.get(canonical, ()):
        if re.search(pattern, words):
            return code
    return None


def code_read(canonical: str, text: pl.Expr, outcome_codes: dict[str, str] | None = None,
              true_words: tuple[str, ...] = DEFAULT_TRUE_REASONS) -> pl.Expr:
    """What the tool reads a non-blank cell of the code column CANONICAL as; null: unread."""
    if canonical in OUTCOME_COLUMNS:
        return parse_outcome(text, outcome_codes)
    if canonical in BOOLEAN_COLUMNS:
        return boolean_reading(text.str.strip_chars(), true_words)
    return parse_transfer_kind(text)


def unknown_values(frame: pl.LazyFrame, mapped: dict[str, str], outcome_codes: dict[str, str],
                   true_words: tuple[str, ...], min_rows: int) -> list[UnknownValue]:
    """For each code column in MAPPED (canonical -> header), its unread values in FRAME (the
    reader's, columns under input_name(header)): words in MIN_ROWS rows or more by their text,
    the rest by shape; most rows first."""
    columns = [c for c in CODE_COLUMNS if c in mapped]
    queries = []
    for canonical in columns:
        text = clean_text(column(input_name(mapped[canonical])))
        queries.append(
            frame.select(text.alias("text"))
            .filter(pl.col("text").is_not_null()
                    & code_read(canonical, pl.col("text"), outcome_codes, true_words)
                    .is_null())
            .group_by("text").agg(pl.len().alias("rows")))
    found: list[UnknownValue] = []
    for canonical, counts in zip(columns, pl.collect_all(queries), strict=True):
        header = mapped[canonical]
        common = counts.filter(pl.col("rows") >= min_rows).sort(["rows", "text"],
                                                                 descending=[True, False])
        found += [UnknownValue(canonical, header, rows, text=text)
                  for text, rows in common.select("text", "rows").iter_rows()]
        rare = (counts.filter(pl.col("rows") < min_rows)
                .group_by(cell_shape(pl.col("text")).alias("shape")).agg(pl.sum("rows"))
                .sort(["rows", "shape"], descending=[True, False]))
        found += [UnknownValue(canonical, header, rows, shape=shape)
                  for shape, rows in rare.select("shape", "rows").iter_rows()]
    return found
