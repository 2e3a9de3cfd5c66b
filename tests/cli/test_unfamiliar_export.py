"""The analyst's first hour: an export in a style the tool has never seen (title line, own
headers and outcome words, mixed UK dates, 3,000 rows) walked from `validate` to a correct
`summary` using only what the tool printed: its suggested [columns] block, then its
[outcome_codes] and [booleans] lines, pasted into a config file as they are."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
from typer.testing import Result

from unfamiliar_export import AS_OF, write_unfamiliar_export

from conftest import HEADER, ROWS


def pasted(output: str, heading: str) -> str:
    """The block under HEADING in OUTPUT, as an analyst would copy it: to the blank line."""
    lines = output.splitlines()
    start = lines.index(heading)
    end = lines.index("", start)
    return "\n".join(lines[start:end]) + "\n"


def test_from_validate_to_a_right_summary(run: Callable[..., Result], tmp_path: Path) -> None:
    export, truth = write_unfamiliar_export(tmp_path)
    as_of = ["--as-of", AS_OF.isoformat()]

    first = run("validate", export, *as_of)
    assert first.exit_code == 1  # required columns not found: nothing is analysed yet
    config = tmp_path / "mapping.toml"
    config.write_text(pasted(first.stdout, "[columns]"), encoding="utf-8")
    assert 'case_id = "Request No"' in config.read_text(encoding="utf-8")
    assert '"Requested By"' not in config.read_text(encoding="utf-8")

    second = run("validate", export, "--config", config, *as_of)
    assert "skipped 1 line above the headers" in second.stderr
    assert '"NTI" = "N"' in second.stdout
    with config.open("a", encoding="utf-8") as handle:
        handle.write(pasted(second.stdout, "[outcome_codes]"))
        handle.write(pasted(second.stdout, "[booleans]"))

    third = run("validate", export, "--config", config, *as_of)
    assert third.exit_code == 0, third.output
    assert "Values the tool does not read" not in third.stdout

    walked = json.loads(run("summary", export, "--config", config, *as_of,
                            "--format", "json").stdout)
    right = json.loads(run("summary", truth, *as_of, "--format", "json").stdout)
    assert walked["rows"]["rows_analysed"] == right["rows"]["rows_analysed"] == 3000
    for part in ("timeliness", "open_requests", "reviews", "plan_status_counts", "kpis"):
        assert walked[part] == right[part], part
    assert sum(row["plans_issued"] for row in walked["timeliness"]) > 1000


def test_a_workbook_whose_cases_are_not_on_its_first_sheet_says_which_sheets_there_are(
        run: Callable[..., Result], tmp_path: Path) -> None:
    """A cover or notes sheet first, the cases on the second: the message about the columns
    not found names the sheet that was read and the others, so the analyst tries --sheet
    rather than a [columns] block for a sheet that has no cases."""
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Cover").write(0, 0, "Caseload export")
    cases = book.add_worksheet("Cases")
    for row, line in enumerate([HEADER, *ROWS]):
        cases.write_row(row, 0, line.split(","))
    book.close()
    config = tmp_path / "mapping.toml"
    config.write_text('[columns]\ncase_id = "Case Ref"\n', encoding="utf-8")
    said = ("Sheet 'Cover' was read (the first visible one); the workbook also has 'Cases'. "
            "If the cases are on another sheet, name it: --sheet NAME.")
    for args in ([], ["--config", config], ["--by", "Team"]):
        result = run("summary", path, "--as-of", AS_OF.isoformat(), *args)
        assert result.exit_code in (1, 2), result.output
        assert said in " ".join(result.stderr.split()), result.stderr
    named = run("summary", path, "--as-of", AS_OF.isoformat(), "--sheet", "Cover")
    assert named.exit_code == 1 and "--sheet NAME" not in named.stderr  # chosen: not a guess
    assert run("summary", path, "--as-of", AS_OF.isoformat(), "--sheet", "Cases").exit_code == 0
