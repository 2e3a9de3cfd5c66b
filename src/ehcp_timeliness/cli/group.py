"""The command group class every `typer.Typer` here is built with (`cls=HelpFlagGroup`).

Why it exists: `COMMAND --help` must not import pydantic. Typer 0.29 coerces a parameter's
value through a pydantic `TypeAdapter`, built the first time the parameter is processed, and
skips that only for a bool flag whose value is already a bool. A group's own `--help` flag is
created without a default, so in `ehcp-timeliness summary --help` the root group processes its
`--help` with the value None, builds that flag's adapter and imports pydantic (about 0.18 s,
more than half the start-up) before `summary` is even looked at. Giving the flag the default
False it means anyway keeps it on the bool path: help texts and behaviour are unchanged.
tests/cli/test_help_imports.py checks that no help imports pydantic.

Kept, and Typer pinned to 0.29 with it, because it pays: `summary --help` takes 0.077 s of CPU
with it and 0.139 s without (medians of 15 interleaved runs, 2026-12-01; make bench's slowest
help is held under 0.3 s, docs/performance.md). A Typer release that stops coercing through
pydantic makes it unnecessary: the pin is there so that change is noticed, not silently lost.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup


class HelpFlagGroup(TyperGroup):
    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


# Every typer.Typer here is built with these (`typer.Typer(..., **TYPER_SETTINGS)`): the group
# class above, and click's plain help. Typer's rich help loads rich's Markdown stack, about
# half of the start-up of `COMMAND --help` (0.27 s -> 0.13 s on a loaded 2-core machine, where
# a help that feels instant needs under 0.3 s); example blocks keep their lines with click's \b
# marker.
TYPER_SETTINGS: dict[str, Any] = {"cls": HelpFlagGroup, "rich_markup_mode": None}
