"""Excel workbooks (.xlsx, .xlsm, .xls) via fastexcel: the first visible sheet unless one is
named.

Cells are loaded as text; real Excel dates arrive as ISO datetimes and are parsed with the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

import fastexcel
import polars as pl

from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.source import HeadersAsWritten, RawTable, numbered

# calamine, fastexcel's reader, logs what it passes over (a chart sheet: "'chartsheet' not a
# valid worksheet") through Python's logging, which with no handler prints it raw on stderr
# among the tool's messages. The tool says itself which sheet it read (RawTable.details);
# a library's text is never shown, as it could quote a cell.
_LIBRARY_LOG = logging.getLogger("calamine")
_LIBRARY_LOG.addHandler(logging.NullHandler())
_LIBRARY_LOG.propagate = False

# Sheets named in a message at most: a workbook can have a thousand, and a sheet per child
# named after the child (sheet names can be personal), so a message lists a few and counts.
SHOWN_SHEETS = 10


def sheet_list(names: list[str]) -> str:
    """The first SHOWN_SHEETS sheet names, quoted, then how many more there are."""
    shown = ", ".join(map(repr, names[:SHOWN_SHEETS]))
    more = len(names) - SHOWN_SHEETS
    return f"{shown} and {more:,} more ({len(names):,} in all)" if more > 0 else shown


def read_excel(path: Path, sheet: str | None = None, lines_above_headers: int = 0,
               rows: int | None = None) -> RawTable:
    """LINES_ABOVE_HEADERS: title rows or notes above the header row, skipped; ROWS: only
    that many rows."""
    try:
        workbook = fastexcel.read_excel(path)
    except Exception as exc:  # fastexcel raises its own hierarchy; all mean "not a workbook"
        raise InputFileError(
            f"{path}: cannot be opened as an Excel workbook ({type(exc).__name__})",
            "Check the file is a saved .xlsx/.xls workbook and not open-locked or encrypted.",
        ) from exc
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise InputFileError(
            f"{path}: no sheet named {sheet!r}",
            f"Sheets in this workbook: {sheet_list(names)}. Use --sheet NAME.",
        )
    # Without --sheet, the first sheet a user sees in Excel: the first one not hidden. A
    # workbook often starts with a hidden sheet of look-up lists or a vendor's metadata.
    for chosen in [sheet] if sheet is not None else names:
        try:
            # Every row as data: the header row is taken from it as written (_below_headers).
            loaded = workbook.load_sheet(chosen, dtypes="string", n_rows=rows, header_row=None)
        except Exception as exc:
            raise InputFileError(
                f"{path}: sheet {chosen!r} cannot be read ({type(exc).__name__})",
                "Check the sheet has a header row in row 1 and no merged header cells.",
            ) from exc
        if sheet is not None or loaded.visible == "visible":
            break
    else:
        raise InputFileError(f"{path}: every sheet of this workbook is hidden",
                             f"Sheets in this workbook: {sheet_list(names)}. "
                             "Name the one with the cases: --sheet NAME.")
    hidden = names[:names.index(chosen)] if sheet is None else []
    frame = loaded.to_polars().with_columns(pl.all().cast(pl.String))
    as_written = HeadersAsWritten.of(frame.columns, None)
    if rows is None:
        frame, as_written = _below_headers(frame, lines_above_headers)
    details = {"sheet": repr(chosen)}
    if hidden:
        details["skipped hidden"] = sheet_list(hidden)
    others = [name for name in names if name != chosen]
    other_sheets = (f"Sheet {chosen!r} was read (the first visible one); the workbook also has "
                    f"{sheet_list(others)}. If the cases are on another sheet, name it: "
                    "--sheet NAME." if sheet is None and others else "")
    return RawTable(numbered(as_written.named(frame.lazy()), lines_above_headers),
                    as_written.headers, path, "xlsx", details,
                    duplicate_headers=as_written.duplicates,
                    lines_above_headers=lines_above_headers, other_sheets=other_sheets)


def _below_headers(frame: pl.DataFrame, lines_above_headers: int
                   ) -> tuple[pl.DataFrame, HeadersAsWritten]:
    """FRAME (every row of a sheet, as text) below its header row, and the header cells as
    written: a blank one stays blank and a repeated one is told apart and reported, as in a
    CSV (fastexcel would call them `__UNNAMED__3` and `Team_1`, silently)."""
    if frame.height <= lines_above_headers:
        return frame.clear(), HeadersAsWritten([], {}, ())
    table = frame.slice(lines_above_headers)
    # The table's own columns: a title cell above it can widen the sheet's used range to
    # empty columns at either side, which are not the export's (a blank column between two
    # of its columns is, as in a CSV).
    used = table.select(pl.all().is_not_null().any()).row(0)
    if not any(used):
        return frame.clear(), HeadersAsWritten([], {}, ())
    first, last = used.index(True), len(used) - 1 - used[::-1].index(True)
    table = table.select(table.columns[first:last + 1])
    written = ["" if cell is None else cell for cell in table.row(0)]
    return table.slice(1), HeadersAsWritten.of(table.columns, written)
