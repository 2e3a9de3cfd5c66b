"""`audit-exceptions`: do the recorded dates bear out the reg 10(4)(a) exceptions claimed, and
which late cases could have claimed one?
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ConfigOpt,
    InputArg,
    IssuesOutOpt,
    PseudonymiseOpt,
    SheetOpt,
    TableOutputOpt,
    chosen_format,
    handle_errors,
    inputs,
    parse_as_of,
    run_analysis,
    say,
    stdout_console,
    write_issues,
    write_result,
)


class AuditFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@handle_errors
def audit_exceptions(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[AuditFormat | None, typer.Option(
        "--format", help="table for the terminal; csv or json for the whole list (default: "
        "what the --output name says, else table).", show_default=False)] = None,
    output: TableOutputOpt = None,
    pseudonymise: PseudonymiseOpt = False,
    sheet: SheetOpt = None,
    issues_out: IssuesOutOpt = None,
) -> None:
    """List cases flagged as reg 10(4) exceptions and whether the advice date falls in a school
    closure window (reg 10(4)(a)), and late cases not flagged whose advice date does.

    Term dates come from [term_dates] in the config (default: an England summer pattern).

    Examples:

    \b
      ehcp-timeliness audit-exceptions cases.csv -c mapping.toml --as-of 2025-06-30
      ehcp-timeliness audit-exceptions cases.csv --format csv -o audit.csv
    """
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.report.exception_audit import audit_bytes, build_audit, render_audit
    from ehcp_timeliness.report.privacy import pseudonymise_key

    protect = inputs(input_file, config)  # files no output may replace
    output_format = chosen_format(output_format, output, AuditFormat.table, protect,
                                  issues_out)
    settings = load_config(config)
    key = pseudonymise_key(settings.privacy.pseudonymise_key) if pseudonymise else None
    analysis = run_analysis(input_file, settings, parse_as_of(as_of), sheet, key=key)
    view = build_audit(analysis, key is not None)
    write_issues(analysis.issues, issues_out, protect)
    if output_format is AuditFormat.table:
        stdout_console().print(render_audit(view))
        return
    write_result(audit_bytes(view, output_format.value), output, protect)
    say(f"{view.rows.height:,} cases listed. {view.accounting.sentence()}")
