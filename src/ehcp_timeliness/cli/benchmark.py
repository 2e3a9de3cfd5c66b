"""`benchmark`: your 20-week rates beside England, your region and other authorities."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


def benchmark(
    ctx: typer.Context,
    input_file: Annotated[Path | None, typer.Argument(
        help="Your case export or SEN2 return (optional: without it, published figures only).",
        show_default=False)] = None,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    la: Annotated[str | None, typer.Option(
        "--la", help="Your authority, by DfE name or code (default: authority.la in the "
        "config file).", show_default=False)] = None,
    compare: Annotated[list[str] | None, typer.Option(
        "--compare", help='Also show these authorities, by name or code, comma-separated: '
        '"Bexley,E09000032". Repeatable.', show_default=False)] = None,
    neighbours: Annotated[bool, typer.Option(
        "--neighbours", help="Also show your authority's ten statistical neighbours.")] = False,
    output_format: common.TableFormatOpt = None,
    output: common.TableOutputOpt = None,
    sheet: common.SheetOpt = None,
) -> None:
    """Your 20-week rates year by year beside DfE's published figures, with national ranks.

    Examples:

    \b
      ehcp-timeliness benchmark cases.csv --la Redbridge --neighbours
      ehcp-timeliness benchmark --la E09000026 --compare "Bexley,Barnet" --format csv
    """
    run(ctx, common.TableFormat.table, benchmark_view, review_process=False)


def benchmark_view(analysis: "Analysis | None", options: Options) -> Result:
    """ANALYSIS None: no export given, published figures only."""
    from ehcp_timeliness.published import CITATION
    from ehcp_timeliness.report.benchmark import benchmark_bytes, build_benchmark, render_benchmark

    view = build_benchmark(analysis, options.settings.authority.la,
                           list(options.params["compare"] or []), options.params["neighbours"])
    return Result(table=lambda: render_benchmark(view),
                  data=lambda fmt: benchmark_bytes(view, fmt), notes=[CITATION])
