"""`summary`: DfE-style rates by period of issue, open work and reviews as of a date."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ehcp_timeliness.cli.column_options import (
    check_by_before_analysis,
    check_by_columns,
    matched_columns,
)
from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ConfigOpt,
    HeaderRowOpt,
    InputArg,
    IssuesOutOpt,
    SheetOpt,
    StreamingOpt,
    TableOutputOpt,
    WhereOpt,
    announce_as_of,
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


class PeriodChoice(StrEnum):
    year = "year"
    quarter = "quarter"
    month = "month"


class SummaryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@handle_errors
def summary(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    period: Annotated[PeriodChoice, typer.Option(
        "--period", help="Calendar period of issue the rates are grouped by.")] =
        PeriodChoice.year,
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="Also group by this column (repeat for more), e.g. --by Team.",
        show_default=False)] = None,
    output_format: Annotated[SummaryFormat | None, typer.Option(
        "--format", help="table for the terminal; csv or json for the summary table "
        "(default: what the --output name says, else table).", show_default=False)] = None,
    output: TableOutputOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    where: WhereOpt = None,
    issues_out: IssuesOutOpt = None,
    streaming: StreamingOpt = None,
) -> None:
    """Summarise timeliness: 20-week rates by period of issue, open requests, reviews.

    Examples:

    \b
      ehcp-timeliness summary cases.csv --as-of 2025-06-30
      ehcp-timeliness summary cases.xlsx -c mapping.toml --period month --by Team
      ehcp-timeliness summary cases.csv --format json --output summary.json
    """
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.report.tabular import summary_bytes
    from ehcp_timeliness.report.terminal import render_summary
    from ehcp_timeliness.report.views import build_summary, case_columns

    protect = inputs(input_file, config)  # files no output may replace
    output_format = chosen_format(output_format, output, SummaryFormat.table, protect,
                                  issues_out)
    date = parse_as_of(as_of)
    settings = with_header_row(load_config(config), header_row)
    by, conditions = matched_columns(input_file, settings, sheet, by, where)
    check_by_before_analysis(input_file, settings, sheet, by)
    analysis = run_analysis(input_file, settings, date, sheet, streaming,
                            review_process=False,
                            where=conditions)
    by_columns = check_by_columns(by, case_columns(analysis))
    view = build_summary(analysis, period.value, by_columns)
    write_issues(analysis.issues, issues_out, protect)
    if output_format is SummaryFormat.table or as_of is None:
        announce_as_of(analysis.as_of, as_of is not None, output_format is SummaryFormat.table)
    if output_format is SummaryFormat.table:
        stdout_console().print(render_summary(view))
        return
    write_result(summary_bytes(view, output_format.value), output, protect)
    say(view.accounting.sentence())
