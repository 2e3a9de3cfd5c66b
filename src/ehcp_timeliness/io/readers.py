"""Pick a reader by content (falling back on the suffix) and hand back a RawTable.

Each reader other than the CSV one is imported when a file of its format turns up: an export
is nearly always a CSV, and the workbook, Parquet and COLLECT readers (with fastexcel) cost a
CSV run their import time for nothing.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ehcp_timeliness.columns import ROW
from ehcp_timeliness.config import InputConfig
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.csv_reader import csv_failure, leading_csv_rows, read_csv
from ehcp_timeliness.io.input_bounds import (
    DEFAULT_LIMITS,
    check_column_count,
    check_header_sizes,
    check_input_path,
)
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.io.text_encoding import marked_encoding
from ehcp_timeliness.io.zip_input import ZIP_MAGIC, check_members, list_zip, refuse_other_zip

_OLE = b"\xd0\xcf\x11\xe0"  # legacy .xls
_PARQUET = b"PAR1"


# How an XML file may begin: its declaration, a comment (a vendor's "exported by"), a
# document type declaration, or the SEN2 root element, with or without a namespace prefix; in
# UTF-8 (with or without a byte order mark) or UTF-16 (with a byte order mark, or starting
# with `<` as UTF-16 does without one).
_XML_START = re.compile(r"<(?:\?xml|!--|!DOCTYPE|(?:[\w.-]+:)?Message\b)")
# How a web page begins: an HTML table saved under a .csv name.
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|meta|table|body)\b", re.IGNORECASE)
_NAMED = {".csv": "CSV", ".xlsx": "an Excel workbook", ".xls": "an Excel workbook"}
# Files no reader reads that an export folder holds beside exports: read as CSV, a PDF's
# first line was listed as "Headers found" and a compressed file's bytes blamed on its
# encoding. (first bytes, what the file is, what to do)
_UNCOMPRESS = "Uncompress it and give the export file inside."
_OTHER_KINDS = (
    (re.compile(rb"%PDF-"), "a PDF document",
     "Give the case export itself (CSV, Excel, Parquet or SEN2 XML): a PDF report cannot be "
     "analysed."),
    (re.compile(rb"\x1f\x8b"), "a gzip-compressed file", _UNCOMPRESS),
    (re.compile(rb"BZh[1-9]1AY&SY"), "a bzip2-compressed file", _UNCOMPRESS),
    (re.compile(rb"\xfd7zXZ\x00"), "an xz-compressed file", _UNCOMPRESS),
    (re.compile(rb"7z\xbc\xaf\x27\x1c"), "a 7-Zip archive", _UNCOMPRESS),
    (re.compile(rb"Rar!\x1a\x07"), "a RAR archive", _UNCOMPRESS),
)


def _starts(pattern: re.Pattern[str], head: bytes) -> bool:
    """Whether the first bytes, read as text (_head_text), start as PATTERN says."""
    return bool(pattern.match(_head_text(head).lstrip()))


def _head_text(head: bytes) -> str:
    """The first bytes as text, as far as telling XML needs: in the encoding a byte order mark
    or the zero bytes say (io/text_encoding.py), else a byte to a character."""
    encoding = marked_encoding(head)
    if encoding is None:
        return head.decode("latin-1")
    return head.decode(encoding, errors="replace")


def read_table(path: Path, sheet: str | None = None,
               limits: InputConfig = DEFAULT_LIMITS, lines_above_headers: int = 0) -> RawTable:
    """Read a case export. Format is detected from the first bytes, so a misnamed file works.

    A folder, or a zip of CSV files, is a SEN2 COLLECT export (UsageError if it is not one).
    What is not a readable file of bounded size is refused first (io/input_bounds.py).
    LINES_ABOVE_HEADERS: title lines or notes above a CSV's or a sheet's header row, skipped.
    """
    check_input_path(path, limits)
    stamp = file_stamp(path)
    raw = _read(path, sheet, limits, lines_above_headers)
    check_column_count(str(path), len(raw.headers), limits.max_columns)
    check_header_sizes(path, raw.headers)
    return dataclasses.replace(raw, stamp=stamp)


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is rewritten, cut short or replaced; None for a folder."""
    try:
        info = path.stat()
    except OSError:
        return None
    return None if path.is_dir() else (info.st_size, info.st_mtime_ns, info.st_ino)


def changed_while_read(raw: RawTable) -> InputFileError | None:
    """The error for an export that is no longer the file reading began on (being written by
    the case system, copied over, or truncated): its rows would be a mixture or a part."""
    if raw.stamp is None or file_stamp(raw.path) == raw.stamp:
        return None
    return InputFileError(f"{raw.path}: changed while it was being read (cut short, replaced "
                          "or still being written)",
                          "Wait until the export has finished writing, or copy it somewhere "
                          "nothing else writes to, and run again.")


def leading_rows(raw: RawTable, sheet: str | None, count: int) -> list[list[str]]:
    """The cells of the first COUNT lines of RAW's CSV file or sheet, headers or not: where
    to look for a header row below title lines. Nothing for other formats (their headers are
    their own)."""
    if raw.file_format == "csv":
        return leading_csv_rows(raw.path, count)
    if raw.file_format == "xlsx":
        from ehcp_timeliness.io.excel_reader import read_excel

        head = read_excel(raw.path, sheet, rows=count).frame.drop(ROW).collect()
        return [["" if cell is None else cell for cell in row] for row in head.rows()]
    return []


def _read(path: Path, sheet: str | None, limits: InputConfig,
          lines_above_headers: int = 0) -> RawTable:
    if path.is_dir():
        from ehcp_timeliness.io.sen2_collect import read_collect

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
    for start, kind, hint in _OTHER_KINDS:
        if start.match(head):
            raise InputFileError(f"{path}: is {kind}, not a case export", hint)
    if _starts(_HTML_START, head):
        raise InputFileError(
            f"{path}: is a web page (HTML), not {_NAMED.get(path.suffix.lower(), 'an export')}",
            "Some case systems' \"Export to Excel\" writes an HTML table under a .csv or .xls "
            "name: open it in Excel and save it as CSV UTF-8 (or .xlsx), or export as CSV.")
    if _starts(_XML_START, head):
        # UTF-16 XML needs a byte order mark or an XML declaration for a parser to know it is
        # UTF-16 (XML 1.0 appendix F); without either it reads as garbage ("'<' not found").
        if marked_encoding(head) in ("utf-16-le", "utf-16-be") \
                and not _head_text(head).startswith("<?xml"):
            raise InputFileError(
                f"{path}: is XML in UTF-16 with neither a byte order mark nor an XML "
                "declaration, so its encoding cannot be told",
                "Save it as UTF-8 (or as UTF-16 with a byte order mark) and run again.")
        # Imported only for XML: lxml takes about 0.03 s to load, which CSV runs need not pay.
        from ehcp_timeliness.io.sen2_xml import read_sen2_xml

        return read_sen2_xml(path)
    if magic.startswith(ZIP_MAGIC):
        from ehcp_timeliness.io.excel_reader import read_excel
        from ehcp_timeliness.io.sen2_collect import read_collect

        listing = list_zip(path)
        if listing.is_workbook:
            # Whatever calamine inflates must fit the bounds: every member is checked.
            check_members(listing, listing.members, limits)
            return read_excel(path, sheet, lines_above_headers)
        if listing.csv_members:
            return read_collect(path, limits, listing)
        raise refuse_other_zip(listing)
    if magic.startswith(_OLE):
        from ehcp_timeliness.io.excel_reader import read_excel

        try:
            return read_excel(path, sheet, lines_above_headers)
        except InputFileError as exc:
            if path.suffix.lower() == ".xls":
                raise
            # A legacy workbook (Excel 97-2003) renamed .xlsx, or a password-protected
            # workbook (Excel encrypts an .xlsx inside the same container): the reader's own
            # message would only say the file is not a workbook.
            raise InputFileError(
                f"{path}: is an Excel 97-2003 workbook (.xls) or a password-protected "
                f"workbook{f', named {path.suffix}' if path.suffix else ''}, and cannot be read",
                "Open it in Excel, remove any password, and save it as Excel Workbook (.xlsx) "
                "or CSV UTF-8.") from exc
    if magic == _PARQUET:
        from ehcp_timeliness.io.parquet_reader import read_parquet

        return read_parquet(path)
    return read_csv(path, limits.max_columns, lines_above_headers)


def explain_read_failure(raw: RawTable, exc: BaseException) -> InputFileError:
    """Turn a parse failure met while collecting into a message naming the file and row."""
    if changed := changed_while_read(raw):
        return changed
    if raw.file_format == "csv":
        return csv_failure(raw, exc)
    # The library's own text is not shown: it can quote the cell it failed on.
    return InputFileError(f"{raw.path}: cannot be read ({type(exc).__name__})",
                          "Check the file is a complete, uncorrupted export.")
