"""Writers: atomic (temporary file then rename), never over the input, safe to open in Excel."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import polars as pl

from ehcp_timeliness.columns import column
from ehcp_timeliness.errors import UsageError

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
_FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix risky text cells with an apostrophe so spreadsheets show them as text."""
    text = [n for n, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(column(c).str.contains(_FORMULA_START)).then("'" + column(c))
        .otherwise(column(c)).alias(c)
        for c in text
    )


def table_bytes(frame: pl.DataFrame, file_format: str) -> bytes:
    """Serialise deterministically: same frame, same bytes."""
    buffer = io.BytesIO()
    if file_format == "csv":
        neutralise_formulas(frame).write_csv(buffer, date_format="%Y-%m-%d")
    elif file_format == "json":
        buffer.write(frame.write_json().encode("utf-8"))
        buffer.write(b"\n")
    elif file_format == "parquet":
        frame.write_parquet(buffer, statistics=False)
    else:  # pragma: no cover - callers validate the format
        raise ValueError(file_format)
    return buffer.getvalue()


def refuse_overwrite(output: Path, protect: tuple[Path, ...]) -> None:
    """UsageError if OUTPUT is one of the PROTECT files (the inputs), however it is spelt."""
    target = output.resolve()
    for path in protect:
        if path.exists() and _same_file(target, path):
            raise UsageError(f"Refusing to write over {path}: the command reads it",
                             "Choose another --output path.")


def write_output(data: bytes, output: Path | None, protect: tuple[Path, ...] = ()) -> None:
    """Write to OUTPUT atomically, or to stdout when OUTPUT is None or '-'."""
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    refuse_overwrite(output, protect)
    target = output.resolve()
    if not target.parent.is_dir():
        raise UsageError(f"Output folder does not exist: {target.parent}",
                         "Create the folder first, or choose another --output path.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(target: Path, path: Path) -> bool:
    """Any spelling of the same file: resolve() sees through symlinks and `..`; samefile also
    catches hard links and case-insensitive file systems (Cases.csv vs cases.csv on Windows).
    """
    if target == path.resolve():
        return True
    try:
        return target.exists() and os.path.samefile(target, path)
    except OSError:
        return False
