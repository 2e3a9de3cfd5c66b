"""`worklist`: open requests and reviews overdue or due soon, most urgent first."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


WorklistFormat = StrEnum("WorklistFormat", "table csv json xlsx")


def worklist(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    within: common.WithinOpt = None,
    by: common.ByOpt = None,
    output_format: Annotated[WorklistFormat | None, typer.Option(
        "--format", help="table for the terminal; csv, json or xlsx for the whole list "
        "(default: what the --output name says, else table).", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write csv/json/xlsx here instead of stdout.",
        show_default=False)] = None,
    pseudonymise: common.PseudonymiseOpt = False,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    where: common.WhereOpt = None,
    show: Annotated[list[str] | None, typer.Option(
        "--show", help="Also show this column of the export, for context (repeat for more), "
        "e.g. --show Setting --show Caseworker.", show_default=False)] = None,
    issues_out: common.IssuesOutOpt = None,
) -> None:
    """List open work whose next statutory step is overdue or due within N days: new plans
    (decision whether to assess, final plan) and annual reviews, most urgent first.

    Examples:

    \b
      ehcp-timeliness worklist cases.csv -c mapping.toml --as-of 2025-06-30
      ehcp-timeliness worklist cases.csv --within 14 --by "Allocated Caseworker"
      ehcp-timeliness worklist cases.csv --format xlsx -o worklist.xlsx
      ehcp-timeliness worklist cases.csv --where "Allocated Caseworker=Caseworker 07" --show Team
    """
    run(ctx, WorklistFormat.table, worklist_view)


def worklist_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.worklist import build_worklist, render_worklist, worklist_bytes
    from ehcp_timeliness.summaries.where import describe

    view = build_worklist(analysis, options.params["within"], options.by, options.pseudonymised,
                          options.show, describe(options.conditions))
    return Result(table=lambda: render_worklist(view),
                  data=lambda fmt: worklist_bytes(view, fmt),
                  notes=[f"{view.rows.height:,} items, {view.overdue:,} overdue. "
                         f"{view.accounting.sentence()}"])
