"""The sample's first rows come from the file's first megabytes, cut after a whole record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ehcp_timeliness.io.csv_reader import _first_records, _leading_records, read_csv

HEADER = b"Case Ref,Note\n"


def test_a_file_no_longer_than_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(HEADER + b"C1,a\n")
    assert _leading_records(path, 1000) is None


def test_the_cut_falls_after_the_last_whole_record(tmp_path: Path) -> None:
    data = HEADER + b"C1,a\nC2,b\nC3,c\n"
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert _leading_records(path, len(HEADER) + 7) == HEADER + b"C1,a\n"


def test_a_line_break_inside_quotes_is_not_a_cut() -> None:
    # The limit falls inside C2's quoted note, after its first line break.
    data = HEADER + b'C1,a\nC2,"line one\nline ""two""\nline three"\nC3,c\n'
    limit = data.index(b"line three")
    assert _leading_records(io.BytesIO(data), limit) == HEADER + b"C1,a\n"


def test_no_whole_record_within_the_limit_reads_the_file_whole() -> None:
    data = HEADER + b'C1,"' + b"x" * 50 + b'"\nC2,b\n'
    assert _leading_records(io.BytesIO(data), 30) is None


@pytest.mark.parametrize("limit", [20, 40, 75, 10_000])
def test_the_first_rows_equal_the_head_of_the_whole_file(tmp_path: Path, limit: int) -> None:
    rows = [f'C{i},"note {i}\nsecond line, with a comma"' if i % 3 == 0 else f"C{i},plain {i}"
            for i in range(30)]
    path = tmp_path / "x.csv"
    path.write_text("Case Ref,Note\n" + "\n".join(rows) + "\n")
    raw = read_csv(path, head_bytes=limit)
    whole = raw.frame.collect()
    first = raw.head(5).collect()
    assert 1 <= first.height <= 5  # fewer when the limit holds fewer records
    assert first.equals(whole.head(first.height))


def _lines(count: int, width: int) -> bytes:
    return b"".join(b"C%d," % i + b"x" * width + b"\n" for i in range(count))


def test_the_first_rows_are_read_from_what_they_need() -> None:
    # The first block's lines say 10 records take about 150 bytes: that much is read, not 1000.
    data = HEADER + _lines(200, 5)
    start = _first_records(io.BytesIO(data), 10, data, 1000, 0)
    assert start is not None and 10 < start.count(b"\n") - 1 < 20
    assert data.startswith(start)


def test_lines_longer_than_the_first_block_read_the_limit() -> None:
    # The first block's lines are short, the later ones ten times longer: 10 records do not
    # fit in what the first block suggests, so the limit is read.
    first = HEADER + _lines(3, 1)
    data = first + _lines(200, 50)
    start = _first_records(io.BytesIO(data), 10, first, 2000, 0)
    assert start == _leading_records(io.BytesIO(data), 2000)


def test_quote_marks_read_the_limit() -> None:
    data = HEADER + b"".join(b'C%d,"a\nb"\n' % i for i in range(200))
    start = _first_records(io.BytesIO(data), 10, data, 1000, 0)
    assert start == _leading_records(io.BytesIO(data), 1000)
