"""The `audit-exceptions` command's view-model and renderings: a Rich table for the terminal, or
the whole list as CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.columns import ADVICE_REQUESTED_DATE
from ehcp_timeliness.io.writers import table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.views import Accounting
from ehcp_timeliness.summaries.exception_audit import (
    FINDINGS,
    FLAGGED_NO_DATE,
    FLAGGED_NOT_SHOWN,
    FLAGGED_PLAUSIBLE,
    UNFLAGGED_IN_WINDOW,
    exception_audit,
)
from ehcp_timeliness.summaries.grouping import finding_counts

if TYPE_CHECKING:
    from rich.console import RenderableType

FINDING_TEXT = {
    FLAGGED_PLAUSIBLE: "flagged: advice requested in a closure window, (a) plausible",
    FLAGGED_NOT_SHOWN: "flagged: dates do not show (a); (c) or (d) cannot be checked here",
    FLAGGED_NO_DATE: "flagged: no advice date to check",
    UNFLAGGED_IN_WINDOW: "late, not flagged: advice requested in a closure window",
}


@dataclass(frozen=True)
class AuditView:
    source: str
    as_of: date
    rows: pl.DataFrame
    counts: dict[str, int]
    advice_recorded: bool     # the export has advice_requested_date
    proxy: str                # exception_audit.advice_date_proxy
    term_dates: str           # where the closures came from, in words
    accounting: Accounting
    pseudonymised: bool


def build_audit(analysis: Analysis, pseudonymised: bool = False) -> AuditView:
    """PSEUDONYMISED: ANALYSIS is privacy.pseudonymise_analysis's (the note says so)."""
    config = analysis.config
    rows = exception_audit(analysis.cases, config, analysis.as_of)
    listed = len(config.term_dates.closures)
    pattern = config.term_dates.default_pattern
    term_dates = (f"{listed} closure{'s' if listed != 1 else ''} from [term_dates]"
                  + (", England default pattern for other years" if pattern == "england" else "")
                  if listed else ("England default pattern (summer: six weeks to the first "
                                  "Wednesday of September)" if pattern == "england"
                                  else "none (default_pattern = \"none\")"))
    return AuditView(analysis.export.name, analysis.as_of, rows, finding_counts(rows, FINDINGS),
                     analysis.export.supplies(ADVICE_REQUESTED_DATE),
                     config.exception_audit.advice_date_proxy, term_dates,
                     Accounting.of(analysis), pseudonymised)


def audit_bytes(view: AuditView, file_format: str) -> bytes:
    return table_bytes(view.rows, file_format)


def _day(value: date | None) -> str:
    return "–" if value is None else f"{value:%d %b %Y}"


def render_audit(view: AuditView) -> RenderableType:
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    from ehcp_timeliness.report.terminal import plain

    parts: list[RenderableType] = []
    counts = RichTable(title=f"reg 10(4)(a) exception audit as of {view.as_of:%d %b %Y}",
                       title_justify="left")
    counts.add_column("Finding")
    counts.add_column("Cases", justify="right")
    for finding, text in FINDING_TEXT.items():
        counts.add_row(Text(f"{finding}: {text}"), Text(f"{view.counts[finding]:,}"))
    parts.append(counts)
    if view.rows.height:
        table = RichTable(title="Cases", title_justify="left")
        for heading in ("Case", "Status", "Advice requested", "Source", "Window", "Finding"):
            table.add_column(heading, no_wrap=heading in ("Case", "Advice requested"))
        for row in view.rows.iter_rows(named=True):
            window = ("–" if row["window_start"] is None
                      else f"{_day(row['window_start'])} – {_day(row['window_end'])}")
            # Plain Text cells: ids from the export can never be read as markup nor reach
            # the terminal as control characters.
            table.add_row(plain(row["case_id"] or "–"), plain(row["plan_status"]),
                          plain(_day(row["advice_date"])),
                          plain(row["advice_date_source"] or "–"), plain(window),
                          plain(row["finding"]))
        parts.append(table)
    source = ("advice_requested_date, else " if view.advice_recorded else "")
    proxy = ("the day the decision to assess was notified (proxy)"
             if view.proxy == "decision_to_assess" else "nothing (no proxy)")
    parts.append(plain(
        f"Advice date: {source}{proxy}. Term dates: {view.term_dates}. Window: closure − 7 "
        "days to reopening − 7 days, ends included, closures of 4 weeks or more. Exceptions "
        "never move the deadline. Source: "
        f"{view.source}. {view.accounting.sentence()}"
        + (" Ids are keyed pseudonyms." if view.pseudonymised else ""), style="dim"))
    return Group(*parts)
