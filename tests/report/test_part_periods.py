"""Part periods (report/periods.py, part_marks.py) and the headline's status words
(report/html.py): the mechanisms every chart, table and card use."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from ehcp_timeliness.config import KpiTarget, load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.board import build_board
from ehcp_timeliness.report.charts import Series, line_chart
from ehcp_timeliness.report.headline import figure, gap_words
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
