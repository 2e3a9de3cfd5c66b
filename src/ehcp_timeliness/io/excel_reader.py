"""Excel workbooks (.xlsx, .xlsm, .xls) via fastexcel: the first visible sheet unless one is
named.

Cells are loaded as text; real Excel dates arrive as ISO datetimes and are parsed with the rest.
"""

from __future__ import annotations

from pathlib import Path

import fastexcel
import polars as pl

from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.source import RawTable, numbered

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
            loaded = workbook.load_sheet(chosen, dtypes="string", n_rows=rows,
                                         header_row=lines_above_headers if rows is None
                                         else None)
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
    details = {"sheet": repr(chosen)}
    if hidden:
        details["skipped hidden"] = sheet_list(hidden)
    others = [name for name in names if name != chosen]
    other_sheets = (f"Sheet {chosen!r} was read (the first visible one); the workbook also has "
                    f"{sheet_list(others)}. If the cases are on another sheet, name it: "
                    "--sheet NAME." if sheet is None and others else "")
    return RawTable(numbered(frame.lazy(), lines_above_headers), frame.columns, path, "xlsx",
                    details, lines_above_headers=lines_above_headers,
                    other_sheets=other_sheets)
