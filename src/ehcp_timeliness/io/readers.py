"""Pick a reader by content (falling back on the suffix) and hand back a RawTable."""

from __future__ import annotations

from pathlib import Path

from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.csv_reader import csv_failure, read_csv
from ehcp_timeliness.io.excel_reader import read_excel
from ehcp_timeliness.io.input_bounds import (
    DEFAULT_LIMITS,
    InputLimits,
    check_csv_lines,
    check_header_sizes,
    check_input_path,
)
from ehcp_timeliness.io.parquet_reader import read_parquet
from ehcp_timeliness.io.sen2_collect import read_collect
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.io.zip_input import ZIP_MAGIC, check_members, list_zip, refuse_other_zip

_OLE = b"\xd0\xcf\x11\xe0"  # legacy .xls
_PARQUET = b"PAR1"


def looks_like_xml(head: bytes) -> bool:
    """True for the first bytes of an XML file (after an optional UTF-8 byte order mark)."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith((b"<?xml", b"<Message"))


def read_table(path: Path, sheet: str | None = None,
               limits: InputLimits = DEFAULT_LIMITS) -> RawTable:
    """Read a case export. Format is detected from the first bytes, so a misnamed file works.

    A folder, or a zip of CSV files, is a SEN2 COLLECT export (UsageError if it is not one).
    What is not a readable file of bounded size is refused first (io/input_bounds.py).
    """
    check_input_path(path, limits)
    raw = _read(path, sheet, limits)
    check_header_sizes(path, raw.headers)
    return raw


def _read(path: Path, sheet: str | None, limits: InputLimits) -> RawTable:
    if path.is_dir():
        return read_collect(path, limits)
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
            magic = head[:4]
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be opened ({exc.strerror})",
                             "Check you have permission to read it.") from exc
    if not magic:
        raise InputFileError(f"{path}: the file is empty",
                             "Export the case list again; it has no header and no rows.")
    if looks_like_xml(head):
        # Imported only for XML: lxml takes about 0.03 s to load, which CSV runs need not pay.
        from ehcp_timeliness.io.sen2_xml import read_sen2_xml

        return read_sen2_xml(path)
    if magic.startswith(ZIP_MAGIC):
        listing = list_zip(path)
        if listing.is_workbook:
            # Whatever calamine inflates must fit the bounds: every member is checked.
            check_members(listing, listing.members, limits)
            return read_excel(path, sheet)
        if listing.csv_members:
            return read_collect(path, limits, listing)
        raise refuse_other_zip(listing)
    if magic.startswith(_OLE):
        return read_excel(path, sheet)
    if magic == _PARQUET:
        return read_parquet(path)
    check_csv_lines(path)
    return read_csv(path)


__all__ = ["RawTable", "explain_read_failure", "read_table"]


def explain_read_failure(raw: RawTable, exc: Exception) -> InputFileError:
    """Turn a parse failure met while collecting into a message naming the file and row."""
    if raw.file_format == "csv":
        return csv_failure(raw, exc)
    return InputFileError(f"{raw.path}: cannot be read ({str(exc).splitlines()[0]})",
                          "Check the file is a complete, uncorrupted export.")
