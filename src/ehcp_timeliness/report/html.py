"""The board pack as one self-contained HTML file: jinja2 templates with autoescaping (text from
the data can never become markup), CSS inline, charts as inline SVG (the geometry from
charts.py, the markup from the macros in templates/charts.svg.j2), and a
Content-Security-Policy that forbids scripts and every network request, so the page works
offline and nothing in it can call out.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ehcp_timeliness.columns import header_of
from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_benchmark_html import benchmark_context
from ehcp_timeliness.report.board_trend_html import trend_context
from ehcp_timeliness.report.charts import (
    Bar,
    BarChart,
    Level,
    LineChart,
    Series,
    bar_chart,
    line_chart,
)
from ehcp_timeliness.report.headings import AS_OF_REVIEWS_NOTE
from ehcp_timeliness.report.headline import WINDOW_HEADINGS
from ehcp_timeliness.report.headline_html import headline_context
from ehcp_timeliness.report.html_cells import month_label, number, table_context
from ehcp_timeliness.report.part_marks import label_part_months, mark_part_months
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.quality_view import QUALITY_HEADINGS, quality_table
from ehcp_timeliness.summaries.open_work import AGE_BAND_LABELS

_OVERDUE_BANDS = frozenset({"weeks_20_30", "weeks_30_52", "weeks_52_plus"})


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("ehcp_timeliness.report", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


def trend_chart(view: BoardView) -> LineChart:
    frame, mask = view.trend.frame, view.trend.mask
    labels = [month_label(p) for p in frame["period"]]
    series = []
    for column, label, css, num, den in (
        ("pct_within_20_weeks_ex", "Excluding exceptions (DfE headline)", "series-ex",
         "issued_within_20_weeks_ex", "plans_issued_ex"),
        ("pct_within_20_weeks", "Including exceptions", "series-all",
         "issued_within_20_weeks", "plans_issued"),
    ):
        notes = [f"{month_label(period)}: " + ("suppressed (c)" if hidden else
                                               f"{number(pct, True)} ({number(n)} of "
                                               f"{number(d)} plans)")
                 for period, pct, n, d, hidden in zip(frame["period"], frame[column], frame[num],
                                                      frame[den], mask[column], strict=True)]
        series.append(Series(label, view.trend.shown(column), notes, css))
    levels = [Level(f"England {view.england.year}", view.england.pct_ex, "level-england")]
    if view.trend_target is not None:
        levels.insert(0, Level("Target", view.trend_target, "level-target"))
    return line_chart("Plans issued within 20 weeks, by month of issue", labels, series, levels,
                      y_title="% of new plans issued within 20 weeks",
                      x_title="Month of issue")


def ageing_chart(view: BoardView) -> BarChart:
    frame, mask = view.ageing.frame, view.ageing.mask
    bars = [Bar(f"{AGE_BAND_LABELS[c]} weeks", frame[c][0], bool(mask[c][0]),
                "bar overdue" if c in _OVERDUE_BANDS else "bar")
            for c in frame.columns]
    return bar_chart("Open requests by weeks since the request", bars, " requests",
                     "Weeks since request", "Open requests")


def reviews_chart(view: BoardView) -> BarChart | None:
    if not view.by:
        return None
    frame, mask = view.reviews.frame, view.reviews.mask
    labels = [" / ".join(str(v) for v in row) for row in frame.select(view.by).iter_rows()]
    bars = [Bar(label, value, bool(hidden), "bar overdue") for label, value, hidden in
            zip(labels, frame["reviews_overdue"], mask["reviews_overdue"], strict=True)]
    groups = ", ".join(header_of(c) for c in view.by)
    return bar_chart(f"Annual reviews overdue by {groups}", bars, " overdue", groups,
                     "Annual reviews overdue")


def review_process_context(view: BoardView) -> dict[str, object] | None:
    part = view.review_process
    if part is None:
        return None
    return {name: None if table is None else table_context(table)
            for name, table in (("decisions", part.decisions), ("awaiting", part.awaiting),
                                ("transfers", part.transfers))}


def render_board_html(view: BoardView) -> bytes:
    periods = view.periods or PartPeriods(None, view.as_of)
    months = view.trend.frame["period"].to_list()

    template = environment().get_template("board.html.j2")
    html = template.render(
        over=trend_context(view),
        view=view,
        trend_chart=mark_part_months(trend_chart(view), months, periods),
        trend_table=table_context(label_part_months(view.trend, "period", periods)),
        ageing_chart=ageing_chart(view),
        open_table=table_context(view.open_requests),
        reviews_chart=reviews_chart(view),
        reviews_table=table_context(view.reviews),
        reviews_note=AS_OF_REVIEWS_NOTE if view.reviews_not_known else None,
        worklist_table=table_context(view.worklist),
        quality_table=table_context(quality_table(view.data_quality), QUALITY_HEADINGS),
        headline=headline_context(view),
        any_target=any(c.progress is not None for c in view.headline),
        windows_table=(None if view.windows is None
                       else table_context(view.windows, WINDOW_HEADINGS)),
        benchmark=benchmark_context(view),
        process=review_process_context(view),
        suppressed=SUPPRESSED,
        number=number,
    )
    return html.encode("utf-8")
