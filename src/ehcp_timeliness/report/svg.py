"""The board pack's charts drawn as inline SVG from their geometry (charts.py, trend_charts.py):
each chart one line of markup. Every value is escaped as it goes in, so text from the data can
never become markup; the page's templates take the result as it is. Plain functions rather than
jinja macros: compiling the macros cost more than every other part of drawing the page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ehcp_timeliness.report.charts import AxesChart, BarChart, LineChart
from ehcp_timeliness.report.trend_charts import StackedBarChart


def _markup(template: str, *values: object) -> str:
    """TEMPLATE with each `{}` filled by the next of VALUES, escaped."""
    return template.format(*(escape(v) for v in values))


def _open(c: AxesChart | BarChart) -> str:
    """The opening of every chart: its size, and a title that screen readers announce."""
    return _markup('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
                   'viewBox="0 0 {} {}" width="{}" height="{}"><title>{}</title>',
                   c.width, c.height, c.width, c.height, c.title)


def _axes(c: AxesChart) -> str:
    """Gridlines labelled left of the plot, the labels under it and the axes' names."""
    parts = [_markup('<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="axis" '
                     'x="{}" y="{}" text-anchor="end">{}</text>', c.plot_left, c.plot_right,
                     g.y, g.y, c.y_label_x, g.label_y, g.label) for g in c.grid]
    parts += [_markup('<text class="axis" x="{}" y="{}" text-anchor="{}">{}</text>',
                      a.x, c.x_label_y, a.anchor, a.label) for a in c.x_labels]
    if c.y_title:
        parts.append(_markup('<text class="axis-title" x="4" y="14">{}</text>', c.y_title))
    if c.x_title:
        parts.append(_markup('<text class="axis-title" x="{}" y="{}" text-anchor="middle">{}'
                             '</text>', c.x_middle, c.x_title_y, c.x_title))
    return "".join(parts)


def line_chart(c: LineChart) -> Markup:
    """Percentages or counts over time (charts.LineChart)."""
    parts = [_open(c), _axes(c)]
    parts += [_markup('<g class="{}"><line x1="{}" x2="{}" y1="{}" y2="{}"/><text x="{}" y="{}">'
                      '{} {}%</text><title>{}: {}%</title></g>', level.css, c.plot_left,
                      c.plot_right, level.y, level.y, c.level_label_x, level.label_y,
                      level.label, level.value, level.label, level.value)
              for level in c.levels]
    for s in c.series:
        parts.append(_markup('<g class="{}">', s.css))
        parts += [_markup('<polyline fill="none" points="{}"/>', p) for p in s.polylines]
        parts += [_markup('<circle{} cx="{}" cy="{}" r="{}"><title>{}{}</title></circle>',
                          Markup(_markup(' class="{}"', p.css)) if p.css else "", p.x, p.y,
                          4 if p.css else 3, p.note, " (part period)" if p.css else "")
                  for p in s.points]
        parts.append("</g>")
    parts += [_markup('<g class="{}"><line x1="{}" x2="{}" y1="{}" y2="{}"/><text class="legend" '
                      'x="{}" y="{}">{}</text></g>', s.css, s.legend_x, s.legend_line_end,
                      c.legend_line_y + s.legend_dy, c.legend_line_y + s.legend_dy,
                      s.legend_text_x, c.legend_y + s.legend_dy, s.label) for s in c.series]
    return Markup("".join(parts) + "</svg>")


def bar_chart(c: BarChart) -> Markup:
    """Counts by category, one horizontal bar each (charts.BarChart)."""
    parts = [_open(c)]
    if c.label_title:
        parts.append(_markup('<text class="axis-title" x="4" y="14">{}</text>', c.label_title))
    if c.value_title:
        parts.append(_markup('<text class="axis-title" x="{}" y="14">{}</text>', c.bar_x,
                             c.value_title))
    for bar in c.rows:
        parts.append(_markup('<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>',
                             c.label_x, bar.text_y, bar.label))
        if bar.width is not None:
            parts.append(_markup('<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>'
                                 '{}: {}{}</title></rect>', bar.css, c.bar_x, bar.y, bar.width,
                                 c.bar_height, bar.label, bar.shown, c.unit))
        parts.append(_markup('<text class="value" x="{}" y="{}">{}</text>', bar.value_x,
                             bar.text_y, bar.shown))
    return Markup("".join(parts) + "</svg>")


def stacked_bar_chart(c: StackedBarChart) -> Markup:
    """Parts of a count month by month, stacked from the bottom up
    (trend_charts.StackedBarChart)."""
    parts = [_open(c), _axes(c)]
    parts += [_markup('<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title>'
                      '</rect>', seg.css, seg.x, seg.y, c.bar_width, seg.height, seg.note)
              for seg in c.segments]
    parts += [_markup('<text class="{}" x="{}" y="{}" text-anchor="middle">c<title>{}</title>'
                      '</text>', mark.css, mark.x, mark.y, mark.note) for mark in c.marks]
    parts += [_markup('<g class="{}"><rect x="{}" y="{}" width="14" height="10"/><text '
                      'class="legend" x="{}" y="{}">{}</text></g>', key.css, key.x, c.key_box_y,
                      key.text_x, c.key_y, key.label) for key in c.keys]
    return Markup("".join(parts) + "</svg>")
