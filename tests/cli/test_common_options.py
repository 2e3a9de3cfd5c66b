"""What every command shares lives in cli/common.py, once: the binary-output guard, the
--by check and the options several commands take."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ehcp_timeliness.cli.cases import CasesFormat
from ehcp_timeliness.cli.column_options import check_by_columns
from ehcp_timeliness.cli.common import chosen_format
from ehcp_timeliness.cli.report import ReportFormat
from ehcp_timeliness.cli.worklist import WorklistFormat
from ehcp_timeliness.errors import UsageError


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


def test_by_names_a_column_of_the_cases_output_once() -> None:
    assert check_by_columns(["Team"], ["case_id", "Team"]) == ["Team"]
    with pytest.raises(UsageError, match="--by Teem: no such column"):
        check_by_columns(["Teem"], ["case_id", "Team"])
    with pytest.raises(UsageError, match="--by Team: given twice"):
        check_by_columns(["Team", "Team"], ["case_id", "Team"])
