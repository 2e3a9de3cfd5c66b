"""What every command shares: options, consoles, the as-of date, and turning errors into exit
codes. stdout carries data and reports; stderr carries messages.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ehcp_timeliness.errors import EhcpError, ExitCode, UsageError
from ehcp_timeliness.printable import printable

if TYPE_CHECKING:  # imported for real only when a command runs: --help stays fast
    from rich.console import Console


F = TypeVar("F", bound=Callable[..., Any])

# Every typer.Typer here is built with click's plain help: Typer's rich help loads rich's
# Markdown stack, about half of the start-up of `COMMAND --help`. Example blocks keep their
# lines with click's \b marker.
RICH_MARKUP_MODE = None


def _show_help(ctx: typer.Context, value: bool) -> None:
    if value:
        typer.echo(ctx.get_help())
        raise typer.Exit()


# A group's own -h/--help (the root's and `config`'s), in place of Typer's. Typer coerces each
# parameter's value through a pydantic TypeAdapter unless it is a bool flag holding a bool;
# Typer's help flag holds None when not given, so `COMMAND --help` would import pydantic for
# the group's flag (about 0.1 s, half of that help's start-up) before the command's help
# printed. This one holds False.
GroupHelpOpt = Annotated[bool, typer.Option(
    "--help", "-h", is_eager=True, expose_value=False, callback=_show_help,
    help="Show this message and exit.")]

InputArg = Annotated[Path, typer.Argument(
    help="The case export: CSV (UTF-8 or Windows-1252), Excel (.xlsx/.xls) or Parquet.",
    show_default=False, metavar="FILE")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", "-c", help="TOML mapping/config file (write one with `config init`).",
    show_default=False)]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Date the statuses are worked out for, YYYY-MM-DD, in 1950-2100 "
    "(default: today).", show_default=False)]
SheetOpt = Annotated[str | None, typer.Option(
    "--sheet", help="Excel sheet to read (default: the first visible sheet).",
    show_default=False)]
HeaderRowOpt = Annotated[int | None, typer.Option(
    "--header-row", min=1, max=1000, help="Line (CSV) or row (Excel) of the header row, when "
    "title lines or notes are above it (default: found in the first 20 lines).",
    show_default=False)]
StreamingOpt = Annotated[bool | None, typer.Option(
    "--streaming/--in-memory",
    help="Polars engine: streaming (the default: reads in batches, so memory follows the "
    "result, not the file) or in-memory.", show_default=False)]
IssuesOutOpt = Annotated[Path | None, typer.Option(
    "--issues-out", help="Also write every row-level issue to this file (.csv or .json).",
    show_default=False)]
PseudonymiseOpt = Annotated[bool, typer.Option(
    "--pseudonymise", help="Replace case and person ids with keyed pseudonyms (key from "
    "EHCP_PSEUDONYMISE_KEY or [privacy] pseudonymise_key).")]
WithinOpt = Annotated[int | None, typer.Option(
    "--within", min=0, help="Worklist: include work due within this many days "
    "(default: rules.due_soon_days, 28).", show_default=False)]
WhereOpt = Annotated[list[str] | None, typer.Option(
    "--where", help="Only the cases where COLUMN is VALUE, e.g. --where Caseworker='Jo Smith' "
    "(repeat for more: all columns must match, any of one column's values). Column names "
    "as in header mapping (case, spaces and punctuation ignored); values ignore case.",
    show_default=False, metavar="COLUMN=VALUE")]
ByOpt = Annotated[list[str] | None, typer.Option(
    "--by", help="Group by this column (repeat for more), e.g. --by Team.", show_default=False)]


# The formats of a command whose result is one table.
TableFormat = StrEnum("TableFormat", "table csv json")


TableFormatOpt = Annotated[TableFormat | None, typer.Option(
    "--format", help="table for the terminal; csv or json for the data (default: what the "
    "--output name says, else table).", show_default=False)]
TableOutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write csv/json here instead of stdout.", show_default=False)]


E = TypeVar("E", bound=StrEnum)

# What an --output file's name says it holds.
# PDF and the old Excel format are written by no command: a name promising one is refused
# (below) rather than given another format under it.
_SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".xlsx": "xlsx",
                   ".html": "html", ".htm": "html", ".xml": "sen2", ".pdf": "pdf",
                   ".xls": "xls"}
# Formats that are not text: never written to a terminal (the bytes would garble it).
_BINARY_FORMATS = {"parquet": "Parquet", "xlsx": "A workbook"}


def issues_format(path: Path) -> str:
    """What --issues-out PATH is written as: JSON for a .json name, else CSV. A name promising
    another format (issues.xlsx, issues.parquet) is a usage error before any work: the file
    would hold CSV under that name, which Excel refuses to open."""
    named = _SUFFIX_FORMATS.get(path.suffix.lower()) if str(path) != "-" else None
    if named not in (None, "csv", "json"):
        raise UsageError(f"--issues-out {path} is named for {named}, but issues are written "
                         "as CSV or JSON",
                         f"Name the file for one of them, e.g. {Path(str(path)).stem}.csv.")
    return named or "csv"


def chosen_format(given: E | None, output: Path | None, default: E,
                  protect: tuple[Path, ...] = (), issues_out: Path | None = None) -> E:
    """--format when given, else the format the --output name says (`-o cases.parquet`), else
    DEFAULT. A file whose name says one format and --format another, or a terminal table sent
    to a file, is a usage error: the file would not hold what its name or the option promises
    (a CSV called cases.parquet; `-o summary.json` silently ignored). So is an --output or
    --issues-out that cannot be written or would replace one of the PROTECT inputs or the
    other (check_outputs), and a binary format (parquet, xlsx) bound for a terminal. All
    checked before any work is done.
    """
    from ehcp_timeliness.io.writers import check_outputs

    choices = type(default)
    to_file = output is not None and str(output) != "-"
    check_outputs(protect, output if output is not None else Path("-"), issues_out)
    named_value = _SUFFIX_FORMATS.get(output.suffix.lower()) if to_file and output else None
    offered = [c.value for c in choices if c.value != "table"]
    if named_value is not None and named_value not in offered:
        # A name promising a format this command does not write (`-o s.parquet` for summary):
        # the file would hold another format under that name, or a terminal table.
        example = "xlsx" if named_value == "xls" and "xlsx" in offered else offered[0]
        printed = (" For a PDF, print the HTML board pack from a browser (it is laid out "
                   "for A4)." if named_value == "pdf" and "html" in offered else "")
        raise UsageError(f"--output {output} is named for {named_value}, which this command "
                         "does not write",
                         f"Name the file for one it does ({', '.join(offered)}), e.g. "
                         f"{Path(str(output)).stem}.{example}.{printed}")
    named = choices(named_value) if named_value in {c.value for c in choices} else None
    chosen = given or named or default
    if named is not None and chosen is not named:
        raise UsageError(f"--format {chosen.value}, but --output {output} is named for "
                         f"{named.value}",
                         f"Drop --format to write {named.value}, or name the file for "
                         f"{chosen.value}.")
    if to_file and chosen.value == "table":
        raise UsageError(f"--output {output}: a table is for the terminal",
                         f"Add --format ({', '.join(offered)}), or name the file for one, e.g. "
                         f"{Path(str(output)).stem}.csv.")
    if chosen.value in _BINARY_FORMATS and not to_file and sys.stdout.isatty():
        raise UsageError(f"{_BINARY_FORMATS[chosen.value]} is binary and stdout is a terminal",
                         f"Add --output FILE.{chosen.value}.")
    return chosen


def stdout_console() -> Console:
    # Piped or redirected output gets a fixed width: tables stay readable in files and CI logs
    # and the bytes do not depend on the terminal that happened to run the job.
    # emoji=False: a header or file name like ":warning:" is shown as typed, never replaced.
    from rich.console import Console

    console = Console(soft_wrap=False, emoji=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=140, emoji=False)
    return console


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, emoji=False)


class Today(date):
    """The as-of date when --as-of was not given: today, marked so the analysis can say
    it was not chosen (the runner warns when the export is older, and says so)."""


def parse_as_of(text: str | None) -> date:
    if text is None:
        return Today.today()
    try:
        as_of = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date",
                         "Give it as YYYY-MM-DD, e.g. --as-of 2025-06-30.") from None
    from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR  # imports Polars: not for --help

    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:
        # Deadlines and windows are counted from it, and the calendar ends at those years.
        raise UsageError(f"--as-of {as_of}: outside the years the tool works with "
                         f"({FIRST_YEAR} to {LAST_YEAR})",
                         "Give the date the figures are for, e.g. --as-of 2025-06-30.")
    return as_of


def say(message: str, style: str = "") -> None:
    """A message on stderr, in STYLE on a terminal; a log or a pipe gets the plain text, with
    no colour codes (nor Rich loaded to write it). It may quote a path or a header: control
    characters in them are escaped (printable), never sent to the terminal."""
    if sys.stderr is None:  # started with stderr closed (2>&-): nowhere to say it
        return
    text = printable(message, keep_newlines=True)
    if sys.stderr.isatty():
        stderr_console().print(text, style=style, highlight=False, markup=False)
    else:
        print(text, file=sys.stderr)


@contextmanager
def progress(description: str) -> Iterator[None]:
    """A spinner with elapsed time on stderr while a long step runs, only when stderr is a
    terminal: CI logs and pipes get nothing extra.
    """
    if sys.stderr is None or not sys.stderr.isatty():
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    # The description names the input file: never markup, never raw control characters.
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                  TimeElapsedColumn(), console=stderr_console(), transient=True) as bar:
        bar.add_task(printable(description), total=None)
        yield


def handle_errors(command: F) -> F:
    """Turn EhcpError into its message and exit code; anything else is a bug (exit 70)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except EhcpError as exc:
            say(f"Error: {exc.message}", style="bold red")
            if exc.hint:
                say(exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            # Typer 0.29 hands commands its vendored click Context, not typer.Context.
            ctx = kwargs.get("ctx")
            root = ctx.find_root() if hasattr(ctx, "find_root") else None
            debug = bool(root is not None and isinstance(root.obj, dict)
                         and root.obj.get("debug"))
            if debug:
                # Frames only, never local variables: they may hold children's data.
                traceback.print_exception(exc, file=sys.stderr)
            say(f"Internal error ({type(exc).__name__}). This is a bug in ehcp-timeliness: "
                "please report it, with the output of the same command rerun with --debug.",
                style="bold red")
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper  # type: ignore[return-value]
