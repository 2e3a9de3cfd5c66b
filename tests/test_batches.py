"""batches.py: rows cut out by slices, batches re-cut, values unchanged."""

from __future__ import annotations

import polars as pl
import pytest

from ehcp_timeliness.batches import aligned, rows_where, without, written_back


@pytest.mark.parametrize("dropped", [[], [0], [3, 4, 9], list(range(0, 3000, 2))])
def test_without_drops_exactly_those_rows(dropped: list[int]) -> None:
    frame = pl.DataFrame({"i": range(3000), "s": [str(i) for i in range(3000)]})
    got = without(frame, pl.col("i").is_in(dropped))
    assert got["i"].to_list() == [i for i in range(3000) if i not in set(dropped)]
    assert got["s"].to_list() == [str(i) for i in got["i"].to_list()]


def test_aligned_recuts_odd_columns_to_the_common_batches() -> None:
    parts = [pl.DataFrame({"a": range(k, k + 10), "b": range(k, k + 10)}) for k in (0, 10, 20)]
    frame = pl.concat(parts, rechunk=False)
    odd = pl.concat([pl.Series("c", range(15)), pl.Series("c", range(15, 30))], rechunk=False)
    frame = frame.hstack([odd])
    assert frame.n_chunks("all") == [3, 3, 2]
    recut = aligned(frame)
    assert recut.n_chunks("all") == [3, 3, 3]
    assert recut.equals(frame)
    assert frame.n_chunks("all") == [3, 3, 2]  # the input is left as it was


def test_rows_written_back_change_only_those_rows() -> None:
    parts = [pl.DataFrame({"i": range(k, k + 5), "s": [f"v{j}" for j in range(k, k + 5)]})
             for k in (0, 5)]
    frame = pl.concat(parts, rechunk=False)
    at, rows = rows_where(frame, pl.col("i").is_in([1, 7]))
    assert at.to_list() == [1, 7] and rows["i"].to_list() == [1, 7]
    back = written_back(frame, at, rows.with_columns(pl.col("s") + "!"))
    assert back["s"].to_list() == ["v0", "v1!", "v2", "v3", "v4", "v5", "v6", "v7!", "v8", "v9"]
    assert back["i"].to_list() == list(range(10))
    assert back.n_chunks("all")[0] == 2  # an unchanged column keeps its batches
    assert frame["s"][1] == "v1"  # the input is left as it was
