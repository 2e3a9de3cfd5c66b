"""Parquet files: typed columns are turned to text so one normaliser serves every format."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ehcp_timeliness.columns import column
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.source import RawTable, numbered


def read_parquet(path: Path) -> RawTable:
    try:
        # glob=False: `May [final].parquet` is that file, never a pattern matching others.
        lazy = pl.scan_parquet(path, glob=False)
        schema = lazy.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"{path}: cannot be read as Parquet ({exc.__class__.__name__})",
                             "Check the file is a complete Parquet file.") from exc
    text = [_as_text(path, name, dtype) for name, dtype in schema.items()]
    frame = numbered(lazy.select(text))
    return RawTable(frame, list(schema.names()), path, "parquet")


def _as_text(path: Path, name: str, dtype: pl.DataType) -> pl.Expr:
    """One column as text. Types with no sensible text form are refused up front, by name:
    they would otherwise fail mid-read with a message that names neither file nor column.
    """
    if dtype.is_nested() or dtype in (pl.Binary, pl.Object):
        raise InputFileError(
            f"{path}: column {name!r} holds {dtype} values, not text, numbers or dates",
            "Export that column as text, or leave it out of the export.")
    if isinstance(dtype, pl.Datetime):
        return column(name).dt.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(dtype, pl.Duration):
        return column(name).dt.to_string("iso")
    return column(name).cast(pl.String)
