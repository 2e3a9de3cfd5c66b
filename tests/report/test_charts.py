"""The board pack's charts: the geometry (report/charts.py, report/trend_charts.py) drawn by
the jinja macros (templates/charts.svg.j2)."""

from __future__ import annotations

import re

import pytest

from ehcp_timeliness.report.charts import Bar, Level, Series, bar_chart, line_chart
from ehcp_timeliness.report.html import environment
from ehcp_timeliness.report.trend_charts import (
    FRAME,
    HIDDEN_CSS,
    HIDDEN_LABEL,
    CountSeries,
    Segment,
    count_line_chart,
    stacked_bar_chart,
)

HOSTILE = '<script>alert("x")</script> & \'Team\''


def draw(macro: str, chart: object) -> str:
    macros = environment().get_template("charts.svg.j2").module
    return str(getattr(macros, macro)(chart))


def test_a_line_breaks_where_a_value_is_missing_and_text_is_escaped() -> None:
    series = Series(HOSTILE, [10.0, 20.0, None, 40.0, 50.0, None, 70.0],
                    [f"month {i}" for i in range(7)], "series-ex")
    svg = draw("line_chart", line_chart(HOSTILE, [f"m{i}" for i in range(7)], [series],
                                        [Level("England", 50.0, "level-england")]))
    assert "\n" not in svg and svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    polylines = re.findall(r'<polyline fill="none" points="([^"]*)"/>', svg)
    assert [len(p.split()) for p in polylines] == [2, 2]  # the lone 70.0 is a point, no line
    assert svg.count("<circle") == 5
    assert svg.count('class="axis" x=') == 5 + 3  # 0–100% every 25, months 0, 3 and the last
    assert "England 50.0%" in svg


def test_a_hidden_count_is_c_with_no_bar() -> None:
    chart = bar_chart("Open", [Bar("0–6", 30, False), Bar("6–16", 3, True),
                               Bar("16–20", None, False), Bar(HOSTILE, 60, False, "bar overdue")],
                      " requests")
    svg = draw("bar_chart", chart)
    assert svg.count("<rect") == 2
    assert '>c</text>' in svg and '>–</text>' in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [275.0, 550.0]  # the largest count fills the plot
    assert "&lt;script&gt;" in svg and "60 requests</title>" in svg


MONTHS = ["Jan", "Feb", "Mar", "Apr", HOSTILE]
IN_TIME = CountSeries("Within 20 weeks", [10, 12, None, 0, 5], "stack-in-time")
OVERDUE = CountSeries("Overdue", [5, 3, 7, 0, 1], "stack-overdue")
LONG = CountSeries(HOSTILE, [3, 0, 2, 0, 0], "stack-52")


def _bars(chart: object) -> dict[str, list[Segment]]:
    bars: dict[str, list[Segment]] = {}
    for segment in chart.segments:  # type: ignore[attr-defined]
        bars.setdefault(segment.x, []).append(segment)
    return bars


def test_stacked_bars_add_up_to_each_months_total_and_every_month_keeps_its_bar() -> None:
    totals = [18, 15, 19, 0, 6]
    chart = stacked_bar_chart("Open", MONTHS, [IN_TIME, OVERDUE, LONG], totals=totals)
    plot_h = FRAME.plot_height
    assert [g.label for g in chart.grid] == ["0", "5", "10", "15", "20"]  # 19 → a top of 20
    bars = _bars(chart)
    assert len(bars) == 5 and all(len(stack) == 3 for stack in bars.values())
    for total, stack in zip(totals, bars.values(), strict=True):
        # each part sits on the one below, and the parts reach the total on the axis
        assert sum(float(s.height) for s in stack) == pytest.approx(plot_h * total / 20, abs=0.2)
        bottom = FRAME.top + plot_h
        for segment in stack:
            assert float(segment.y) + float(segment.height) == pytest.approx(bottom, abs=0.1)
            bottom = float(segment.y)
        assert float(stack[-1].y) == pytest.approx(FRAME.top + plot_h * (1 - total / 20),
                                                   abs=0.1)
    assert [s.note for s in bars[chart.segments[0].x]] == [
        "Jan: Within 20 weeks 10", "Jan: Overdue 5", f"Jan: {HOSTILE} 3"]
    # Mar's first part is suppressed: its place holds the total less the shown parts,
    # marked as such, not a gap and not a bar that understates the month
    march = list(bars.values())[2]
    assert [s.css for s in march] == [f"{HIDDEN_CSS} stack-in-time", "stack-overdue",
                                      "stack-52"]
    assert march[0].note == "Mar: Within 20 weeks suppressed (c), 10 together"
    assert [k.label for k in chart.keys][-1] == HIDDEN_LABEL and not chart.marks


def test_without_a_shown_total_a_bar_keeps_its_shown_parts_and_a_c_above() -> None:
    chart = stacked_bar_chart("Open", MONTHS, [IN_TIME, OVERDUE, LONG])
    march = list(_bars(chart).values())[2]
    assert [s.css for s in march] == ["stack-overdue", "stack-52"]
    assert [m.note for m in chart.marks] == ["Mar: Within 20 weeks suppressed (c)"]
    assert float(chart.marks[0].y) < float(march[-1].y)


def test_the_stacked_bar_macro_draws_each_part_with_its_class_title_and_key() -> None:
    svg = draw("stacked_bar_chart", stacked_bar_chart(HOSTILE, MONTHS, [IN_TIME, OVERDUE, LONG],
                                                      totals=[18, 15, 19, 0, 6]))
    assert "\n" not in svg and svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class='
                                              '"chart" role="img"') and svg.endswith("</svg>")
    assert svg.count("<rect") == 5 * 3 + 4  # five months' bars of three parts, four keys
    assert svg.count('<rect class="stack-52"') == 5 and svg.count('<g class="stack-52">') == 1
    assert svg.count('<rect class="stack-hidden stack-in-time"') == 1
    assert '<g class="stack-hidden">' in svg and "Suppressed (c)</text>" in svg
    # escaped everywhere: the title, the last month's label, that month's three parts, the
    # series' part in each of the five months, and its key
    assert "<script>" not in svg and svg.count("&lt;script&gt;") == 1 + 1 + 3 + 5 + 1
    assert "<title>Jan: Overdue 5</title></rect>" in svg
    marked = draw("stacked_bar_chart", stacked_bar_chart("Open", MONTHS, [IN_TIME, OVERDUE]))
    assert 'class="stack-hidden"' in marked and ">c<title>Mar: Within 20 weeks suppressed (c)" \
        in marked


def test_count_lines_break_where_a_value_is_hidden_on_a_round_axis() -> None:
    demand = CountSeries("Requests", [1200, 1234, None, 900, 950, 1000], "series-demand")
    issued = CountSeries("Issued", [None, 800, 850, None, 700, None], "series-ex")
    chart = count_line_chart("Demand", [f"m{i}" for i in range(6)], [demand, issued])
    assert [g.label for g in chart.grid] == ["0", "500", "1,000", "1,500", "2,000"]
    assert [len(run.split()) for run in chart.series[0].polylines] == [2, 3]
    assert [len(run.split()) for run in chart.series[1].polylines] == [2]  # m4 alone: a point
    assert [p.note for p in chart.series[1].points] == [
        "m1: Issued 800", "m2: Issued 850", "m4: Issued 700"]
    # months are slots: the first point sits in the middle of the first slot
    slot = FRAME.plot_width / 6
    assert float(chart.series[0].points[0].x) == pytest.approx(FRAME.left + slot / 2, abs=0.1)
    assert float(chart.series[0].points[1].y) == pytest.approx(
        FRAME.top + FRAME.plot_height * (1 - 1234 / 2000), abs=0.1)
    svg = draw("line_chart", chart)
    assert svg.count("<circle") == 5 + 3 and svg.count("<polyline") == 3
    assert '<g class="series-ex"><line x1="282"' in svg  # the second key, one step along
