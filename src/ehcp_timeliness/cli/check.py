"""`check`: a gate for pipelines. Exit 0 when every threshold holds, 3 when one fails."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ehcp_timeliness.check_thresholds import (
    BY_NAME,
    THRESHOLDS,
    WINDOW_MONTHS_DEFAULT,
    WINDOW_MONTHS_HELP,
    WINDOW_MONTHS_RANGE,
)
from ehcp_timeliness.cli import common
from ehcp_timeliness.cli.common import say
from ehcp_timeliness.cli.runner import Options, Result, nothing_analysed, run
from ehcp_timeliness.errors import ExitCode, InputFileError, UsageError

if TYPE_CHECKING:
    from ehcp_timeliness.pipeline import Analysis


def _flag(name: str) -> Any:
    """The option of one threshold, from its one definition (check_thresholds.THRESHOLDS)."""
    threshold = BY_NAME[name]
    return typer.Option(threshold.flag, min=0, max=threshold.largest, show_default=False,
                        help=threshold.help)


CheckFormat = StrEnum("CheckFormat", "table json")


def check(
    ctx: typer.Context,
    input_file: common.InputArg,
    config: common.ConfigOpt = None,
    as_of: common.AsOfOpt = None,
    min_pct_within_20_weeks: Annotated[float | None, _flag("min_pct_within_20_weeks")] = None,
    max_overdue: Annotated[int | None, _flag("max_overdue")] = None,
    max_reviews_overdue_pct: Annotated[float | None, _flag("max_reviews_overdue_pct")] = None,
    max_error_rows: Annotated[int | None, _flag("max_error_rows")] = None,
    window_months: Annotated[int | None, typer.Option(
        "--window-months", min=WINDOW_MONTHS_RANGE[0], max=WINDOW_MONTHS_RANGE[1],
        show_default=False, help=f"{WINDOW_MONTHS_HELP.removesuffix('.')} "
        f"(default {WINDOW_MONTHS_DEFAULT}).")] = None,
    output_format: Annotated[CheckFormat | None, typer.Option(
        "--format", help="table for a log; json for each threshold, measured value and "
        "result (default: what the --output name says, else table).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the json here instead of stdout.",
        show_default=False)] = None,
    sheet: common.SheetOpt = None,
    header_row: common.HeaderRowOpt = None,
    issues_out: common.IssuesOutOpt = None,
    streaming: common.StreamingOpt = None,
) -> None:
    """Gate a pipeline on the figures: exit 0 when every threshold holds, 3 when one fails.

    Thresholds come from these flags or the config's [check] section (flags win). Exit 1
    means the input could not be used, 2 a bad flag or config.

    Examples:

    \b
      ehcp-timeliness check cases.csv --as-of 2025-06-30 --min-pct-within-20-weeks 60
      --max-overdue 0

      ehcp-timeliness check cases.csv -c mapping.toml --format json -o check.json
    """
    run(ctx, CheckFormat.table, gate_view, review_process=False, check=thresholds)


def thresholds(options: Options) -> tuple[dict[str, float | None], int]:
    """(each threshold: its flag, else the config's [check]; the window in months); none at
    all is a usage error, before any file is read."""
    params, settings = options.params, options.settings.check
    limits = {t.name: params[t.name] if params[t.name] is not None else getattr(settings, t.name)
              for t in THRESHOLDS}
    if all(v is None for v in limits.values()):
        raise UsageError("check: no thresholds to check",
                         "Give at least one, e.g. --min-pct-within-20-weeks 60 --max-overdue 0, "
                         "or set them in the config's [check] section.")
    months = params["window_months"]
    return limits, months if months is not None else settings.window_months


def gate_view(analysis: "Analysis", options: Options) -> Result:
    from ehcp_timeliness.report.gate import build_gate, gate_bytes, render_gate, verdict

    if nothing_analysed(analysis):  # a gate never passes on nothing: a failure of the input
        raise InputFileError(f"{analysis.export.name}: no case could be analysed, so no "
                             "threshold can be measured",
                             "A gate never passes on nothing: see the message above.")
    view = build_gate(analysis, *options.checked)

    def then() -> None:
        if not any(r.measure.value is not None for r in view.results):
            raise InputFileError(
                f"check: none of the thresholds measured anything in {analysis.export.name} "
                "(no plans in the window, no open requests or reviews to count)",
                "A gate never passes on nothing: widen --window-months, check --as-of, or "
                "gate on figures this export holds.")
        if not view.decided and (column := analysis.missing_review_column):
            raise InputFileError(
                f"check: none of the thresholds could be decided in {analysis.export.name}: "
                "what was measured is only a lower bound within its limit (the export has "
                f"no {column} column, so no review is known)",
                f'A gate never passes on nothing: map the column ([columns] {column} = '
                '"Your header"), or gate on figures this export holds as well.')
        if not view.decided:  # measured, but only as a lower bound within its limit
            raise InputFileError(
                f"check: none of the thresholds could be decided in {analysis.export.name}: "
                "what was measured is only a lower bound within its limit (reviews recorded "
                "after the as-of date)",
                "A gate never passes on nothing: run as of the export's own date, or gate "
                "on figures this export holds as well.")
        # The verdict is a message: on stderr, so a log shows it whatever stdout was sent to.
        say(verdict(view), style="bold green" if view.passed else "bold red")
        if not view.passed:
            raise typer.Exit(int(ExitCode.THRESHOLD))

    return Result(table=lambda: render_gate(view), data=lambda fmt: gate_bytes(view),
                  as_of_line="table", then=then)
