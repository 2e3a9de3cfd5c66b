"""`compare`: the worked month E65–E67 (docs/worked-examples.md), each finding through the
command, exit codes, formats, the two inputs protected, personal dates never shown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.report.privacy import KEY_ENV
from ehcp_timeliness.summaries.compare import FINDINGS

from conftest import SAMPLE

Run = Callable[..., Result]
HEADER = ("Case Ref,Child ID,DOB,Date Request Received,Request Outcome,"
          "Date of Decision to Assess,Final EHCP Issued")
# Last month's export (read as of 31 May 2025) and this month's (as of 30 June 2025).
MAY = [
    "A,P1,2014-05-01,2025-01-20,,,",            # due 2025-06-09: due soon in May
    "B,P2,2014-05-01,2025-01-06,,,",            # due 2025-05-26: overdue in May
    "C,P3,2014-05-01,2025-04-01,,,",
    "D,P4,2014-05-01,2025-03-03,,,",            # gone from June's export
    "F,P6,2014-05-01,2024-10-01,,,2025-02-10",  # nothing changes
    "G,P7,2014-05-01,2025-02-03,,,",            # due 2025-06-23
    "H,P8,2014-05-01,2025-01-13,,,2025-05-20",  # issued on time in May
    "I,P9,2014-05-01,2025-01-13,,,",
    "J,P10,2014-05-01,2025-02-17,,,",
    "K,P11,2013-03-17,2025-02-17,,,",
    "L,P12,2014-05-01,2025-13-01,,,",           # unreadable last month
]
JUNE = [
    "A,P1,2014-05-01,2025-01-20,,,",            # E65 newly overdue
    "B,P2,2014-05-01,2025-01-06,,,2025-06-10",  # E65 newly issued (late)
    "C,P3,2014-05-01,2025-04-01,N,2025-06-05,",  # E65 closed without a plan
    "E,P5,2014-05-01,2025-06-16,,,",            # E65 new
    "F,P6,2014-05-01,2024-10-01,,,2025-02-10",
    "G,P7,2014-05-01,2025-02-10,,,",            # E66 received date edited: +7 days
    "H,P8,2014-05-01,2025-01-13,,,",            # E66 issue date removed: open again
    "I,P9,2014-05-01,2025-01-13,,,2025-05-28",  # E66 issue date recorded late
    "J,P10,2014-05-01,2025-02-30,,,",           # E67 unreadable now: set aside
    "K,P11,2013-03-18,2025-02-17,,,",           # another date of birth: never shown
    "L,P12,2014-05-01,2025-03-01,,,",           # E67 corrected: set aside last month
]


def export(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def exports(tmp_path: Path) -> tuple[Path, Path]:
    return export(tmp_path, "may.csv", MAY), export(tmp_path, "june.csv", JUNE)


def findings(run: Run, previous: Path, current: Path, *args: object) -> tuple[Result, dict]:
    result = run("compare", previous, current, "--as-of", "2025-06-30", "--format", "json",
                 *args)
    return result, json.loads(result.stdout)


def by_case(found: dict) -> dict[tuple[str, str | None], dict]:
    return {(f["case_id"], f["column"]): f for f in found["findings"]}


def test_E65_a_worked_month_new_gone_issued_closed_newly_overdue(
        run: Run, exports: tuple[Path, Path]) -> None:
    _, found = findings(run, *exports)
    rows = by_case(found)
    expected = {("A", "newly_overdue", "due_soon", "overdue"),
                ("B", "newly_issued", "overdue", "issued_late"),
                ("C", "closed", "in_progress", "closed_no_plan"),
                ("D", "disappeared", "in_progress", None),
                ("E", "new", None, "in_progress")}
    for case_id, finding, before, now in expected:
        row = rows[(case_id, None)]
        assert (row["finding"], row["previous_plan_status"], row["current_plan_status"]) == \
            (finding, before, now), case_id
    assert not any(case_id == "F" for case_id, _ in rows)
    assert found["previous"]["as_of"] == "2025-05-31"  # the default: end of last month
    assert found["current"]["as_of"] == "2025-06-30"


def test_E66_historical_dates_changed_are_listed_with_both_values(
        run: Run, exports: tuple[Path, Path]) -> None:
    result, found = findings(run, *exports)
    rows = by_case(found)
    edited = rows[("G", "received_date")]
    assert (edited["finding"], edited["previous_value"], edited["current_value"],
            edited["days_moved"]) == ("date_edited", "2025-02-03", "2025-02-10", 7)
    # The edit moved the 20-week date to the as-of date itself: due, not overdue.
    assert edited["current_plan_status"] == "due_soon"
    removed = rows[("H", "plan_issued_date")]
    assert (removed["finding"], removed["previous_value"], removed["current_value"]) == \
        ("date_removed", "2025-05-20", None)
    assert rows[("H", None)]["finding"] == "reopened"
    late = rows[("I", "plan_issued_date")]
    assert (late["finding"], late["previous_value"], late["current_value"]) == \
        ("date_recorded_late", None, "2025-05-28")
    assert rows[("I", None)]["finding"] == "newly_issued"
    assert "received_date" in found["dates_compared"]
    assert result.exit_code == 1
    # G's received date; K's date of birth is another now: person_changed, not date_edited.
    assert "1 date_edited" in result.stderr and "1 date_removed" in result.stderr
    assert "1 person_changed" in result.stderr


def test_E67_set_aside_rows_are_listed_and_fail_the_run(
        run: Run, exports: tuple[Path, Path]) -> None:
    result, found = findings(run, *exports)
    row = by_case(found)[("J", None)]
    assert (row["finding"], row["previous_plan_status"], row["set_aside_reasons"]) == \
        ("set_aside_in_current", "in_progress", "unparseable-date")
    assert found["current"]["rows"]["rows_set_aside"] == 1
    assert found["current"]["error_rows"] == 1
    row = by_case(found)[("L", None)]
    assert (row["finding"], row["current_plan_status"], row["set_aside_reasons"]) == \
        ("set_aside_in_previous", "due_soon", "unparseable-date")
    assert found["previous"]["rows"]["rows_set_aside"] == 1
    assert result.exit_code == 1
    assert "1 row with errors in the current export (june.csv) as of" in result.stderr
    assert "1 row with errors in the previous export (may.csv) as of" in result.stderr


def test_an_export_beside_itself_says_which_rows_came_after_the_previous_as_of(
        run: Run) -> None:
    """The sample beside itself: as of 31 May, June's 59 requests are set aside in the
    previous one (received after that date). The reason says so, and what to do, rather than
    leave 65 'rows with errors' where validate finds 9."""
    result = run("compare", SAMPLE / "cases.csv", SAMPLE / "cases.csv", "-c",
                 SAMPLE / "mapping.toml", "--as-of", "2025-06-30", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["needs_attention"] == [
        "65 rows with errors in the previous export (cases.csv) as of 2025-05-31, 59 of them "
        "received after that date (give --previous-as-of the day the export was taken)",
        "9 rows with errors in the current export (cases.csv) as of 2025-06-30"]


@pytest.mark.parametrize(("as_of", "previous"), [
    ("2024-03-10", "2024-02-29"), ("2025-01-15", "2024-12-31"), ("2025-06-30", "2025-05-31")])
def test_E67_previous_as_of_defaults_to_the_end_of_the_month_before(
        run: Run, exports: tuple[Path, Path], as_of: str, previous: str) -> None:
    result = run("compare", *exports, "--as-of", as_of, "--format", "json")
    assert json.loads(result.stdout)["previous"]["as_of"] == previous


def test_a_clean_month_exits_0(run: Run, tmp_path: Path) -> None:
    may = export(tmp_path, "may.csv", MAY[:3])
    june = export(tmp_path, "june.csv", [*JUNE[:3], JUNE[3]])
    result = run("compare", may, june, "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.stderr
    assert "Nothing needs attention." in result.stderr
    assert "newly_overdue" in result.stdout and "1 new" in result.stderr


def test_previous_as_of_is_given_or_refused(run: Run, exports: tuple[Path, Path]) -> None:
    _, found = findings(run, *exports, "--previous-as-of", "2025-06-02")
    assert found["previous"]["as_of"] == "2025-06-02"
    # Read as of 2 June, C was still open: refused on the 5th.
    assert by_case(found)[("C", None)]["finding"] == "closed"
    for value, message in (("2025-07-01", "is after --as-of"),
                           ("yesterday", "--previous-as-of 'yesterday' is not a date")):
        refused = run("compare", *exports, "--as-of", "2025-06-30", "--previous-as-of", value)
        assert refused.exit_code == 2 and message in refused.stderr, refused.stderr
    early = run("compare", *exports, "--as-of", "1950-01-10")
    assert early.exit_code == 2 and "the default" in early.stderr


def test_table_lists_each_finding_and_limits_rows(run: Run, exports: tuple[Path, Path]) -> None:
    result = run("compare", *exports, "--as-of", "2025-06-30", "--limit", "0")
    assert result.exit_code == 1
    counts = findings(run, *exports)[1]["counts"]
    assert list(counts) == list(FINDINGS) and all(counts.values())  # each finding happens
    one = run("compare", *exports, "--as-of", "2025-06-30", "--limit", "1").stdout
    for finding in FINDINGS:  # each has its own table, titled with it
        assert f"{finding}: " in one, finding
    assert "date_edited" in result.stdout and "more: --format csv lists them all" in result.stdout
    full = run("compare", *exports, "--as-of", "2025-06-30").stdout
    assert "2025-02-03" in full and "2025-02-10" in full
    assert "Dates compared: received_date" in full


def test_csv_has_the_documented_columns_and_one_row_per_finding(
        run: Run, exports: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "changes.csv"
    result = run("compare", *exports, "--as-of", "2025-06-30", "-o", out)
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["finding", "case_id", "previous_plan_status",
                             "current_plan_status", "column", "previous_value",
                             "current_value", "days_moved", "set_aside_reasons"]
    json_rows = findings(run, *exports)[1]["findings"]
    assert len(rows) == len(json_rows) == 13  # E65: 5, E66: 5, E67: 2, K: 1
    again = tmp_path / "again.csv"
    run("compare", *exports, "--as-of", "2025-06-30", "-o", again)
    assert again.read_bytes() == out.read_bytes()  # same inputs, same bytes


def test_a_personal_date_change_is_listed_but_its_values_never_shown(
        run: Run, exports: tuple[Path, Path]) -> None:
    result, found = findings(run, *exports)
    row = by_case(found)[("K", "date_of_birth")]
    assert row["finding"] == "person_changed"
    assert row["previous_value"] == row["current_value"] == "(not shown: personal data)"
    table = run("compare", *exports, "--as-of", "2025-06-30")
    for text in (json.dumps(found), table.stdout, table.stderr, result.stderr):
        assert "2013-03-1" not in text  # neither date of birth
        assert "P11" not in text  # person ids are never listed


@pytest.mark.parametrize("which", [0, 1])
def test_neither_input_nor_the_config_may_be_the_output(
        run: Run, exports: tuple[Path, Path], tmp_path: Path, which: int) -> None:
    before = exports[which].read_bytes()
    result = run("compare", *exports, "--as-of", "2025-06-30", "--format", "csv",
                 "-o", exports[which])
    assert result.exit_code == 2 and "the command reads it" in result.stderr
    assert exports[which].read_bytes() == before
    config = tmp_path / "mapping.toml"
    config.write_text("", encoding="utf-8")
    result = run("compare", *exports, "--as-of", "2025-06-30", "-c", config, "-o", config,
                 "--format", "json")
    assert result.exit_code == 2 and "the command reads it" in result.stderr


def test_pseudonymised_ids_still_match(run: Run, exports: tuple[Path, Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "a test key that is long enough")
    result, found = findings(run, *exports, "--pseudonymise")
    assert result.exit_code == 1  # the same findings: D gone, dates edited
    plain = findings(run, *exports)[1]
    assert found["counts"] == plain["counts"]
    assert found["pseudonymised"] is True
    assert all(f["case_id"].startswith("C-") for f in found["findings"])
    monkeypatch.delenv(KEY_ENV)
    refused = run("compare", *exports, "--as-of", "2025-06-30", "--pseudonymise")
    assert refused.exit_code == 2


def test_a_missing_second_export_is_a_usage_error(run: Run, exports: tuple[Path, Path]) -> None:
    result = run("compare", exports[0], "--as-of", "2025-06-30")
    assert result.exit_code == 2
    missing = run("compare", exports[0], exports[0].parent / "nope.csv", "--as-of", "2025-06-30")
    assert missing.exit_code in (1, 2) and "Error" in missing.stderr
