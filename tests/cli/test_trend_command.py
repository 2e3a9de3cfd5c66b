"""`trend` through the CLI: the columns in the contract's order, the same figures as `summary`,
small-number suppression with --by, --from, and the notes it must give."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.summaries.trend import TREND_COLUMNS

from conftest import SAMPLE

Run = Callable[..., Result]
SAMPLE_ARGS = (SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of", "2025-06-30")


def _json(run: Run, *args: object) -> dict:  # type: ignore[type-arg]
    result = run("trend", *SAMPLE_ARGS, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_csv_columns_are_the_contracts_in_order(run: Run) -> None:
    result = run("trend", *SAMPLE_ARGS, "--format", "csv", "--from", "2024-07")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split(",") == list(TREND_COLUMNS)
    assert [line[:7] for line in lines[1:]] == [f"2024-{m:02d}" for m in range(7, 13)] + [
        f"2025-{m:02d}" for m in range(1, 7)]


def test_the_as_of_month_agrees_with_summary(run: Run) -> None:
    trend = _json(run)
    result = run("summary", *SAMPLE_ARGS, "--format", "json", "--period", "month")
    summary = json.loads(result.stdout)
    last = trend["months"][-1]
    kpis = summary["kpis"]
    assert last["pct_within_20_weeks"] == kpis["pct_within_20_weeks_month"]["value"]
    assert last["plans_issued"] == kpis["pct_within_20_weeks_month"]["denominator"]
    assert last["open_overdue_at_month_end"] == kpis["open_cases_overdue"]["value"]
    assert last["reviews_overdue_at_month_end"] == kpis["reviews_overdue"]["value"]
    assert last["open_at_month_end"] == summary["open_requests"][0]["open_cases"]
    assert last["plans_in_force_at_month_end"] == summary["reviews"][0]["plans_to_review"]
    by_month = {r["period"]: r for r in summary["timeliness"]}
    for row in trend["months"]:
        if row["month"] in by_month:
            assert row["plans_issued"] == by_month[row["month"]]["plans_issued"]
    assert trend["year_end"] == summary["year_end"]


def test_json_says_where_the_year_lands_and_when_the_backlog_clears(run: Run) -> None:
    trend = _json(run)
    year = trend["year_end"]
    assert year["year"] == 2025
    assert year["lowest"] <= year["pct_so_far"] <= year["highest"]
    assert year["likely_low"] <= year["central"] <= year["likely_high"]
    assert year["basis"] == "DfE's headline basis: excluding exceptions"
    clearance = trend["backlog_clearance"]
    assert [c["months"] for c in clearance["net_change_a_month"]] == [3, 6]
    assert clearance["in_words"].count(";") == 1  # one verdict
    assert trend["closed_without_outcome_date"] == 0


def test_by_hides_small_numbers_as_report_does(run: Run) -> None:
    trend = _json(run, "--by", "Team", "--suppress-below", "10", "--from", "2025-06")
    rows = trend["months"]
    assert {r["Team"] for r in rows} == {"East", "North", "Post-16", "South", "West"}
    for row in rows:
        for name in TREND_COLUMNS[1:]:
            value = row[name]
            assert value in ("c", None) or not (isinstance(value, int) and 1 <= value < 10)
        if row["open_overdue_at_month_end"] == "c":
            assert row["mean_weeks_open_overdue_at_month_end"] == "c"


@pytest.mark.parametrize(("command", "note"), [
    ("trend", "The year-end forecast and the backlog clearance are for all the cases, not "
              "split by Team."),
    ("summary", "The year-end forecast is for all the cases, not split by Team.")])
def test_with_by_the_outlook_says_it_is_not_split(run: Run, command: str, note: str) -> None:
    """The tables are by Team, the forecast beside them the whole export's: it says so."""
    split = run(command, *SAMPLE_ARGS, "--by", "Team")
    assert split.exit_code == 0, split.stderr
    assert note in " ".join(split.stdout.split())
    whole = run(command, *SAMPLE_ARGS)
    assert "not split by" not in whole.stdout
    said = [line for line in split.stdout.splitlines() if "so far:" in line]
    assert said and said[0] in whole.stdout  # the same forecast, split or not


def test_a_part_month_is_labelled_in_the_terminal_as_summary_labels_it(run: Run) -> None:
    """As of 15 June, June is a part month; the export begins 2 July 2022, so is that July.
    The files keep the month as it is, for joining."""
    args = (SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of", "2025-06-15")
    shown = run("trend", *args, "--from", "2022-07")
    assert shown.exit_code == 0, shown.stderr
    assert "2025-06 (to 15 Jun)" in shown.stdout and "2022-07 (from 2 Jul)" in shown.stdout
    assert "A period marked (from ...) or (to ...) is a part one" in shown.stdout
    summary = run("summary", *args, "--period", "month")
    assert "2025-06 (to 15 Jun)" in summary.stdout
    csv = run("trend", *args, "--from", "2025-06", "--format", "csv").stdout
    assert csv.splitlines()[1].startswith("2025-06,")
    whole = run("trend", *SAMPLE_ARGS, "--from", "2025-06")
    assert "(to 30 Jun)" not in whole.stdout and "A period marked" not in whole.stdout


def test_same_input_same_bytes(run: Run, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        assert run("trend", *SAMPLE_ARGS, "-o", path).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(("value", "message"), [
    ("2025-13", "is not a month"), ("June", "is not a month"),
    ("2025-07", "after the as-of date's month"), ("1949-12", "before 1950")])
def test_a_bad_from_is_a_usage_error(run: Run, value: str, message: str) -> None:
    result = run("trend", *SAMPLE_ARGS, "--from", value)
    assert result.exit_code == 2
    assert message in result.stderr


def test_undated_closures_are_said(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("Case Ref,Date Request Received,Request Outcome,Request Outcome Date\n"
                    "C1,15/01/2025,N,\nC2,20/01/2025,,\n", encoding="utf-8")
    result = run("trend", path, "--as-of", "2025-03-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["closed_without_outcome_date"] == 1
    assert "1 requests closed without a plan have no outcome date" in result.stderr


def test_a_plan_register_has_no_trend(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plans.csv"
    path.write_text("Case Ref,Date Plan Issued\nC1,15/01/2025\n", encoding="utf-8")
    result = run("trend", path, "--as-of", "2025-03-31")
    assert result.exit_code == 2
    assert "no request received dates" in result.stderr


def test_a_forecast_on_short_history_says_so_in_every_output(run: Run) -> None:
    """The sample's requests start in July 2022: as of 2024-06-30 it holds 23 months of them,
    short of the 24 the forecast reads; a month later, 24 (worked example E75's rule)."""
    for as_of, months in (("2024-06-30", 23), ("2024-07-31", 24)):
        args = (SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of", as_of)
        terminal = run("summary", *args)
        summary = json.loads(run("summary", *args, "--format", "json").stdout)["year_end"]
        trend = json.loads(run("trend", *args, "--format", "json").stdout)["year_end"]
        assert trend == summary
        assert (summary["history_months"], summary["short_history"]) == (months, months < 24)
        said = " ".join(terminal.stdout.split())
        assert ("resting on short history, so less reliable" in said) is (months < 24)


def test_the_board_and_its_workbook_say_a_forecast_rests_on_short_history(
        run: Run, tmp_path: Path) -> None:
    args = (SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of", "2024-06-30")
    words = ("resting on short history, so less reliable: the export holds only 23 months of "
             "requests before the as-of date, fewer than the 24 the forecast reads")
    for name in ("board.html", "board.xlsx"):
        result = run("report", *args, "-o", tmp_path / name)
        assert result.exit_code == 0, result.stderr
    assert words in (tmp_path / "board.html").read_text()
    with zipfile.ZipFile(tmp_path / "board.xlsx") as book:
        assert words in book.read("xl/sharedStrings.xml").decode()
