"""How a value and a table of the board read on the HTML page: numbers, dates, suppressed
cells and their css classes. Shared by html.py and the board sections' page builders
(board_trend_html.py, board_benchmark_html.py, headline_html.py)."""

from __future__ import annotations

from datetime import date

from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.headings import HEADINGS, heading
from ehcp_timeliness.report.periods import month_label as month_label  # for the page builders
from ehcp_timeliness.report.privacy import SUPPRESSED


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
