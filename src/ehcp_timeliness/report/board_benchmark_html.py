"""The benchmark section (board_benchmark.py) as the page's template context: its chart's
geometry (charts.line_chart) and its table."""

from __future__ import annotations

from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_benchmark import HEADINGS
from ehcp_timeliness.report.charts import Series, line_chart
from ehcp_timeliness.report.html_cells import table_context

# column -> (the key's words, css class)
LINES = (
    ("pct_within_20_weeks_ex", "Your data", "series-ex"),
    ("published_pct", "Published", "series-published"),
    ("region_pct", "Region", "series-region"),
    ("england_pct", "England", "series-england"),
    ("neighbours_median", "Neighbours' median", "series-neighbours"),
)


def benchmark_context(view: BoardView) -> dict[str, object] | None:
    benchmark, periods = view.benchmark, view.periods
    if benchmark is None or periods is None:
        return None
    authority = benchmark.authority
    labels = [periods.year_label(y) for y in benchmark.years]
    part = [periods.year_is_part(y) for y in benchmark.years]
    series = []
    for column, words, css in LINES:
        label = {"Published": f"{authority.name} (published)",
                 "Region": authority.region_name}.get(words, words)
        values = benchmark.table.shown(column)
        notes = [f"{year}: {label} " + ("–" if v is None else f"{v:.1f}%")
                 for year, v in zip(labels, values, strict=True)]
        series.append(Series(label, values, notes, css, part if column == LINES[0][0] else ()))
    chart = line_chart(f"{authority.name}: new plans within 20 weeks (excluding exceptions) "
                       "by year, against published figures", labels, series, every=1,
                       y_title="% of new plans within 20 weeks", x_title="Calendar year of issue")
    of = sorted({int(text.split(" of ")[1]) for text in
                 benchmark.table.frame["national_rank"].drop_nulls() if " of " in text})
    return {
        "name": authority.name,
        "region": authority.region_name,
        "chart": chart,
        "table": table_context(benchmark.table, HEADINGS),
        "part_years": [periods.year_label(y) for y in benchmark.part_years],
        "rank_of_words": (f"{of[0]}–{of[-1]}" if len(of) > 1 else str(of[0])) if of else "",
        "citations": benchmark.citations,
    }
