"""Fuzzing the commands as users run them (Typer's runner, in process).

Properties: no traceback and only documented exit codes, whatever the file and command, and
whatever the options (dates, numbers, paths, config values); every row in is analysed or set
aside with a reason (summary JSON and issue export agree); `cases` output fed back in gives the
same table (round trip); shuffling the rows changes no figure.
"""

from __future__ import annotations

import csv
import io
import json
import random
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ehcp_timeliness.cli.app import app
from fuzz.generators import (
    AS_OF,
    DOCUMENTED_EXIT_CODES,
    KNOWN_HEADERS,
    ODD_HEADERS,
    Table,
    config_files,
    csv_files,
    fuzz,
    option_values,
    random_files,
    tables,
)

from conftest import SAMPLE, app_commands

COMMANDS = (
    ["summary"], ["summary", "--format", "json"], ["summary", "--format", "csv", "--period",
                                                    "month"],
    ["cases"], ["cases", "--format", "json"], ["cases", "--format", "parquet", "-o", "{out}"],
    ["validate", "--issues-out", "{issues}"],
    ["check", "--max-error-rows", "0", "--min-pct-within-20-weeks", "50", "--max-overdue", "3",
     "--max-reviews-overdue-pct", "5", "--format", "json"],
    ["check", "--max-overdue", "0"],
    ["trend", "--format", "json"],
)


def invoke(path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, [args[0], str(path), "--as-of", AS_OF.isoformat(),
                                    *args[1:]])


def assert_no_traceback(result: Result) -> None:
    assert result.exit_code in DOCUMENTED_EXIT_CODES, (result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code:
        assert result.stderr.strip(), "a non-zero exit with no message"


@fuzz(100)
@given(st.one_of(csv_files(), csv_files(hostile=False), random_files),
       st.sampled_from(COMMANDS), st.sampled_from((None, *ODD_HEADERS, *KNOWN_HEADERS)))
def test_no_command_shows_a_traceback(data: bytes, command: list[str], by: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(data)
        args = [a.format(out=Path(folder) / "o.parquet", issues=Path(folder) / "i.csv")
                for a in command]
        if by is not None and command[0] == "summary":
            args += ["--by", by]
        assert_no_traceback(invoke(path, *args))


@fuzz(40)
@given(st.one_of(csv_files(), csv_files(hostile=False), random_files),
       st.one_of(csv_files(), csv_files(hostile=False)),
       st.sampled_from([[], ["--format", "json"], ["--format", "csv"]]))
def test_compare_shows_no_traceback_whatever_the_two_files(
        previous: bytes, current: bytes, options: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "previous.csv", Path(folder) / "current.csv"]
        for path, data in zip(paths, (previous, current), strict=True):
            path.write_bytes(data)
        result = CliRunner().invoke(app, ["compare", *map(str, paths), "--as-of",
                                          AS_OF.isoformat(), *options])
        assert_no_traceback(result)


def command_options() -> dict[str, list[tuple[str, bool]]]:
    """Every command's options: (name, is a flag), read from the app so a new option is
    fuzzed too (or fails the test below until generators.OPTION_VALUES knows it)."""
    return {name: [(p.opts[0], bool(getattr(p, "is_flag", False))) for p in command.params
                   if p.param_type_name == "option" and p.opts[0] != "--help"]
            for name, command in app_commands().items()}


COMMAND_OPTIONS = command_options()


def test_every_option_has_values_to_fuzz() -> None:
    from fuzz.generators import OPTION_VALUES

    options = {name for opts in COMMAND_OPTIONS.values() for name, flag in opts if not flag}
    assert options <= set(OPTION_VALUES), sorted(options - set(OPTION_VALUES))


@st.composite
def invocations(draw: st.DrawFn, folder: Path) -> list[str]:
    """A command with any of its options, each given a value a user (or a script with a bug)
    might pass: dates from year 1 to 9999, numbers negative, huge, nan or junk, paths to
    files that are missing, empty, random bytes or a config of extreme values."""
    command = draw(st.sampled_from(sorted(COMMAND_OPTIONS)))
    chosen = draw(st.lists(st.sampled_from(COMMAND_OPTIONS[command]), unique=True, max_size=5)
                  if COMMAND_OPTIONS[command] else st.just([]))
    args = command.split()
    if command not in ("sample", "config init"):
        args.append(str(folder / "export.csv"))
    if command == "compare":  # last month's export, then this month's
        args.append(str(folder / "export.csv"))
    for name, flag in chosen:
        args += [name] if flag else [name, draw(option_values(name, folder))]
    if command == "sample" and "--output" not in args:
        args += ["--output", str(folder / "sample.csv")]
    return args


def sample_rows() -> bytes:
    """The shipped sample's first 300 rows: every kind of issue, so options that act on
    issues, overdue work or reviews (--limit, --within, thresholds) have something to do."""
    lines = (SAMPLE / "cases.csv").read_bytes().splitlines(keepends=True)
    return b"".join(lines[:301])


@fuzz(60)
@given(st.data())
def test_no_option_value_shows_a_traceback(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        export = data.draw(st.one_of(csv_files(hostile=False), st.just(b"")))
        (folder / "export.csv").write_bytes(export or sample_rows())
        (folder / "config.toml").write_text(data.draw(config_files()), encoding="utf-8")
        args = data.draw(invocations(folder))
        assert_no_traceback(CliRunner().invoke(app, args))


@fuzz(60)
@given(st.one_of(csv_files(), csv_files(hostile=False)))
def test_every_row_is_analysed_or_set_aside_with_a_reason(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path, issues_path = Path(folder) / "export.csv", Path(folder) / "issues.csv"
        path.write_bytes(data)
        result = invoke(path, "summary", "--format", "json", "--issues-out", str(issues_path))
        assert_no_traceback(result)
        if result.exit_code:
            return
        rows = json.loads(result.stdout)["rows"]
        issues = pl.read_csv(issues_path, infer_schema=False)
    assert rows["rows_in"] == rows["rows_analysed"] + rows["rows_set_aside"]
    aside = issues.filter(pl.col("severity").is_in(["error", "ignored"]))["row"].unique()
    assert aside.len() == rows["rows_set_aside"], "set-aside rows and their reasons disagree"
    assert sum(rows["set_aside_reasons"].values()) >= rows["rows_set_aside"]
    assert f"{rows['rows_in']:,} rows in" in result.stderr


def write_table(path: Path, table: Table) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def cases_table(path: Path, out: Path, output_format: str) -> pl.DataFrame | None:
    result = invoke(path, "cases", "--format", output_format, "-o", str(out))
    assert_no_traceback(result)
    if result.exit_code:
        return None
    if output_format == "parquet":
        return pl.read_parquet(out)
    return pl.read_csv(out, infer_schema=False)


@fuzz(35)
@given(tables(hostile=False), st.sampled_from(["csv", "parquet"]))
def test_cases_output_fed_back_in_gives_the_same_table(table: Table, output_format: str) -> None:
    """A previous `cases` output is a valid export: read again, every row is analysed and
    every column (statuses, deadlines, the input columns) comes out the same."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "export.csv"
        write_table(source, table)
        first_out = Path(folder) / f"first.{output_format}"
        first = cases_table(source, first_out, output_format)
        if first is None or first.height == 0:
            return  # nothing analysed, so nothing to feed back
        second = cases_table(first_out, Path(folder) / f"second.{output_format}", output_format)
    assert second is not None, "the cases output could not be read back"
    assert second.columns == first.columns
    assert second.to_dicts() == first.to_dicts()


@st.composite
def unique_id_tables(draw: st.DrawFn) -> Table:
    """Tables whose case ids are unique: with duplicates, which row comes first decides which
    one is analysed, so only then may order matter."""
    table = draw(tables(hostile=False, max_rows=30))
    rows = [[f"C{i}", *row[1:]] for i, row in enumerate(table.rows)]  # Case Ref comes first
    return Table(table.headers, rows)


@fuzz(20)
@given(unique_id_tables(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_figure(table: Table, rng: random.Random) -> None:
    shuffled = Table(table.headers, rng.sample(table.rows, len(table.rows)))
    outputs = []
    with tempfile.TemporaryDirectory() as folder:
        for name, version in (("a", table), ("b", shuffled)):
            path = Path(folder) / name / "export.csv"
            path.parent.mkdir()
            write_table(path, version)
            runs = [invoke(path, "summary", "--format", "json", "--period", "quarter"),
                    invoke(path, "check", "--format", "json", "--max-overdue", "0",
                           "--min-pct-within-20-weeks", "50", "--max-error-rows", "0",
                           "--max-reviews-overdue-pct", "10")]
            if "Team" in table.headers:
                runs.append(invoke(path, "summary", "--format", "csv", "--by", "Team"))
            for result in runs:
                assert_no_traceback(result)
            outputs.append([(r.exit_code, r.stdout) for r in runs])
    assert outputs[0] == outputs[1]
