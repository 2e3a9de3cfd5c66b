"""Terminal tables never cut a case id or a row number: those columns keep their width and
the others wrap."""

from __future__ import annotations

import polars as pl
import pytest
from rich.console import Console

from ehcp_timeliness.report.terminal import render_issues


@pytest.mark.parametrize("width", [120, 80, 60])
def test_issue_table_keeps_ids_and_rows_whole(width: int) -> None:
    issues = pl.DataFrame({
        "row": [123456, 7], "case_id": ["EHCNA/2023/000123", "EHCNA/2023/000124"],
        "column": ["assessment_outcome", "request_outcome"],
        "value": ["17 characters (letters, spaces)", "16 characters (letters, spaces)"],
        "code": ["unknown-outcome-code"] * 2, "severity": ["error"] * 2,
        "message": ["Use a SEN2 code."] * 2,
    })
    console = Console(width=width, record=True, soft_wrap=False)
    console.print(render_issues(issues, 2))
    text = console.export_text()
    assert "EHCNA/2023/000123" in text and "EHCNA/2023/000124" in text
    assert "123,456" in text
    assert max(len(line) for line in text.splitlines()) <= width
