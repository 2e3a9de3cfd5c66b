"""Every column a table shows has its heading in report/headings.py: a column added to a
summary without one would reach the terminal, the board and the workbook under its code name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.report.board import build_board
from ehcp_timeliness.report.headings import HEADINGS
from ehcp_timeliness.report.views import build_summary

from conftest import SAMPLE

# An export with every review-process input, so those tables are built too.
REVIEW_EXPORT = (
    "Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,Last Review Date,"
    "Review Decision Date,Amendment Notice Date,Amended Plan Date,Phase Transfer Year,"
    "Transfer Type,Team\n"
    "R1,01/09/2022,Y,10/01/2023,01/03/2024,30/03/2024,,,,,North\n"
    "R2,01/09/2022,Y,10/01/2023,20/11/2025,,,,2026,School phase,South\n"
    "R3,01/09/2025,,,,,,,,,North\n"
)


def _analyses(tmp_path: Path) -> list[Analysis]:
    review = tmp_path / "review.csv"
    review.write_text(REVIEW_EXPORT, encoding="utf-8")
    return [analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                    date(2025, 6, 30)),
            analyse(review, Config(), date(2025, 12, 1))]


@pytest.mark.parametrize("which", [0, 1])
def test_every_column_shown_has_a_heading(tmp_path: Path, which: int) -> None:
    analysis = _analyses(tmp_path)[which]
    by = ["Team"]
    board = build_board(analysis, by)
    tables = [board.trend, board.ageing, board.open_requests, board.reviews, board.worklist,
              board.worklist_all, board.data_quality]
    if board.review_process is not None:
        tables += [t for t in (board.review_process.decisions, board.review_process.awaiting,
                               board.review_process.transfers) if t is not None]
    shown = {c for t in tables for c in t.columns}
    summary = build_summary(analysis, "year", by)
    frames = [summary.timeliness, summary.open_requests, summary.reviews]
    if summary.review_process is not None:
        part = summary.review_process
        frames += [f for f in (part.decisions, part.awaiting, part.transfers) if f is not None]
    shown |= {c for f in frames for c in f.columns}
    assert shown - set(by) - set(HEADINGS) == set()
    assert which == 0 or board.review_process is not None  # the second export has them
