"""`check`, the pipeline gate: exit codes, each threshold's exact definition on an export worked
out by hand, flags over config, JSON shape, and the sample CI job in docs."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import AS_OF, ROOT, SAMPLE, app_commands

Run = Callable[..., Result]
ALL = ["--min-pct-within-20-weeks", "60", "--max-overdue", "2", "--max-reviews-overdue-pct",
       "20", "--max-error-rows", "2"]

# As of 2025-06-30 (12-month window from 2024-07-01). Worked out by hand:
#   20-week rate ex exceptions, in window: P2 on time, P3 late, P6 on time -> 2 of 3 = 66.7%
#     (P1 issued before the window; P4 has an exception; P5 had mediation: out of scope;
#      P7 is issued after the as-of date, so not yet issued).
#   Open overdue: O1 (due 2025-05-21) and O2 (due 2025-06-27) -> 2. O3 is due on the as-of date
#     itself (due soon, not overdue); O4 was refused (closed).
#   Reviews: plans P1, P2, P3, P5, P6 need one (P4 ceased); only P1's (due 2025-06-02) is
#     overdue; P2's is due on the as-of date -> 1 of 5 = 20.0%. The last review column is
#     there, blank: no review held (without it P1's review would be not known, E83).
#   Error rows: E1 (unreadable received date), O1 again (duplicate id) -> 2. The blank line
#     is ignored, not an error.
HEADER = ("Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,Week20,Mediation,"
          "Cease Date,Last Review Date\n")
EXPORT = HEADER + """P1,15/01/2024,Y,03/06/2024,,,,
P2,01/03/2024,Y,01/07/2024,,,,
P3,01/06/2024,Y,10/01/2025,,,,
P4,01/06/2024,Y,01/10/2024,Y,,01/01/2025,
P5,01/06/2024,Y,10/10/2024,,Y,,
P6,01/01/2025,Y,01/05/2025,,,,
P7,01/05/2025,Y,15/07/2025,,,,
O1,01/01/2025,Y,,,,,
O2,07/02/2025,Y,,,,,
O3,10/02/2025,Y,,,,,
O4,01/12/2024,N,,,,,

E1,31/02/2025,Y,,,,,
O1,02/01/2025,Y,,,,,
"""


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def gate(result: Result) -> dict[str, dict[str, object]]:
    return {t["name"]: t for t in json.loads(result.stdout)["thresholds"]}


def test_every_threshold_measures_what_the_docs_define(run: Run, export: Path) -> None:
    result = run("check", export, "--as-of", AS_OF, *ALL, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = gate(result)
    measured = {name: (t["measured"], t["numerator"], t["denominator"], t["result"])
                for name, t in found.items()}
    assert measured == {
        "min_pct_within_20_weeks": (66.7, 2, 3, "pass"),
        "max_overdue": (2, 2, None, "pass"),
        "max_reviews_overdue_pct": (20.0, 1, 5, "pass"),
        "max_error_rows": (2, 2, None, "pass"),
    }
    data = json.loads(result.stdout)
    assert data["passed"] is True
    assert data["window"] == {"months": 12, "from": "2024-07-01", "to": AS_OF,
                              "export_begins": None}
    assert data["rows"]["rows_in"] == 14
    assert list(found["max_overdue"]) == ["name", "flag", "comparison", "threshold",
                                          "measured", "numerator", "denominator",
                                          "measured_is_lower_bound", "result", "measures"]
    assert "check passed: all 4 thresholds hold." in result.stderr


@pytest.mark.parametrize(("flag", "limit"), [
    ("--min-pct-within-20-weeks", "66.8"), ("--max-overdue", "1"),
    ("--max-reviews-overdue-pct", "19.9"), ("--max-error-rows", "1"),
])
def test_one_threshold_broken_exits_3_naming_it(run: Run, export: Path, flag: str,
                                                limit: str) -> None:
    result = run("check", export, "--as-of", AS_OF, flag, limit, "--format", "json")
    assert result.exit_code == 3
    name = flag.removeprefix("--").replace("-", "_")
    assert gate(result)[name]["result"] == "fail"
    assert json.loads(result.stdout)["passed"] is False
    assert f"check failed: 1 of 1 thresholds ({name})" in result.stderr


def test_percentages_are_compared_as_shown(run: Run, export: Path) -> None:
    """2 of 3 is shown as 66.7: a minimum of 66.7 holds, 66.71 does not."""
    assert run("check", export, "--as-of", AS_OF, "--min-pct-within-20-weeks", "66.7"
               ).exit_code == 0
    assert run("check", export, "--as-of", AS_OF, "--min-pct-within-20-weeks", "66.71"
               ).exit_code == 3


@pytest.mark.parametrize(("months", "window_from", "measured"), [
    ("3", "2025-04-01", 100.0),   # only P6
    ("1", "2025-06-01", None),    # nothing issued in June 2025: no data
    ("24", "2023-07-01", 75.0),   # P1 too: 3 of 4
])
def test_window_months(run: Run, export: Path, months: str, window_from: str,
                       measured: float | None) -> None:
    result = run("check", export, "--as-of", AS_OF, "--min-pct-within-20-weeks", "99",
                 "--window-months", months, "--format", "json")
    data = json.loads(result.stdout)
    assert data["window"]["from"] == window_from
    assert data["thresholds"][0]["measured"] == measured
    # No data is reported, and fails no threshold; but a gate that measured nothing at all
    # never passes (exit 1).
    assert result.exit_code == (1 if measured is None else 0 if measured >= 99 else 3)
    if measured is None:
        assert data["thresholds"][0]["result"] == "no data"


def test_thresholds_from_config_and_flags_win(run: Run, export: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[check]\nmax_overdue = 1\nmax_error_rows = 5\nwindow_months = 3\n",
                      encoding="utf-8")
    result = run("check", export, "--as-of", AS_OF, "-c", config, "--format", "json")
    assert result.exit_code == 3
    assert {n: t["result"] for n, t in gate(result).items()} == {
        "max_overdue": "fail", "max_error_rows": "pass"}
    result = run("check", export, "--as-of", AS_OF, "-c", config, "--max-overdue", "2",
                 "--min-pct-within-20-weeks", "50", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["window"]["months"] == 3
    assert gate(result)["min_pct_within_20_weeks"]["measured"] == 100.0


def test_unusable_input_exits_1_not_3(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Case Ref,Team\nA,North\n", encoding="utf-8")
    result = run("check", path, "--as-of", AS_OF, "--max-overdue", "0")
    assert result.exit_code == 1
    assert "received_date not found" in result.stderr


@pytest.mark.parametrize("args", [
    [],                                            # no threshold at all
    ["--min-pct-within-20-weeks", "101"],
    ["--max-reviews-overdue-pct", "-1"],
    ["--max-overdue", "-1"],
    ["--max-error-rows", "1.5"],
    ["--max-overdue", "0", "--window-months", "0"],
])
def test_misuse_exits_2(run: Run, export: Path, args: list[str]) -> None:
    result = run("check", export, "--as-of", AS_OF, *args)
    assert result.exit_code == 2, result.stdout


def test_invalid_config_threshold_exits_2(run: Run, export: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[check]\nmin_pct_within_20_weeks = 120\n", encoding="utf-8")
    result = run("check", export, "--as-of", AS_OF, "-c", config)
    assert result.exit_code == 2
    assert "check.min_pct_within_20_weeks" in result.stderr


def test_table_output_shows_each_threshold_and_the_verdict(run: Run, export: Path) -> None:
    result = run("check", export, "--as-of", AS_OF, "--max-overdue", "1",
                 "--min-pct-within-20-weeks", "60")
    assert result.exit_code == 3
    assert "--max-overdue" in result.stdout and "FAIL" in result.stdout
    assert "66.7% (2 of 3)" in result.stdout
    assert "check failed: 1 of 2 thresholds (max_overdue)." in result.stderr
    assert "20-week window: 1 Jul 2024 to 30 Jun 2025" in result.stdout


def test_the_gate_agrees_with_the_summary(run: Run) -> None:
    """The 20-week rate is the summary's 12-month KPI and the counts its as-of snapshot."""
    args = [SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of", AS_OF]
    summary = json.loads(run("summary", *args, "--format", "json").stdout)
    found = gate(run("check", *args, *ALL, "--format", "json"))
    kpi = summary["kpis"]["pct_within_20_weeks_ex_12_months"]
    assert (found["min_pct_within_20_weeks"]["measured"],
            found["min_pct_within_20_weeks"]["denominator"]) == (kpi["value"],
                                                                 kpi["denominator"])
    assert found["max_overdue"]["measured"] == sum(
        r["overdue"] for r in summary["open_requests"])
    reviews = summary["reviews"][0]
    assert (found["max_reviews_overdue_pct"]["numerator"],
            found["max_reviews_overdue_pct"]["denominator"]) == (
        reviews["reviews_overdue"], reviews["plans_to_review"])
    reasons = summary["rows"]["set_aside_reasons"]
    assert found["max_error_rows"]["measured"] == summary["rows"]["rows_set_aside"] - \
        reasons.get("blank-row", 0)


def test_sample_ci_job_passes_on_the_sample_data(run: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The command in docs/ci-example.yml, run as written from the repository root."""
    text = (ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8")
    command = re.search(r"^\s*(ehcp-timeliness check .*?)$(?<!\\)", text.replace("\\\n", " "),
                        re.MULTILINE)
    assert command, "docs/ci-example.yml runs no check"
    args = shlex.split(command.group(1))[1:]
    monkeypatch.chdir(ROOT)
    args = [str(tmp_path / a) if a in ("check.json", "issues.csv") else a for a in args]
    result = run(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))["passed"]
    assert (tmp_path / "issues.csv").exists()


def test_each_threshold_is_defined_once_for_config_flag_and_report() -> None:
    """A key, its flag, its range and its wording come from check_thresholds.THRESHOLDS: the
    config model, the command and the report cannot disagree about a threshold."""
    from ehcp_timeliness.check_thresholds import THRESHOLDS
    from ehcp_timeliness.config import CheckConfig

    names = [t.name for t in THRESHOLDS]
    assert list(CheckConfig.model_fields) == [*names, "window_months"]
    command = app_commands()["check"]
    options = {p.name: p for p in command.params}
    for threshold in THRESHOLDS:
        field, option = CheckConfig.model_fields[threshold.name], options[threshold.name]
        assert option.opts == [threshold.flag]
        assert field.description == option.help == threshold.help
        # The same range: the flag refuses what the config refuses.
        assert (option.min, option.max) == (0, threshold.largest)
        bounds = {type(m).__name__: m for m in field.metadata}
        assert bounds["Ge"].ge == 0
        assert (bounds["Le"].le if "Le" in bounds else None) == threshold.largest


def test_a_window_the_export_begins_inside_says_so(run: Run) -> None:
    """The sample begins 2 Jul 2022: as of 31 March 2023 the 12-month rate covers less."""
    args = ("check", SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of",
            "2023-03-31", "--min-pct-within-20-weeks", "50")
    table = run(*args)
    assert table.exit_code == 0, table.stderr
    assert ("20-week window: 1 Apr 2022 to 31 Mar 2023 (12 calendar months; the export begins "
            "2 Jul 2022, so the rate covers less).") in " ".join(table.stdout.split())
    window = json.loads(run(*args, "--format", "json").stdout)["window"]
    assert window == {"months": 12, "from": "2022-04-01", "to": "2023-03-31",
                      "export_begins": "2022-07-02"}
    whole = json.loads(run(*args[:5], "2025-06-30", *args[6:], "--format", "json").stdout)
    assert whole["window"]["export_begins"] is None


def test_a_one_month_window_is_one_calendar_month(run: Run) -> None:
    result = run("check", SAMPLE / "cases.csv", "-c", SAMPLE / "mapping.toml", "--as-of",
                 "2024-02-29", "--min-pct-within-20-weeks", "1", "--window-months", "1")
    assert result.exit_code == 0, result.stderr
    assert ("20-week window: 1 Feb 2024 to 29 Feb 2024 (1 calendar month)."
            in " ".join(result.stdout.split()))
