"""What every command shares lives in cli/common.py and cli/runner.py, once: the
binary-output guard, the --by check, the options several commands take, and the order in
which the runner checks them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.cli.cases import CasesFormat
from ehcp_timeliness.cli.column_options import check_columns
from ehcp_timeliness.cli.common import chosen_format, say
from ehcp_timeliness.cli.report import ReportFormat
from ehcp_timeliness.cli.runner import settings_of
from ehcp_timeliness.cli.worklist import WorklistFormat
from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import UsageError

Run = Callable[..., Result]


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("binary", [CasesFormat.parquet, WorklistFormat.xlsx, ReportFormat.xlsx])
def test_a_binary_format_is_never_sent_to_a_terminal(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, binary: CasesFormat) -> None:
    monkeypatch.setattr(sys, "stdout", _Terminal())
    for output in (None, Path("-")):
        with pytest.raises(UsageError, match="is binary and stdout is a terminal"):
            chosen_format(binary, output, binary)
    # To a file, or down a pipe, the bytes are what was asked for.
    assert chosen_format(binary, tmp_path / f"out.{binary.value}", binary) is binary
    monkeypatch.setattr(sys, "stdout", type("Pipe", (), {"isatty": lambda self: False})())
    assert chosen_format(binary, None, binary) is binary


def test_text_formats_may_go_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert chosen_format(None, None, ReportFormat.html) is ReportFormat.html
    assert chosen_format(CasesFormat.csv, None, CasesFormat.parquet) is CasesFormat.csv


def test_a_message_to_a_log_or_a_pipe_is_its_plain_text(
        capsys: pytest.CaptureFixture[str]) -> None:
    """stderr not a terminal: the message and a newline, its control characters escaped, no
    colour codes whatever the style."""
    say("Error: \x1b[31mred\u202e\nnext line", style="bold red")
    assert capsys.readouterr().err == "Error: \\x1b[31mred\\u202e\nnext line\n"


def test_by_names_a_column_of_the_cases_output_once() -> None:
    assert check_columns("--by", ["Team"], ["case_id", "Team"]) == ["Team"]
    with pytest.raises(UsageError, match="--by Teem: no such column"):
        check_columns("--by", ["Teem"], ["case_id", "Team"])
    with pytest.raises(UsageError, match="--by Team: given twice"):
        check_columns("--by", ["Team", "Team"], ["case_id", "Team"])


# The runner (cli/runner.py): every check on the options comes before the input is analysed,
# the cheapest first, in the same order for every command.

@pytest.mark.parametrize("command", ["summary", "cases", "worklist", "report", "trend", "dfe",
                                     "audit-exceptions", "check"])
def test_outputs_are_checked_before_the_input_is_read(run: Run, tmp_path: Path,
                                                      command: str) -> None:
    """A missing export is not looked at while the output cannot be written: a file named
    for a format no command here writes as its result."""
    result = run(command, tmp_path / "missing.csv", "-o", tmp_path / "out.xml")
    assert result.exit_code == 2, result.output
    assert "is named for sen2, which this command does not write" in result.stderr
    assert not (tmp_path / "out.xml").exists()


@pytest.mark.parametrize("command", ["summary", "cases", "worklist", "report", "trend"])
def test_where_is_checked_against_the_headers_before_the_analysis(
        run: Run, tmp_path: Path, command: str) -> None:
    """An export the analysis would refuse (no case id column) still gets the --where
    message first: the option is checked from the header row alone."""
    export = tmp_path / "cases.csv"
    export.write_text("Team,Date Request Received\nNorth,01/05/2025\n", encoding="utf-8")
    result = run(command, export, "--as-of", "2025-06-30", "--where", "Nope=1",
                 "-o", tmp_path / ("out.html" if command == "report" else "out.csv"))
    assert result.exit_code == 2, result.output
    assert "--where Nope=1: no such column" in result.stderr
    analysed = run("summary", export, "--as-of", "2025-06-30")
    assert analysed.exit_code == 1 and "--where" not in analysed.stderr  # the analysis refuses


def test_header_row_and_la_are_laid_over_the_config() -> None:
    config = Config()
    laid = settings_of(config, {"header_row": 3, "la": "Redbridge"})
    assert (laid.input.header_row, laid.authority.la) == (3, "Redbridge")
    assert settings_of(config, {"header_row": None, "la": None}) == config


@pytest.mark.parametrize("command", ["report", "cases"])
def test_what_is_written_is_said_in_one_order(run: Run, small_csv: Path, tmp_path: Path,
                                              command: str) -> None:
    """Every command says the same things in the same order: the as-of line first (report),
    then --issues-out, then the result, then the closing notes."""
    out = tmp_path / ("board.html" if command == "report" else "out.csv")
    issues = tmp_path / "issues.csv"
    result = run(command, small_csv, "--as-of", "2025-06-30", "-o", out, "--issues-out", issues)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    said = [line for line in lines if line.startswith(("As of", "Wrote"))]
    expected = [f"issues to {issues}", f"Wrote {out}"]
    if command == "report":
        expected.insert(0, "As of 2025-06-30.")
    assert len(said) == len(expected), said
    assert all(line.endswith(end) for line, end in zip(said, expected, strict=True)), said
    assert "rows in:" in lines[lines.index(said[-1]) + 1]
