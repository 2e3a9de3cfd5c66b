"""The board pack as one self-contained HTML file: jinja2 templates with autoescaping (text from
the data can never become markup), CSS inline, charts as inline SVG (the geometry from
charts.py and trend_charts.py, the markup from the macros in templates/charts.svg.j2), and a
Content-Security-Policy that forbids scripts and every network request, so the page works
offline and nothing in it can call out. Here, each section of the page as its template's
context: how a value and a table read, each chart's model, the trend section's sentences
(board_trend.py), the benchmark (board_benchmark.py) and the headline cards (headline.py).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ehcp_timeliness.report.benchmark import NOTHING_TO_COMPARE
from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_benchmark import HEADINGS as BENCHMARK_HEADINGS
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.board_trend import OUTLOOK_WITHHELD
from ehcp_timeliness.report.charts import (
    Bar,
    BarChart,
    Level,
    LineChart,
    Series,
    bar_chart,
    line_chart,
)
from ehcp_timeliness.report.headings import HEADINGS, as_of_reviews_note, heading
from ehcp_timeliness.report.headline import WINDOW_HEADINGS, HeadlineCard, figure, gap_words
from ehcp_timeliness.report.part_marks import label_part_months, mark_part_months
from ehcp_timeliness.report.periods import month_label
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.quality_view import QUALITY_HEADINGS, quality_table
from ehcp_timeliness.report.targets import Progress
from ehcp_timeliness.report.trend_charts import (
    CountSeries,
    StackedBarChart,
    count_line_chart,
    stacked_bar_chart,
)
from ehcp_timeliness.report.trend_notes import COHORT_NOTE, blank_reviews_note
from ehcp_timeliness.summaries.open_work import AGE_BAND_LABELS
from ehcp_timeliness.summaries.year_end import BASIS as YEAR_END_BASIS


def number(value: object, percent: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}%" if percent else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    return str(value)


def cell(value: object, hidden: bool, column: str) -> tuple[str, str]:
    """(text, css class) of one table cell."""
    if hidden:
        return SUPPRESSED, "num suppressed"
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    text = number(value, percent=column.startswith("pct_"))
    if column == "urgency" and value == "overdue":
        return text, "flag"
    if column in ("case_id", "person_id"):
        return text, "id"
    return text, "num" if numeric or isinstance(value, date) else ""


def table_context(table: Table, headings: dict[str, str] | None = None) -> dict[str, object]:
    names = {**HEADINGS, **(headings or {})}
    return {
        "headings": [names[c] if c in names else heading(c) for c in table.columns],
        "rows": [[cell(v, h, c) for (v, h), c in zip(row, table.columns, strict=True)]
                 for row in table.rows()],
    }


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
        notes = [f"{month}: " + ("suppressed (c)" if hidden else
                                 f"{number(pct, True)} ({number(n)} of {number(d)} plans)")
                 for month, pct, n, d, hidden in zip(labels, frame[column], frame[num],
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
    groups = ", ".join(view.by_headers)
    return bar_chart(f"Annual reviews overdue by {groups}", bars, " overdue", groups,
                     "Annual reviews overdue")


def review_process_context(view: BoardView) -> dict[str, object] | None:
    part = view.review_process
    if part is None:
        return None
    return {name: None if table is None else table_context(table)
            for name, table in (("decisions", part.decisions), ("awaiting", part.awaiting),
                                ("transfers", part.transfers))}


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


def rates_chart(months: Table, title: str, *lines: tuple[str, str, str]) -> LineChart:
    """Rates by month, a line for each (column, label, css) of LINES."""
    labels = [month_label(m) for m in months.frame["month"]]
    series = []
    for column, label, css in lines:
        values = months.shown(column)
        notes = [f"{m}: " + ("suppressed (c)" if h else number(v, True))
                 for m, v, h in zip(labels, values, months.mask[column], strict=True)]
        series.append(Series(label, values, notes, css))
    return line_chart(title, labels, series)


def trend_context(view: BoardView) -> dict[str, object] | None:
    over = view.over_time
    if over is None:
        return None
    periods = view.periods
    months = over.months.frame["month"].to_list()
    return {
        "backlog_chart": mark_part_months(backlog_chart(over.months), months, periods),
        "demand_chart": mark_part_months(demand_chart(over.months), months, periods),
        "cohort_chart": mark_part_months(rates_chart(
            over.months, "Plans on time: by month due and by month of issue",
            ("pct_due_issued_on_time", "By month due (cohort)", "series-ex"),
            ("pct_within_20_weeks", "By month of issue (DfE)", "series-all")), months, periods),
        "cohort_note": COHORT_NOTE,
        "reviews_note": blank_reviews_note(view.missing_review_column),
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


# column -> (the key's words, css class)
BENCHMARK_LINES = (
    ("pct_within_20_weeks_ex", "Your data", "series-ex"),
    ("published_pct", "Published", "series-published"),
    ("region_pct", "Region", "series-region"),
    ("england_pct", "England", "series-england"),
    ("neighbours_median", "Neighbours' median", "series-neighbours"),
)


def benchmark_context(view: BoardView) -> dict[str, object] | None:
    benchmark, periods = view.benchmark, view.periods
    if benchmark is None:
        return None
    authority = benchmark.authority
    labels = [periods.year_label(y) for y in benchmark.years]
    part = [periods.year_is_part(y) for y in benchmark.years]
    series = []
    for column, words, css in BENCHMARK_LINES:
        label = {"Published": f"{authority.name} (published)",
                 "Region": authority.region_name}.get(words, words)
        values = benchmark.table.shown(column)
        notes = [f"{year}: {label} " + ("–" if v is None else f"{v:.1f}%")
                 for year, v in zip(labels, values, strict=True)]
        series.append(Series(label, values, notes, css, part if words == "Your data" else ()))
    chart = line_chart(f"{authority.name}: new plans within 20 weeks (excluding exceptions) "
                       "by year, against published figures", labels, series, every=1,
                       y_title="% of new plans within 20 weeks", x_title="Calendar year of issue")
    of = sorted({int(text.split(" of ")[1]) for text in
                 benchmark.table.frame["national_rank"].drop_nulls() if " of " in text})
    return {
        "name": authority.name,
        "region": authority.region_name,
        "chart": chart,
        "table": table_context(benchmark.table, BENCHMARK_HEADINGS),
        "part_years": [periods.year_label(y) for y in benchmark.part_years],
        "rank_of_words": (f"{of[0]}–{of[-1]}" if len(of) > 1 else str(of[0])) if of else "",
        "citations": benchmark.citations,
        "nothing_to_compare": "" if benchmark.years else NOTHING_TO_COMPARE,
    }


def status_words(progress: Progress, changes: list[tuple[str, str, str]],
                 trend_unknown: str, gap: str = "") -> str:
    """The status (with its GAP to the milestone), qualified where the card's own trend is
    worse or cannot be seen: "on track" alone would hide it."""
    words = progress.status.capitalize() + gap
    if progress.status not in ("on track", "target met"):
        return words
    worse = [text.split(" (")[0] for _, text, css in changes if css == "worse"]
    if worse:
        return f"{words}, but {' and '.join(worse)}"
    if trend_unknown:
        return f"{words}; trend not known"
    return words


def card_context(view: BoardView, card: HeadlineCard) -> dict[str, object]:
    # A hidden card has no change: "no comparable figure" would say there is none to compare.
    changes = (change_lines(view, card.kpi, card.unit == "%") if card.kpi and not card.hidden
               else [])
    p = card.progress
    unit = card.progress_unit or card.unit
    lines: list[tuple[str, str]] = [(b.label, b.text) for b in card.beside]
    status = css = ""
    if p is not None:
        upcoming = p.upcoming if p.upcoming is not p.target else None
        for label, step, when in (("Baseline", p.baseline, " ({:%d %b %Y})"),
                                  ("Milestone now", p.current, " (due {:%d %b %Y})"),
                                  ("Next milestone", upcoming, " by {:%d %b %Y}"),
                                  ("Target", p.target, " by {:%d %b %Y}")):
            if step:
                lines.append((label, figure(step.value, unit)
                              + (when.format(step.when) if step.when else "")))
        status = status_words(p, changes, card.trend_unknown,
                              gap_words(p, "" if card.progress_unit else card.unit))
        css = p.status.replace(" ", "-")
    return {
        "card": card,
        "value": SUPPRESSED if card.hidden else figure(card.value, card.unit).removesuffix(
            " weeks"),
        "unit": " weeks" if card.unit == " weeks" and not card.hidden else "",
        "changes": changes,
        "lines": lines,
        "status": status,
        "status_css": css,
        "slipped": p is not None and p.status == "slippage",
    }


def headline_context(view: BoardView) -> list[dict[str, object]]:
    return [card_context(view, c) for c in view.headline]


def render_board_html(view: BoardView) -> bytes:
    months = view.trend.frame["period"].to_list()

    template = environment().get_template("board.html.j2")
    html = template.render(
        over=trend_context(view),
        view=view,
        trend_chart=mark_part_months(trend_chart(view), months, view.periods),
        trend_table=table_context(label_part_months(view.trend, "period", view.periods)),
        ageing_chart=ageing_chart(view),
        open_table=table_context(view.open_requests),
        reviews_chart=reviews_chart(view),
        reviews_table=table_context(view.reviews),
        reviews_note=(as_of_reviews_note(view.missing_review_column) if view.reviews_not_known
                      else None),
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
