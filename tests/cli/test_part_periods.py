"""Part periods (report/periods.py) marked in `summary` and `dfe` tables, in every format: the
export's first partial period and the as-of period when the as-of date is not its last day."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date

import pytest
from typer.testing import Result

from ehcp_timeliness.report.periods import PART_PERIOD_NOTE, PartPeriods

from conftest import SAMPLE, SAMPLE_AS_OF

Run = Callable[..., Result]
CASES = SAMPLE / "cases.csv"


def csv_rows(result: Result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_quarters_and_months_part_at_either_end() -> None:
    periods = PartPeriods(date(2022, 7, 2), date(2025, 6, 15))
    assert periods.note("quarter", "2022-Q3") == "from 2 Jul"
    assert periods.note("quarter", "2025-Q2") == "to 15 Jun"
    assert periods.note("quarter", "2022-Q4") == periods.note("quarter", "2025-Q1") == ""
    assert periods.note("month", "2025-06") == "to 15 Jun"
    assert periods.note("year", "2023") == ""
    whole = PartPeriods(date(2022, 7, 1), date(2025, 6, 30))
    assert whole.note("quarter", "2022-Q3") == whole.note("quarter", "2025-Q2") == ""
    assert whole.note("month", "2022-07") == whole.note("month", "2025-06") == ""
    assert whole.note("year", "2022") == "from 1 Jul"


def test_summary_marks_the_samples_part_years(run: Run) -> None:
    args = ("summary", CASES, "--as-of", SAMPLE_AS_OF.isoformat())
    marked = {r["period"]: r["is_part_period"]
              for r in csv_rows(run(*args, "--format", "csv"))}
    assert marked == {"2022": "true", "2023": "false", "2024": "false", "2025": "true"}
    result = run(*args, "--format", "json")
    data = json.loads(result.stdout)
    assert {r["period"]: r["is_part_period"] for r in data["timeliness"]} == {
        "2022": True, "2023": False, "2024": False, "2025": True}
    text = run(*args).stdout
    assert "2022 (from 2 Jul)" in text and "2025 (to 30 Jun)" in text
    assert "2023 (" not in text
    assert PART_PERIOD_NOTE.split(":")[0] in text


@pytest.mark.parametrize("period", ["month", "quarter"])
def test_summary_mid_month_as_of_marks_its_month_and_quarter(run: Run, period: str) -> None:
    args = ("summary", CASES, "--as-of", "2025-06-15", "--period", period)
    rows = csv_rows(run(*args, "--format", "csv"))
    last = "2025-06" if period == "month" else "2025-Q2"
    assert [r["period"] for r in rows if r["is_part_period"] == "true"] == [last]
    assert f"{last} (to 15 Jun)" in run(*args).stdout


def test_summary_at_a_month_end_leaves_its_month_whole(run: Run) -> None:
    rows = csv_rows(run("summary", CASES, "--as-of", SAMPLE_AS_OF.isoformat(), "--period",
                        "month", "--format", "csv"))
    # The sample's first plan is issued in October 2022, after its part month (July 2022).
    assert not any(r["is_part_period"] == "true" for r in rows)


def test_summary_by_team_marks_every_group_of_a_part_year(run: Run) -> None:
    rows = csv_rows(run("summary", CASES, "--as-of", SAMPLE_AS_OF.isoformat(), "--by", "Team",
                        "--format", "csv"))
    assert {r["is_part_period"] for r in rows if r["period"] in ("2022", "2025")} == {"true"}
    assert {r["is_part_period"] for r in rows if r["period"] in ("2023", "2024")} == {"false"}


def test_without_request_dates_only_the_as_of_year_can_be_part() -> None:
    """A register of plans has no first request date to begin from."""
    periods = PartPeriods(None, date(2025, 6, 30))
    assert periods.note("year", "2022") == ""
    assert periods.note("year", "2025") == "to 30 Jun"


def test_dfe_marks_the_samples_part_years(run: Run) -> None:
    args = ("dfe", CASES, "--as-of", SAMPLE_AS_OF.isoformat())
    marked = {r["time_period"]: r["is_part_period"]
              for r in csv_rows(run(*args, "--format", "csv"))}
    assert marked == {"2022": "true", "2023": "false", "2024": "false", "2025": "true"}
    figures = json.loads(run(*args, "--format", "json").stdout)["figures"]
    assert [f["is_part_period"] for f in figures] == [True, False, False, True]
    text = run(*args).stdout
    assert "(from 2 Jul)" in text and "(to 30 Jun)" in text
    assert PART_PERIOD_NOTE.split(":")[0] in " ".join(text.split())


def test_dfe_at_the_year_end_has_no_part_as_of_year(run: Run) -> None:
    rows = csv_rows(run("dfe", CASES, "--as-of", "2024-12-31", "--format", "csv"))
    assert {r["time_period"]: r["is_part_period"] for r in rows} == {
        "2022": "true", "2023": "false", "2024": "false"}
