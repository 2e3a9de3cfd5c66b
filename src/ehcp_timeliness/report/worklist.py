"""The `worklist` command's view-model and renderings: a Rich table per --by group for the
terminal, or the whole list as CSV, JSON or a one-sheet workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from ehcp_timeliness.columns import header_of
from ehcp_timeliness.io.writers import table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.board import make_table
from ehcp_timeliness.report.headings import HEADINGS
from ehcp_timeliness.report.terminal import plain, titled
from ehcp_timeliness.report.views import Accounting, urgent_work
from ehcp_timeliness.summaries.worklist import OVERDUE, in_groups


@dataclass(frozen=True)
class WorklistView:
    source: str
    as_of: date
    within: int
    by: tuple[str, ...]
    rows: pl.DataFrame
    accounting: Accounting
    pseudonymised: bool

    @property
    def overdue(self) -> int:
        return self.rows.filter(pl.col("urgency") == OVERDUE).height


def build_worklist(analysis: Analysis, within: int | None, by: list[str],
                   pseudonymised: bool = False) -> WorklistView:
    """PSEUDONYMISED: ANALYSIS is privacy.pseudonymise_analysis's (the footer says so)."""
    days = analysis.config.rules.due_soon_days if within is None else within
    rows = in_groups(urgent_work(analysis, days, by), by)
    return WorklistView(analysis.export.name, analysis.as_of, days, tuple(by), rows,
                        Accounting.of(analysis), pseudonymised)


def worklist_bytes(view: WorklistView, file_format: str) -> bytes:
    if file_format == "xlsx":
        from ehcp_timeliness.report.xlsx import worklist_workbook

        return worklist_workbook(make_table(view.rows, 0), view.as_of)
    return table_bytes(view.rows, file_format)


def _when(days: int) -> Text:
    if days < 0:
        return Text(f"{-days:,} days overdue", style="bold red")
    if days == 0:
        return Text("due today", style="bold yellow")
    return Text(f"in {days:,} days")


def _table(rows: pl.DataFrame, title: str) -> RichTable:
    table = RichTable(title=titled(title), title_justify="left")
    for name in ("case_id", "person_id", "work", "next_step", "step_due_date", "act_by_date",
                 "days_left", "exception_applies"):
        table.add_column(HEADINGS[name], no_wrap=name in ("case_id", "person_id",
                                                          "step_due_date", "act_by_date"))
    for row in rows.iter_rows(named=True):
        # Plain Text cells: an id or a group value from the export can never be read as
        # markup nor reach the terminal as control characters.
        act_by = row["act_by_date"]
        table.add_row(plain(row["case_id"] or "–"), plain(row["person_id"] or "–"),
                      plain(row["work"]), plain(row["next_step"]),
                      Text(f"{row['step_due_date']:%d %b %Y}"),
                      Text("" if act_by == row["step_due_date"] else f"{act_by:%d %b %Y}"),
                      _when(row["days_left"]),
                      # reg 13(3): late but excused by a reg 10(4) exception, still listed.
                      Text("yes" if row["exception_applies"] else ""))
    return table


def render_worklist(view: WorklistView) -> RenderableType:
    heading = (f"Open work overdue or due within {view.within} days of "
               f"{view.as_of:%d %b %Y}, most urgent first")
    parts: list[RenderableType] = []
    if view.rows.height == 0:
        parts.append(Text("Nothing overdue or due in that time.", style="green"))
    elif not view.by:
        parts.append(_table(view.rows, heading))
    else:
        groups = view.rows.partition_by(list(view.by), maintain_order=True, as_dict=True)
        for values, rows in groups.items():
            label = ", ".join(f"{header_of(c)} {v}" for c, v in zip(view.by, values, strict=True))
            parts.append(_table(rows, f"{heading} — {label}"))
    footer = plain(f"{view.rows.height:,} items, {view.overdue:,} overdue. Source: "
                   f"{view.source}. {view.accounting.sentence()}", style="dim")
    if view.pseudonymised:
        footer.append(" Ids are keyed pseudonyms.")
    parts.append(footer)
    return Group(*parts)
