"""Cells and headers an attacker (or a careless export) can put in a case table:

- text a spreadsheet would run (`=HYPERLINK(...)`, `+cmd`, `@SUM`, a leading tab or space):
  neutralised in every CSV output, headers included, and as --by labels; no XLSX output holds
  a formula cell (read back with openpyxl, and no <f> in any sheet's XML);
- control characters and escape sequences (ESC, the one-byte CSI, BEL, bidi overrides) and
  Rich markup: shown escaped in every table, title, footer and message the terminal gets;
  none reaches it raw, and none crashes a renderer.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner, Result

from cli.test_safety import command_names
from ehcp_timeliness.cli.app import app

from conftest import AS_OF, SAMPLE

# No quote in it: the CSV reader keeps a header's doubled quotes (a reader matter).
FORMULA_HEADER = "=cmd|' /C calc'!A0"
ESCAPE_HEADER = "\x1b[31mRed\x1b[0m"
MARKUP_HEADER = "[/x] [bold]loud"
HOSTILE_TEXT = ["=1+1", "+North", "@SUM(A1)", "-2+3", " =2", "\tWest", "\x1b]0;pwned\x07South",
                "East\x1b[2J", "\u202eTSAE", "\x9b31mCSI", "[red]North[/]", "North"]
# What must never reach the terminal: C0 (but newline) and C1 controls, DEL, bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_export(folder: Path) -> Path:
    """The sample's first 300 cases with hostile Team values, case ids and extra columns, in
    a file whose own name holds an escape sequence."""
    frame = pl.read_csv(SAMPLE / "cases.csv", infer_schema=False, n_rows=300)
    cycle = [HOSTILE_TEXT[i % len(HOSTILE_TEXT)] for i in range(frame.height)]
    frame = frame.with_columns(
        pl.Series("Team", cycle),
        pl.Series(FORMULA_HEADER, list(reversed(cycle))),
        pl.Series(ESCAPE_HEADER, cycle[3:] + cycle[:3]),
        pl.Series(MARKUP_HEADER, cycle[5:] + cycle[:5]),
        pl.when(pl.int_range(pl.len()) % 7 == 0)
        .then(pl.lit("=") + pl.col("Case Ref"))
        .when(pl.int_range(pl.len()) % 7 == 1)
        .then(pl.lit("\x1b[1m") + pl.col("Case Ref"))
        .otherwise(pl.col("Case Ref")).alias("Case Ref"))
    folder.mkdir(parents=True, exist_ok=True)
    # No [ ] in the name: Polars reads a path with them as a glob pattern (a reader matter).
    path = folder / "cases\x1b7\x9b.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.iter_rows())
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def invoke(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def analysed(command: str, export: Path, *args: object) -> Result:
    result = invoke(command, export, "--as-of", AS_OF, "--config", SAMPLE / "mapping.toml",
                    *args)
    assert result.exit_code in (0, 1, 3), (command, args, result.stderr[-600:])
    assert "Internal error" not in result.stderr
    return result


# --- Formula safety ------------------------------------------------------------------------

def runs_a_formula(cell: str) -> bool:
    """Independent of the code under test: what Excel or LibreOffice would evaluate."""
    if cell.startswith("'") or re.fullmatch(r"-?\d+(\.\d+)?", cell):
        return False
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") or \
        cell.lstrip(" ")[:1] in ("=", "+", "-", "@")


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_export(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def edited(export: Path) -> Path:
    """The hostile export as a later month might have it, for `compare`: every third case's
    request date moved a day (hostile ids among them), every fifth case gone."""
    rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    received = header.index("Date Request Received")
    kept = []
    for i, row in enumerate(body):
        if i % 5 == 4:
            continue
        if i % 3 == 0:
            row = [*row[:received], "01/01/2020", *row[received + 1:]]
        kept.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *kept])
    path = export.with_name("later\x1b7\x9b.csv")  # no [ ]: read as a glob
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_csv_outputs_neutralise_headers_values_and_by_labels(
        export: Path, edited: Path, tmp_path: Path) -> None:
    runs = [["cases", "-o", tmp_path / "c.csv", "--issues-out", tmp_path / "i.csv"],
            ["summary", "--format", "csv", "--by", "Team", "--by", FORMULA_HEADER,
             "-o", tmp_path / "s.csv"],
            ["worklist", "--format", "csv", "--within", "3650", "--by", "Team",
             "--by", ESCAPE_HEADER, "-o", tmp_path / "w.csv"],
            ["audit-exceptions", "--format", "csv", "-o", tmp_path / "a.csv"],
            ["compare", edited, "--format", "csv", "-o", tmp_path / "cmp.csv"]]
    for command, *args in runs:
        analysed(command, export, *args)
    for name in ("c.csv", "i.csv", "s.csv", "w.csv", "a.csv", "cmp.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        cells = csv_cells(text)
        assert cells, name
        risky = [c for c in cells if runs_a_formula(c)]
        assert not risky, (name, risky[:5])
    header = next(csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"))))
    assert "'" + FORMULA_HEADER in header
    teams = {row["Team"] for row in csv.DictReader(
        io.StringIO((tmp_path / "w.csv").read_text(encoding="utf-8")))}
    assert "'=1+1" in teams and "'+North" in teams and "' =2" in teams
    compared = {row["case_id"] for row in csv.DictReader(
        io.StringIO((tmp_path / "cmp.csv").read_text(encoding="utf-8")))}
    assert any(case_id.startswith("'=REQ") for case_id in compared)


def test_xlsx_outputs_hold_no_formula_cell(export: Path, tmp_path: Path) -> None:
    books = [tmp_path / "board.xlsx", tmp_path / "worklist.xlsx"]
    analysed("report", export, "--by", "Team", "--by", FORMULA_HEADER, "-o", books[0])
    analysed("worklist", export, "--within", "3650", "--by", "Team", "--format", "xlsx",
             "-o", books[1])
    for book in books:
        workbook = openpyxl.load_workbook(book)
        strings = 0
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (book.name, sheet.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        strings += 1
                        assert not runs_a_formula(cell.value), (book.name, cell.value)
        assert strings > 100
        with zipfile.ZipFile(book) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert not re.search(r"<f[ >]", archive.read(name).decode()), name


# --- Terminal safety -------------------------------------------------------------------------

TERMINAL_RUNS = [
    ["validate", "--limit", "500"],
    ["summary", "--by", "Team", "--by", ESCAPE_HEADER],
    ["summary", "--by", MARKUP_HEADER, "--period", "month"],
    ["worklist", "--within", "3650"],
    ["worklist", "--within", "3650", "--by", "Team", "--by", MARKUP_HEADER],
    ["audit-exceptions"],
    ["check", "--max-overdue", "0"],
    ["dfe"],
    ["benchmark", "--la", "Redbridge"],
    ["cases", "--format", "json"],  # stdout is data (JSON), not a table: stderr checked
    ["report", "--by", ESCAPE_HEADER, "-o", "{out}/board.html"],
    ["compare", "{edited}"],
    ["trend", "--by", "Team", "--by", ESCAPE_HEADER, "--from", "2025-01"],
]


def test_every_terminal_table_and_message_shows_controls_escaped(
        export: Path, edited: Path, tmp_path: Path) -> None:
    covered = {run[0] for run in TERMINAL_RUNS}
    assert covered >= set(command_names()) - {"sample", "config init"}
    for run in TERMINAL_RUNS:
        command, *args = (str(a).format(out=tmp_path, edited=edited) for a in run)
        result = analysed(command, export, *args)
        table = "--format" not in args
        for stream, text in (("stdout", result.stdout if table else ""),
                             ("stderr", result.stderr)):
            raw = sorted(set(RAW_CONTROL.findall(text)))
            assert not raw, (run, stream, raw)
        if command in ("summary", "worklist", "validate", "compare"):
            assert "\\x1b" in result.stdout, run  # shown, escaped: not dropped
    validate = analysed("validate", export).stdout
    assert "cases\\x1b7\\x9b.csv" in validate  # the file name, escaped


def test_messages_naming_headers_and_paths_are_escaped(tmp_path: Path) -> None:
    """A required column missing: the message lists the headers found (escaped), and the
    file's name (escaped), exit 1, no raw control character on stderr."""
    path = tmp_path / "no\x1b7date.csv"
    path.write_text(f"Case Ref,{ESCAPE_HEADER},\u202eTeam\nC1,x,y\n", encoding="utf-8")
    result = invoke("summary", path, "--as-of", AS_OF)
    assert result.exit_code == 1, result.stderr
    assert not RAW_CONTROL.findall(result.stderr), result.stderr
    assert "no\\x1b7date.csv" in result.stderr and "Red" in result.stderr
    for command in (["cases", path, "-o", tmp_path / "new\x1b[2Jdir" / "c.csv"],
                    ["cases", path, "-o", tmp_path]):
        result = invoke(*command, "--as-of", AS_OF)
        assert result.exit_code in (1, 2), result.stderr
        assert not RAW_CONTROL.findall(result.stderr), result.stderr
