"""The board pack of an export with little history: the sample (first request 2 July 2022) as
of a date a few months in, before any plan DfE counts was issued."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import polars as pl

from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.benchmark import NOTHING_TO_COMPARE
from ehcp_timeliness.report.board import BoardView, build_board, from_the_first_month
from ehcp_timeliness.report.board_tables import Table
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


def test_the_monthly_trend_starts_with_the_exports_first_month() -> None:
    view = _board(EARLY)
    # The sample's first request is on 2 July 2022: no month before it is shown as one
    # without plans, in the table or on the chart.
    assert view.trend.frame["period"].to_list() == ["2022-07", "2022-08", "2022-09"]
    page = render_board_html(view).decode()
    assert ">Oct 20<" not in page and "2020-10" not in page
    assert _board(date(2025, 6, 30)).trend.frame.height == 24


def test_a_month_before_the_first_request_stays_when_it_shows_something() -> None:
    periods = ["2022-05", "2022-06", "2022-07", "2022-08"]
    frame = pl.DataFrame({"period": periods, "plans_issued": [0, 1, 0, 3]})
    quiet = pl.DataFrame({"period": [False] * 4, "plans_issued": [False] * 4})
    # A plan without a usable request date, issued in June: June stays, May goes.
    shown = from_the_first_month(Table(frame, quiet), "2022-07")
    assert shown.frame["period"].to_list() == periods[1:]
    # A hidden cell (c) stays where it is: a reader would otherwise take it for nothing.
    hidden = quiet.with_columns(plans_issued=pl.Series([True, False, False, False]))
    assert from_the_first_month(Table(frame, hidden), "2022-07").frame.height == 4
    assert from_the_first_month(Table(frame, quiet), None).frame.height == 4


def test_an_empty_worklist_says_nothing_is_due_in_words() -> None:
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2022, 7, 5))
    page = render_board_html(build_board(analysis, [], 0, within=0)).decode()
    section = page[page.index('id="work-h"'):]
    section = section[:section.index("</section>")]
    assert "No open request or review has a statutory step overdue or due within 0 days" in (
        section)
    assert "the 0 most urgent of 0" not in section and "None." not in section


def test_an_export_without_problems_says_so_in_words(tmp_path: Path) -> None:
    rows = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()
    clean = tmp_path / "clean.csv"
    # The sample's first 50 requests, none of them a deliberately bad row.
    clean.write_text("\n".join(rows[:51]) + "\n", encoding="utf-8")
    analysis = analyse(clean, load_config(SAMPLE / "board.toml"), date(2025, 6, 30))
    assert analysis.issues.height == 0
    page = render_board_html(build_board(analysis, [], 0)).decode()
    section = page[page.index('id="quality-h"'):]
    section = section[:section.index("</section>")]
    assert "No row has a problem the checks look for." in section
    assert "None." not in section and "because of a problem below" not in section
