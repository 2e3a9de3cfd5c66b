"""The open requests' age bands as the reports label and add them up (figures.py counts them,
with every other as-of figure, in one pass)."""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.summaries.figures import AGE_BANDS as AGE_BANDS

AGE_BAND_LABELS = {"weeks_0_6": "0–6", "weeks_6_16": "6–16", "weeks_16_20": "16–20",
                   "weeks_20_30": "20–30", "weeks_30_52": "30–52", "weeks_52_plus": "52+"}


def age_profile(open_table: pl.DataFrame) -> pl.DataFrame:
    """One row: the open requests of an open-requests table (figures.by_group's or
    Figures.open_requests) by weeks since the request, added up over its groups."""
    return open_table.select(pl.col(name).sum() for name, _, _ in AGE_BANDS)
