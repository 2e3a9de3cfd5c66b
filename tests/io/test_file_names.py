"""A file name is a file name: no reader expands `[`, `]`, `*`, `?` or `{` as a pattern, so a
name holding them reads that file and only that file, never another one it happens to match.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.io.readers import read_table

from conftest import AS_OF, HEADER, ROWS

Run = Callable[..., Result]
PATTERN_NAMES = ["May [final].csv", "ex[p]ort.csv", "exp*.csv", "ex?ort.csv", "{a,b}.csv",
                 "[!x]port.csv", "]odd[.csv"]


def _rows_in(run: Run, path: Path) -> str:
    result = run("summary", str(path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split(" rows in")[0].rsplit(" ", 1)[-1]


@pytest.mark.parametrize("name", PATTERN_NAMES)
def test_a_name_with_pattern_characters_reads_that_file_alone(run: Run, tmp_path: Path,
                                                              name: str) -> None:
    # Decoys a pattern would match: each has one row more than the named file.
    for decoy in ("export.csv", "expo.csv", "a.csv", "b.csv", "aport.csv", "exp1.csv"):
        (tmp_path / decoy).write_text("\n".join([HEADER, *ROWS, ROWS[0].replace("C1", "C9")])
                                      + "\n", encoding="utf-8")
    named = tmp_path / name
    named.write_text("\n".join([HEADER, *ROWS[:2]]) + "\n", encoding="utf-8")
    assert _rows_in(run, named) == "2"
    assert read_table(named).frame.collect().height == 2


@pytest.mark.parametrize("name", ["ex[p]ort.csv", "exp*.csv"])
def test_a_pattern_that_names_no_file_is_not_found_and_no_match_is_read(
        run: Run, tmp_path: Path, name: str) -> None:
    (tmp_path / "export.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = run("cases", str(tmp_path / name), "--as-of", AS_OF, "-o", tmp_path / "export.csv")
    assert result.exit_code == 2 and "Input file not found" in result.stderr
    assert (tmp_path / "export.csv").read_text(encoding="utf-8").startswith(HEADER)


def test_a_parquet_name_with_pattern_characters_reads_that_file_alone(
        run: Run, tmp_path: Path, small_csv: Path) -> None:
    whole = tmp_path / "whole.parquet"
    assert run("cases", small_csv, "--as-of", AS_OF, "-o", whole).exit_code == 0
    shutil.copy(whole, tmp_path / "cases2.parquet")  # what `cases[2].parquet` would match
    half = tmp_path / "half.csv"
    half.write_text("\n".join([HEADER, *ROWS[:2]]) + "\n", encoding="utf-8")
    named = tmp_path / "cases[2].parquet"
    assert run("cases", half, "--as-of", AS_OF, "-o", named).exit_code == 0
    assert read_table(named).frame.collect().height == 2
    assert _rows_in(run, named) == "2"
