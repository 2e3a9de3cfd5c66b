"""`dfe`: the figures DfE publishes, per calendar year, worked out from your cases."""

from __future__ import annotations

import typer

from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ConfigOpt,
    InputArg,
    SheetOpt,
    TableFormat,
    TableFormatOpt,
    TableOutputOpt,
    chosen_format,
    handle_errors,
    inputs,
    parse_as_of,
    run_analysis,
    say,
    stdout_console,
    write_result,
)


@handle_errors
def dfe(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    output_format: TableFormatOpt = None,
    output: TableOutputOpt = None,
    sheet: SheetOpt = None,
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
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.report.dfe_terminal import render_dfe
    from ehcp_timeliness.report.dfe_views import build_dfe, dfe_bytes

    protect = inputs(input_file, config)  # files no output may replace
    output_format = chosen_format(output_format, output, TableFormat.table, protect)
    analysis = run_analysis(input_file, load_config(config), parse_as_of(as_of), sheet,
                            review_process=False)
    view = build_dfe(analysis)
    if output_format is TableFormat.table:
        stdout_console().print(render_dfe(view))
        return
    write_result(dfe_bytes(view, output_format.value), output, protect)
    say(view.accounting.sentence())
