"""Options and config values at the extremes get a usage error naming the problem (exit 2),
never an internal error (exit 70); config errors never show a secret."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import AS_OF, SAMPLE

Run = Callable[..., Result]
SECRET = "k3y-Zebedee-93817"


@pytest.mark.parametrize(("args", "message"), [
    (["summary", "{csv}", "--as-of", "0001-01-01"],
     "--as-of 0001-01-01: outside the years the tool works with (1950 to 2100)"),
    (["summary", "{csv}", "--as-of", "9999-12-31"], "--as-of 9999-12-31: outside the years"),
    (["worklist", "{csv}", "--as-of", "1949-12-31"], "--as-of 1949-12-31: outside the years"),
    (["sample", "--as-of", "0001-01-01", "-o", "{out}/s.csv"], "--as-of 0001-01-01: outside"),
    (["sample", "--seed", "-1", "-o", "{out}/s.csv"], "--seed"),
])
def test_extreme_option_values_are_usage_errors(run: Run, small_csv: Path, tmp_path: Path,
                                                args: list[str], message: str) -> None:
    result = run(*(a.replace("{csv}", str(small_csv)).replace("{out}", str(tmp_path))
                   for a in args))
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("as_of", ["1950-01-01", "2100-12-31"])
def test_the_first_and_last_days_of_the_range_work(run: Run, small_csv: Path,
                                                   as_of: str) -> None:
    for command in ("summary", "worklist", "dfe", "audit-exceptions"):
        result = run(command, small_csv, "--as-of", as_of)
        assert result.exit_code == 0, (command, result.stderr)


@pytest.mark.parametrize(("toml", "message"), [
    ("[check]\nmin_pct_within_20_weeks = nan\n",
     "check.min_pct_within_20_weeks: Input should be a finite number"),
    ("[check]\nmax_reviews_overdue_pct = inf\n", "check.max_reviews_overdue_pct: Input should be"),
    ("[targets.reviews_overdue]\ntarget = 1e309\n",
     "targets.reviews_overdue.target: Input should be a finite number"),
    ("[targets.reviews_overdue]\ntarget = 5\nmilestones = [{ date = 2025-01-01, value = nan }]\n",
     "targets.reviews_overdue.milestones.0.value: Input should be a finite number"),
    ("[term_dates]\nclosures = [{ closes = 0001-01-01, reopens = 9999-12-31 }]\n",
     "term_dates.closures.0.closes: Value error, the date must be in the years 1950 to 2100"),
    ("[targets.reviews_overdue]\ntarget = 5\ntarget_date = 9999-12-31\n",
     "targets.reviews_overdue.target_date: Value error, the date must be in the years"),
    ('[columns]\nreceived_date = "Date Request Received"\n'
     'plan_issued_date = "Date Request Received"\n',
     '[columns] received_date and plan_issued_date both name the header "Date Request '
     'Received"'),
])
def test_config_values_out_of_range_are_refused(run: Run, tmp_path: Path, toml: str,
                                                message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    for command in (["summary"], ["audit-exceptions"], ["check", "--max-overdue", "0"]):
        result = run(*command, SAMPLE / "cases.csv", "--as-of", AS_OF, "--config", path)
        assert result.exit_code == 2, (command, result.stderr)
        assert message in result.stderr, (command, result.stderr)


@pytest.mark.parametrize("value", [
    "1234567890", "true", "nan", "[\"" + SECRET + "\"]", "{ key = \"" + SECRET + "\" }",
    "2025-01-01"])
def test_config_errors_never_show_the_pseudonymisation_key(run: Run, small_csv: Path,
                                                          tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"[privacy]\npseudonymise_key = {value}\n", encoding="utf-8")
    result = run("report", small_csv, "--as-of", AS_OF, "--config", path, "--pseudonymise",
                 "-o", tmp_path / "r.html")
    assert result.exit_code == 2
    assert "privacy.pseudonymise_key" in result.stderr
    assert "the value is not shown: it is a secret" in result.stderr
    shown = value.strip('"[]{} ').removeprefix('key = "')
    assert shown not in result.stderr and SECRET not in result.stderr


def test_a_valid_key_next_to_another_error_is_not_shown(run: Run, small_csv: Path,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[privacy]\npseudonymise_key = "{SECRET}"\nkey = "{SECRET}"\n'
                    "[rules]\ndue_soon_days = -1\n", encoding="utf-8")
    result = run("summary", small_csv, "--as-of", AS_OF, "--config", path)
    assert result.exit_code == 2
    assert "privacy.key: unknown key" in result.stderr
    assert SECRET not in result.stderr


@pytest.mark.parametrize(("args", "code"), [
    (["validate", "{sample}", "--limit", "99999999999999999999"], 1),  # lists every issue
    (["sample", "--rows", "99999999999999999999", "-o", "{out}/s.csv"], 2),
    (["sample", "--rows", "10000001", "-o", "{out}/s.csv"], 2),
])
def test_huge_numbers_are_taken_or_refused_never_an_internal_error(
        run: Run, tmp_path: Path, args: list[str], code: int) -> None:
    result = run(*(a.replace("{sample}", str(SAMPLE / "cases.csv")).replace("{out}", str(tmp_path))
                   for a in args), *(["--as-of", AS_OF] if args[0] == "validate" else []))
    assert result.exit_code == code, result.stderr
    assert result.stderr.strip()
