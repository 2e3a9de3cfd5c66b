"""The board pack's charts: the geometry (report/charts.py) drawn by the jinja macros
(templates/charts.svg.j2)."""

from __future__ import annotations

import re

from ehcp_timeliness.report.charts import Bar, Level, Series, bar_chart, line_chart
from ehcp_timeliness.report.html import environment

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
