"""Every command that writes a file says where, on stderr; stdout gets nothing extra."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import SAMPLE

ARGS = [SAMPLE / "cases.csv", "--config", SAMPLE / "mapping.toml", "--as-of", "2025-06-30"]


@pytest.mark.parametrize(("command", "name"), [
    (["summary"], "summary.csv"),
    (["cases"], "cases.csv"),
    (["trend"], "trend.json"),
    (["worklist"], "worklist.xlsx"),
    (["report"], "board.html"),
    (["dfe"], "dfe.csv"),
    (["check", "--format", "json", "--max-overdue", "1000"], "check.json"),
])
def test_a_written_file_is_named(run: Callable[..., Result], tmp_path: Path,
                                 command: list[str], name: str) -> None:
    output = tmp_path / name
    result = run(*command, *ARGS, "--output", output)
    assert output.is_file(), result.output
    assert f"Wrote {output}" in result.stderr
    assert str(output) not in result.stdout


def test_nothing_is_said_for_stdout(run: Callable[..., Result]) -> None:
    result = run("summary", *ARGS, "--format", "csv")
    assert result.exit_code == 0
    assert "Wrote" not in result.stderr
