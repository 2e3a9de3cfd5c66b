"""The extremes fuzzing draws too rarely or too slowly: empty and header-only files, thousands
of columns, huge cells, mixed encodings, old Mac line endings, pattern-like headers. Each goes
through every reading command; each gives a documented exit code and a message, never a
traceback, and the ones with cases analyse them.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ehcp_timeliness.cli.app import app
from fuzz.generators import AS_OF, DOCUMENTED_EXIT_CODES

COMMANDS = (["summary", "--format", "json"], ["cases"], ["validate"],
            ["check", "--max-error-rows", "0"])
HEADER = b"Case Ref,Date Request Received,Team\n"


def run_all(path: Path, commands: int = len(COMMANDS)) -> list[Result]:
    results = []
    for command in COMMANDS[:commands]:
        result = CliRunner().invoke(app, [command[0], str(path), "--as-of", AS_OF.isoformat(),
                                          *command[1:]])
        assert result.exit_code in DOCUMENTED_EXIT_CODES, (command, result.stderr)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.stdout + result.stderr
        results.append(result)
    return results


def rows(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["rows"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (codecs.BOM_UTF8, "the first line is empty"),
    (codecs.BOM_UTF16_LE, "the first line is empty"),
    (b"\n\n\n", "the first line is empty"),
    (b"\r\n", "the first line is empty"),
    (HEADER, "no case rows"),
    (HEADER.rstrip(b"\n"), "no case rows"),
    (HEADER.replace(b"\n", b"\r\n"), "no case rows"),
    (codecs.BOM_UTF8 + HEADER, "no case rows"),
    ("Case Ref,Date Request Received\n".encode("utf-16"), "no case rows"),
    (b'"', "not found"),
    (b"\x00" * 64, "NUL (zero) bytes"),
])
def test_empty_and_header_only_files_are_refused_with_a_message(
        tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    for result in run_all(path):
        assert result.exit_code == 1
        assert message in result.stderr or "required column" in result.stderr, result.stderr


def test_a_header_and_blank_lines_only_is_all_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER + b"\n,,\n\n")
    summary = rows(run_all(path)[0])
    assert summary == {"rows_in": 3, "rows_analysed": 0, "rows_left_out_by_where": 0,
                       "rows_set_aside": 3, "set_aside_reasons": {"blank-row": 3}, "warnings": 0}


# Up to [input] max_columns (5,000 by default); Excel's widest sheet, 16,384 columns, needs
# it raised (tests/cli/test_bounded_runs.py).
@pytest.mark.parametrize("extra_columns", [2_000, 4_998])
def test_thousands_of_columns(tmp_path: Path, extra_columns: int) -> None:
    names = ",".join(f"Column {i}" for i in range(extra_columns))
    cells = ",".join("x" for _ in range(extra_columns))
    path = tmp_path / "wide.csv"
    path.write_text(f"Case Ref,Date Request Received,{names}\nA,15/01/2025,{cells}\n"
                    f"B,16/01/2025,{cells}\n", encoding="utf-8")
    summary, cases, *_ = run_all(path, commands=2)
    assert rows(summary)["rows_analysed"] == 2
    assert cases.stdout.splitlines()[0].count(",") == extra_columns + 1 + 8  # 7 + exception_applies


def test_huge_cells(tmp_path: Path) -> None:
    """An 8 MB note, a 1 MB 'date' and a 1 MB case id: read, reported, nothing lost."""
    path = tmp_path / "huge.csv"
    path.write_text(f"Case Ref,Date Request Received,Notes\nA,{'1' * 1_000_000},"
                    f"{'x' * 8_000_000}\n{'Z' * 1_000_000},15/01/2025,ok\n"
                    f"B,15/01/2025,\"{'line' * 100_000}\n{'more' * 100_000}\"\n",
                    encoding="utf-8")
    summary, cases, validate, _ = run_all(path)
    assert rows(summary) == {"rows_in": 3, "rows_analysed": 2, "rows_left_out_by_where": 0,
                             "rows_set_aside": 1, "set_aside_reasons": {"unparseable-date": 1},
                             "warnings": 0}
    assert len(cases.stdout) > 1_800_000  # the huge id and note are written back whole
    assert validate.exit_code == 1 and "unparseable-date" in validate.stdout


def test_mixed_encodings_keep_every_row_and_both_spellings(tmp_path: Path) -> None:
    """UTF-8 lines and Windows-1252 lines in one file (exports joined from two systems)."""
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER + "A,15/01/2025,Café “North”\n".encode()
                     + "B,15/01/2025,Café “South” £\n".encode("cp1252")
                     + "C,15/01/2025,Zoë\n".encode())
    summary, cases, *_ = run_all(path)
    assert rows(summary)["rows_analysed"] == 3
    assert [line.split(",")[2] for line in cases.stdout.splitlines()[1:]] == [
        "Café “North”", "Café “South” £", "Zoë"]


def test_old_mac_line_endings_with_line_breaks_inside_cells(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(HEADER.replace(b"\n", b"\r") + b'A,15/01/2025,"two\nlines"\r'
                     b"B,16/01/2025,x\r")
    summary, cases, *_ = run_all(path)
    assert rows(summary)["rows_analysed"] == 2
    assert '"two\nlines"' in cases.stdout


@pytest.mark.parametrize("header", ["*", "^.*$", "^Team$", "Team|Area", "__foo",
                                    "__index_level_0__", "(blank)", ""])
def test_headers_that_look_like_patterns_are_just_names(tmp_path: Path, header: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f'Case Ref,Date Request Received,"{header}"\nA,15/01/2025,v\n'
                    "B,16/01/2025,w\n", encoding="utf-8")
    summary, cases, *_ = run_all(path)
    assert rows(summary)["rows_analysed"] == 2
    assert cases.stdout.splitlines()[1].split(",")[:3] == ["A", "2025-01-15", "v"]


@pytest.mark.parametrize(("line", "row", "fault"), [
    ("C,15/01/2025,x,extra", 4, "more fields than the header"),
    ('C,15/01/2025,"never closed', 4, "not closed properly"),
    ('C,15/01/2025,O"Brien', 4, "lone quote mark"),
])
def test_malformed_rows_are_named_with_their_fault(tmp_path: Path, line: str, row: int,
                                                   fault: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Case Ref,Date Request Received,Team\nA,15/01/2025,x\nB,15/01/2025,y\n"
                    f"{line}\nD,15/01/2025,z\n", encoding="utf-8")
    for result in run_all(path):
        assert result.exit_code == 1
        assert f"malformed CSV at row {row}: the row has" in result.stderr
        assert fault in result.stderr


def test_a_tab_separated_file_with_a_broken_row_is_named_not_a_crash(tmp_path: Path) -> None:
    """Found by fuzzing: the delimiter was read back from its repr while locating the row."""
    path = tmp_path / "bad.tsv"
    path.write_text('Case Ref\tDate Request Received\nA\t15/01/2025\n"B\t15/01/2025\n',
                    encoding="utf-8")
    for result in run_all(path):
        assert "malformed CSV at row 3" in result.stderr


@pytest.mark.parametrize("by", ["received_date", "week20_exception", "plan_status"])
def test_grouping_by_a_date_or_flag_column(tmp_path: Path, by: str) -> None:
    """Found by fuzzing: --by received_date turned the date into text before the ages."""
    path = tmp_path / "x.csv"
    path.write_text("Case Ref,Date Request Received,Final EHCP Issued,Week20\n"
                    "A,15/01/2024,03/06/2024,\nB,15/01/2025,,Y\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["summary", str(path), "--as-of", AS_OF.isoformat(),
                                      "--by", by, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert sum(r["open_cases"] for r in json.loads(result.stdout)["open_requests"]) == 1


@pytest.mark.parametrize(("by", "why"), [("period", "a column of its own"),
                                         ("Team", "given twice")])
def test_by_names_that_would_clash_are_usage_errors(tmp_path: Path, by: str, why: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Case Ref,Date Request Received,period,Team\nA,15/01/2024,p,t\n",
                    encoding="utf-8")
    args = ["--by", by, "--by", by] if by == "Team" else ["--by", by]
    result = CliRunner().invoke(app, ["summary", str(path), "--as-of", AS_OF.isoformat(),
                                      *args])
    assert result.exit_code == 2
    assert why in result.stderr


def test_rows_of_padded_blanks_are_blank_rows(tmp_path: Path) -> None:
    # Blank is told by look-up, not by trimming every cell (schema/normalise.py): cells of
    # spaces or padded blank tokens reach the closing parse, which must still find the rows
    # blank.
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER + b'"  "," N/A ","\t"\n C1 , 15/01/2024 ,x\n')
    summary = rows(run_all(path)[0])
    assert summary["rows_in"] == 2
    assert summary["set_aside_reasons"] == {"blank-row": 1}
    assert summary["rows_analysed"] == 1
