"""Golden files: the shipped sample_data run through the real entry point.

A deliberate change of output is recorded with `make golden` (UPDATE_GOLDEN=1), and the diff of
tests/golden/ is then part of the commit that changed it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

GOLDEN = ROOT / "tests" / "golden"
ENTRY_POINT = Path(sys.executable).parent / "ehcp-timeliness"
ARGS = [str(SAMPLE / "cases.csv"), "--config", str(SAMPLE / "mapping.toml"),
        "--as-of", "2025-06-30"]


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(ENTRY_POINT), *args], capture_output=True, check=False,
                          cwd=ROOT, timeout=120)


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"no golden file {name}: run `make golden`"
    assert data == path.read_bytes(), f"{name} differs from the golden file (make golden)"


@pytest.mark.parametrize(("name", "command"), [
    ("sample_cases.csv", ["cases", *ARGS]),
    ("sample_summary.json", ["summary", *ARGS, "--format", "json"]),
    ("sample_summary_by_team.csv", ["summary", *ARGS, "--format", "csv", "--by", "Team"]),
    ("sample_summary.txt", ["summary", *ARGS]),
])
def test_sample_output_is_unchanged(name: str, command: list[str]) -> None:
    result = run_cli(*command)
    assert result.returncode == 0, result.stderr.decode()
    check_golden(name, result.stdout)


def test_sample_issues_are_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "issues.csv"
    result = run_cli("validate", *ARGS, "--issues-out", str(out))
    assert result.returncode == 1  # the sample has deliberate errors
    check_golden("sample_issues.csv", out.read_bytes())


def test_every_sample_row_is_accounted_for() -> None:
    summary = json.loads(run_cli("summary", *ARGS, "--format", "json").stdout)
    rows = summary["rows"]
    data_rows = len((SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert rows["rows_in"] == data_rows
    assert rows["rows_in"] == rows["rows_analysed"] + rows["rows_set_aside"]
    assert sum(rows["set_aside_reasons"].values()) >= rows["rows_set_aside"] > 0


def test_installed_entry_point_help_and_version() -> None:
    assert run_cli("--help").returncode == 0
    version = run_cli("--version")
    assert version.stdout.decode().startswith("ehcp-timeliness ")
