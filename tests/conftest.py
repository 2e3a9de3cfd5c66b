"""Shared fixtures: small exports written in every format the tool reads, and a CLI runner."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer
from hypothesis import settings
from typer.testing import CliRunner, Result

from ehcp_timeliness.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
# The date the shipped sample is analysed at (scripts/make_sample_data.py, the golden files),
# and the as-of date of every test that does not need its own; AS_OF as typed after --as-of.
SAMPLE_AS_OF = date(2025, 6, 30)
AS_OF = SAMPLE_AS_OF.isoformat()

HEADER = "Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,Week20,Team"
ROWS = [
    "C1,15/01/2024,Y,03/06/2024,,North",
    "C2,15/01/2024,Y,04/06/2024,school_closure,North",
    "C3,01/05/2025,,,,South",
    "C4,01/01/2025,N,,,South",
]


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module, registered before it runs (a dataclass looks its module
    up), for the tests of what only a script does."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def kpi_card(html: str, kpi: str) -> str:
    """The board page's headline card of KPI, as HTML (report/templates: one <article> each)."""
    card = html[html.index(f'data-kpi="{kpi}"'):]
    return card[:card.index("</article>")]


def read_yes_no(folder: Path, **cells: list[str | None]) -> dict[str, list[bool]]:
    """CELLS (a yes/no column's canonical name -> its cells, e.g. mediation=[...]) written as
    an export and read by the normaliser itself: each column as analysed, in row order."""
    import polars as pl

    from ehcp_timeliness.config import Config
    from ehcp_timeliness.pipeline import analyse

    rows = len(next(iter(cells.values())))
    path = folder / "yes_no.csv"
    pl.DataFrame({"Case Ref": [f"C{i}" for i in range(rows)],
                  "Date Received": ["2024-01-15"] * rows, **cells},
                 schema_overrides=dict.fromkeys(cells, pl.String)).write_csv(path)
    cases = analyse(path, Config(), SAMPLE_AS_OF).cases.sort("__row")
    assert cases.height == rows
    return {name: cases[name].to_list() for name in cells}


def app_commands() -> dict[str, Any]:
    """Every command of the app by its full name ("summary", "config init"), found from the
    app itself so that a new command is covered. Typer has its own click (typer._click), so
    groups are told by shape rather than by click's classes."""
    found: dict[str, Any] = {}

    def walk(group: Any, prefix: str) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if getattr(command, "commands", None):
                walk(command, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = command

    walk(typer.main.get_command(app), "")
    return found


@pytest.fixture
def run() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: object) -> Result:
        return runner.invoke(app, [str(a) for a in args])

    return invoke


# Hypothesis profiles (docs/reliability.md, "Budgets and reproducing"). `make test` and any
# plain pytest run use "test": derandomised, no example database and no deadline, so every run
# tries the same examples, in CI or not, and nothing depends on how busy the machine is.
# `make fuzz` uses "fuzz": random examples, each fuzz budget FUZZ_SCALE times larger
# (tests/fuzz/generators.py budget()), failures remembered in .hypothesis/.
settings.register_profile("test", derandomize=True, database=None, deadline=None,
                          print_blob=True)
settings.register_profile("fuzz", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "test"))

FUZZ_DIR = Path(__file__).parent / "fuzz"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/fuzz and every hypothesis test elsewhere (the oracle property
    tests) is a fuzz test: `make fuzz` runs `-m fuzz`, each at FUZZ_SCALE times the budget it
    gives fuzz.generators.fuzz()."""
    for item in items:
        function = getattr(item, "function", None)
        if FUZZ_DIR in item.path.parents or getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.fuzz)
