"""Frames as Polars' streaming engine returns them: in batches (chunks), kept that way.

A million-case frame is the largest thing a run holds; these take rows out of it, write a few
rows back and line its columns up without copying the whole of it, which the obvious calls do:
a filter on a frame of many batches, or with_columns, first joins every column into one piece,
and so does any select after columns were batched differently.
"""

from __future__ import annotations

from collections import Counter
from itertools import accumulate

import polars as pl


def aligned(frame: pl.DataFrame) -> pl.DataFrame:
    """FRAME with every column cut into the same batches.

    The streaming engine can hand back a column cut differently from the rest (one that was
    empty in some batches, like the unread text of a column with a few bad cells); the next
    select or drop then copies the whole frame into one piece to line them up, doubling the
    memory. Re-cutting the odd columns to the others' batches copies only those columns.
    """
    counts = frame.n_chunks("all")  # 1 also for a constant column: never cut, never odd
    batched = Counter(n for n in counts if n > 1)
    if len(batched) < 2:
        return frame
    common = batched.most_common(1)[0][0]
    reference = frame.to_series(counts.index(common)).chunk_lengths()
    offsets = list(accumulate(reference, initial=0))
    out = frame.clone()  # shallow: columns are shared until replaced
    for index, count in enumerate(counts):
        if count > 1 and count != common:
            whole = frame.to_series(index).rechunk()
            out.replace_column(index, pl.concat(
                [whole.slice(start, length) for start, length in zip(offsets, reference,
                                                                      strict=False)],
                rechunk=False))
    return out


def rows_where(frame: pl.DataFrame, condition: pl.Expr) -> tuple[pl.Series, pl.DataFrame]:
    """The positions where CONDITION holds, and those rows (gathered: only they are copied)."""
    at = frame.select(condition.arg_true()).to_series()
    return at, frame[at]


def written_back(frame: pl.DataFrame, at: pl.Series, rows: pl.DataFrame) -> pl.DataFrame:
    """FRAME with ROWS (same columns) at positions AT. Only the columns whose values changed
    are rewritten, each on its own; the others stay shared with FRAME, which is unchanged.
    """
    before = frame[at]
    out = frame.clone()  # shallow: columns are shared until replaced
    for index, name in enumerate(frame.columns):
        if rows[name].dtype != frame[name].dtype:
            # Polars would scatter an Enum's codes into a text column as "0", "1", ...
            raise TypeError(f"{name}: writing {rows[name].dtype} into {frame[name].dtype}")
        if not before[name].equals(rows[name], check_names=False, null_equal=True):
            out.replace_column(index, frame.to_series(index).scatter(at, rows[name]))
    return out


# Up to this many rows set aside, the case frame is cut around them rather than filtered.
_FEW_ROWS = 1_000


def without(frame: pl.DataFrame, drop: pl.Expr) -> pl.DataFrame:
    """FRAME without the rows where DROP holds. A filter copies every column, which for a
    handful of set-aside rows in a million costs more time and memory than the analysis
    needs; then the frame is cut around them instead (slices share its memory).
    """
    at = frame.select(drop.arg_true()).to_series().to_list()  # positions only: no rows copied
    if not at:
        return frame
    if len(at) > _FEW_ROWS:
        return frame.filter(~drop)
    starts, ends = [0, *(i + 1 for i in at)], [*at, frame.height]
    return pl.concat([frame.slice(start, end - start) for start, end in zip(starts, ends,
                                                                               strict=True)],
                     rechunk=False)
