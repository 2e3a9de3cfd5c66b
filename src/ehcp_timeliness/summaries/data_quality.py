"""Issues by code: how many rows each issue touches, errors first, the commonest first. One
table for `validate`'s terminal and the board pack's data-quality section."""

from __future__ import annotations

import polars as pl


def issues_by_code(issues: pl.DataFrame) -> pl.DataFrame:
    """code, severity, rows, message: ISSUES (schema.checks.ISSUE_COLUMNS) counted by code."""
    return (issues.group_by("code", "severity", "message")
            .agg(pl.len().cast(pl.Int64).alias("rows"))
            .sort(["severity", "rows", "code"], descending=[False, True, False])
            .select("code", "severity", "rows", "message"))
