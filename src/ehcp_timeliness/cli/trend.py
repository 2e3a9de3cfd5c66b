"""`trend`: one row per calendar month, the backlog, demand against throughput, and where the
year will land (docs/reports.md#trend)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from ehcp_timeliness.cli.column_options import (
    check_by_before_analysis,
    check_by_columns,
    matched_columns,
)
from ehcp_timeliness.cli.common import (
    AsOfOpt,
    ConfigOpt,
    HeaderRowOpt,
    InputArg,
    IssuesOutOpt,
    SheetOpt,
    StreamingOpt,
    TableOutputOpt,
    WhereOpt,
    announce_as_of,
    chosen_format,
    handle_errors,
    inputs,
    parse_as_of,
    run_analysis,
    say,
    stdout_console,
    with_header_row,
    write_issues,
    write_result,
)
from ehcp_timeliness.errors import UsageError


class TrendFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


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


@handle_errors
def trend(
    ctx: typer.Context,
    input_file: InputArg,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    first_month: Annotated[str | None, typer.Option(
        "--from", help="First month shown, YYYY-MM (default: the month of the first "
        "request). Figures at its end still count every earlier request.",
        show_default=False)] = None,
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="Also split by this column (repeat for more), e.g. --by team.",
        show_default=False)] = None,
    suppress_below: Annotated[int, typer.Option(
        "--suppress-below", min=0, help="Show the month rows' counts from 1 to N−1, and "
        "percentages built on them, as 'c' (as `report` does), with or without --by.")] = 0,
    output_format: Annotated[TrendFormat | None, typer.Option(
        "--format", help="table for the terminal; csv (the month rows) or json (the rows, "
        "the year-end range and the backlog clearance) (default: what the --output name "
        "says, else table).", show_default=False)] = None,
    output: TableOutputOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    where: WhereOpt = None,
    issues_out: IssuesOutOpt = None,
    streaming: StreamingOpt = None,
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
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.report.trend import build_trend, render_trend, trend_bytes
    from ehcp_timeliness.report.views import case_columns, request_dates_in_export

    protect = inputs(input_file, config)  # files no output may replace
    chosen = chosen_format(output_format, output, TrendFormat.table, protect, issues_out)
    day = parse_as_of(as_of)
    first = parse_month(first_month, day)
    settings = with_header_row(load_config(config), header_row)
    by_columns, conditions = matched_columns(input_file, settings, sheet, by, where)
    check_by_before_analysis(input_file, settings, sheet, by_columns)
    analysis = run_analysis(input_file, settings, day, sheet, streaming,
                            review_process=False,
                            where=conditions)
    if not request_dates_in_export(analysis):
        raise UsageError(f"{input_file.name}: no request received dates, so no trend",
                         "`trend` counts from request dates; map the column in the config "
                         "file ([columns] received_date = \"Your header\").")
    by_columns = check_by_columns(by_columns, case_columns(analysis))
    view = build_trend(analysis, by_columns, first, suppress_below)
    write_issues(analysis.issues, issues_out, protect)
    if chosen is TrendFormat.table or as_of is None:
        announce_as_of(analysis.as_of, as_of is not None, chosen is TrendFormat.table)
    if chosen is TrendFormat.table:
        stdout_console().print(render_trend(view))
        return
    write_result(trend_bytes(view, chosen.value), output, protect)
    for note in view.notes()[:1] if view.undated_closures else []:
        say(note)
    say(view.accounting.sentence())
