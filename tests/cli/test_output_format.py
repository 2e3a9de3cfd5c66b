"""--format and --output agree: the file's name chooses the format when --format is not given,
and a name that contradicts --format, or a terminal table sent to a file, is refused before any
work is done (cli/common.chosen_format).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import Result

AS_OF = ("--as-of", "2025-06-30")


@pytest.mark.parametrize(("command", "name", "check"), [
    ("summary", "s.json", lambda p: p.read_text().lstrip().startswith("{")),
    ("summary", "s.csv", lambda p: p.read_text().startswith("period,")),
    ("cases", "c.parquet", lambda p: pl.read_parquet(p)["case_id"].to_list()[:2] == ["C1", "C2"]),
    ("cases", "c.json", lambda p: p.read_text().lstrip().startswith("[")),
    ("worklist", "w.xlsx", lambda p: p.read_bytes()[:2] == b"PK"),
    ("dfe", "d.csv", lambda p: p.read_text().startswith("time_period,")),
    ("report", "b.xlsx", lambda p: p.read_bytes()[:2] == b"PK"),
    ("trend", "t.csv", lambda p: p.read_text().startswith("month,requests_received,")),
    ("trend", "t.json", lambda p: p.read_text().lstrip().startswith("{")),
])
def test_the_output_name_chooses_the_format(
        run: Callable[..., Result], small_csv: Path, tmp_path: Path, command: str, name: str,
        check: Callable[[Path], bool]) -> None:
    target = tmp_path / name
    result = run(command, small_csv, *AS_OF, "--output", target)
    assert result.exit_code == 0, result.stderr
    assert check(target)


def test_a_parquet_file_holds_the_statuses_and_codes_as_text(
        run: Callable[..., Result], small_csv: Path, tmp_path: Path) -> None:
    """The tool holds each status and outcome code as an Enum of its values
    (columns.status_type, OUTCOME_CODE_TYPE); the file holds text, as the data contract has
    it."""
    target = tmp_path / "c.parquet"
    result = run("cases", small_csv, *AS_OF, "--output", target)
    assert result.exit_code == 0, result.stderr
    schema = pl.read_parquet_schema(target)
    assert [schema[c] for c in ("plan_status", "review_status", "request_outcome")] == [
        pl.String] * 3
    cases = pl.read_parquet(target)
    assert cases["plan_status"].to_list()[:2] == ["issued_on_time", "issued_late"]
    assert cases["request_outcome"].to_list()[:3] == ["Y", "Y", "A"]


@pytest.mark.parametrize(("args", "message"), [
    (("summary", "--output", "{tmp}/s.txt"), "a table is for the terminal"),
    (("summary", "--format", "table", "--output", "{tmp}/s.csv"), "named for csv"),
    (("cases", "--format", "csv", "--output", "{tmp}/c.parquet"), "named for parquet"),
    (("worklist", "--format", "json", "--output", "{tmp}/w.xlsx"), "named for xlsx"),
    (("trend", "--output", "{tmp}/s.txt"), "a table is for the terminal"),
    (("trend", "--format", "json", "--output", "{tmp}/s.csv"), "named for csv"),
    # Issues are CSV or JSON: a CSV under an .xlsx name is a file Excel refuses to open.
    (("validate", "--issues-out", "{tmp}/i.xlsx"), "--issues-out {tmp}/i.xlsx is named for xlsx"),
    (("cases", "-o", "{tmp}/c.csv", "--issues-out", "{tmp}/i.parquet"), "named for parquet"),
])
def test_a_contradiction_is_refused_before_the_analysis(
        run: Callable[..., Result], tmp_path: Path, args: tuple[str, ...],
        message: str) -> None:
    # An export the analysis would refuse (exit 1, no header row): the usage error, exit 2,
    # shows the options were checked first.
    unreadable = tmp_path / "cases.csv"
    unreadable.write_text("", encoding="utf-8")
    command, *rest = args
    result = run(command, unreadable, *AS_OF, *(a.format(tmp=tmp_path) for a in rest))
    assert result.exit_code == 2, result.stderr
    assert message.format(tmp=tmp_path) in result.stderr
    assert not any(p.name.startswith(("s.", "c.", "w.", "i.")) for p in tmp_path.iterdir())


def test_sample_writes_sen2_for_an_xml_name(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "return.xml"
    result = run("sample", "--rows", 20, "--output", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"<?xml")
