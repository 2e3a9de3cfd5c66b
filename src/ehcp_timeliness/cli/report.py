"""`report`: the board pack, as one self-contained HTML file or an Excel workbook."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ehcp_timeliness.cli.column_options import (
    check_by_before_analysis,
    check_by_columns,
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
    announce_as_of,
    chosen_format,
    handle_errors,
    inputs,
    parse_as_of,
    run_analysis,
    say,
    with_header_row,
    write_issues,
    write_result,
)


class ReportFormat(StrEnum):
    html = "html"
    xlsx = "xlsx"


@handle_errors
def report(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here (board.html or board.xlsx); HTML may go to stdout.",
        show_default=False)] = None,
    output_format: Annotated[ReportFormat | None, typer.Option(
        "--format", help="html or xlsx (default: what the --output name says, else html).",
        show_default=False)] = None,
    by: ByOpt = None,
    suppress_below: Annotated[int, typer.Option(
        "--suppress-below", min=0, help="Show counts from 1 to N−1, and percentages built on "
        "them, as 'c' (DfE-style disclosure control).")] = 0,
    pseudonymise: PseudonymiseOpt = False,
    within: WithinOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    where: WhereOpt = None,
    issues_out: IssuesOutOpt = None,
    la: Annotated[str | None, typer.Option(
        "--la", help="Your authority, by DfE name or code, for the title and the benchmark "
        "section (default: authority.la in the config file).", show_default=False)] = None,
) -> None:
    """Write the board pack: headline KPIs against targets and England, the monthly trend, open
    requests by age, reviews, the most urgent work, data quality and the conventions.

    Examples:

    \b
      ehcp-timeliness report cases.csv -c mapping.toml --as-of 2025-06-30 -o board.html
      ehcp-timeliness report cases.csv --as-of 2025-06-30 --by Team -o board.xlsx
      ehcp-timeliness report cases.csv --pseudonymise --suppress-below 5 -o board.html
    """
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.report.board import build_board
    from ehcp_timeliness.report.privacy import pseudonymise_key
    from ehcp_timeliness.report.views import case_columns

    settings = with_header_row(load_config(config), header_row)
    if la:
        settings = settings.model_copy(update={"authority": settings.authority.model_copy(
            update={"la": la})})
    key = pseudonymise_key(settings.privacy.pseudonymise_key) if pseudonymise else None
    protect = inputs(input_file, config)  # files no output may replace
    chosen = chosen_format(output_format, output, ReportFormat.html, protect,
                           issues_out)
    by, conditions = matched_columns(input_file, settings, sheet, by, where)
    check_by_before_analysis(input_file, settings, sheet, by, pseudonymised=key is not None)
    refuse_personal_options(input_file, settings, sheet, key is not None,
                            where=[c.column for c in conditions])
    analysis = run_analysis(input_file, settings, parse_as_of(as_of), sheet, key=key,
                            where=conditions)
    columns = check_by_columns(by, case_columns(analysis))
    view = build_board(analysis, columns, suppress_below, key is not None, within)
    if chosen is ReportFormat.xlsx:
        from ehcp_timeliness.report.xlsx import board_workbook

        data = board_workbook(view)
    else:
        from ehcp_timeliness.report.html import render_board_html

        data = render_board_html(view)
    announce_as_of(analysis.as_of, as_of is not None, on_stdout=False)
    write_result(data, output, protect)
    write_issues(analysis.issues, issues_out, protect)
    say(view.accounting.sentence())
    if not pseudonymise:
        say("The board pack lists case and person ids (most urgent work): add --pseudonymise "
            "before it goes beyond the team.")
