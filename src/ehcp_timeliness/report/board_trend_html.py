"""The board pack's trend section as template context: the charts' geometry (trend_charts.py,
charts.py; board_trend.html.j2 draws them with the macros in charts.svg.j2) and the sentences,
from BoardTrend (board_trend.py)."""

from __future__ import annotations

from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.board_trend import OUTLOOK_WITHHELD, BoardTrend
from ehcp_timeliness.report.charts import LineChart, Series, line_chart
from ehcp_timeliness.report.html_cells import month_label, number, table_context
from ehcp_timeliness.report.part_marks import label_part_months, mark_part_months
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.report.trend_charts import (
    CountSeries,
    StackedBarChart,
    count_line_chart,
    stacked_bar_chart,
)
from ehcp_timeliness.report.trend_notes import BLANK_REVIEWS_NOTE, COHORT_NOTE
from ehcp_timeliness.summaries.year_end import BASIS as YEAR_END_BASIS


def backlog_chart(months: Table) -> StackedBarChart:
    labels = [month_label(m) for m in months.frame["month"]]
    open_, overdue, over_52 = (months.shown(c) for c in (
        "open_at_month_end", "open_overdue_at_month_end", "open_over_52_weeks_at_month_end"))

    def less(a: list[int | None], b: list[int | None]) -> list[int | None]:
        return [None if x is None or y is None else x - y for x, y in zip(a, b, strict=True)]

    return stacked_bar_chart("Open requests at each month end", labels, [
        CountSeries("Within 20 weeks", less(open_, overdue), "stack-in-time"),
        CountSeries("Overdue, under 52 weeks", less(overdue, over_52), "stack-overdue"),
        CountSeries("52 weeks or more", over_52, "stack-52"),
    ], totals=open_)


def demand_chart(months: Table) -> LineChart:
    labels = [month_label(m) for m in months.frame["month"]]
    return count_line_chart("Requests received against plans issued and closures", labels, [
        CountSeries("Requests received", months.shown("requests_received"), "series-demand"),
        CountSeries("Plans issued", months.shown("left_open_by_issue"), "series-ex"),
        CountSeries("Closed without a plan", months.shown("left_open_by_closure"),
                    "series-all"),
    ])


def _rates(months: Table, column: str, label: str, css: str) -> Series:
    values = months.shown(column)
    notes = [f"{month_label(m)}: " + ("suppressed (c)" if h else number(v, True))
             for m, v, h in zip(months.frame["month"], values, months.mask[column], strict=True)]
    return Series(label, values, notes, css)


def rates_chart(months: Table, title: str, *lines: tuple[str, str, str]) -> LineChart:
    """Rates by month, a line for each (column, label, css) of LINES."""
    labels = [month_label(m) for m in months.frame["month"]]
    return line_chart(title, labels, [_rates(months, *line) for line in lines])


def trend_context(view: BoardView) -> dict[str, object] | None:
    over: BoardTrend | None = view.over_time
    if over is None:
        return None

    periods = view.periods or PartPeriods(None, view.as_of)
    months = over.months.frame["month"].to_list()
    return {
        "backlog_chart": mark_part_months(backlog_chart(over.months), months, periods),
        "demand_chart": mark_part_months(demand_chart(over.months), months, periods),
        "cohort_chart": mark_part_months(rates_chart(
            over.months, "Plans on time: by month due and by month of issue",
            ("pct_due_issued_on_time", "By month due (cohort)", "series-ex"),
            ("pct_within_20_weeks", "By month of issue (DfE)", "series-all")), months, periods),
        "cohort_note": COHORT_NOTE,
        "reviews_note": BLANK_REVIEWS_NOTE,
        "split_chart": mark_part_months(rates_chart(
            over.months, "DfE's rate, and the rate of plans not from the backlog",
            ("pct_current_within_20_weeks", "Current plans", "series-ex"),
            ("pct_within_20_weeks", "All new plans (DfE)", "series-all")), months, periods),
        "table": table_context(label_part_months(over.months, "month", periods)),
        "year_end": over.year_end,
        "year_end_words": OUTLOOK_WITHHELD if over.outlook_hidden else over.year_end.sentence(),
        "year_end_basis": YEAR_END_BASIS,
        "clearance_words": (OUTLOOK_WITHHELD if over.outlook_hidden
                            else over.clearance.sentence()),
        "outlook_hidden": over.outlook_hidden,
        "clearance": over.clearance,
        "undated_closures": over.undated_closures,
    }


def change_lines(view: BoardView, kpi: str, is_rate: bool) -> list[tuple[str, str, str]]:
    """(arrow, words, css) against the previous month and the same month last year."""
    over = view.over_time
    if over is None or kpi not in over.changes:
        return []
    return [(c.arrow, c.words(is_rate),
             "" if c.better is None else ("better" if c.better else "worse"))
            for c in over.changes[kpi]]
