"""Parquet files: typed columns are turned to text so one normaliser serves every format."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ehcp_timeliness.columns import ROW
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.source import RawTable


def read_parquet(path: Path) -> RawTable:
    try:
        lazy = pl.scan_parquet(path)
        schema = lazy.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"{path}: cannot be read as Parquet ({exc.__class__.__name__})",
                             "Check the file is a complete Parquet file.") from exc
    text = [
        pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S") if dtype.is_temporal()
        and dtype != pl.Date else pl.col(name).cast(pl.String)
        for name, dtype in schema.items()
    ]
    frame = lazy.select(text).with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return RawTable(frame, list(schema.names()), path, "parquet")
