"""`summary`: DfE-style rates by period of issue, open work and reviews as of a date."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


PeriodChoice = StrEnum("PeriodChoice", "year quarter month")


def summary(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    period: Annotated[PeriodChoice, typer.Option(
        "--period", help="Calendar period of issue the rates are grouped by.")] =
        PeriodChoice.year,
    by: common.ByOpt = None,
    output_format: common.TableFormatOpt = None,
    output: common.TableOutputOpt = None,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    where: common.WhereOpt = None,
    issues_out: common.IssuesOutOpt = None,
    streaming: common.StreamingOpt = None,
) -> None:
    """Summarise timeliness: 20-week rates by period of issue, open requests, reviews.

    Examples:

    \b
      ehcp-timeliness summary cases.csv --as-of 2025-06-30
      ehcp-timeliness summary cases.xlsx -c mapping.toml --period month --by Team
      ehcp-timeliness summary cases.csv --format json --output summary.json
    """
    run(ctx, common.TableFormat.table, summary_view, review_process=False)


def summary_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.views import build_summary

    view = build_summary(analysis, options.params["period"].value, options.by)

    def table() -> Any:
        from ehcp_timeliness.report.terminal import render_summary

        return render_summary(view)

    def data(fmt: str) -> bytes:
        from ehcp_timeliness.report.tabular import summary_bytes

        return summary_bytes(view, fmt)

    return Result(table=table, data=data, notes=[view.accounting.sentence()],
                  as_of_line="table")
