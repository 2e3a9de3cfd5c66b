"""The data-quality table in plain words first, as the page and the workbook show it: the
problem, the rows, what happened to them, what to do; the issue code (what `validate` and the
docs use) last."""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.schema.issue_codes import ISSUE_CODES

QUALITY_HEADINGS = {"problem": "Problem", "rows": "Rows", "severity": "What happened to them",
                    "message": "What to do", "code": "Issue code"}
SEVERITY_WORDS = {"error": "set aside", "ignored": "skipped (nothing in them)",
                  "warning": "analysed, with a warning"}


def quality_table(table: Table) -> Table:
    order = list(QUALITY_HEADINGS)
    titles = {code: issue.title for code, issue in ISSUE_CODES.items()}
    frame = table.frame.with_columns(
        pl.col("code").replace_strict(titles, default=pl.col("code")).alias("problem"),
        pl.col("severity").replace(SEVERITY_WORDS)).select(order)
    mask = table.mask.with_columns(pl.col("code").alias("problem")).select(order)
    return Table(frame, mask)
