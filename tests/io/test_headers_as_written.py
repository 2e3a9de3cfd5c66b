"""Headers read as written: a quoted header with doubled quotes is one quote per pair and
round-trips through `cases`; a header written twice is a `duplicate-header` warning naming both
positions, its later column kept as `<header> (column N)`, and no mapping may name it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.io.readers import read_table

from conftest import AS_OF

Run = Callable[..., Result]


@pytest.mark.parametrize(("written", "read"), [
    ('"Worker ""Name"""', 'Worker "Name"'),
    ('"""Quoted"""', '"Quoted"'),
    ('"a "" b, c"', 'a " b, c'),
])
def test_a_quoted_header_with_doubled_quotes_round_trips(run: Run, tmp_path: Path,
                                                         written: str, read: str) -> None:
    export = tmp_path / "cases.csv"
    export.write_text(f"Case Ref,{written},Date Request Received\n"
                      'C1,"Ann ""A""",01/01/2024\n', encoding="utf-8")
    raw = read_table(export)
    assert raw.headers[1] == read
    assert read in raw.head(5).collect().columns  # the sample reads it so too
    result = run("cases", export, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    header, row = list(csv.reader(io.StringIO(result.stdout)))[:2]
    assert header[1] == read and row[1] == 'Ann "A"'
    assert result.stdout.splitlines()[0].split(",", 1)[1].startswith(written)


def test_a_header_written_twice_is_a_warning_naming_both_positions(run: Run,
                                                                   tmp_path: Path) -> None:
    export = tmp_path / "cases.csv"
    export.write_text("Case Ref,Team,Date Request Received,Team\nC1,North,01/01/2024,South\n",
                      encoding="utf-8")
    raw = read_table(export)
    assert raw.headers == ["Case Ref", "Team", "Date Request Received", "Team (column 4)"]
    assert raw.duplicate_headers == (("Team", 2, 4),)
    issues = tmp_path / "issues.csv"
    result = run("validate", export, "--as-of", AS_OF, "--issues-out", issues)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(issues.read_text(encoding="utf-8"))))
    assert [(r["row"], r["column"], r["value"], r["code"], r["severity"]) for r in rows] == [
        ("1", "Team", "columns 2 and 4", "duplicate-header", "warning")]
    cases = run("cases", export, "--as-of", AS_OF)
    assert cases.stdout.splitlines()[0].startswith("case_id,Team,received_date,Team (column 4)")
    assert cases.stdout.splitlines()[1].startswith("C1,North,2024-01-01,South")
    grouped = run("summary", export, "--as-of", AS_OF, "--by", "Team (column 4)")
    assert grouped.exit_code == 0, grouped.stderr


def test_a_mapping_to_a_header_written_twice_is_refused(run: Run, tmp_path: Path) -> None:
    export = tmp_path / "cases.csv"
    export.write_text("Case Ref,Tribunal,Date Request Received,Tribunal,Case Ref\n"
                      "C1,N,01/01/2024,Y,C1\n", encoding="utf-8")
    config = tmp_path / "map.toml"
    config.write_text('[columns]\ncase_id = "Case Ref (column 5)"\ntribunal = "Tribunal"\n',
                      encoding="utf-8")
    result = run("summary", export, "--as-of", AS_OF, "-c", config)
    assert result.exit_code == 2
    says = " ".join(result.stderr.split())
    assert "two columns headed 'Tribunal' (columns 2 and 4)" in says
    # Recognised rather than mapped: refused too, exit 1 (the export is ambiguous).
    recognised = run("summary", export, "--as-of", AS_OF)
    assert recognised.exit_code == 1
    says = " ".join(recognised.stderr.split())
    assert "two columns headed 'Tribunal' (columns 2 and 4), so which holds it" in says
    # The later column under the reader's name for it may be mapped.
    config.write_text('[columns]\ncase_id = "Case Ref (column 5)"\n'
                      'tribunal = "Tribunal (column 4)"\n', encoding="utf-8")
    assert run("summary", export, "--as-of", AS_OF, "-c", config).exit_code == 0
