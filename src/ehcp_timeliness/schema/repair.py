"""Re-read the cells the fast parse could not, with every form the data contract accepts.

The fast parse (normalise.py) only tries the date forms a sample of each column showed and a
direct outcome look-up. A cell it misses keeps its text in `__raw_X`; here those rows alone
(normally a handful) are re-read with the full parsers, and everything derived from them is
rebuilt, so the result is the same as parsing every cell the slow way.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ehcp_timeliness.batches import rows_where, written_back
from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME_DATE,
    CANONICAL_COLUMNS,
    CanonicalColumn,
    Kind,
)
from ehcp_timeliness.columns import column as exact_column
from ehcp_timeliness.schema.normalise import (
    BLANK_ROW,
    Normalised,
    blank_row,
    has_name,
    raw_name,
    settled,
    with_derived_plan_date,
)
from ehcp_timeliness.schema.values import (
    boolean_reading,
    clean_text,
    parse_date,
    parse_outcome,
)


def _reparsed(norm: Normalised) -> list[CanonicalColumn]:
    """The columns whose missed cells repair re-reads: the export's dates, outcomes and
    yes/no columns."""
    return [c for c in CANONICAL_COLUMNS
            if c.name in norm.present and c.kind in (Kind.DATE, Kind.OUTCOME, Kind.BOOLEAN)
            and not (c.name == "plan_issued_date" and norm.plan_date_from_outcome)]


def missed(norm: Normalised) -> pl.Expr:
    """The row has a cell the fast parse could not read: repair will re-read it."""
    return pl.any_horizontal(pl.lit(False), *(pl.col(raw_name(c.name)).is_not_null()
                                              for c in _reparsed(norm)))


def _reread_booleans(rows: pl.DataFrame, columns: list[CanonicalColumn],
                     norm: Normalised) -> pl.DataFrame:
    """Yes/no cells the look-up missed, read word by word (values.boolean_reading). The text
    stays only where it is neither a yes nor a no word: the unknown-boolean warning describes
    it, and the value counts as false. The cells were trimmed before the look-up, so none of
    them is blank."""
    words = norm.forms.true_words
    reading = {c.name: boolean_reading(pl.col(raw_name(c.name)), words) for c in columns}
    return rows.with_columns(
        expr for c in columns for expr in (
            pl.when(pl.col(raw_name(c.name)).is_not_null())
            .then(reading[c.name].fill_null(False)).otherwise(pl.col(c.name)).alias(c.name),
            pl.when(reading[c.name].is_null()).then(pl.col(raw_name(c.name)))
            .alias(raw_name(c.name))))


def repair(frame: pl.DataFrame, norm: Normalised,
           rebuild: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
    """FRAME with missed cells re-read; REBUILD recomputes the derived columns of those rows."""
    parsed = _reparsed(norm)
    if not parsed:
        return frame
    at, rows = rows_where(frame, missed(norm))
    if at.is_empty():
        return frame
    # The fast parse kept these cells as they stand: trimmed now, a padded blank (" ",
    # " N/A ") turns out blank after all.
    rows = rows.with_columns(clean_text(pl.col(raw_name(c.name))).alias(raw_name(c.name))
                             for c in parsed)
    booleans = [c for c in parsed if c.kind is Kind.BOOLEAN]
    parsed = [c for c in parsed if c.kind is not Kind.BOOLEAN]
    if booleans:
        rows = _reread_booleans(rows, booleans, norm)
    reread = []
    for column in parsed:
        raw = pl.col(raw_name(column.name))
        full = (parse_date(raw) if column.kind is Kind.DATE
                else parse_outcome(raw, norm.forms.outcome_codes))
        reread.append(pl.coalesce(pl.col(column.name), pl.when(raw.is_not_null()).then(full))
                      .alias(column.name))
    rows = rows.with_columns(reread).with_columns(
        # The text stays only where the cell is still unreadable: the issue report quotes it.
        pl.when(pl.col(c.name).is_null()).then(pl.col(raw_name(c.name)))
        .alias(raw_name(c.name)) for c in parsed)
    # Settled again now the text is trimmed. A cell blank from the start reads as blank: its
    # outcome was already filled with A, which is no reading of a cell.
    rows = rows.with_columns(
        expr for c in parsed
        for expr in settled(c.name, c.kind, pl.when(pl.col(has_name(c.name))).then(pl.col(c.name)),
                            pl.col(raw_name(c.name))))
    rows = rows.with_columns(blank_row(norm.present, norm.passthrough).alias(BLANK_ROW))
    if ASSESSMENT_OUTCOME_DATE in norm.present:
        rows = with_derived_plan_date(rows)
    rows = rebuild(rows).select(exact_column(c) for c in frame.columns)  # headers: never patterns
    return written_back(frame, at, rows)
