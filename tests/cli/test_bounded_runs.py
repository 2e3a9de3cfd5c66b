"""Every input is bounded: columns ([input] max_columns), --by groups ([output] max_groups),
records (16 MB, a quoted cell of many lines included); each refused before the analysis runs,
with a message naming the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.config import InputConfig, OutputConfig
from ehcp_timeliness.io.input_bounds import bytes_chunks, longest_line_over
from ehcp_timeliness.io.readers import read_table

from conftest import AS_OF, HEADER, ROWS, SAMPLE

Run = Callable[..., Result]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_defaults_are_safe() -> None:
    assert 1000 <= InputConfig().max_columns <= 16_384
    assert 100 <= OutputConfig().max_groups <= 1000


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_an_export_wider_than_max_columns_is_refused_from_its_header(
        run: Run, tmp_path: Path, suffix: str) -> None:
    wide = tmp_path / "wide.csv"
    extra = ",".join(f"c{i}" for i in range(6000))
    wide.write_text(f"{HEADER},{extra}\n" + "\n".join(f"{r}," + "," * 5999 for r in ROWS)
                    + "\n", encoding="utf-8")
    if suffix == "parquet":
        import polars as pl

        parquet = tmp_path / "wide.parquet"
        pl.read_csv(wide, infer_schema=False).write_parquet(parquet)
        wide = parquet
    result = run("summary", wide, "--as-of", AS_OF)
    assert result.exit_code == 1, result.stderr
    says = _flat(result.stderr)
    assert "has 6,006 columns, over the limit of 5,000" in says
    assert "[input] max_columns" in says
    config = tmp_path / "wide.toml"
    config.write_text("[input]\nmax_columns = 16384\n", encoding="utf-8")  # Excel's widest
    assert run("summary", wide, "--as-of", AS_OF, "-c", config).exit_code == 0
    # Counted from the header line, quoted names with commas in them kept whole.
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('"a,b","c,d",Case Ref\n1,2,3\n', encoding="utf-8")
    assert len(read_table(quoted, limits=InputConfig(max_file_mb=1, max_columns=3)).headers) == 3


@pytest.fixture(scope="module")
def over_500_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's first 700 cases: more case ids than the default max_groups (500), and a
    third of the sample's work for the runs that raise the limit and show every group."""
    path = tmp_path_factory.mktemp("export") / "cases.csv"
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:701]), encoding="utf-8")
    return path


# An as-of date before every request of the sample: an analysis at it sets every row aside and
# says so ("No case could be analysed"), which a refusal before the analysis never says.
BEFORE_EVERY_REQUEST = "2015-01-01"


@pytest.mark.parametrize(("command", "by"), [
    ("summary", ["case_id"]), ("trend", ["case_id"]), ("report", ["person_id"]),
    ("worklist", ["Allocated Caseworker", "received_date"]), ("summary", ["date_of_birth"]),
])
def test_by_with_more_groups_than_max_groups_is_refused_before_the_analysis(
        run: Run, tmp_path: Path, command: str, by: list[str], over_500_cases: Path) -> None:
    args = [command, over_500_cases, "--as-of", BEFORE_EVERY_REQUEST,
            "-c", SAMPLE / "mapping.toml"]
    output = ["-o", tmp_path / "board.html"] if command == "report" else []
    result = run(*args, *output, *(a for b in by for a in ("--by", b)))
    assert result.exit_code == 2, result.stderr
    says = _flat(result.stderr)
    assert "groups, over the limit of 500 ([output] max_groups)" in says
    assert "No case could be analysed" not in says and not (tmp_path / "board.html").exists()
    # A column of few values is not refused, and its run is analysed (and says so).
    analysed = run(*args, *output, "--by", "Team")
    assert analysed.exit_code == 0, analysed.stderr
    assert "No case could be analysed" in _flat(analysed.stderr)
    config = tmp_path / "many.toml"
    config.write_text((SAMPLE / "mapping.toml").read_text(encoding="utf-8")
                      + "\n[output]\nmax_groups = 100000\n", encoding="utf-8")
    if command != "trend":  # a trend per case is the slow case this bound is for
        raised = run(command, over_500_cases, "--as-of", AS_OF, "-c", config, *output,
                     *(a for b in by for a in ("--by", b)))
        assert raised.exit_code == 0, raised.stderr


def test_a_record_over_16_mb_of_short_lines_in_a_quoted_cell_is_refused(
        run: Run, tmp_path: Path) -> None:
    note = b"x" * 1023 + b"\n"
    export = tmp_path / "notes.csv"
    with export.open("wb") as handle:
        handle.write(b"Case Ref,Notes,Date Request Received\nC1,\"")
        for _ in range(17 * 1024):  # 17 MB of 1 KB lines, one quoted value
            handle.write(note)
        handle.write(b"\",01/01/2024\n")
    result = run("summary", export, "--as-of", AS_OF)
    assert result.exit_code == 1, result.stderr
    assert "record longer than 16 MB" in _flat(result.stderr)
    # The scan agrees with the records: quoted line breaks (CR, LF, doubled quotes) inside.
    data = b'a,"x\r\ny""z"\r\n' * 10  # records of 11 bytes before their line break
    assert not longest_line_over(bytes_chunks(data, 5), 11)
    assert longest_line_over(bytes_chunks(data, 5), 10)
    assert not longest_line_over(bytes_chunks(b'"a"\n' * 100, 3), 3)
