"""Pick a reader by content (falling back on the suffix) and hand back a RawTable."""

from __future__ import annotations

from pathlib import Path

from ehcp_timeliness.errors import InputFileError, UsageError
from ehcp_timeliness.io.csv_reader import csv_failure, read_csv
from ehcp_timeliness.io.excel_reader import read_excel
from ehcp_timeliness.io.parquet_reader import read_parquet
from ehcp_timeliness.io.sen2_collect import is_collect_zip, read_collect
from ehcp_timeliness.io.source import RawTable

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # legacy .xls
_PARQUET = b"PAR1"


def looks_like_xml(head: bytes) -> bool:
    """True for the first bytes of an XML file (after an optional UTF-8 byte order mark)."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith((b"<?xml", b"<Message"))


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read a case export. Format is detected from the first bytes, so a misnamed file works.

    A folder, or a zip of CSV files, is a SEN2 COLLECT export (UsageError if it is not one).
    """
    if not path.exists():
        raise UsageError(f"Input file not found: {path}", "Check the path and file name.")
    if path.is_dir():
        return read_collect(path)
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
    if magic.startswith(_ZIP) and is_collect_zip(path):
        return read_collect(path)
    if magic.startswith((_ZIP, _OLE)):
        return read_excel(path, sheet)
    if magic == _PARQUET:
        return read_parquet(path)
    return read_csv(path)


__all__ = ["RawTable", "explain_read_failure", "read_table"]


def explain_read_failure(raw: RawTable, exc: Exception) -> InputFileError:
    """Turn a parse failure met while collecting into a message naming the file and row."""
    if raw.file_format == "csv":
        return csv_failure(raw, exc)
    # The library's own text is not shown: it can quote the cell it failed on.
    return InputFileError(f"{raw.path}: cannot be read ({type(exc).__name__})",
                          "Check the file is a complete, uncorrupted export.")
