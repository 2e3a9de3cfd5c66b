"""`benchmark`: your 20-week rates beside England, your region and other authorities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ConfigOpt,
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
def benchmark(
    ctx: typer.Context,
    input_file: Annotated[Path | None, typer.Argument(
        help="Your case export or SEN2 return (optional: without it, published figures only).",
        show_default=False)] = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    la: Annotated[str | None, typer.Option(
        "--la", help="Your authority, by DfE name or code (default: authority.la in the "
        "config file).", show_default=False)] = None,
    compare: Annotated[list[str] | None, typer.Option(
        "--compare", help='Also show these authorities, by name or code, comma-separated: '
        '"Bexley,E09000032". Repeatable.', show_default=False)] = None,
    neighbours: Annotated[bool, typer.Option(
        "--neighbours", help="Also show your authority's ten statistical neighbours.")] = False,
    output_format: TableFormatOpt = None,
    output: TableOutputOpt = None,
    sheet: SheetOpt = None,
) -> None:
    """Your 20-week rates year by year beside DfE's published figures, with national ranks.

    Examples:

    \b
      ehcp-timeliness benchmark cases.csv --la Redbridge --neighbours
      ehcp-timeliness benchmark --la E09000026 --compare "Bexley,Barnet" --format csv
    """
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.published import CITATION
    from ehcp_timeliness.report.dfe_terminal import render_benchmark
    from ehcp_timeliness.report.dfe_views import benchmark_bytes, build_benchmark

    protect = inputs(input_file, config)  # files no output may replace
    output_format = chosen_format(output_format, output, TableFormat.table, protect)
    settings = load_config(config)
    analysis = (run_analysis(input_file, settings, parse_as_of(as_of), sheet,
                             review_process=False)
                if input_file is not None else None)
    view = build_benchmark(analysis, la or settings.authority.la, list(compare or []),
                           neighbours)
    if output_format is TableFormat.table:
        stdout_console().print(render_benchmark(view))
        return
    write_result(benchmark_bytes(view, output_format.value), output, protect)
    say(CITATION)
