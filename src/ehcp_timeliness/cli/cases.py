"""`cases`: the case-level table with every deadline and status (data contract)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


CasesFormat = StrEnum("CasesFormat", "csv json parquet")


def cases(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    output_format: Annotated[CasesFormat | None, typer.Option(
        "--format", help="Output format (default: what the --output name says, else csv).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here instead of stdout.", show_default=False)] = None,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    where: common.WhereOpt = None,
    issues_out: common.IssuesOutOpt = None,
    streaming: common.StreamingOpt = None,
) -> None:
    """Write every analysed case with its deadlines and statuses, in input order.

    Rows with errors are set aside and counted on stderr; `validate` lists them.

    Examples:

    \b
      ehcp-timeliness cases cases.csv --as-of 2025-06-30 --output flagged.csv
      ehcp-timeliness cases cases.xlsx -c mapping.toml --format parquet -o cases.parquet
    """
    run(ctx, CasesFormat.csv, cases_view)


def cases_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.io.writers import table_bytes
    from ehcp_timeliness.report.views import Accounting, case_table

    return Result(data=lambda fmt: table_bytes(case_table(analysis), fmt),
                  notes=[Accounting.of(analysis).sentence()])
