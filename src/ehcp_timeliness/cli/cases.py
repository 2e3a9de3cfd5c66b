"""`cases`: the case-level table with every deadline and status (data contract)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ehcp_timeliness.cli.column_options import matched_columns
from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ConfigOpt,
    HeaderRowOpt,
    InputArg,
    IssuesOutOpt,
    SheetOpt,
    StreamingOpt,
    WhereOpt,
    chosen_format,
    handle_errors,
    inputs,
    parse_as_of,
    progress,
    run_analysis,
    say,
    with_header_row,
    write_issues,
    write_result,
)


class CasesFormat(StrEnum):
    csv = "csv"
    json = "json"
    parquet = "parquet"


@handle_errors
def cases(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[CasesFormat | None, typer.Option(
        "--format", help="Output format (default: what the --output name says, else csv).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here instead of stdout.", show_default=False)] = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    where: WhereOpt = None,
    issues_out: IssuesOutOpt = None,
    streaming: StreamingOpt = None,
) -> None:
    """Write every analysed case with its deadlines and statuses, in input order.

    Rows with errors are set aside and counted on stderr; `validate` lists them.

    Examples:

    \b
      ehcp-timeliness cases cases.csv --as-of 2025-06-30 --output flagged.csv
      ehcp-timeliness cases cases.xlsx -c mapping.toml --format parquet -o cases.parquet
    """
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.io.writers import table_bytes
    from ehcp_timeliness.report.views import Accounting, case_table

    protect = inputs(input_file, config)  # files no output may replace
    output_format = chosen_format(output_format, output, CasesFormat.csv, protect,
                                  issues_out)
    settings = with_header_row(load_config(config), header_row)
    _, conditions = matched_columns(input_file, settings, sheet, None, where)
    analysis = run_analysis(input_file, settings, parse_as_of(as_of), sheet, streaming,
                            where=conditions)
    with progress(f"Writing {output or 'stdout'}"):
        write_result(table_bytes(case_table(analysis), output_format.value), output, protect)
    write_issues(analysis.issues, issues_out, protect)
    say(Accounting.of(analysis).sentence())
