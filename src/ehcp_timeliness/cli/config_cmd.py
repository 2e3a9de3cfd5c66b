"""`config`: write the commented mapping/config template."""

import typer

from ehcp_timeliness.cli.common import RICH_MARKUP_MODE, GroupHelpOpt, handle_errors

config_app = typer.Typer(help="Work with the TOML mapping/config file.", no_args_is_help=True,
                         rich_markup_mode=RICH_MARKUP_MODE)


@config_app.callback()
def config_group(show_help: GroupHelpOpt = False) -> None:
    """Work with the TOML mapping/config file."""


@config_app.command("init")
@handle_errors
def init(ctx: typer.Context) -> None:
    """Print a commented config template to stdout.

    Example:

      ehcp-timeliness config init > mapping.toml
    """
    from ehcp_timeliness.config_text import config_template

    typer.echo(config_template(), nl=False)
