"""The as-of date is never a silent guess: stated first, and an old export without --as-of
is warned about with its newest date suggested."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import Result

from ehcp_timeliness.summaries.as_of import a_month_before, newest_date, stale_export_warning

from conftest import SAMPLE

ARGS = [SAMPLE / "cases.csv", "--config", SAMPLE / "mapping.toml"]


def test_newest_date_ignores_later_typing_errors_and_dates_of_birth() -> None:
    cases = pl.DataFrame({
        "received_date": [date(2025, 1, 3), date(2031, 1, 1)],
        "plan_issued_date": [date(2025, 5, 2), None],
        "date_of_birth": [date(2025, 6, 1), date(2025, 6, 1)],
    })
    assert newest_date(cases, date(2026, 1, 1)) == date(2025, 5, 2)


@pytest.mark.parametrize(("day", "before"), [
    (date(2025, 3, 31), date(2025, 2, 28)), (date(2024, 3, 31), date(2024, 2, 29)),
    (date(2025, 1, 15), date(2024, 12, 15)),
])
def test_a_month_before(day: date, before: date) -> None:
    assert a_month_before(day) == before


def test_warning_only_past_a_month() -> None:
    today = date(2025, 8, 15)
    recent = pl.DataFrame({"received_date": [date(2025, 7, 15)]})
    old = pl.DataFrame({"received_date": [date(2025, 7, 14)]})
    assert stale_export_warning(recent, today) is None
    warning = stale_export_warning(old, today)
    assert warning is not None and "--as-of 2025-07-14" in warning


def test_without_as_of_an_old_export_is_warned_about(run: Callable[..., Result]) -> None:
    result = run("summary", *ARGS)
    assert result.exit_code == 0
    assert "newest date in the export is 2025-07-14" in result.stderr
    assert "--as-of 2025-07-14" in result.stderr
    today = date.today().isoformat()
    assert result.stdout.splitlines()[0] == f"As of {today} (today: no --as-of given)."


def test_a_fresh_export_without_as_of_is_not_warned_about(
        run: Callable[..., Result], tmp_path: Path) -> None:
    recent = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")
    path = tmp_path / "cases.csv"
    path.write_text(f"Case Ref,Date Request Received\nC1,{recent}\n", encoding="utf-8")
    result = run("summary", path)
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr


@pytest.mark.parametrize("command", [
    ["summary"], ["trend"], ["check", "--max-overdue", "1000"],
])
def test_first_line_is_the_as_of_date(run: Callable[..., Result],
                                      command: list[str]) -> None:
    result = run(*command, *ARGS, "--as-of", "2025-06-30")
    assert result.stdout.splitlines()[0] == "As of 2025-06-30.", result.output
    assert "Warning" not in result.stderr


def test_report_states_it_on_stderr(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("report", *ARGS, "--as-of", "2025-06-30", "-o", tmp_path / "b.html")
    assert result.stderr.splitlines()[0] == "As of 2025-06-30."


def test_machine_formats_stay_parseable(run: Callable[..., Result]) -> None:
    result = run("summary", *ARGS, "--format", "json")
    assert json.loads(result.stdout)["as_of"] == date.today().isoformat()
    assert "(today: no --as-of given)" in result.stderr
