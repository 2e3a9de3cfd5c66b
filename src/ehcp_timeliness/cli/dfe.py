"""`dfe`: the figures DfE publishes, per calendar year, worked out from your cases."""

from typing import TYPE_CHECKING

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


def dfe(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    output_format: common.TableFormatOpt = None,
    output: common.TableOutputOpt = None,
    sheet: common.SheetOpt = None,
) -> None:
    """DfE's published figures from your cases, per calendar year, under DfE's column names.

    Plans issued within 20 weeks (with and without exceptions, 20 weeks–1 year, over a year),
    requests decided within 6 weeks, decisions not to issue within 16 weeks and annual-review
    decisions within 4 weeks, in DfE's scope. See docs/benchmarking.md.

    Examples:

    \b
      ehcp-timeliness dfe cases.csv --as-of 2025-01-16
      ehcp-timeliness dfe sen2.xml --format csv --output dfe_figures.csv
    """
    run(ctx, common.TableFormat.table, dfe_view, review_process=False)


def dfe_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.dfe_views import build_dfe, dfe_bytes, render_dfe

    view = build_dfe(analysis)
    return Result(table=lambda: render_dfe(view), data=lambda fmt: dfe_bytes(view, fmt),
                  notes=[view.accounting.sentence()])
