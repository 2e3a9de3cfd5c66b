"""`audit-exceptions`: do the recorded dates bear out the reg 10(4)(a) exceptions claimed, and
which late cases could have claimed one?
"""

from typing import TYPE_CHECKING, Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


def audit_exceptions(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    output_format: Annotated[common.TableFormat | None, typer.Option(
        "--format", help="table for the terminal; csv or json for the whole list (default: "
        "what the --output name says, else table).", show_default=False)] = None,
    output: common.TableOutputOpt = None,
    pseudonymise: common.PseudonymiseOpt = False,
    sheet: common.SheetOpt = None,
    issues_out: common.IssuesOutOpt = None,
) -> None:
    """List cases flagged as reg 10(4) exceptions and whether the advice date falls in a school
    closure window (reg 10(4)(a)), and late cases not flagged whose advice date does.

    Term dates come from [term_dates] in the config (default: an England summer pattern).

    Examples:

    \b
      ehcp-timeliness audit-exceptions cases.csv -c mapping.toml --as-of 2025-06-30
      ehcp-timeliness audit-exceptions cases.csv --format csv -o audit.csv
    """
    run(ctx, common.TableFormat.table, audit_view)


def audit_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.exception_audit import audit_bytes, build_audit, render_audit

    view = build_audit(analysis, options.pseudonymised)
    return Result(table=lambda: render_audit(view), data=lambda fmt: audit_bytes(view, fmt),
                  notes=[f"{view.rows.height:,} cases listed. {view.accounting.sentence()}"])
