"""CSV exports: encoding and delimiter detected, every column read as text.

Nothing is inferred by Polars: dates stay text until schema/values.py parses them day-first, so a
date is never read month-first.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from ehcp_timeliness.columns import ROW
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.io.text_encoding import decode_to_utf8, detect_encoding

_DELIMITERS = (",", ";", "\t", "|")


def read_csv(path: Path) -> RawTable:
    encoding = detect_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        source: Path | io.BytesIO = path
        first_line = _first_line(path.read_bytes()[:65536].decode(encoding, errors="replace"))
    else:
        data = decode_to_utf8(path, encoding)
        source = io.BytesIO(data)
        first_line = _first_line(data[:65536].decode("utf-8", errors="replace"))
    if not first_line.strip():
        raise InputFileError(
            f"{path}: the first line is empty, so there are no column headers",
            "Export the case list with its header row as the first line.",
        )
    delimiter = max(_DELIMITERS, key=first_line.count)
    try:
        lazy = pl.scan_csv(
            source, infer_schema=False, separator=delimiter, encoding="utf8",
            raise_if_empty=True,
        )
        headers = lazy.collect_schema().names()
    except pl.exceptions.NoDataError as exc:
        raise InputFileError(f"{path}: the file is empty",
                             "Export the case list again; it has no header and no rows.") from exc
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"{path}: cannot be read as CSV ({_first(exc)})",
                             "Check it is a comma-separated export of the case list.") from exc
    frame = lazy.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return RawTable(frame, headers, path, "csv",
                    {"encoding": encoding, "delimiter": repr(delimiter)})


def csv_failure(raw: RawTable, exc: Exception) -> InputFileError:
    """The error for a CSV that failed while being read, naming the row where possible."""
    row = _first_ragged_row(raw)
    where = f" at row {row}" if row else ""
    return InputFileError(
        f"{raw.path}: malformed CSV{where}: {_first(exc)}",
        "A row has more fields than the header (often an unquoted comma inside a value). "
        "Fix that row in the export, or re-export with every field quoted.",
    )


def _first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0]


def _first(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _first_ragged_row(raw: RawTable) -> int | None:
    # Only on the failure path: find which record broke, so the message can name it.
    encoding = raw.details.get("encoding", "utf-8")
    delimiter = raw.details.get("delimiter", "','").strip("'")
    try:
        with raw.path.open(encoding=encoding, errors="replace", newline="") as handle:
            for number, record in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                if number > 1 and len(record) > len(raw.headers):
                    return number
    except (OSError, csv.Error):
        return None
    return None
