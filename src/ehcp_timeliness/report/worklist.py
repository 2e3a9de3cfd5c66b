"""The `worklist` command's view-model and renderings: a Rich table per --by group for the
terminal, or the whole list as CSV, JSON or a one-sheet workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.columns import header_of
from ehcp_timeliness.io.writers import table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.board_tables import make_table
from ehcp_timeliness.report.headings import heading
from ehcp_timeliness.report.views import Accounting, urgent_work
from ehcp_timeliness.summaries.worklist import OVERDUE, in_groups

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table as RichTable
    from rich.text import Text


@dataclass(frozen=True)
class WorklistView:
    source: str
    as_of: date
    within: int
    by: tuple[str, ...]
    rows: pl.DataFrame
    accounting: Accounting
    pseudonymised: bool
    show: tuple[str, ...] = ()   # context columns (--show), after the list's own
    where: str = ""              # the filter used (--where), "" for none

    @property
    def overdue(self) -> int:
        return self.rows.filter(pl.col("urgency") == OVERDUE).height


def build_worklist(analysis: Analysis, within: int | None, by: list[str],
                   pseudonymised: bool = False, show: list[str] | None = None,
                   where: str = "") -> WorklistView:
    """PSEUDONYMISED: ANALYSIS is privacy.pseudonymise_analysis's (the footer says so).
    SHOW: context columns; WHERE: the --where filter ANALYSIS was cut to, as said."""
    days = analysis.config.rules.due_soon_days if within is None else within
    rows = in_groups(urgent_work(analysis, days, by, show), by)
    shown = tuple(c for c in show or [] if c in rows.columns and c not in by)
    return WorklistView(analysis.export.name, analysis.as_of, days, tuple(by), rows,
                        Accounting.of(analysis), pseudonymised, shown, where)


def worklist_bytes(view: WorklistView, file_format: str) -> bytes:
    if file_format == "xlsx":
        from ehcp_timeliness.report.xlsx import worklist_workbook

        return worklist_workbook(make_table(view.rows, 0), view.as_of,
                                 (("As of", view.as_of),
                                  ("Filter (--where)", view.where or "none: every case")))
    return table_bytes(view.rows, file_format)


def _when(row: dict[str, object]) -> Text:
    """The list's own wording (summaries.worklist.lateness), coloured by urgency."""
    from ehcp_timeliness.report.terminal import plain

    days = row["days_left"]
    style = ("bold red" if isinstance(days, int) and days < 0 else
             "bold yellow" if days == 0 else "")
    return plain(row["lateness"], style)


_COLUMNS = ("case_id", "person_id", "work", "next_step", "law", "step_due_date", "act_by_date",
            "lateness", "exception_applies")
# Never narrowed below their widest cell: a case id cut short points at the wrong child.
_WHOLE = ("case_id", "person_id", "step_due_date", "act_by_date")


def _table(rows: pl.DataFrame, title: str, show: tuple[str, ...]) -> RichTable:
    from rich.table import Table as RichTable
    from rich.text import Text

    from ehcp_timeliness.report.terminal import plain, titled

    table = RichTable(title=titled(title), title_justify="left")
    cells = []
    for row in rows.iter_rows(named=True):
        # Plain Text cells: an id or a group value from the export can never be read as
        # markup nor reach the terminal as control characters. The act-by day is in every
        # row: the due day itself when that is a working day.
        cells.append([plain(row["case_id"] or "–"), plain(row["person_id"] or "–"),
                      plain(row["work"]), plain(row["next_step"]), plain(row["law"]),
                      Text(f"{row['step_due_date']:%d %b %Y}"),
                      Text(f"{row['act_by_date']:%d %b %Y}"),
                      _when(row),
                      # reg 13(3): late but excused by a reg 10(4) exception, still listed.
                      Text("yes" if row["exception_applies"] else ""),
                      *(plain("–" if row[c] is None else row[c]) for c in show)])
    for index, name in enumerate((*_COLUMNS, *show)):
        title_text = heading(name)
        whole = (max([len(title_text), *(r[index].cell_len for r in cells)])
                 if name in _WHOLE else None)
        table.add_column(plain(title_text), no_wrap=name in _WHOLE, min_width=whole)
    for cell_row in cells:
        table.add_row(*cell_row)
    return table


def render_worklist(view: WorklistView) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from ehcp_timeliness.report.terminal import plain

    title = (f"Open work overdue or due within {view.within} days of "
             f"{view.as_of:%d %b %Y}, most urgent first")
    parts: list[RenderableType] = []
    if view.rows.height == 0:
        parts.append(Text("Nothing overdue or due in that time.", style="green"))
    elif not view.by:
        parts.append(_table(view.rows, title, view.show))
    else:
        groups = view.rows.partition_by(list(view.by), maintain_order=True, as_dict=True)
        for values, rows in groups.items():
            label = ", ".join(f"{header_of(c)} {v}" for c, v in zip(view.by, values, strict=True))
            parts.append(_table(rows, f"{title} — {label}", view.show))
    where = f" Only the cases where {view.where}." if view.where else ""
    footer = plain(f"{view.rows.height:,} items, {view.overdue:,} overdue.{where} Source: "
                   f"{view.source}. As of {view.as_of.isoformat()}. "
                   f"{view.accounting.sentence()}", style="dim")
    if view.pseudonymised:
        footer.append(" Ids are keyed pseudonyms.")
    parts.append(footer)
    return Group(*parts)
