"""`sample`: deterministic synthetic exports that the tool itself can read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
from typer.testing import Result

Run = Callable[..., Result]


def test_same_seed_same_bytes_and_readable_with_its_mapping(run: Run, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        assert run("sample", "--rows", 300, "--seed", 5, "-o", path).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert run("sample", "--rows", 300, "--seed", 6, "-o", second).exit_code == 0
    assert first.read_bytes() != second.read_bytes()
    mapping = tmp_path / "a.csv.mapping.toml"
    result = run("summary", first, "--config", mapping, "--as-of", "2025-06-30",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert (rows["rows_in"], rows["rows_set_aside"]) == (300, 0)


def test_bad_rows_are_set_aside_with_reasons(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    assert run("sample", "--rows", 200, "--bad-rows", "-o", path).exit_code == 0
    result = run("validate", path, "--config", f"{path}.mapping.toml", "--as-of", "2025-06-30")
    assert result.exit_code == 1
    assert "duplicate-case-id" in result.stdout


def test_clean_parquet_and_sen2(run: Run, tmp_path: Path) -> None:
    parquet = tmp_path / "c.parquet"
    assert run("sample", "--rows", 100, "--clean", "--format", "parquet", "-o",
               parquet).exit_code == 0
    assert pl.read_parquet(parquet).schema["received_date"] == pl.Date
    xml = tmp_path / "r.xml"
    assert run("sample", "--rows", 100, "--format", "sen2", "-o", xml).exit_code == 0
    result = run("cases", xml, "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.stderr
    assert "100 rows in: 100 analysed" in result.stderr


def test_bad_rows_in_too_small_an_export_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    """Found by `make fuzz` (test_no_option_value_shows_a_traceback): `sample --rows 7
    --bad-rows` was an internal error (exit 70)."""
    path = tmp_path / "sample.csv"
    result = run("sample", "--rows", 7, "--bad-rows", "--as-of", "2025-06-30", "-o", path)
    assert result.exit_code == 2, result.stderr
    assert "too few to copy every kind of bad row" in result.stderr
    assert not path.exists()


def test_options_that_do_not_go_together_are_refused_before_any_case_is_made(
        run: Run, tmp_path: Path) -> None:
    """Refused as usage errors, and at the largest size at once: the checks come before the
    (up to a minute of) case generation, and nothing is written."""
    for options, message in [
            (["--format", "sen2", "--clean"], "--clean and --bad-rows apply to csv and parquet"),
            (["--format", "sen2", "--bad-rows"], "--clean and --bad-rows apply to csv and"),
            (["--clean", "--bad-rows"], "--bad-rows needs the messy export")]:
        path = tmp_path / "sample.out"
        result = run("sample", "--rows", 10_000_000, *options, "-o", path)
        assert result.exit_code == 2, result.stderr
        assert message in " ".join(result.stderr.split())
        assert not path.exists() and not list(tmp_path.iterdir())
