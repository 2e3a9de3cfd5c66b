"""Part periods (report/periods.py, part_marks.py), the windows' names and the headline's
status words (report/html.py): the mechanisms every chart, table and card use."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from ehcp_timeliness.config import KpiTarget, load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.board import build_board
from ehcp_timeliness.report.charts import Series, line_chart
from ehcp_timeliness.report.headline import figure, gap_words, window_label
from ehcp_timeliness.report.html import status_words
from ehcp_timeliness.report.part_marks import mark_part_months
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.report.targets import progress
from ehcp_timeliness.report.xlsx import board_workbook

from conftest import SAMPLE


def test_a_mid_month_as_of_and_an_export_from_july_are_part_periods() -> None:
    periods = PartPeriods(date(2022, 7, 2), date(2025, 6, 15))
    assert periods.month_is_part("2025-06") and periods.month_is_part("2022-07")
    assert not periods.month_is_part("2025-05") and not periods.month_is_part("2022-08")
    assert periods.month_label("2025-06") == "Jun 25 (to 15 Jun)"
    assert periods.month_label("2022-07") == "Jul 22 (from 2 Jul)"
    assert periods.year_label(2022) == "2022 (from 2 Jul)"
    assert periods.year_label(2025) == "2025 (to 15 Jun)"
    assert periods.year_label(2024) == "2024" and not periods.year_is_part(2023)


def test_whole_months_and_years_are_not_marked() -> None:
    periods = PartPeriods(date(2022, 1, 1), date(2024, 12, 31))
    assert not any(periods.month_is_part(m) for m in ("2022-01", "2024-12"))
    assert not periods.year_is_part(2022) and not periods.year_is_part(2024)
    month_end = PartPeriods(date(2022, 3, 1), date(2025, 6, 30))
    assert month_end.month_label("2025-06") == "Jun 25"
    assert month_end.year_is_part(2025)  # 30 June: the year to date


def test_a_chart_marks_its_part_month_hollow_and_labels_it() -> None:
    months = ["2025-04", "2025-05", "2025-06"]
    labels = ["Apr 25", "May 25", "Jun 25"]
    chart = line_chart("t", labels, [Series("s", [40.0, 50.0, 60.0],
                                            [f"{m}: x" for m in labels], "series-ex")], every=1)
    marked = mark_part_months(chart, months, PartPeriods(None, date(2025, 6, 15)))
    assert [p.css for p in marked.series[0].points] == ["", "", "part"]
    last = marked.x_labels[-1]
    assert last.label == "Jun 25 (to 15 Jun)" and last.anchor == "end"
    unmarked = mark_part_months(chart, months, PartPeriods(None, date(2025, 6, 30)))
    assert unmarked == chart


def test_on_track_says_when_its_own_trend_is_worse_or_unknown() -> None:
    plan = KpiTarget(target=30, milestones=[{"date": date(2025, 6, 30), "value": 70}])
    p = progress(plan, 66, date(2025, 6, 30), lower_is_better=True)
    assert p.status == "on track"
    worse = [("▲", "up 18 on Jun 2024 (worse)", "worse")]
    assert status_words(p, worse, "", gap_words(p, "")) == "On track (-4), but up 18 on Jun 2024"
    assert status_words(p, [], "not known", gap_words(p, "")) == "On track (-4); trend not known"
    assert status_words(p, [], "", gap_words(p, "")) == "On track (-4)"


def test_counts_are_whole_and_rates_have_one_decimal() -> None:
    assert figure(92.0, "") == "92" and figure(1234, "") == "1,234"
    assert figure(44.8, "%") == "44.8%" and figure(50, "%") == "50.0%"
    assert figure(22.7, " weeks") == "22.7 weeks" and figure(None, "%") == "–"


def test_every_kpi_names_its_window_as_the_headline_does() -> None:
    """The workbook's table of every KPI (board.KpiCard.window) and the page's headline and
    windows table name a window alike: its last month marked only when it is a part one."""
    for as_of, twelve, month in (
            (date(2025, 6, 15), "Jul 2024 – 15 Jun 2025 (12 months)", "June 2025 (to 15 Jun)"),
            (date(2025, 6, 30), "Jul 2024 – Jun 2025 (12 months)", "June 2025")):
        view = build_board(analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                                   as_of), [])
        windows = {c.kpi: c.window for c in view.kpis}
        assert windows["pct_within_20_weeks_ex_12_months"] == twelve == view.headline[0].window
        assert windows["pct_within_20_weeks_month"] == month
        assert view.windows is not None
        assert set(view.windows.frame["window"]) == {
            windows[f"pct_within_20_weeks_{k}"] for k in ("month", "3_months", "12_months")}


def test_a_window_the_export_begins_inside_says_so() -> None:
    """The export's first request after a window's first day: its rate covers less."""
    as_of = date(2023, 3, 31)
    periods = PartPeriods(date(2022, 7, 2), as_of)
    assert (window_label(as_of, 12, periods)
            == "Apr 2022 – Mar 2023 (12 months; the export begins 2 Jul 2022)")
    assert window_label(as_of, 3, periods) == "Jan 2023 – Mar 2023 (3 months)"
    july = PartPeriods(date(2022, 7, 2), date(2022, 7, 20))
    assert (window_label(date(2022, 7, 20), 1, july)
            == "July 2022 (to 20 Jul; the export begins 2 Jul 2022)")
    august = PartPeriods(date(2022, 7, 2), date(2022, 8, 31))
    assert window_label(date(2022, 8, 31), 1, august) == "August 2022"
def test_the_workbooks_monthly_sheets_mark_their_part_months(tmp_path: Path) -> None:
    """Column A holds real dates; a part month's number format says which part, as the page's
    label does ("May 2025 (to 15 May)"), and a whole month's does not."""
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2025, 5, 15))
    path = tmp_path / "board.xlsx"
    path.write_bytes(board_workbook(build_board(analysis, [], 0)))
    book = openpyxl.load_workbook(path)
    for name in ("Trend", "Over time"):
        column = book[name]["A"][1:]
        # The table's rows: down to the first empty cell (notes and chart data follow).
        cells = column[:next((i for i, c in enumerate(column) if c.value is None), None)]
        last, before = cells[-1], cells[-2]
        assert last.value == datetime(2025, 5, 1), name
        assert last.number_format == 'mmm yyyy "(to 15 May)"', name
        assert before.number_format == "mmm yyyy", name
