"""`compare`: what changed between two exports of the case list (last month's and this
month's): cases new, gone, issued, closed, newly overdue, and historical dates edited after the
fact. Exit 1 when something needs attention, as `validate` does for rows with errors.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.common import parse_as_of, say
from ehcp_timeliness.cli.runner import Result, analyse, finish, prepare
from ehcp_timeliness.errors import ExitCode, UsageError


def previous_as_of(text: str | None, as_of: date) -> date:
    """--previous-as-of, by default the last day of the month before --as-of: last month's
    export is read as it stood at the end of last month."""
    given = text if text is not None else (as_of.replace(day=1) - timedelta(days=1)).isoformat()
    try:
        day = parse_as_of(given)
    except UsageError as exc:  # the shared check names --as-of: say which date it was
        raise UsageError(exc.message.replace("--as-of", "--previous-as-of", 1)
                         + ("" if text is not None else " (the default: the end of the "
                            "month before --as-of)"),
                         "Give --previous-as-of YYYY-MM-DD, the day the previous export "
                         "was taken.") from None
    if day > as_of:
        raise UsageError(f"--previous-as-of {day} is after --as-of {as_of}",
                         "The previous export comes first: give the earlier export first and "
                         "its date as --previous-as-of.")
    return day


def compare(
    ctx: typer.Context,
    previous_file: Annotated[Path, typer.Argument(
        help="The earlier export (e.g. last month's), in any format the tool reads.",
        show_default=False, metavar="PREVIOUS")],
    current_file: Annotated[Path, typer.Argument(
        help="The later export (e.g. this month's).", show_default=False, metavar="CURRENT")],
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    previous: Annotated[str | None, typer.Option(
        "--previous-as-of", help="Date the previous export's statuses are worked out for, "
        "YYYY-MM-DD (default: the last day of the month before --as-of).",
        show_default=False)] = None,
    output_format: Annotated[common.TableFormat | None, typer.Option(
        "--format", help="table for the terminal; csv or json for every finding (default: "
        "what the --output name says, else table).", show_default=False)] = None,
    output: common.TableOutputOpt = None,
    pseudonymise: common.PseudonymiseOpt = False,
    sheet: common.SheetOpt = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="Table format: how many rows of each finding to list "
        "(the counts are always complete).")] = 50,
) -> None:
    """Compare two exports of the case list: cases new, gone, issued, closed or newly
    overdue between them, and historical dates edited, removed or recorded late.

    Each export is analysed at its own date: CURRENT at --as-of, PREVIOUS at
    --previous-as-of. Exit 1 when something needs attention (a historical date edited or
    removed, a case gone without being closed, rows with errors in either export), else 0.

    Examples:

    \b
      ehcp-timeliness compare may.csv june.csv -c mapping.toml --as-of 2025-06-30
      ehcp-timeliness compare may.csv june.csv --as-of 2025-06-30 --previous-as-of 2025-06-02
      ehcp-timeliness compare may.csv june.csv --as-of 2025-06-30 --format csv -o changes.csv
    """
    from ehcp_timeliness.report.compare import build_compare, compare_bytes, render_compare

    # Two exports, each analysed at its own date: the runner's steps, with two analyses.
    options = prepare(ctx, common.TableFormat.table, files=("previous_file", "current_file"),
                      check=lambda options: previous_as_of(previous, options.as_of))
    analyses = [analyse(options, path, day, review_process=False)
                for path, day in ((previous_file, options.checked),
                                  (current_file, options.as_of))]
    view = build_compare(*analyses, pseudonymised=options.pseudonymised)

    def then() -> None:
        shown = ", ".join(f"{n:,} {f}" for f, n in view.counts.items() if n) or "no changes"
        say(f"{view.previous.source} → {view.current.source}: {shown}.")
        # The verdict is a message: on stderr, so a log shows why the exit code is 1
        # whatever stdout was sent to.
        if reasons := view.attention():
            say("Needs attention: " + "; ".join(reasons) + ".", style="bold red")
            raise typer.Exit(int(ExitCode.INPUT))
        say("Nothing needs attention.", style="bold green")

    finish(options, Result(table=lambda: render_compare(view, limit),
                           data=lambda fmt: compare_bytes(view, fmt), then=then))
