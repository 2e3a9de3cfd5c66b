"""Title lines and notes above the header row: found in the first lines, or named with
--header-row, skipped and reported; row numbers stay the file's own lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import Result

from ehcp_timeliness.schema.headers import find_header_row

ROWS = ["Case Ref,Date Request Received,Request Outcome,Final EHCP Issued",
        "C1,15/01/2024,Y,03/06/2024", "C2,15/01/2024,Maybe,"]


@pytest.mark.parametrize(("rows", "above"), [
    ([["Case Ref", "Date Request Received"], ["C1", "15/01/2024"]], 0),
    ([["EHC requests export"], [], ["Case Ref", "Date Request Received"]], 2),
    # Headers the tool does not know: the first row as wide as the table, all names.
    ([["Report run 01/07/2025"], ["Request No", "Opened", "Agreed?"],
      ["R1", "15/01/2024", "Yes"]], 1),
    ([["R1", "15/01/2024", "Yes"], ["R2", "16/01/2024", "No"]], 0),
])
def test_find_header_row(rows: list[list[str]], above: int) -> None:
    assert find_header_row(rows, {}) == above


def test_named_headers_count_as_known() -> None:
    rows = [["Title"], ["Ref", "Opened"], ["R1", "01/02/2024"]]
    assert find_header_row(rows, {"case_id": "Ref", "received_date": "Opened"}) == 1


def test_title_line_above_csv_headers(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(["EHC needs assessment requests (exported 01/07/2025)", *ROWS])
                    + "\n", encoding="utf-8")
    issues = tmp_path / "issues.json"
    result = run("validate", path, "--as-of", "2025-06-30", "--issues-out", issues)
    assert "skipped 1 line above the headers" in result.stderr
    assert "skipped 1 line above the headers" in result.stdout
    [issue] = json.loads(issues.read_text(encoding="utf-8"))
    assert issue["row"] == 4  # C2 is on the file's fourth line
    summary = run("summary", path, "--as-of", "2025-06-30", "--format", "json")
    assert json.loads(summary.stdout)["rows"]["rows_analysed"] == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_group_line_holding_one_known_word_is_no_header_row(
        run: Callable[..., Result], tmp_path: Path, suffix: str) -> None:
    """A line of group titles above the headers (merged cells in a workbook): "Request" over
    the request's columns is also a case id's header, and that one word made the group line
    the header row ("Headers found: 'Identity', '__UNNAMED__1', …")."""
    group = ["Identity", "", "Request", ""]
    lines = [group, *(row.split(",") for row in ROWS)]
    path = tmp_path / f"cases.{suffix}"
    if suffix == "csv":
        path.write_text("\n".join(",".join(line) for line in lines) + "\n", encoding="utf-8")
    else:
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet()
        for number, line in enumerate(lines):
            sheet.write_row(number, 0, line)
        book.close()
    result = run("summary", path, "--as-of", "2025-06-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "skipped 1 line above the headers" in result.stderr
    assert json.loads(result.stdout)["rows"]["rows_analysed"] == 1


def test_header_row_option(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    # Notes that hold known header words: found by nothing but --header-row.
    path.write_text("\n".join(["Case Ref,Date Request Received", "notes,more notes", *ROWS])
                    + "\n", encoding="utf-8")
    result = run("summary", path, "--as-of", "2025-06-30", "--format", "json",
                 "--header-row", "3")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"]["rows_in"] == 2
    assert "skipped 2 lines above the headers" in result.stderr


def test_title_row_above_a_sheet(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["EHC needs assessment requests"])
    for index, line in enumerate(ROWS, start=2):
        sheet.write_row(index, 0, line.split(","))
    book.close()
    issues = tmp_path / "issues.json"
    result = run("validate", path, "--as-of", "2025-06-30", "--issues-out", issues)
    assert "skipped 2 lines above the headers" in result.stderr, result.output
    [issue] = json.loads(issues.read_text(encoding="utf-8"))
    assert issue["row"] == 5
