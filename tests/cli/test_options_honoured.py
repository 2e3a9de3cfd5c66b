"""Options are never silently ignored: --suppress-below in trend applies with or without --by,
and an --output name that promises a format the command does not write is refused, for every
command and every format a name can promise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import SAMPLE, app_commands

Run = Callable[..., Result]
AS_OF = ("--as-of", "2025-06-30")
# The formats a file name promises (cli/common._SUFFIX_FORMATS).
SUFFIXES = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".xlsx": "xlsx",
            ".html": "html", ".xml": "sen2", ".pdf": "pdf", ".xls": "xls"}


def _formats() -> dict[str, set[str]]:
    """command -> the formats its --format offers, for every command with --output."""
    found = {}
    for name, command in app_commands().items():
        params = {p.name: p for p in command.params}
        if "output" in params and "output_format" in params:
            formats = params["output_format"].type_descriptor.annotation  # the StrEnum
            found[name] = {f.value for f in formats} - {"table"}
    return found


def _cases() -> list[tuple[str, str]]:
    return [(command, suffix) for command, offered in sorted(_formats().items())
            for suffix, promised in SUFFIXES.items() if promised not in offered]


def test_every_command_with_an_output_is_covered() -> None:
    assert {"summary", "cases", "trend", "report", "worklist", "dfe", "benchmark", "check",
            "compare", "audit-exceptions", "sample"} <= set(_formats())


@pytest.mark.parametrize(("command", "suffix"), _cases())
def test_an_output_named_for_a_format_the_command_does_not_write_is_refused(
        run: Run, small_csv: Path, tmp_path: Path, command: str, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    inputs = {"sample": [], "compare": [small_csv, small_csv]}.get(command, [small_csv])
    extra = ["--max-overdue", "9"] if command == "check" else []
    for given in ([], ["--format", sorted(_formats()[command])[0]]):
        result = run(command, *inputs, *AS_OF, *extra, *given, "--output", target)
        assert result.exit_code == 2, (command, suffix, given, result.stderr)
        says = " ".join(result.stderr.split())
        assert f"is named for {SUFFIXES[suffix]}, which this command does not write" in says
        assert not target.exists()


def test_a_board_pack_named_pdf_says_how_to_get_one(run: Run, small_csv: Path,
                                                    tmp_path: Path) -> None:
    """No command writes PDF: `report -o board.pdf` once wrote HTML under that name."""
    result = run("report", small_csv, *AS_OF, "--output", tmp_path / "board.pdf")
    says = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "print the HTML board pack from a browser" in says
    result = run("report", small_csv, *AS_OF, "--output", tmp_path / "board.xls")
    assert result.exit_code == 2 and "e.g. board.xlsx" in " ".join(result.stderr.split())


def test_trend_suppresses_small_counts_without_by_too(run: Run) -> None:
    args = ["trend", SAMPLE / "cases.csv", *AS_OF, "-c", SAMPLE / "mapping.toml",
            "--from", "2025-01", "--format", "json"]
    plain = json.loads(run(*args).stdout)
    hidden = json.loads(run(*args, "--suppress-below", "1000").stdout)
    assert hidden["suppress_below"] == 1000
    counts = [v for row in plain["months"] for k, v in row.items()
              if isinstance(v, int) and not isinstance(v, bool) and 1 <= v < 1000
              and k != "month"]
    assert counts, "the sample's months have small counts to hide"
    shown = [v for row in hidden["months"] for k, v in row.items()
             if isinstance(v, int) and not isinstance(v, bool) and 1 <= v < 1000]
    assert not shown
    assert any(v == "c" for row in hidden["months"] for v in row.values())


def test_sample_never_replaces_a_mapping_file_it_did_not_write(run: Run,
                                                               tmp_path: Path) -> None:
    output = tmp_path / "sample.csv"
    mapping = tmp_path / "sample.csv.mapping.toml"
    assert run("sample", "--rows", "20", "-o", output).exit_code == 0
    written = mapping.read_bytes()
    # The same sample again: the same mapping, rewritten as it was.
    assert run("sample", "--rows", "20", "-o", output).exit_code == 0
    assert mapping.read_bytes() == written
    mapping.write_text('[columns]\ncase_id = "My own"\n', encoding="utf-8")
    before = output.read_bytes()
    result = run("sample", "--rows", "30", "-o", output)
    assert result.exit_code == 2
    assert "exists and differs from the mapping" in " ".join(result.stderr.split())
    assert mapping.read_text(encoding="utf-8") == '[columns]\ncase_id = "My own"\n'
    assert output.read_bytes() == before
