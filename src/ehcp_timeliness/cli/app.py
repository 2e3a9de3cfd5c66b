"""The root command: mounts one module per command."""

import sys
from typing import Annotated

import typer

from ehcp_timeliness import __version__
from ehcp_timeliness.cli.audit_exceptions import audit_exceptions
from ehcp_timeliness.cli.benchmark import benchmark
from ehcp_timeliness.cli.cases import cases
from ehcp_timeliness.cli.check import check
from ehcp_timeliness.cli.common import RICH_MARKUP_MODE, GroupHelpOpt, handle_errors
from ehcp_timeliness.cli.compare import compare
from ehcp_timeliness.cli.config_cmd import config_app
from ehcp_timeliness.cli.dfe import dfe
from ehcp_timeliness.cli.report import report
from ehcp_timeliness.cli.sample import sample
from ehcp_timeliness.cli.summary import summary
from ehcp_timeliness.cli.trend import trend
from ehcp_timeliness.cli.validate import validate
from ehcp_timeliness.cli.worklist import worklist

app = typer.Typer(
    name="ehcp-timeliness",
    help="Are EHC plans and annual reviews on time? Statutory deadlines and breach flags "
    "from a local authority's case export (England).\n\n"
    "Exit codes: 0 ok; 1 input unusable, validate found errors or compare found changes "
    "needing attention; 2 bad usage or config; "
    "3 check: a threshold failed; 70 internal error.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    rich_markup_mode=RICH_MARKUP_MODE,
)
# In this order in --help; each named for its function (audit_exceptions: audit-exceptions),
# and each behind handle_errors: whatever a command raises ends as a message and an exit code.
for command in (summary, cases, validate, check, dfe, benchmark, report, worklist, sample,
                audit_exceptions, compare, trend):
    app.command()(handle_errors(command))
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ehcp-timeliness {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option(
        "--debug", help="On an internal error, show the traceback.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version.")] = False,
    show_help: GroupHelpOpt = False,
) -> None:
    ctx.obj = {"debug": debug}


def run() -> int:
    """Run the command in sys.argv and return its exit code, with the standard streams flushed."""
    try:
        app()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # sys.exit("message") convention
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (2>&-): nothing to flush
            continue
        try:
            stream.flush()
        except OSError:  # a closed pipe (| head): nothing more can be written anyway
            pass
    return code or 0


def main() -> None:
    """The console script."""
    sys.exit(run())
