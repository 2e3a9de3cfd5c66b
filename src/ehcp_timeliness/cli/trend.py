"""`trend`: one row per calendar month, the backlog, demand against throughput, and where the
year will land (docs/reports.md#trend)."""

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.runner import Options, Result, run
from ehcp_timeliness.errors import UsageError

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


def parse_month(text: str | None, as_of: date) -> date | None:
    """--from YYYY-MM: the first month shown, not after the as-of date's month."""
    if text is None:
        return None
    try:
        first = date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise UsageError(f"--from {text!r} is not a month",
                         "Give it as YYYY-MM, e.g. --from 2024-04.") from None
    from ehcp_timeliness.columns import FIRST_YEAR  # imports Polars: not for --help

    if first.year < FIRST_YEAR:
        # Before any date an export may hold (data contract): a typing error, and a calendar
        # of thousands of empty months.
        raise UsageError(f"--from {text.strip()}: before {FIRST_YEAR}",
                         "Give the first month to show, e.g. --from 2024-04.")
    if (first.year, first.month) > (as_of.year, as_of.month):
        raise UsageError(f"--from {text.strip()}: after the as-of date's month ({as_of:%Y-%m})",
                         "Give a month on or before the as-of date.")
    return first


def trend(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    first_month: Annotated[str | None, typer.Option(
        "--from", help="First month shown, YYYY-MM (default: the month of the first "
        "request). Figures at its end still count every earlier request.",
        show_default=False)] = None,
    by: common.ByOpt = None,
    suppress_below: Annotated[int, typer.Option(
        "--suppress-below", min=0, help="Show the month rows' counts from 1 to N−1, and "
        "percentages built on them, as 'c' (as `report` does), with or without --by.")] = 0,
    output_format: Annotated[common.TableFormat | None, typer.Option(
        "--format", help="table for the terminal; csv (the month rows) or json (the rows, "
        "the year-end range and the backlog clearance) (default: what the --output name "
        "says, else table).", show_default=False)] = None,
    output: common.TableOutputOpt = None,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    where: common.WhereOpt = None,
    issues_out: common.IssuesOutOpt = None,
    streaming: common.StreamingOpt = None,
) -> None:
    """Month by month: requests received, DfE's plans issued and rate, the 20-week cohort due
    in the month, the open backlog at each month end, plans in force and reviews; then where
    the year's DfE rate can land and when the overdue backlog clears.

    Examples:

    \b
      ehcp-timeliness trend cases.csv --as-of 2025-06-30
      ehcp-timeliness trend cases.csv -c mapping.toml --as-of 2025-06-30 --from 2024-04
      ehcp-timeliness trend cases.csv --as-of 2025-06-30 -o trend.csv
      ehcp-timeliness trend cases.csv --as-of 2025-06-30 --by Team --suppress-below 5 --format json
    """
    run(ctx, common.TableFormat.table, trend_view, review_process=False,
        check=lambda options: parse_month(first_month, options.as_of))


def trend_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.trend import build_trend, render_trend, trend_bytes

    if not analysis.has_request_dates:
        name = options.params["input_file"].name
        raise UsageError(f"{name}: no request received dates, so no trend",
                         "`trend` counts from request dates; map the column in the config "
                         "file ([columns] received_date = \"Your header\").")
    view = build_trend(analysis, options.by, options.checked, options.params["suppress_below"])
    notes = view.notes()[:1] if view.undated_closures else []
    return Result(table=lambda: render_trend(view), data=lambda fmt: trend_bytes(view, fmt),
                  notes=[*notes, view.accounting.sentence()], as_of_line="table")
