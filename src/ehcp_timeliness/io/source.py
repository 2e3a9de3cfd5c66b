"""What a reader hands on: every column as text, plus where each row came from."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ehcp_timeliness.columns import ROW, input_name


def normalise_header(header: str) -> str:
    """A header as every comparison of headers reads it: case, spaces and punctuation ignored
    (`Date Request Received` and `date_request_received` are one header), and Unicode
    normalisation (an accent written as one character or as a letter and a mark, as some
    Mac software saves it, is one spelling: NFC)."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFC", header).lower())


@dataclass(frozen=True)
class RawTable:
    """A case table as read: all columns pl.String, with ROW = the row number a user sees.

    Row numbers count the header as row 1, as a spreadsheet shows them, so the first case is
    row 2 whatever the format.
    """

    frame: pl.LazyFrame
    headers: list[str]
    path: Path
    file_format: str
    details: dict[str, str] = field(default_factory=dict)
    # A cheaper way to the first rows than frame.head, where the reader has one.
    first_rows: Callable[[int], pl.LazyFrame] | None = None
    # Rows of the input that are no case (a COLLECT assessment whose request is missing), each
    # an issue: columns `column`, `value` (where it is, never a cell's text) and `code`. They
    # count as rows in, set aside, numbered after the last case row.
    set_aside: pl.DataFrame | None = None
    # The file as it was when reading began (size, modification time, inode): a file cut short
    # or replaced while the query still reads it is refused, not analysed in part.
    stamp: tuple[int, int, int] | None = None
    # Headers written twice: (header, first position, this position), positions from 1; the
    # later column is in HEADERS under another name (HeadersAsWritten, below).
    duplicate_headers: tuple[tuple[str, int, int], ...] = ()
    # Title lines or notes above the header row that were skipped (--header-row, or found).
    lines_above_headers: int = 0
    # A workbook read without --sheet that has other sheets: which sheet was read and which
    # others there are, for a message saying the columns were not found (a cover or notes
    # sheet first is common). "" otherwise.
    other_sheets: str = ""

    def head(self, rows: int) -> pl.LazyFrame:
        return self.first_rows(rows) if self.first_rows else self.frame.head(rows)

    def describe(self) -> str:
        extra = ", ".join([*(f"{k} {v}" for k, v in self.details.items()),
                           *([self.skipped()] if self.lines_above_headers else [])])
        return f"{self.path.name} ({self.file_format}{', ' + extra if extra else ''})"


    def skipped(self) -> str:
        """`skipped 1 line above the headers`, or "" when the headers are the first line."""
        lines = self.lines_above_headers
        return (f"skipped {lines} line{'s' if lines > 1 else ''} above the headers"
                if lines else "")


def numbered(frame: pl.LazyFrame, lines_above_headers: int = 0) -> pl.LazyFrame:
    """A reader's FRAME (columns under the export's headers) as the engine takes it: each column
    named by input_name (a header can never be one of the engine's working columns), and ROW,
    the row number a user sees (the header is row 1, or the row below the lines above it)."""
    return frame.rename(input_name).with_row_index(ROW, offset=2 + lines_above_headers)


@dataclass(frozen=True)
class HeadersAsWritten:
    """The export's headers as written, where a reader's library names them otherwise: a
    quoted CSV name with doubled quotes inside is read with one quote for each pair (Polars
    keeps both); a blank or non-text header cell of a workbook keeps its text (fastexcel calls
    it `__UNNAMED__3`); and a name used twice, which Polars calls `Team_duplicated_0` and
    fastexcel `Team_1`, is `Team (column 5)` here, keeping the second column distinct and
    saying where it is (a `duplicate-header` warning), whatever the format.
    """

    headers: list[str]
    renames: dict[str, str]
    duplicates: tuple[tuple[str, int, int], ...]  # (header, first position, this position)

    @classmethod
    def of(cls, read: list[str], written: list[str] | None) -> HeadersAsWritten:
        if written is None or len(written) != len(read):
            return cls(read, {}, ())
        first: dict[str, int] = {}
        duplicates = []
        names = []
        for position, name in enumerate(written, start=1):
            if name in first:
                duplicates.append((name, first[name], position))
                name = f"{name} (column {position})"
            first.setdefault(name, position)
            names.append(name)
        if len(set(names)) != len(names):  # a header already spelt like a renamed one
            return cls(read, {}, tuple(duplicates))
        renames = {old: new for old, new in zip(read, names, strict=True) if old != new}
        return cls(names, renames, tuple(duplicates))

    def named(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.rename(self.renames) if self.renames else frame
