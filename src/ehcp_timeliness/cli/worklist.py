"""`worklist`: open requests and reviews overdue or due soon, most urgent first."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ehcp_timeliness.cli.column_options import (
    check_by_before_analysis,
    check_by_columns,
    check_show_columns,
    matched_columns,
    refuse_personal_options,
)
from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ByOpt,
    ConfigOpt,
    HeaderRowOpt,
    InputArg,
    IssuesOutOpt,
    PseudonymiseOpt,
    SheetOpt,
    WhereOpt,
    WithinOpt,
    chosen_format,
    handle_errors,
    inputs,
    parse_as_of,
    run_analysis,
    say,
    stdout_console,
    with_header_row,
    write_issues,
    write_result,
)


class WorklistFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


@handle_errors
def worklist(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    within: WithinOpt = None,
    by: ByOpt = None,
    output_format: Annotated[WorklistFormat | None, typer.Option(
        "--format", help="table for the terminal; csv, json or xlsx for the whole list "
        "(default: what the --output name says, else table).", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write csv/json/xlsx here instead of stdout.",
        show_default=False)] = None,
    pseudonymise: PseudonymiseOpt = False,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    where: WhereOpt = None,
    show: Annotated[list[str] | None, typer.Option(
        "--show", help="Also show this column of the export, for context (repeat for more), "
        "e.g. --show Setting --show Caseworker.", show_default=False)] = None,
    issues_out: IssuesOutOpt = None,
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
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.report.privacy import pseudonymise_key
    from ehcp_timeliness.report.views import case_columns
    from ehcp_timeliness.report.worklist import build_worklist, render_worklist, worklist_bytes
    from ehcp_timeliness.summaries.where import describe

    settings = with_header_row(load_config(config), header_row)
    key = pseudonymise_key(settings.privacy.pseudonymise_key) if pseudonymise else None
    protect = inputs(input_file, config)  # files no output may replace
    output_format = chosen_format(output_format, output, WorklistFormat.table, protect,
                                  issues_out)
    named, conditions = matched_columns(input_file, settings, sheet,
                                        [*(by or []), *(show or [])], where)
    by, show = named[:len(by or [])], named[len(by or []):]
    check_by_before_analysis(input_file, settings, sheet, by, pseudonymised=key is not None)
    refuse_personal_options(input_file, settings, sheet, key is not None, show=show,
                            where=[c.column for c in conditions])
    analysis = run_analysis(input_file, settings, parse_as_of(as_of), sheet, key=key,
                            where=conditions)
    columns = check_by_columns(by, case_columns(analysis))
    shown = check_show_columns(show, case_columns(analysis))
    view = build_worklist(analysis, within, columns, key is not None, shown,
                          describe(conditions))
    write_issues(analysis.issues, issues_out, protect)
    if output_format is WorklistFormat.table:
        stdout_console().print(render_worklist(view))
        return
    write_result(worklist_bytes(view, output_format.value), output, protect)
    say(f"{view.rows.height:,} items, {view.overdue:,} overdue. {view.accounting.sentence()}")
