"""The commands as a user meets them: exit codes, data on stdout, messages on stderr."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner, Result

from ehcp_timeliness.cli.common import handle_errors, progress
from ehcp_timeliness.columns import CASE_OUTPUT_COLUMNS, IS_PART_PERIOD, SUMMARY_COLUMNS
from ehcp_timeliness.config import Config, load_config

import oracle
from conftest import AS_OF, SAMPLE_AS_OF

Run = Callable[..., Result]


def test_cases_csv_has_contract_columns_in_input_order(run: Run, small_csv: Path) -> None:
    result = run("cases", small_csv, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split(",")
    assert header == ["case_id", "received_date", "request_outcome", "plan_issued_date",
                      "week20_exception", "Team", *CASE_OUTPUT_COLUMNS,
                      "exception_applies"]
    assert [line.split(",")[0] for line in lines[1:]] == ["C1", "C2", "C3", "C4"]
    assert "4 rows in: 4 analysed, 0 set aside" in result.stderr


def test_cases_statuses(run: Run, small_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "flagged.parquet"
    result = run("cases", small_csv, "--as-of", AS_OF, "--format", "parquet", "-o", out)
    assert result.exit_code == 0, result.stderr
    frame = pl.read_parquet(out)
    assert frame["plan_status"].to_list() == ["issued_on_time", "issued_late", "in_progress",
                                              "closed_no_plan"]
    assert frame["days_overdue"].to_list() == [None, 1, None, None]
    assert frame["weeks_to_issue"].to_list() == [20.0, 20.14, None, None]
    # No last review column: a review that had fallen due is not known, never overdue (E83).
    assert frame["review_status"].to_list() == ["not_known", "not_known", "not_applicable",
                                                "not_applicable"]


def test_cases_json(run: Run, small_csv: Path) -> None:
    result = run("cases", small_csv, "--as-of", AS_OF, "--format", "json")
    rows = json.loads(result.stdout)
    assert rows[0]["plan_due_date"] == "2024-06-03"
    assert rows[0]["case_id"] == "C1"


def test_summary_json_matches_contract(run: Run, small_csv: Path) -> None:
    result = run("summary", small_csv, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["as_of"] == AS_OF
    assert data["rows"]["rows_in"] == 4
    (row,) = data["timeliness"]
    assert list(row) == [*SUMMARY_COLUMNS, IS_PART_PERIOD]
    assert (row["period"], row["plans_issued"], row["issued_within_20_weeks"]) == ("2024", 2, 1)
    assert (row["pct_within_20_weeks"], row["pct_within_20_weeks_ex"]) == (50.0, 100.0)
    assert data["open_requests"][0]["open_cases"] == 1


def test_summary_csv_by_team_and_month(run: Run, small_csv: Path) -> None:
    result = run("summary", small_csv, "--as-of", AS_OF, "--format", "csv", "--period",
                 "month", "--by", "Team")
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split(",") == ["period", "Team", *SUMMARY_COLUMNS[1:], IS_PART_PERIOD]
    assert rows == ["2024-06,North,2,1,50.0,1,1,100.0,1,0,20.1,false"]


def test_summary_table_prints_conventions_and_as_of(run: Run, small_csv: Path) -> None:
    result = run("summary", small_csv, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "As of 2025-06-30" in result.stdout
    assert "receipt day not counted" in result.stdout
    assert "New EHC plans issued within 20 weeks" in result.stdout


def test_summary_unknown_by_column(run: Run, small_csv: Path) -> None:
    result = run("summary", small_csv, "--as-of", AS_OF, "--by", "teem")
    assert result.exit_code == 2
    assert "--by teem: no such column" in result.stderr
    assert "Team" in result.stderr


def test_validate_exit_codes_and_issue_export(run: Run, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("Case Ref,Date Received\nA,01/01/2025\n", encoding="utf-8")
    assert run("validate", good, "--as-of", AS_OF).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Case Ref,Date Received,Final EHCP Issued\nA,01/01/2025,\n"
                   "B,31/02/2025,\nA,01/02/2025,\n", encoding="utf-8")
    out = tmp_path / "issues.csv"
    result = run("validate", bad, "--as-of", AS_OF, "--issues-out", out)
    assert result.exit_code == 1
    issues = pl.read_csv(out)
    assert issues.select("row", "case_id", "column", "code").rows() == [
        (3, "B", "received_date", "unparseable-date"),
        (4, "A", "case_id", "duplicate-case-id"),
    ]


def test_a_note_in_the_case_id_column_is_not_echoed(run: Run, tmp_path: Path) -> None:
    """A footer under the rows (`Exported by …`), or a name typed where the id goes, reads as
    words, not an id: validate and --issues-out name its row, never its text; a code-like id
    is shown as ever."""
    export = tmp_path / "footer.csv"
    export.write_text("Case Ref,Date Received\nEHC 2024/17,01/01/2025\nREQ-2,\n"
                      "Exported by Jo Bloggs on 01/07/2025,\n"
                      "Exported by Jo Bloggs on 01/07/2025,\n", encoding="utf-8")
    out = tmp_path / "issues.json"
    result = run("validate", export, "--as-of", AS_OF, "--issues-out", out, "--limit", "9")
    assert result.exit_code == 1, result.stderr
    assert "Bloggs" not in result.output and "Bloggs" not in out.read_text(encoding="utf-8")
    issues = pl.read_json(out)
    assert issues.select("row", "case_id", "code").rows() == [
        (3, "REQ-2", "missing-received-date"),
        (4, "(not shown: words, not an id)", "missing-received-date"),
        (5, "(not shown: words, not an id)", "missing-received-date"),
        (5, "(not shown: words, not an id)", "duplicate-case-id"),
    ]
    assert issues["value"].to_list()[-1] == "the same (first at row 4)"


def test_warnings_only_exit_zero(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("Case Ref,Date Received,Final EHCP Issued\nA,01/01/2025,01/08/2025\n",
                    encoding="utf-8")
    result = run("validate", path, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "date-after-as-of" in result.stdout


@pytest.mark.parametrize(("content", "code", "message"), [
    ("", 1, "empty"),
    ("Case Ref,Date Received\n", 1, "no case rows"),
    ("Case Ref,Team\nA,North\n", 1, "received_date not found"),
    ("Case Ref,Date Received\nA,01/01/2025,extra,fields\n", 1, "malformed CSV at row 2"),
])
def test_bad_files_give_messages_not_tracebacks(run: Run, tmp_path: Path, content: str,
                                                code: int, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    for command in ("summary", "cases", "validate"):
        result = run(command, path, "--as-of", AS_OF)
        assert result.exit_code == code, (command, result.stderr)
        assert message in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_missing_column_message_names_headers_and_mapping_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Case Ref,Date Referral Logged,Team\nA,01/01/2025,N\n", encoding="utf-8")
    result = run("summary", path)
    assert result.exit_code == 1
    assert "Headers found: 'Case Ref', 'Date Referral Logged', 'Team'" in result.stderr
    assert 'received_date = "Date Referral Logged"' in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["summary", "nope.csv"], "Input file not found"),
    (["summary", "{csv}", "--as-of", "30/06/2025"], "is not a date"),
    (["summary", "{csv}", "--period", "week"], "week"),
    (["summary", "{csv}", "--config", "missing.toml"], "Config file not found"),
    # A quoted pattern reaches the tool as written: saying "not found" alone is a riddle.
    (["summary", "{dir}/*.csv"], "The name holds a wildcard (*, ? or [), which the tool does "
                                 "not expand: give the path of one export"),
    (["summary", "{csv}", "--config", "{dir}"], "is a folder, not a config file"),
])
def test_misuse_exits_2(run: Run, small_csv: Path, args: list[str], message: str) -> None:
    result = run(*(a.replace("{csv}", str(small_csv)).replace("{dir}", str(small_csv.parent))
                   for a in args))
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


@pytest.mark.parametrize(("toml", "message"), [
    ("[rules]\ndue_soon_day = 3\n", "rules.due_soon_day: unknown key"),
    ("[rules]\ndue_soon_days = -3\n", "rules.due_soon_days"),
    ('[rules]\nreview_convention = "annual"\n', "rules.review_convention"),
    ('[columns]\nreceived = "x"\n', "columns.received: unknown key"),
    ("[rules\n", "not valid TOML"),
    ('[outcome_codes]\n"Agreed" = "Q"\n', "not one of"),
])
def test_invalid_config_names_the_key(run: Run, small_csv: Path, tmp_path: Path, toml: str,
                                      message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    result = run("summary", small_csv, "--config", path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_config_init_template_is_valid_and_complete(run: Run, tmp_path: Path) -> None:
    result = run("config", "init")
    assert result.exit_code == 0
    path = tmp_path / "mapping.toml"
    path.write_text(result.stdout, encoding="utf-8")
    assert load_config(path) == Config()  # every line commented: defaults
    uncommented = "\n".join(line.removeprefix("# ") for line in result.stdout.splitlines()
                            if line.startswith("# ") and " = " in line and
                            not line.startswith("# Built in"))
    for key in ("due_soon_days = 28", "anchor_is_day_one = false",
                'review_convention = "s44"', 'received_date = "Received Date"'):
        assert key in uncommented


def test_conventions_from_config_change_the_result(run: Run, small_csv: Path,
                                                   tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[rules]\nanchor_is_day_one = true\n", encoding="utf-8")
    result = run("cases", small_csv, "--as-of", AS_OF, "--config", config, "--format", "json")
    rows = json.loads(result.stdout)
    assert rows[0]["plan_due_date"] == "2024-06-02"
    assert rows[0]["plan_status"] == "issued_late"


def test_refuses_to_write_over_the_input(run: Run, small_csv: Path) -> None:
    before = small_csv.read_bytes()
    result = run("cases", small_csv, "--as-of", AS_OF, "--output", small_csv)
    assert result.exit_code == 2
    assert small_csv.read_bytes() == before


def test_formula_injection_neutralised_in_csv(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('Case Ref,Date Received,Team\nA,01/01/2025,"=HYPERLINK(""x"")"\n'
                    "B,01/01/2025,@SUM(1)\n", encoding="utf-8")
    result = run("cases", path, "--as-of", AS_OF)
    teams = pl.read_csv(result.stdout.encode())["Team"].to_list()
    assert teams == ["'=HYPERLINK(\"x\")", "'@SUM(1)"]


def test_same_input_same_bytes(run: Run, small_csv: Path, tmp_path: Path) -> None:
    outputs = []
    for i in range(2):
        out = tmp_path / f"o{i}.parquet"
        run("cases", small_csv, "--as-of", AS_OF, "--format", "parquet", "-o", out)
        outputs.append(out.read_bytes())
        outputs.append(run("summary", small_csv, "--as-of", AS_OF, "--format", "json").stdout)
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_internal_error_is_a_message_and_debug_shows_the_traceback() -> None:
    """cli/common.handle_errors, under a root with --debug as the tool's: a command that fails
    with anything but an EhcpError exits 70 with a message, and a traceback only with --debug."""
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context, debug: bool = typer.Option(False, "--debug")) -> None:
        ctx.obj = {"debug": debug}

    @app.command()
    @handle_errors
    def broken(ctx: typer.Context) -> None:
        raise RuntimeError("boom")

    plain = CliRunner().invoke(app, ["broken"])
    assert plain.exit_code == 70
    assert "Internal error (RuntimeError)" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = CliRunner().invoke(app, ["--debug", "broken"])
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr and "RuntimeError: boom" in debug.stderr


ENGINES = ("--streaming", "--in-memory")


@pytest.mark.parametrize("engine", ["", *ENGINES])
def test_either_engine_gives_the_worked_statuses(run: Run, small_csv: Path, engine: str
                                                  ) -> None:
    """conftest's four cases worked by hand (plan due 140 days after the request): C1's plan
    on its due day, C2's a day late, C3 open and not yet near its due day, C4 refused."""
    engine_args = [engine] if engine else []
    cases = run("cases", small_csv, "--as-of", AS_OF, "--format", "json", *engine_args)
    assert cases.exit_code == 0, cases.stderr
    assert [(row["case_id"], row["plan_due_date"], row["plan_status"])
            for row in json.loads(cases.stdout)] == [
        ("C1", "2024-06-03", "issued_on_time"), ("C2", "2024-06-03", "issued_late"),
        ("C3", "2025-09-18", "in_progress"), ("C4", "2025-05-21", "closed_no_plan")]
    summary = run("summary", small_csv, "--as-of", AS_OF, "--format", "json", *engine_args)
    assert summary.exit_code == 0, summary.stderr
    assert json.loads(summary.stdout)["plan_status_counts"] == {
        "issued_on_time": 1, "issued_late": 1, "closed_no_plan": 1, "overdue": 0,
        "due_soon": 0, "in_progress": 1}


# Polars' streaming CSV reader hands a file on in chunks of POLARS_CSV_CHUNK_SIZE bytes (4 MiB
# or more unless set): rows on either side of a chunk's end, and the sample taken from the
# file's head, are where an engine could misread. A 5 MB export is more than one chunk of the
# default, and 1 MiB chunks, set here, make it several.
SEVERAL_CHUNKS_ROWS = 50_000


def _oracle_statuses(export: Path) -> dict[str, tuple[date | None, date | None, str]]:
    """Each case id's request and plan dates and plan status as tests/oracle.py reads the
    export's cells (the first row of a repeated id, as the analysis keeps)."""
    found: dict[str, tuple[date | None, date | None, str]] = {}
    with export.open(encoding="utf-8", newline="") as handle:
        for cells in csv.DictReader(handle):
            case = oracle.Case(
                received=oracle.parse_date(cells["Date Request Received"]),  # type: ignore[arg-type]
                issued=oracle.parse_date(cells["Date Final EHCP Issued"]),
                request_outcome=oracle.outcome_code(cells["Decision to Assess?"]),
                request_outcome_date=oracle.parse_date(cells["Date of Decision to Assess"]),
                assessment_outcome=oracle.outcome_code(cells["Assessment Outcome"]),
                assessment_outcome_date=oracle.parse_date(
                    cells["Date Assessment Outcome Notified"]))
            if case.received is not None and cells["Case Ref"] not in found:
                found[cells["Case Ref"]] = (case.received, case.issued,
                                            oracle.plan_status(case, SAMPLE_AS_OF))
    return found


def test_either_engine_reads_an_export_of_several_chunks_as_the_oracle_does(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLARS_CSV_CHUNK_SIZE", str(2**20))
    export = tmp_path / "big.csv"
    made = run("sample", "--rows", SEVERAL_CHUNKS_ROWS, "--bad-rows", "-o", export)
    assert made.exit_code == 0, made.stderr
    assert export.stat().st_size > 4 * 2**20
    mapping = export.with_name("big.csv.mapping.toml")
    expected = _oracle_statuses(export)
    for engine in ENGINES:
        out = tmp_path / f"cases{engine}.csv"
        result = run("cases", export, "-c", mapping, "--as-of", AS_OF, engine, "-o", out)
        assert result.exit_code == 0, result.stderr
        analysed = pl.read_csv(out, infer_schema=False).select(
            "case_id", "received_date", "plan_issued_date", "plan_status")
        assert SEVERAL_CHUNKS_ROWS - 10 < analysed.height <= SEVERAL_CHUNKS_ROWS  # bad rows aside
        for case_id, received, issued, status in analysed.iter_rows():
            want = expected[case_id]
            assert (received, issued, status) == (
                want[0].isoformat() if want[0] else None,
                want[1].isoformat() if want[1] else None, want[2]), case_id
        summary = run("summary", export, "-c", mapping, "--as-of", AS_OF, engine,
                      "--format", "json")
        assert summary.exit_code == 0, summary.stderr
        counts = Counter(analysed["plan_status"])
        assert {k: v for k, v in json.loads(summary.stdout)["plan_status_counts"].items()
                if v} == dict(counts)


def test_progress_only_on_a_terminal(run: Run, small_csv: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("summary", small_csv, "--as-of", AS_OF, "--format", "json")
    piped = run(*args)
    # No progress line: the export's notes (here its missing review column) and the rows.
    assert "Reading and analysing" not in piped.stderr
    assert piped.stderr.endswith("\n4 rows in: 4 analysed, 0 set aside.\n")
    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("Reading and analysing cases.csv"):
        pass
    assert "Reading and analysing cases.csv" in terminal.getvalue()


def test_historical_request_without_received_date_is_kept_for_its_reviews(
        run: Run, tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("Case Ref,Date Received,Assessment Outcome,Plan Start Date,Last Review Date\n"
                    "H1,,H,01/03/2023,10/03/2024\n"
                    "X1,,Y,01/03/2023,\n", encoding="utf-8")
    result = run("cases", path, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["case_id"] == "H1"
    assert (row["plan_due_date"], row["plan_status"]) == (None, None)
    assert (row["review_due_date"], row["review_status"]) == ("2025-03-09", "overdue")
    assert "missing-received-date: 1" in result.stderr
    issues = run("validate", path, "--as-of", AS_OF)
    assert "historical-without-request-date" in issues.stdout


def test_unreadable_optional_process_date_is_a_warning_and_keeps_the_row(
        run: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Case Ref,Date Received,Final EHCP Issued,Amendment Notice Date\n"
                    "A1,15/01/2024,03/06/2024,next week\n", encoding="utf-8")
    result = run("validate", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout
    assert "unparseable-optional-date" in result.stdout
    cases = run("cases", path, "--as-of", AS_OF, "--format", "json")
    assert json.loads(cases.stdout)[0]["plan_status"] == "issued_on_time"
