"""Shared fixtures: small exports written in every format the tool reads, and a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from ehcp_timeliness.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

HEADER = "Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,Week20,Team"
ROWS = [
    "C1,15/01/2024,Y,03/06/2024,,North",
    "C2,15/01/2024,Y,04/06/2024,school_closure,North",
    "C3,01/05/2025,,,,South",
    "C4,01/01/2025,N,,,South",
]


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def run() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: object) -> Result:
        return runner.invoke(app, [str(a) for a in args])

    return invoke


# Hypothesis: in CI (CI set, or HYPOTHESIS_PROFILE=ci) every run tries the same examples and
# keeps no database, so a red build reproduces; locally it explores and remembers failures in
# .hypothesis/. Fuzz budgets: tests/fuzz/generators.py budget() and docs/reliability.md.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE",
                                     "ci" if os.environ.get("CI") else "default"))
