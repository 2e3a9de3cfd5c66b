"""compare sees what a data manager must: a case id now about another child (its person id or
date of birth changed) is a finding needing attention, and case ids that differ only in Unicode
normalisation, letter case or surrounding spaces are one case.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import polars as pl
from typer.testing import Result

from ehcp_timeliness.summaries.compare import case_key

from conftest import AS_OF, SAMPLE

Run = Callable[..., Result]


def _rows() -> list[list[str]]:
    with (SAMPLE / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def _findings(run: Run, previous: Path, current: Path) -> tuple[int, dict[str, object]]:
    result = run("compare", previous, current, "--as-of", AS_OF, "--previous-as-of", AS_OF,
                 "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_a_case_whose_person_id_or_date_of_birth_changed_is_a_finding(
        run: Run, tmp_path: Path) -> None:
    rows = _rows()
    header = rows[0]
    person, born = header.index("Child ID"), header.index("DOB")
    current = [list(r) for r in rows]
    current[1][person] = "P0000001"         # another child under REQ-000001
    current[2][born] = "01/01/2001"         # another date of birth under REQ-000002
    current[3][person] = current[3][person].lower() + "  "  # the same id, spelt otherwise
    code, data = _findings(run, _write(tmp_path / "before.csv", rows),
                           _write(tmp_path / "now.csv", current))
    assert code == 1
    changed = [f for f in data["findings"] if f["finding"] == "person_changed"]
    assert [(f["case_id"], f["column"]) for f in changed] == [
        (rows[1][0], "person_id"), (rows[2][0], "date_of_birth")]
    assert all(f["previous_value"] == f["current_value"] == "(not shown: personal data)"
               for f in changed)
    assert any("person_changed" in reason for reason in data["needs_attention"])
    # A date of birth changed is that finding, not also a date edited.
    assert not [f for f in data["findings"] if f["finding"] == "date_edited"]
    # The raw values are never shown, on the terminal either.
    shown = run("compare", tmp_path / "before.csv", tmp_path / "now.csv", "--as-of", AS_OF,
                "--previous-as-of", AS_OF)
    assert "id reused for another child?" in " ".join(shown.stdout.split())
    assert "P0000001" not in shown.stdout + shown.stderr
    assert "2001-01-01" not in shown.stdout + shown.stderr


def test_case_ids_differing_in_normalisation_case_or_spaces_are_one_case(
        run: Run, tmp_path: Path) -> None:
    rows = _rows()
    accented = [list(r) for r in rows]
    accented[1][0] = unicodedata.normalize("NFC", "CAFÉ-1")
    accented[2][0] = "REQ-ÅSA"
    current = [list(r) for r in accented]
    current[1][0] = unicodedata.normalize("NFD", "café-1")  # decomposed, lower case
    current[2][0] = "  req-åsa "
    current[3][0] = current[3][0].lower()
    code, data = _findings(run, _write(tmp_path / "before.csv", accented),
                           _write(tmp_path / "now.csv", current))
    counts = data["counts"]
    assert counts["new"] == counts["disappeared"] == 0, counts
    assert code == 1  # the sample's rows with errors, as in any compare of it
    keys = pl.Series(["CAFÉ-1", unicodedata.normalize("NFD", " café-1 "), "Café-1"])
    assert pl.select(case_key(pl.lit(keys))).to_series().n_unique() == 1
