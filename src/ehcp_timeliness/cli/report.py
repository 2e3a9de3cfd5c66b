"""`report`: the board pack, as one self-contained HTML file or an Excel workbook."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


ReportFormat = StrEnum("ReportFormat", "html xlsx")


def report(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here (board.html or board.xlsx); HTML may go to stdout.",
        show_default=False)] = None,
    output_format: Annotated[ReportFormat | None, typer.Option(
        "--format", help="html or xlsx (default: what the --output name says, else html).",
        show_default=False)] = None,
    by: common.ByOpt = None,
    suppress_below: Annotated[int, typer.Option(
        "--suppress-below", min=0, help="Show counts from 1 to N−1, and percentages built on "
        "them, as 'c' (DfE-style disclosure control).")] = 0,
    pseudonymise: common.PseudonymiseOpt = False,
    within: common.WithinOpt = None,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    where: common.WhereOpt = None,
    issues_out: common.IssuesOutOpt = None,
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
    run(ctx, ReportFormat.html, board_view)


def board_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.board import build_board
    from ehcp_timeliness.summaries.where import describe

    params = options.params
    view = build_board(analysis, options.by, params["suppress_below"],
                       options.pseudonymised, params["within"], describe(options.conditions))

    def data(fmt: str) -> bytes:
        if fmt == ReportFormat.xlsx:
            from ehcp_timeliness.report.xlsx import board_workbook

            return board_workbook(view)
        from ehcp_timeliness.report.html import render_board_html

        return render_board_html(view)

    notes = [view.accounting.sentence()]
    if not options.pseudonymised:
        from ehcp_timeliness.cli.column_options import personal_groups

        if personal := personal_groups(options.by, analysis.export, options.settings):
            notes.append(f"The board pack's groups are the values of {', '.join(personal)}, "
                         "children's personal details: group by a column that is not "
                         "personal before it goes beyond the team.")
        notes.append("The board pack lists case and person ids (most urgent work): add "
                     "--pseudonymise before it goes beyond the team.")
    return Result(data=data, notes=notes, as_of_line="always")
