"""CSV exports: encoding and delimiter detected, every column read as text.

Nothing is inferred by Polars: dates stay text until schema/values.py parses them day-first, so a
date is never read month-first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.input_bounds import (
    MAX_LINE_BYTES,
    SCAN_CHUNK,
    check_column_count,
    line_too_long,
    longest_line_over,
)
from ehcp_timeliness.io.source import HeadersAsWritten, RawTable, numbered
from ehcp_timeliness.io.text_encoding import (
    Utf8Check,
    encoding_of,
    marked_encoding,
    to_utf8,
)

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE = 65536
_HEAD_BYTES = 8 * 2**20  # the first rows are read from at most this much of the file
_BARE_CR = re.compile(rb"\r(?!\n)")
_EXCEL_SEP = re.compile(r"sep=(.)")


def read_csv(path: Path, max_columns: int | None = None,
             lines_above_headers: int = 0, head_bytes: int = _HEAD_BYTES) -> RawTable:
    """MAX_COLUMNS: refuse a header line with more fields, counted before Polars reads it
    (its schema alone costs memory per column). LINES_ABOVE_HEADERS: title lines or notes
    before the header row, skipped. HEAD_BYTES: how much of the file the first rows are
    read from."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    utf8, bare_cr = _checked(path)
    encoding = marked_encoding(sample) or utf8
    source: Path | io.BytesIO = path
    text: Path | bytes = path
    if encoding not in ("utf-8", "utf-8-sig"):
        text = to_utf8(path.read_bytes(), encoding)  # in memory: no temporary copy
        source = io.BytesIO(text)
        sample = text[:_SAMPLE]
        bare_cr = text.count(b"\r") > text.count(b"\r\n")
    if bare_cr:
        # A line ended by a lone \r: old Mac line endings (Excel for Mac's "CSV (Macintosh)"),
        # a header row written by one program and the rows by another, or lines of mixed
        # endings. Polars ends lines at \n only, so it would fold the record after a lone \r
        # into the one before it, or the whole file into its header line. The csv module (and
        # Excel) end a record at \r, \n or \r\n outside quotes: so does this reader.
        source = io.BytesIO(bare_cr_to_lf(path.read_bytes() if isinstance(text, Path) else text))
        sample = source.getvalue()[:_SAMPLE]
    first_line = _first_line(sample.decode("utf-8", errors="replace"))
    # Excel writes (and reads) a first line `sep=;` naming the delimiter; it hides the line,
    # so the header is still row 1. Honoured, and the line skipped: never read as the header.
    excel_sep = _EXCEL_SEP.fullmatch(first_line.rstrip("\r"))
    skip = 1 if excel_sep else 0
    # Title lines or notes above the headers (--header-row, or found): skipped too.
    for _ in range(skip + lines_above_headers):
        sample = sample.split(b"\n", 1)[1] if b"\n" in sample else b""
    first_line = _first_line(sample.decode("utf-8", errors="replace"))
    if not first_line.strip():
        raise InputFileError(
            f"{path}: the first line is empty, so there are no column headers",
            "Export the case list with its header row as the first line.",
        )
    if "\0" in first_line:
        # Text whose zero bytes fall as no encoding the reader knows places them: never read
        # as headers full of NULs, every column then unrecognised.
        raise InputFileError(
            f"{path}: the header line holds NUL (zero) bytes, so it is not text in an encoding "
            f"the tool can tell (read as {encoding})",
            "Save the export as CSV UTF-8 (Excel: File > Save As > CSV UTF-8) and run again.")
    delimiter = excel_sep.group(1) if excel_sep else _delimiter(first_line)
    if max_columns is not None:
        _refuse_wide_header(path, source, delimiter, max_columns, skip + lines_above_headers)

    def scan(rows: int | None = None, text: Path | io.BytesIO = source) -> pl.LazyFrame:
        # Every column as text; ROWS: stop after that many records. glob=False: a file name
        # is that file (Polars would read `ex[p]ort.csv` as export.csv, `exp*.csv` as several).
        return pl.scan_csv(text, infer_schema=False, separator=delimiter, encoding="utf8",
                           raise_if_empty=True, n_rows=rows, glob=False,
                           skip_lines=skip + lines_above_headers)

    def first_rows(rows: int) -> pl.LazyFrame:
        # Polars reads the whole file into memory even to stop after a few records, and the
        # memory stays with the process, so the records are read from the file's first
        # megabytes, those the sample needs. Not by the csv module: it is slower, and reads
        # cells as Polars does not (an empty cell is "" not null, a quote mark in an unquoted
        # value is kept), so the sample could differ from the same rows read whole.
        start = _first_records(source, rows, sample, head_bytes, skip + lines_above_headers)
        return numbered(as_written.named(
            scan(rows, io.BytesIO(start) if start is not None else source)),
            lines_above_headers)

    try:
        lazy = scan()
        as_written = HeadersAsWritten.of(lazy.collect_schema().names(),
                                         _written_header(sample, delimiter))
        headers = as_written.headers
    except pl.exceptions.NoDataError as exc:
        raise InputFileError(f"{path}: the file is empty",
                             "Export the case list again; it has no header and no rows.") from exc
    except pl.exceptions.PolarsError as exc:
        # Polars' own text is not shown: it can quote a cell, and cells may be personal data.
        raise InputFileError(f"{path}: cannot be read as CSV ({type(exc).__name__})",
                             "Check it is a comma-separated export of the case list.") from exc
    return RawTable(numbered(as_written.named(lazy), lines_above_headers), headers, path, "csv",
                    {"encoding": encoding, "delimiter": repr(delimiter)}, first_rows,
                    duplicate_headers=as_written.duplicates,
                    lines_above_headers=lines_above_headers)


def _written_header(sample: bytes, delimiter: str) -> list[str] | None:
    """The header record as the csv module reads it (a doubled quote in a quoted name is one
    quote, as RFC 4180 says; Polars keeps both), or None when the sample holds no whole one."""
    text = sample.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        return None


def _refuse_wide_header(path: Path, source: Path | io.BytesIO, delimiter: str,
                        max_columns: int, skip: int = 0) -> None:
    """Count the header's fields (delimiters outside quotes) from its line, which the line
    bound keeps under 16 MB: a million-column export is refused without Polars reading it.
    SKIP: lines before the header (Excel's `sep=` line)."""
    if isinstance(source, io.BytesIO):
        line = source.getvalue()[:(skip + 1) * MAX_LINE_BYTES].split(b"\n", skip + 1)[skip]
    else:
        with source.open("rb") as handle:
            for _ in range(skip + 1):
                line = handle.readline(MAX_LINE_BYTES)
    if line.count(delimiter.encode()) < max_columns:
        return  # quick: fewer delimiters than the limit, quoted or not
    outside_quotes = b"".join(line.split(b'"')[0::2])
    check_column_count(str(path), outside_quotes.count(delimiter.encode()) + 1, max_columns)


def leading_csv_rows(path: Path, count: int) -> list[list[str]]:
    """The cells of the file's first COUNT lines, each line split by the delimiter it uses
    most: to find the header row below a title line (whose one cell has no delimiter)."""
    with path.open("rb") as handle:
        start = handle.read(_SAMPLE)
    encoding = encoding_of(start, complete=False)  # the first lines' own: no whole-file pass
    text = start.decode(encoding if encoding != "utf-8" else "utf-8-sig", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)[:count]
    return [next(csv.reader([line], delimiter=_delimiter(line)), []) for line in lines]


def _delimiter(header: str) -> str:
    """The delimiter the header line uses most, outside quoted names: `"Case, Ref";Date` is
    read with `;`. None in it (a one-column export): a comma.

    Not csv.Sniffer: it gives the same answer on every header tried, but raises on a
    one-column header (so needs this fallback anyway), and its quoted-value pattern is
    quadratic in the line's length.
    """
    outside_quotes = "".join(header.split('"')[0::2])
    return max(_DELIMITERS, key=outside_quotes.count)


def _checked(path: Path) -> tuple[str, bool]:
    """One pass over the file before it is read, never holding it: refused when a line is over
    MAX_LINE_BYTES (input_bounds.longest_line_over); whether it is UTF-8 throughout ('utf-8',
    else 'cp1252': Utf8Check), and whether a \r in it is not followed by \n (a bare CR)."""
    utf8 = Utf8Check()
    carried, bare_cr = b"", False

    def chunks() -> Iterator[bytearray]:
        nonlocal carried, bare_cr
        # One buffer, read into again for each chunk: a new bytes object a chunk would cost
        # its allocation and the page faults of fresh memory on top of the read itself.
        buffer = bytearray(SCAN_CHUNK)
        with path.open("rb", buffering=0) as handle:
            while read := handle.readinto(buffer):
                chunk = buffer if read == SCAN_CHUNK else buffer[:read]
                utf8.feed(chunk)
                # LF endings, the usual case, are one byte search; CRLF ones one search for a
                # \r with no \n after it. A \r ending this block may be the first half of a
                # \r\n split between chunks: it is weighed with the next.
                if not bare_cr and (carried or b"\r" in chunk):
                    block = carried + chunk
                    carried = b"\r" if block.endswith(b"\r") else b""
                    found = _BARE_CR.search(block)
                    bare_cr = found is not None and found.start() < len(block) - len(carried)
                yield chunk

    if longest_line_over(chunks()):
        raise line_too_long(str(path))
    return utf8.encoding(), bare_cr or bool(carried)


def bare_cr_to_lf(data: bytes) -> bytes:
    """Every \r not followed by \n, outside quoted values, made a \n: a line end.

    Inside quotes a \r is part of the value and stays. Quotes are paired as Polars pairs
    them (a doubled quote in a quoted value is a closing and an opening quote), so the pieces
    between quote marks alternate outside, inside, outside.
    """
    pieces = data.split(b'"')
    pieces[0::2] = [_BARE_CR.sub(b"\n", p) if b"\r" in p else p for p in pieces[0::2]]
    return b'"'.join(pieces)


def _first_records(source: Path | io.BytesIO, rows: int, sample: bytes, limit: int,
                   skipped: int) -> bytes | None:
    """The header and ROWS records from the file's start (fewer when LIMIT bytes hold fewer),
    or None: read the whole file. SAMPLE: the file's first block, from the header on; SKIPPED:
    lines before the header.

    Read at half again the length ROWS lines of the first block take, usually well under
    LIMIT. Counting line breaks tells whether that holds ROWS records, unless quote marks may
    hold line breaks inside values: then, or when it falls short, LIMIT is read.
    """
    lines = sample.count(b"\n")
    size = 3 * (rows + 1) * len(sample) // (2 * lines) if lines > 1 else limit
    if size < limit:
        start = _leading_records(source, size)
        if start is not None and b'"' not in start and start.count(b"\n") > rows + skipped:
            return start
    return _leading_records(source, limit)


def _leading_records(source: Path | io.BytesIO, size: int) -> bytes | None:
    """The whole records (header first) within the first SIZE bytes; None when the file is no
    longer than that, or no record ends within it: then the whole file is read.

    A record ends at a line break outside quotes: where the quotes before it are even in
    number, since a quote inside a quoted value is doubled. A lone quote in an unquoted value
    breaks that count; the export is refused when it is read whole (csv_failure) anyway.
    """
    if isinstance(source, io.BytesIO):
        start = bytes(source.getbuffer()[:size + 1])
    else:
        with source.open("rb") as handle:
            start = handle.read(size + 1)
    if len(start) <= size:
        return None
    end = start.rfind(b"\n", 0, size)
    quotes = start.count(b'"', 0, end) if end > 0 else 0  # before the line break at END
    while end > 0 and quotes % 2:
        previous = start.rfind(b"\n", 0, end)
        quotes -= start.count(b'"', previous + 1, end)
        end = previous
    header_end = start.find(b"\n")
    while header_end > 0 and start.count(b'"', 0, header_end) % 2:
        header_end = start.find(b"\n", header_end + 1)
    return start[:end + 1] if 0 < header_end < end else None  # the header and a record


def csv_failure(raw: RawTable, exc: Exception) -> InputFileError:
    """The error for a CSV that failed while being read, naming the row where possible.

    Polars' message is not passed on: it can quote the offending cell, and cells may be
    personal data. The row number and the kind of fault are enough to find and fix it.
    """
    found = _locate_fault(raw)
    if found is None:
        return InputFileError(
            f"{raw.path}: malformed CSV ({type(exc).__name__})",
            "Check the export: every row should have the header's fields, and every quoted "
            "value its closing quote. Re-exporting with every field quoted usually fixes it.")
    row, fault = found
    what, hint = _FAULTS[fault]
    return InputFileError(f"{raw.path}: malformed CSV at row {row}: the row {what}",
                          hint + " Fix that row in the export, or re-export with every field "
                          "quoted.")


_FAULTS = {
    "ragged": ("has more fields than the header",
               "Often an unquoted comma inside a value."),
    "quote": ("has a quoted value that is not closed properly",
              'A value opens a quote (") that is not closed where it should be.'),
    "stray": ('has a lone quote mark (") inside a value',
              'Inside a value a quote mark must be doubled, in a quoted value '
              '("He said ""no"""), or removed.'),
}


def _first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0]


def _locate_fault(raw: RawTable) -> tuple[int, str] | None:
    """(row, fault) of the first record that breaks the CSV (a key of _FAULTS), or None.

    Only on the failure path, so reading the file again with the csv module costs nothing
    in a run that works. Rows are numbered as everywhere else: the header is row 1.
    """
    encoding = raw.details.get("encoding", "utf-8")
    delimiter = {repr(d): d for d in _DELIMITERS}.get(raw.details.get("delimiter", ""), ",")
    number = 0
    lines: list[str] = []  # those read for the record the csv module is building

    def tapped(handle: Iterator[str]) -> Iterator[str]:
        for line in handle:
            lines.append(line)
            yield line

    try:
        with raw.path.open(encoding=encoding, errors="replace", newline="") as handle:
            for number, record in enumerate(csv.reader(tapped(handle), delimiter=delimiter,
                                                       strict=True), start=1):
                text = "".join(lines)
                lines.clear()
                if number > 1 and len(record) > len(raw.headers):
                    return number, "ragged"
                # Polars pairs quote marks across the whole file, so one lone mark in an
                # unquoted value (O"Brien) breaks every row after it; the csv module reads it.
                if text.count('"') % 2:
                    return number, "stray"
    except csv.Error as exc:
        # strict=True: a stray or unclosed quote. A field over the csv module's size limit is
        # no fault of the file, so it names no row.
        return None if "field limit" in str(exc) else (number + 1, "quote")
    except OSError:
        return None
    return None
