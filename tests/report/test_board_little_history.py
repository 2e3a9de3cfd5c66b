"""The board pack of an export with little history: the sample (first request 2 July 2022) as
of a date a few months in, before any plan DfE counts was issued."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.benchmark import NOTHING_TO_COMPARE
from ehcp_timeliness.report.board import BoardView, build_board
from ehcp_timeliness.report.html import render_board_html
from ehcp_timeliness.report.xlsx import board_workbook

from conftest import SAMPLE

EARLY = date(2022, 9, 30)  # three months of requests, no plan issued yet


def _board(as_of: date) -> BoardView:
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"), as_of)
    return build_board(analysis, [], 0)


def test_a_benchmark_with_no_year_says_so_instead_of_an_empty_chart(tmp_path: Path) -> None:
    view = _board(EARLY)
    assert view.benchmark is not None and view.benchmark.years == ()
    page = render_board_html(view).decode()
    section = page[page.index('id="benchmark"'):]
    section = section[:section.index("</section>")]
    assert NOTHING_TO_COMPARE in section
    assert "<svg" not in section and "None." not in section and "among the  " not in section
    book = tmp_path / "board.xlsx"
    book.write_bytes(board_workbook(view))
    cells = [c for row in openpyxl.load_workbook(book)["Benchmark"].iter_rows(values_only=True)
             for c in row if c is not None]
    assert NOTHING_TO_COMPARE in cells and "Your data %" not in cells


def test_unranked_years_leave_no_gap_in_the_rank_note() -> None:
    # 15 December 2022: 2022 is the only year, a part one, so no year is ranked.
    page = render_board_html(_board(date(2022, 12, 15))).decode()
    assert "Rank: your data's place among the local authorities" in page
