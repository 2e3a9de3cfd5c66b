"""`validate`: list row-level issues with stable codes; exit 1 when any is an error."""

from typing import Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.common import say, stdout_console
from ehcp_timeliness.cli.runner import analyse, prepare, write_issues
from ehcp_timeliness.errors import ExitCode, MissingColumnError
from ehcp_timeliness.printable import printable


def validate(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    issues_out: common.IssuesOutOpt = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="How many issues to list on screen.")] = 50,
) -> None:
    """Check an export: which columns were found, and every row-level issue.

    Exit 0 when there are only warnings, 1 when any row has an error (it would be set aside).

    Examples:

    \b
      ehcp-timeliness validate cases.xlsx --config mapping.toml
      ehcp-timeliness validate cases.csv --issues-out issues.csv
    """
    import polars as pl

    from ehcp_timeliness.pipeline import inspect_export
    from ehcp_timeliness.report.mapping_advice import columns_block, vocabulary_block
    from ehcp_timeliness.report.terminal import (
        render_issue_counts,
        render_issues,
        render_mapping,
    )
    from ehcp_timeliness.report.views import Accounting
    from ehcp_timeliness.schema.checks import shown_issues

    # The runner's steps, the report printed as it is worked out: on a missing column, the
    # columns found come before the error.
    options = prepare(ctx, None)
    settings = options.settings
    out = stdout_console()
    try:
        analysis = analyse(options, input_file, options.as_of, review_process=False,
                           lists_issues=True)
    except MissingColumnError:
        advice = inspect_export(input_file, settings, sheet)
        if not advice.first_line_is_data:  # else its "headers" may be a child's details
            out.print("\n".join(columns_block(advice, complete=True)), highlight=False,
                      markup=False, soft_wrap=True)
        raise
    out.print(printable(f"{analysis.export.description}: {analysis.rows_in:,} rows"),
              highlight=False, markup=False)
    out.print(render_mapping(analysis.export.headers.mapped, analysis.export.headers.recognised))
    advice = inspect_export(input_file, settings, sheet)
    for block in (columns_block(advice, complete=False),
                  vocabulary_block(advice.unknown, settings.booleans.true_words,
                                   settings.privacy.min_rows_to_show_value)):
        if block:
            out.print("\n".join(block), highlight=False, markup=False, soft_wrap=True)
    issues = analysis.issues
    if issues.height:
        out.print(render_issue_counts(issues))
        # Polars takes at most 2^63 - 1 rows: a larger --limit is as good as all of them.
        out.print(render_issues(shown_issues(issues), min(limit, issues.height)))
    write_issues(issues, issues_out, options.protect)
    errors = issues.filter(pl.col("severity") == "error")
    out.print(Accounting.of(analysis).sentence(), highlight=False)
    # The verdict is a message: on stderr, so a log shows why the exit code is 1 whatever
    # stdout was sent to.
    if errors.height:
        say(f"{analysis.export.path}: {errors.height:,} errors: those rows are set aside from the "
            "analysis.", style="bold red")
        raise typer.Exit(int(ExitCode.INPUT))
    say("No errors." + (f" {issues.height:,} warnings." if issues.height else ""),
        style="bold green")
