"""What happens after an annual review meeting, phase transfers, under-5s and the working-day
view of every due date (rules.md §2, §4): one stage, `with_review_process`.

Pure expressions: the as-of date, the configuration and the bank holidays are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from ehcp_timeliness.config import Config


def with_review_process(frame: pl.LazyFrame | pl.DataFrame, as_of: date, config: Config,
                        bank_holidays: Sequence[date]) -> pl.LazyFrame | pl.DataFrame:
    """Add the review-process columns. Needs with_status first. (Columns to follow.)"""
    del as_of, config, bank_holidays
    return frame
