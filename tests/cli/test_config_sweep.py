"""Every command under every choice the configuration offers, on the export shapes that take
different paths through the analysis: no run ends in an internal error (exit 70) or a
traceback. A setting that skips a stage while a command still reads that stage's columns
(e.g. `[review_process] case_columns = "core"` once stopped `summary`) shows here.

What is swept, and what is cut to keep the budget (15–20 s of one core, busy):
- settings: every value of every Literal, Enum and bool key of every [section], and every
  bounded number at 0 and at its bounds, found by walking config.Config, so a new key is
  swept without a line here. Each value is run once, but not alone: the choices are spread
  over two configs and the numbers over two (config_variants()), 5 configs in all where one
  at a time would be 12 (~26 s) and pairs ~40 times as many. A crash one setting causes
  shows unless another setting of the same config takes the command off that path: when one
  shows, run its settings one at a time.
  [input]'s limits run alone, with `cases` only: the reader applies them the same way
  before any command's own code. Free text, lists and the [columns]/[targets] tables have
  no values to enumerate;
- commands: every command that takes --config (`sample` and `config init` read no export),
  each in its default format, without --by or --where (tests/cli/test_where.py has those on
  review-process columns);
- exports: the shipped sample with its mapping (first rows only: the paths taken, not the
  volume, are what is swept), an export with the review-process inputs, and a plan register
  (no request dates).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import annotated_types
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app
from ehcp_timeliness.config import Config
from review_process_export import AS_OF as PROCESS_AS_OF
from review_process_export import write as write_process

from conftest import SAMPLE, app_commands

SAMPLE_ROWS = 40
# Exit codes a run may end with (the app's help): ok, input unusable, usage or config, gate.
DOCUMENTED_EXITS = {0, 1, 2, 3}


def config_variants() -> dict[str, dict[str, dict[str, Any]]]:
    """Name -> the config holding it. "defaults": none. "choices N": every Literal, Enum or
    bool key at its Nth value other than the default, so each value is run once (the key with
    most values sets how many there are: auto/all/core gives 2, the second holding only
    case_columns = "core"). "lowest numbers" / "highest numbers": every bounded number at 0
    (or its lower bound) / its upper bound. [input]'s numbers are left out: they are the
    reader's limits, which refuse the file, and a run that stops there sweeps nothing else
    (input_variants() runs them alone)."""
    choices: list[dict[str, dict[str, Any]]] = []
    lowest: dict[str, dict[str, Any]] = {}
    highest: dict[str, dict[str, Any]] = {}
    for section, key, setting in _settings():
        if _is_number(setting):
            if section != "input":
                low, high = _number_edges(setting)
                lowest.setdefault(section, {})[key] = low
                if high is not None:
                    highest.setdefault(section, {})[key] = high
            continue
        others = [v for v in _choices(setting) if v != setting.default]
        for n, value in enumerate(others):
            if n == len(choices):
                choices.append({})
            choices[n].setdefault(section, {})[key] = value
    return {"defaults": {}, **{f"choices {n}": c for n, c in enumerate(choices, 1)},
            "lowest numbers": lowest, "highest numbers": highest}


def input_variants() -> dict[str, dict[str, dict[str, Any]]]:
    """[input]'s numbers, each at each edge alone."""
    return {f"input.{key}={value}": {"input": {key: value}}
            for section, key, setting in _settings() if section == "input"
            and _is_number(setting) for value in _number_edges(setting) if value is not None}


def _settings() -> Iterator[tuple[str, str, FieldInfo]]:
    for section, field in Config.model_fields.items():
        if isinstance(field.default, BaseModel):
            for key, setting in type(field.default).model_fields.items():
                yield section, key, setting


def _kind(setting: FieldInfo) -> Any:
    """The annotation without its None (`int | None` -> int)."""
    kind = setting.annotation
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        return next(a for a in typing.get_args(kind) if a is not type(None))
    return kind


def _choices(setting: FieldInfo) -> list[Any]:
    """Every value of a Literal, Enum or bool; none for free text, lists and tables."""
    kind = _kind(setting)
    if typing.get_origin(kind) is Literal:
        return list(typing.get_args(kind))
    if kind is bool:
        return [True, False]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [member.value for member in kind]
    return []


def _is_number(setting: FieldInfo) -> bool:
    return _kind(setting) in (int, float) and any(
        isinstance(m, annotated_types.Ge | annotated_types.Le) for m in setting.metadata)


def _number_edges(setting: FieldInfo) -> tuple[Any, Any]:
    """(0 if the bounds allow it, else the lower bound; the upper bound or None)."""
    low = next((m.ge for m in setting.metadata if isinstance(m, annotated_types.Ge)), None)
    high = next((m.le for m in setting.metadata if isinstance(m, annotated_types.Le)), None)
    lowest = 0 if (low is None or low <= 0) and (high is None or high >= 0) else low
    return lowest, high


def _toml(config: dict[str, dict[str, Any]]) -> str:
    # json's spelling of a str, bool or number is TOML's too.
    return "".join(f"[{section}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in keys.items())
                   for section, keys in config.items())


def _exports(folder: Path) -> dict[str, tuple[Path, list[str], str]]:
    """Name -> (export, its config lines, its as-of date)."""
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()
    sample = folder / "sample.csv"
    sample.write_text("\n".join(lines[:SAMPLE_ROWS + 1]) + "\n", encoding="utf-8")
    register = folder / "register.csv"
    register.write_text("Unique ID,Date of Birth,Date initial EHC plan issued,"
                        "Date EHC plan last reviewed\n"
                        "P1,01/03/2021,01/03/2023,20/02/2024\nP2,05/05/2012,10/09/2024,\n"
                        "P3,,,\n", encoding="utf-8")
    return {"sample": (sample, (SAMPLE / "mapping.toml").read_text(encoding="utf-8"), "2025-06-30"),
            "review process": (write_process(folder), "", PROCESS_AS_OF),
            "plan register": (register, "", "2025-06-30")}


def _command_args(command: str, export: Path, folder: Path, variant: str) -> Iterator[str]:
    yield from command.split()
    yield str(export)
    if command == "compare":
        yield str(export)
    if command == "check" and "max_overdue" not in variant:
        yield from ["--max-overdue", "1000000"]   # a gate to check: the command needs one
    if command == "benchmark":
        yield from ["--la", "Redbridge"]
    if command == "report":
        yield from ["-o", str(folder / "board.html")]


def _sweep_commands() -> list[str]:
    return [name for name, command in app_commands().items()
            if any(p.name == "config" for p in command.params)]


@pytest.mark.parametrize("export_name", ["sample", "review process", "plan register"])
def test_no_configuration_makes_any_command_crash(tmp_path: Path, export_name: str) -> None:
    commands = _sweep_commands()
    assert {"summary", "report", "worklist", "check", "compare"} <= set(commands)
    variants = config_variants()
    # The walk reaches Literals and bools.
    assert variants["choices 2"] == {"review_process": {"case_columns": "core"}}
    assert variants["choices 1"]["rules"]["anchor_is_day_one"] is True
    assert variants["lowest numbers"]["rules"]["due_soon_days"] == 0
    export, export_config, as_of = _exports(tmp_path)[export_name]
    runner = CliRunner()
    crashes = []

    def sweep(variant: str, settings: dict[str, dict[str, Any]],
              commands: list[str]) -> dict[str, int]:
        config = tmp_path / "config.toml"
        config.write_text(export_config + "\n" + _toml(settings), encoding="utf-8")
        exits = {}
        for name in commands:
            args = [*_command_args(name, export, tmp_path, variant),
                    "--config", str(config), "--as-of", as_of]
            result = runner.invoke(app, args)
            exits[name] = result.exit_code
            output = result.stdout + result.stderr
            raised = result.exception is not None and not isinstance(result.exception,
                                                                      SystemExit)
            if (raised or result.exit_code not in DOCUMENTED_EXITS or "Traceback" in output
                    or "Internal error" in output):
                last = repr(result.exception) if raised else (
                    result.stderr.strip().splitlines() or [""])[-1]
                crashes.append(f"{name} on {export_name} with {variant} "
                               f"{json.dumps(settings)}: exit {result.exit_code}: {last}")
        return exits

    for variant, settings in config_variants().items():
        exits = sweep(variant, settings, commands)
        # Nothing is swept if the config stops every run before the analysis.
        assert exits["cases"] == 0, (variant, exits)
    # The reader's limits act before any command's own code: one command each.
    for variant, settings in input_variants().items():
        sweep(variant, settings, ["cases"])
    assert not crashes, "\n".join(crashes)
