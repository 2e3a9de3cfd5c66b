"""One way a command runs. A command module declares its options (its Typer signature) and its
view (a function from the analysis to what is printed or written); run() does the rest, in
this order for every command:

protect the inputs and check the outputs and --format → parse --as-of, load the config and
the pseudonymisation key → the command's own checks → --by, --where and --show against the
export's headers → analyse → check --by/--show against the analysed columns → the view →
the as-of line, --issues-out, the result (a terminal table, or bytes in the chosen format),
the closing notes → the command's verdict and exit code.

Every check on the options comes before the analysis, so a typing error costs nothing and a
bad option never leaves half-written files. The shared options are read from the command's
Typer context by their parameter names (input_file, config, as_of, --format's output_format,
output, sheet, header_row, streaming, issues_out, by, where, show, pseudonymise, la), so a
command names each option once, in its signature.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ehcp_timeliness.cli.common import (
    Today,
    chosen_format,
    issues_format,
    parse_as_of,
    progress,
    say,
    stdout_console,
)
from ehcp_timeliness.schema.issue_codes import RECEIVED_AFTER_AS_OF

if TYPE_CHECKING:
    import polars as pl
    import typer

    from ehcp_timeliness.config import Config
    from ehcp_timeliness.io.source import RawTable
    from ehcp_timeliness.pipeline import Analysis
    from ehcp_timeliness.summaries.where import Condition


@dataclass(frozen=True)
class Result:
    """What a command's view gives the runner to show.

    TABLE: the terminal table, when --format is table. DATA(format): the bytes of any other
    format, written to --output or stdout, then NOTES said on stderr (a table shows them
    itself). AS_OF_LINE: "table" states the date on stdout above a table, and on stderr
    when --as-of was not given (so data on stdout stays parseable); "always" states it on
    stderr whatever the format. THEN: the verdict, after everything is written (messages
    and the exit code of a gate)."""

    table: Callable[[], Any] | None = None
    data: Callable[[str], bytes] | None = None
    notes: Sequence[str] = ()
    as_of_line: Literal["", "table", "always"] = ""
    then: Callable[[], None] | None = None


@dataclass(frozen=True)
class Options:
    """A command's options, checked: what its view is given beside the analysis. PARAMS holds
    every option by name, the command's own among them; BY and SHOW are the names inside the
    tool (checked against the analysed columns by the time the view sees them); CHECKED is
    what the command's own check returned. EXPORT: the export as read to check --by, --where
    and --show against its headers, which the analysis goes on from rather than reading it
    again (a read checks the whole file's bounds)."""

    params: dict[str, Any]
    settings: Config
    as_of: date
    format: StrEnum | None
    protect: tuple[Path, ...]
    key: bytes | None = None
    by: list[str] = field(default_factory=list)
    show: list[str] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    checked: Any = None
    export: RawTable | None = None

    @property
    def as_of_given(self) -> bool:
        return not isinstance(self.as_of, Today)

    @property
    def pseudonymised(self) -> bool:
        return self.key is not None


def run(ctx: typer.Context, default_format: StrEnum | None,
        view: Callable[[Analysis | None, Options], Result], *, review_process: bool = True,
        check: Callable[[Options], Any] | None = None) -> None:
    """The whole of a command that analyses one export (input_file; none given: the view
    gets None). DEFAULT_FORMAT: --format's default (None: the command has no --format and
    writes to stdout). REVIEW_PROCESS False: the review-process columns are worked out only
    when the export has their inputs. CHECK: the command's own checks on its options, before
    any file is read; what it returns is Options.checked."""
    options = prepare(ctx, default_format, check=check)
    path = options.params["input_file"]
    if path is None:
        finish(options, view(None, options))
        return
    analysis = analyse(options, path, options.as_of, review_process)
    options = checked_columns(options, analysis)
    finish(options, view(analysis, options), analysis.issues)


def prepare(ctx: typer.Context, default_format: StrEnum | None,
            files: Sequence[str] = ("input_file",),
            check: Callable[[Options], Any] | None = None) -> Options:
    """Every check that needs no analysis, in the order above; --by, --where and --show are
    checked against the headers of the first of FILES (the commands' input arguments)."""
    from ehcp_timeliness.config import load_config
    from ehcp_timeliness.io.writers import check_outputs, protected_files

    params = dict(ctx.params)
    paths = [params[name] for name in files]
    # The files a command reads (the export, the config, each table of a COLLECT folder),
    # which no --output or --issues-out may replace.
    protect = protected_files(*(p for p in (*paths, params.get("config")) if p is not None))
    if params.get("issues_out") is not None:
        issues_format(params["issues_out"])
    if default_format is None:
        check_outputs(protect, Path("-"), params.get("issues_out"))  # the result is on stdout
        chosen = None
    else:
        chosen = chosen_format(params.get("output_format"), params.get("output"),
                               default_format, protect, params.get("issues_out"))
    as_of = parse_as_of(params.get("as_of"))
    settings = settings_of(load_config(params.get("config")), params)
    key = None
    if params.get("pseudonymise"):
        from ehcp_timeliness.report.privacy import pseudonymise_key

        key = pseudonymise_key(settings.privacy.pseudonymise_key)
    options = Options(params, settings, as_of, chosen, protect, key)
    if check is not None:
        options = dataclasses.replace(options, checked=check(options))
    if paths[0] is None:
        return options
    from ehcp_timeliness.cli.column_options import checked_before_analysis

    by, show, conditions, export = checked_before_analysis(
        paths[0], settings, params.get("sheet"), list(params.get("by") or []),
        list(params.get("show") or []), params.get("where"), options.pseudonymised)
    return dataclasses.replace(options, by=by, show=show, conditions=conditions, export=export)


def settings_of(config: Config, params: dict[str, Any]) -> Config:
    """CONFIG with --header-row over [input] header_row and --la over [authority] la."""
    if params.get("header_row") is not None:
        config = config.model_copy(update={"input": config.input.model_copy(
            update={"header_row": params["header_row"]})})
    if params.get("la"):
        config = config.model_copy(update={"authority": config.authority.model_copy(
            update={"la": params["la"]})})
    return config


def checked_columns(options: Options, analysis: Analysis) -> Options:
    """--by and --show, each a column of the `cases` output (named inside the tool) or a
    review-process column worked out though `cases` would not write it (as --where)."""
    from ehcp_timeliness.cli.column_options import check_columns
    from ehcp_timeliness.columns import REVIEW_PROCESS_OUTPUT_COLUMNS
    from ehcp_timeliness.report.views import case_columns

    available = case_columns(analysis)
    available += [c for c in REVIEW_PROCESS_OUTPUT_COLUMNS
                  if c in analysis.cases.columns and c not in available]
    return dataclasses.replace(options, by=check_columns("--by", options.by, available),
                               show=check_columns("--show", options.show, available))


def finish(options: Options, result: Result, issues: pl.DataFrame | None = None) -> None:
    """Write what the view gave, in the order above (ISSUES: for --issues-out)."""
    params, protect = options.params, options.protect
    table = options.format is not None and options.format.value == "table"
    if result.as_of_line == "always" or (result.as_of_line == "table"
                                         and (table or not options.as_of_given)):
        line = f"As of {options.as_of.isoformat()}" + (
            "." if options.as_of_given else " (today: no --as-of given).")
        if table and result.as_of_line == "table":
            stdout_console().print(line, highlight=False, markup=False)
        else:
            say(line)
    if issues is not None:
        write_issues(issues, params.get("issues_out"), protect)
    if table and result.table is not None:
        stdout_console().print(result.table())
    elif result.data is not None and options.format is not None:
        from ehcp_timeliness.io.writers import write_output

        output = params.get("output")
        with progress(f"Writing {output or 'stdout'}"):
            write_output(result.data(options.format.value), output, protect)
        # Where a file went is said on stderr: a scheduled job's log and an analyst at a
        # prompt both learn where it is. Not for stdout, a stream or a device: it is there.
        if output is not None and str(output) != "-" and output.is_file():
            say(f"Wrote {output}")
        for note in result.notes:
            say(note)
    if result.then is not None:
        result.then()


def analyse(options: Options, path: Path, as_of: date, review_process: bool = True,
            lists_issues: bool = False) -> Analysis:
    """PATH analysed as of AS_OF (pipeline.analyse behind a progress display; Polars is
    imported only now), and what is said about the result: nothing analysed, no request
    dates, title lines skipped, an export older than a guessed as-of date. With
    --pseudonymise, every case and person id in the result is already its pseudonym, so
    nothing built from it (views, files, --issues-out, messages) can show a raw one; with
    --where, only the cases it holds for are kept (filtered). LISTS_ISSUES: the command lists
    each row's issues itself (validate), so the message about nothing analysed does not send
    the analyst to it."""
    from ehcp_timeliness.columns import REVIEW_PROCESS_OUTPUT_COLUMNS
    from ehcp_timeliness.pipeline import analyse as analyse_export
    from ehcp_timeliness.report.views import no_review_column_warning, plan_register_note
    from ehcp_timeliness.summaries.as_of import stale_export_warning

    # --where, --by and --show may name a review-process column whatever the export holds
    # (column_options.export_columns): the columns are then worked out for them to read.
    named = {c.column for c in options.conditions} | {*options.by, *options.show}
    review_process = review_process or not named.isdisjoint(REVIEW_PROCESS_OUTPUT_COLUMNS)
    guessed = isinstance(as_of, Today)
    as_of = date(as_of.year, as_of.month, as_of.day)
    with progress(f"Reading and analysing {path.name}"):
        analysis = analyse_export(path, options.settings, as_of, options.params.get("sheet"),
                                  options.params.get("streaming"), review_process,
                                  raw=options.export if path == options.params.get(
                                      "input_file") else None)
    if message := nothing_analysed(analysis, lists_issues):
        say(message, style="bold yellow")
    if not analysis.has_request_dates:
        say(plan_register_note(path.name), style="yellow")
    if column := analysis.missing_review_column:
        say(no_review_column_warning(path.name, column), style="yellow")
    if analysis.export.skipped:
        say(f"{path.name}: {analysis.export.skipped} (a title or notes; --header-row N "
            "names the header row).")
    if guessed and (warning := stale_export_warning(analysis.cases, analysis.as_of)):
        # Figures for today would call every open request and review overdue: said, never
        # guessed silently; the newest date is suggested.
        say(warning, style="bold yellow")
    analysis = filtered(analysis, options.conditions)
    if options.key is None:
        return analysis
    from ehcp_timeliness.report.privacy import pseudonymise_analysis

    return pseudonymise_analysis(analysis, options.key)


def nothing_analysed(analysis: Analysis, lists_issues: bool = False) -> str | None:
    """What to say when every row was set aside: each figure then counts nothing, and a
    table of zeros must not pass for a clean month. LISTS_ISSUES: the command shows each
    row's issues itself, so `validate` is not suggested."""
    if analysis.rows_analysed:
        return None
    reasons = analysis.set_aside_reasons()
    why = ", ".join(f"{code}: {rows:,}" for code, rows in reasons.head(3).iter_rows())
    # The as-of date is worth checking only when it set rows aside: an export whose dates
    # cannot be read has nothing to do with it.
    check = ("Check --as-of is after the export's dates"
             if RECEIVED_AFTER_AS_OF in reasons["code"].to_list() else "")
    if lists_issues:
        advice = f"{check}; each row's issues are listed." if check else (
            "Each row's issues are listed.")
    else:
        advice = f"{f'{check}, and run' if check else 'Run'} `validate` to list each row's issues."
    return (f"No case could be analysed: all {analysis.rows_in:,} rows of "
            f"{analysis.export.name} were set aside{f' ({why})' if why else ''}, so every "
            f"figure counts nothing. {advice}")


def filtered(analysis: Analysis, conditions: Sequence[Condition]) -> Analysis:
    """ANALYSIS cut to the cases CONDITIONS hold for (summaries/where.py), said on stderr.
    Rows set aside stay counted as they were (their cells could not all be read); the cases
    left out are counted as such (Analysis.rows_left_out), so every row is accounted for."""
    if not conditions:
        return analysis
    import polars as pl

    from ehcp_timeliness.columns import ROW
    from ehcp_timeliness.summaries.where import describe, matches, never_matching

    cases = analysis.cases.filter(matches(conditions))
    kept = pl.col("row").is_in(cases[ROW].implode()) | (pl.col("severity") != "warning")
    # The plans set aside for their request date alone, which DfE's figures count, have
    # `cases`' columns (pipeline._undated_plans): cut by the same conditions.
    undated = analysis.undated_plans
    if undated is not None:
        undated = undated.filter(matches(conditions))
    notes = never_matching(conditions, cases.schema) if cases.is_empty() else []
    say(f"Only the cases where {describe(conditions)} (--where): {cases.height:,} of "
        f"{analysis.cases.height:,} analysed." + "".join(f" {note}" for note in notes))
    return dataclasses.replace(
        analysis, cases=cases, issues=analysis.issues.filter(kept), undated_plans=undated,
        rows_left_out=analysis.rows_left_out + analysis.cases.height - cases.height)


def write_issues(issues: pl.DataFrame, path: Path | None, protect: tuple[Path, ...]) -> None:
    if path is None:
        return
    from ehcp_timeliness.io.writers import table_bytes, write_output
    from ehcp_timeliness.schema.checks import shown_issues

    with progress(f"Writing {path.name}"):
        write_output(table_bytes(shown_issues(issues), issues_format(path)), path, protect)
    say(f"Wrote {issues.height:,} issues to {path}")
