"""The caseworker's list: act-by day in every row, one wording for lateness, the law in its
own column, context columns, and a workbook that says its date and filter."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import Result

from ehcp_timeliness.summaries.worklist import lateness

from conftest import SAMPLE

ARGS = [SAMPLE / "cases.csv", "--config", SAMPLE / "mapping.toml", "--as-of", "2025-06-30"]
MINE = ["--where", "allocated caseworker=Caseworker 07"]


def test_one_wording_for_lateness() -> None:
    days = pl.DataFrame({"d": [-537, -1, 0, 1, 5, 1234]})
    assert days.select(lateness(pl.col("d")).alias("w"))["w"].to_list() == [
        "537 days overdue", "1 day overdue", "due today", "due in 1 day", "due in 5 days",
        "due in 1,234 days"]


def test_worklist_rows_carry_law_and_lateness(run: Callable[..., Result]) -> None:
    rows = json.loads(run("worklist", *ARGS, *MINE, "--format", "json").stdout)
    assert rows
    for row in rows:
        assert "(" not in row["next_step"]  # the citation is in its own column
        assert row["law"].startswith(("SEND Regs 2014 reg", "CFA 2014 s44"))
        assert row["act_by_date"] and row["act_by_date"] <= row["step_due_date"]
        days = row["days_left"]
        assert row["lateness"] == (f"{-days:,} days overdue" if days < -1 else
                                   "1 day overdue" if days == -1 else
                                   "due today" if days == 0 else
                                   "due in 1 day" if days == 1 else f"due in {days:,} days")


def test_terminal_shows_act_by_in_every_row_and_the_same_words(
        run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich's own settings: stdout is a terminal 200 columns wide (its styles taken off below).
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    show = ["--show", "school phase", "--show", "TEAM"]
    rows = json.loads(run("worklist", *ARGS, *MINE, *show, "--format", "json").stdout)
    result = run("worklist", *ARGS, *MINE, *show)
    assert result.exit_code == 0, result.output
    shown = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    table = [line for line in shown.splitlines() if line.startswith("│ REQ-")]
    assert len(table) == len(rows)
    for line, row in zip(table, rows, strict=True):
        act_by = datetime.fromisoformat(row["act_by_date"]).strftime("%d %b %Y")
        assert line.count(act_by) >= 1 and row["lateness"] in line
        assert row["law"] in line and row["School Phase"] in line
    header = "\n".join(shown.splitlines()[:6])
    assert "Law" in header and "School Phase" in header and "Team" in header


def test_show_names_an_export_column(run: Callable[..., Result]) -> None:
    rows = json.loads(run("worklist", *ARGS, "--show", "school phase", "--format",
                          "json").stdout)
    assert list(rows[0])[-1] == "School Phase"
    refused = run("worklist", *ARGS, "--show", "Setting")
    assert refused.exit_code == 2 and "--show Setting: no such column" in refused.stderr


def test_workbook_says_its_date_and_filter(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "mine.xlsx"
    assert run("worklist", *ARGS, *MINE, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Worklist"]
    assert (sheet["A1"].value, sheet["B1"].value) == ("As of", datetime(2025, 6, 30))
    assert sheet["A2"].value == "Filter (--where)"
    assert sheet["B2"].value == "Allocated Caseworker = Caseworker 07"
    assert sheet["A4"].value == "Case" and sheet["A5"].value.startswith("REQ-")
