"""An export's headers never meet the engine's working columns: a header named like one of them
(`__meeting`, `__f0`, `__row`, `__has_received_date`…) passes through untouched, to `cases`, and
the analysis is the one the export gets without it."""

from __future__ import annotations

import ast
import csv
import importlib
from functools import cache
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ehcp_timeliness
from ehcp_timeliness.columns import INPUT_MARK, ROW, WORKING_PREFIX, input_name
from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.pipeline import Analysis, analyse, build_query
from ehcp_timeliness.report.tabular import summary_bytes
from ehcp_timeliness.report.views import build_summary, case_table
from ehcp_timeliness.schema.headers import map_headers

from conftest import SAMPLE
from conftest import SAMPLE_AS_OF as AS_OF

ROWS = 400  # the sample's first rows: every kind of issue the sample has is among them


@cache
def config() -> Config:
    return load_config(SAMPLE / "mapping.toml")


@cache
def sample_rows() -> tuple[list[str], list[list[str]]]:
    with (SAMPLE / "cases.csv").open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows[:ROWS]


@cache
def working_names() -> tuple[str, ...]:
    """Every working column of the analysis query, read from its schema: the row number, the
    parse's raw text and blank marks, the checks' flags, the rules' and the review-process
    stage's intermediate dates."""
    names = build_query(SAMPLE / "cases.csv", config(), AS_OF, review_process=True) \
        .frame.collect_schema().names()
    return tuple(n for n in names if n.startswith(WORKING_PREFIX))


@cache
def passed_through() -> tuple[str, ...]:
    """The working names an export's header would pass through under: not those header
    recognition reads as a canonical column, as it would any spelling of it (`__transfer_kind`
    is `Transfer Kind`, phase_transfer_kind)."""
    header = sample_rows()[0]
    return tuple(n for n in working_names()
                 if n not in map_headers([*header, n], config().column_mapping(), "x")
                 .mapped.values())


def test_the_query_has_working_columns_to_draw_from() -> None:
    names = passed_through()
    assert {"__row", "__blank_row", "__f0", "__meeting", "__has_received_date"} <= set(names)
    assert len(names) > 40


def write(path: Path, extra: list[str], at: list[int]) -> None:
    """The sample's first rows with a column for each EXTRA header, inserted at AT: the cell is
    the row's case reference and the header (blank on a row whose reference is blank, so a
    blank row stays blank)."""
    header, rows = sample_rows()
    header = list(header)
    cells = [list(r) for r in rows]
    for name, position in zip(extra, at, strict=True):
        header.insert(position, name)
        for original, row in zip(rows, cells, strict=True):
            row.insert(position, f"{original[0]}:{name}" if original[0].strip() else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *cells])


def outputs(analysis: Analysis) -> tuple[pl.DataFrame, pl.DataFrame, bytes]:
    summary = build_summary(analysis, "year", [])
    return case_table(analysis), analysis.issues, summary_bytes(summary, "json")


@cache
def plain(tmp: Path) -> tuple[pl.DataFrame, pl.DataFrame, bytes]:
    path = tmp / "plain" / "cases.csv"
    write(path, [], [])
    return outputs(analyse(path, config(), AS_OF))


HEADERS = st.sampled_from(passed_through()).flatmap(
    lambda name: st.sampled_from([name, INPUT_MARK + name]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.lists(HEADERS, min_size=1, max_size=4, unique=True),
       where=st.lists(st.integers(0, 20), min_size=4, max_size=4))
@example(extra=["__meeting", "__f0", "__has_received_date", "__row"], where=[0, 5, 17, 20])
@example(extra=["__blank_row", "input:__raw_case_id"], where=[3, 3, 0, 0])
def test_a_header_named_like_a_working_column_passes_through(
        tmp_path_factory, extra: list[str], where: list[int]) -> None:
    base = tmp_path_factory.getbasetemp()
    cases, issues, summary = plain(base)
    path = base / "odd" / "cases.csv"
    write(path, extra, where[:len(extra)])
    analysis = analyse(path, config(), AS_OF)
    odd_cases, odd_issues, odd_summary = outputs(analysis)

    rows = sample_rows()[1]
    analysed = analysis.cases.sort(ROW)[ROW].to_list()
    for name in extra:  # each value as written, under its header, on its row
        assert odd_cases[name].to_list() == [
            f"{rows[r - 2][0]}:{name}" if rows[r - 2][0].strip() else None for r in analysed]
    assert odd_cases.drop(extra).equals(cases)
    assert odd_issues.equals(issues)
    assert odd_summary == summary


def test_input_names_mark_only_what_could_meet_a_working_column() -> None:
    assert input_name("Team") == "Team"
    assert input_name("__meeting") == "input:__meeting"
    assert input_name("input:x") == "input:input:x"
    assert input_name("_x") == "_x"


def test_summaries_and_reports_import_no_working_column_name() -> None:
    """summaries/, report/ and cli/ count the rules' named expressions
    (rules/status.py::issued_by_as_of, rules/review_process.py::transfer_complete…) and never
    import a working column's name from the engine (rules, schema, pipeline)."""
    package = Path(ehcp_timeliness.__file__).parent
    imported = []
    for folder in ("summaries", "report", "cli"):
        for path in sorted((package / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                        ("ehcp_timeliness.rules", "ehcp_timeliness.schema",
                         "ehcp_timeliness.pipeline")):
                    module = importlib.import_module(node.module)
                    imported += [(path.name, alias.name) for alias in node.names
                                 if str(getattr(module, alias.name, "")).startswith(
                                     WORKING_PREFIX)]
    assert imported == []


def test_a_header_that_looks_internal_groups_by_its_own_name(tmp_path: Path) -> None:
    """`--by __meeting` names the export's column as the export spells it, in every command
    that groups; the tables title it so, never by the name the tool keeps it under."""
    from typer.testing import CliRunner

    from ehcp_timeliness.cli.app import app

    export = tmp_path / "internal.csv"
    export.write_text("Case Ref,Date Request Received,__meeting\n"
                      "C1,01/02/2024,A\nC2,03/02/2024,B\n", encoding="utf-8")
    runner = CliRunner()
    for command in (["summary"], ["trend"], ["worklist"],
                    ["report", "-o", str(tmp_path / "board.html")]):
        result = runner.invoke(app, [*command, str(export), "--as-of", "2025-06-30",
                                     "--by", "__meeting"])
        assert result.exit_code == 0, (command, result.stderr)
        assert INPUT_MARK not in result.stdout, command
    page = (tmp_path / "board.html").read_text(encoding="utf-8")
    assert "by __meeting" in page and INPUT_MARK not in page
    result = runner.invoke(app, ["summary", str(export), "--as-of", "2025-06-30",
                                 "--by", "nope"])
    assert result.exit_code == 2 and "__meeting" in result.stderr
    assert INPUT_MARK not in result.stderr
