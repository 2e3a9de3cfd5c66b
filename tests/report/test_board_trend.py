"""The board pack's trend section (report/board_trend.py): each KPI against the previous month
and a year before, worked out by hand on tests/board_data.py; the workbook's Over time sheet;
and nothing of it for a plan register."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.board import build_board
from ehcp_timeliness.report.board_trend import Change
from ehcp_timeliness.report.xlsx import board_workbook

from board_data import ROWS, write_export
from conftest import SAMPLE_AS_OF as AS_OF


def _board(tmp_path: Path, suppress_below: int = 0, rows: list[str] | None = None,
           header: str | None = None):  # type: ignore[no-untyped-def]
    export = write_export(tmp_path, rows) if header is None else write_export(tmp_path, rows,
                                                                               header)
    analysis = analyse(export, Config(), AS_OF)
    return build_board(analysis, [], suppress_below)


def test_each_kpi_against_last_month_and_last_year(tmp_path: Path) -> None:
    over = _board(tmp_path).over_time
    month, year = over.changes["pct_within_20_weeks_month"]
    # June 2025: C1 late (143 days), C2 within (136 days): 50.0%; no plans in May 2025 or
    # June 2024 to compare with.
    assert month.words(True) == "no comparable figure for May 2025"
    assert year.words(True) == "no comparable figure for Jun 2024"
    month, year = over.changes["open_cases_overdue"]
    # C4 (20-week date 21 June) is the one overdue now; on 31 May, C1 (due 30 May, issued
    # 2 June) was; on 30 June 2024, none (C7's date was 19 July 2024).
    assert (month.before, month.difference, month.better) == (1, 0.0, None)
    assert month.words(False) == "no change on May 2025" and month.arrow == "→"
    assert (year.before, year.better, year.arrow) == (0, False, "▲")
    assert year.words(False) == "up 1 on Jun 2024 (worse)"
    # C6's last review (20 June 2024) is on or before both month ends: they are exact. On
    # 31 May 2025 its review was not yet due (19 June); on 30 June 2024 it had just been held.
    month, year = over.changes["reviews_overdue"]
    assert (month.before, month.difference, year.before, year.difference) == (0, 1.0, 0, 1.0)


def test_a_review_change_only_against_an_exact_month_end(tmp_path: Path) -> None:
    # C8: issued 1 May 2023, a review due from 1 May 2024, its only recorded review 15 June
    # 2025: at the end of May 2025 and of June 2024 whether it was overdue is not known.
    over = _board(tmp_path, rows=[*ROWS, "C8,P8,10/01/2023,Y,01/05/2023,,South,15/06/2025"]
                  ).over_time
    month, year = over.changes["reviews_overdue"]
    assert (month.before, year.before) == (None, None)
    assert month.words(False) == "no comparable figure for May 2025"
    months = over.months.frame.tail(2).to_dicts()
    assert [m["reviews_not_known_at_month_end"] for m in months] == [1, 0]
    assert [m["reviews_overdue_at_month_end"] for m in months] == [None, 1]


def test_better_follows_the_kpis_direction() -> None:
    assert Change("May 2025", 50.0, 4.2, True).words(True) == "up 4.2 pts on May 2025 (better)"
    assert Change("May 2025", 9, -3.0, True).words(False) == "down 3 on May 2025 (better)"
    assert Change("May 2025", 9, 0.0, None).words(False) == "no change on May 2025"
    assert Change("May 2025", 9, 0.0, None).arrow == "→"


def test_a_hidden_card_has_no_change(tmp_path: Path) -> None:
    over = _board(tmp_path, suppress_below=5).over_time
    # June's rate rests on 1 of 2 plans: hidden, and so is its change.
    assert all(c.difference is None for c in over.changes["pct_within_20_weeks_month"])
    assert over.months.mask["open_at_month_end"].any()


def test_the_workbook_has_the_over_time_sheet(tmp_path: Path) -> None:
    path = tmp_path / "board.xlsx"
    path.write_bytes(board_workbook(_board(tmp_path)))
    sheet = openpyxl.load_workbook(path)["Over time"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["Month", "Received", "Issued"]
    # (the column definitions stand right of the tables, so a row is compared by its start)
    assert ["Open requests past the 20-week date", "on 30 Jun 2025", 1, 1,
            "no change on May 2025", 0, "up 1 on Jun 2024 (worse)"] in [row[:7] for row in values]
    # Each measure named in words, as on the Summary sheet: no KPI id.
    assert not any(str(row[0]).startswith(("pct_", "open_cases", "reviews_overdue"))
                   for row in values if row)
    assert ["What each column means"] == values[0][-1:]
    assert any(str(row[0]).startswith("2025 so far: 50.0%") for row in values if row)
    # The year-end forecast says its basis and its likely range in the workbook too.
    assert any("(DfE's headline basis: excluding exceptions)" in str(row[0])
               and "(80% range)" in str(row[0]) for row in values if row)


def test_the_over_time_chart_keeps_every_month_and_leaves_suppressed_figures_out(
        tmp_path: Path) -> None:
    """Under --suppress-below the chart is still drawn: its own block leaves a hidden figure
    blank (a gap), never the table's `c` read as zero, and every other month keeps its point."""
    view = _board(tmp_path, suppress_below=5)
    assert view.over_time is not None and view.over_time.months.mask["open_at_month_end"].any()
    path = tmp_path / "board.xlsx"
    path.write_bytes(board_workbook(view))
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/")]
        drawn = "".join(archive.read(n).decode("utf-8") for n in charts)
    # Excel draws an empty cell as a gap unless told otherwise (xlsxwriter writes no
    # dispBlanksAs for its default, the gap).
    assert "Open requests at each month end" in drawn and "dispBlanksAs" not in drawn
    rows = list(openpyxl.load_workbook(path)["Over time"].iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if str(row[0]).startswith("Chart data"))
    block = rows[top + 2: top + 2 + view.over_time.months.frame.height]
    mask = view.over_time.months.mask["open_at_month_end"].to_list()
    figures = view.over_time.months.frame["open_at_month_end"].to_list()
    assert [row[1] for row in block] == [None if hidden else value
                                         for hidden, value in zip(mask, figures, strict=True)]
    assert "c" not in [row[1] for row in block]


def test_a_plan_register_has_no_trend_section(tmp_path: Path) -> None:
    view = _board(tmp_path, rows=["C1,01/03/2023,20/02/2024"],
                  header="Case Ref,Date EHC Plan First Issued,Date EHC Plan Last Reviewed")
    assert view.over_time is None
