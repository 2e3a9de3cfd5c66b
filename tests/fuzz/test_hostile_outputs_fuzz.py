"""Fuzzing what the tool writes and shows, and where: any header or cell text is neutralised in
CSV (headers too) and shown escaped on the terminal; any output path (a folder, a FIFO, a
device, the input or config under another name, the other output) is written safely or
refused with exit 2, never a crash, and no input changes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app
from ehcp_timeliness.io.writers import table_bytes
from ehcp_timeliness.printable import printable
from fuzz.generators import AS_OF, fuzz

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Text weighted towards what attacks a spreadsheet or a terminal.
HOSTILE_PIECES = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", " ", "\x1b", "[", "]",
                                  "\x9b", "\x07", "\x08", "\u202e", "\u2066", "\x00", "'",
                                  '"', ",", ";", "/", "cmd|' /C calc'!A0", "1+1", "\x1b[31m",
                                  "[bold]", "[/]", ":warning:", "é", "\u3000", "\uff1d"])
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE_PIECES, st.text(max_size=3)), max_size=6).map("".join)


def runs_a_formula(cell: str) -> bool:
    if cell.startswith("'") or re.fullmatch(r"-?\d+(\.\d+)?", cell):
        return False
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") or \
        cell.lstrip(" \u3000")[:1] in ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@fuzz(150)
@given(st.lists(HOSTILE_TEXT, min_size=1, max_size=5, unique=True),
       st.lists(HOSTILE_TEXT, min_size=0, max_size=20))
def test_csv_never_runs_a_header_or_a_cell_and_loses_nothing(
        headers: list[str], cells: list[str]) -> None:
    rows = max(1, len(cells) // len(headers))
    columns = {h: [cells[(i * len(headers) + j) % len(cells)] if cells else None
                   for i in range(rows)] for j, h in enumerate(headers)}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(headers, pl.String))
    # One column with a blank cell is an empty line, which csv reads as no cell at all.
    parsed = [row or [""] for row in csv.reader(
        io.StringIO(table_bytes(frame, "csv").decode("utf-8"), newline=""))]
    assert len(parsed) == frame.height + 1
    for written, original in zip(parsed[0], headers, strict=True):
        assert not runs_a_formula(written)
        assert written in (original, "'" + original)
    for row, values in zip(parsed[1:], frame.iter_rows(), strict=True):
        for written, original in zip(row, values, strict=True):
            assert not runs_a_formula(written)
            assert written in (original or "", "'" + (original or ""))


@fuzz(200)
@given(st.text())
def test_printable_leaves_no_control_character_and_keeps_the_rest(text: str) -> None:
    shown = printable(text)
    assert not RAW_CONTROL.search(shown) and "\n" not in shown
    assert not RAW_CONTROL.search(printable(text, keep_newlines=True))
    if not RAW_CONTROL.search(text) and "\n" not in text:
        assert shown == text


def export_with(header: str, values: list[str], folder: Path) -> Path:
    path = folder / "export.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Case Ref", "Date Request Received", "Team", header])
    for i, value in enumerate(values):
        writer.writerow([f"C{i}" if i % 2 else value or f"C{i}", "15/01/2024", value, value])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@fuzz(25)
@given(HOSTILE_TEXT.filter(lambda h: h.strip() not in ("", "Case Ref", "Team",
                                                       "Date Request Received")),
       st.lists(HOSTILE_TEXT, min_size=1, max_size=6))
def test_terminal_tables_show_any_cell_or_header_escaped(header: str, values: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = export_with(header, values, Path(folder))
        for args in (["validate"], ["summary", "--by", "Team"], ["worklist", "--within", "999"],
                     ["worklist", "--within", "999", "--by", "Team"]):
            result = CliRunner().invoke(app, [args[0], str(path), "--as-of", AS_OF.isoformat(),
                                              *args[1:]])
            assert result.exit_code in (0, 1, 2), (args, result.stderr)
            assert "Internal error" not in result.stderr
            assert not RAW_CONTROL.search(result.stdout + result.stderr), args


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PATH_KINDS = ("new", "existing", "folder", "fifo", "dev null", "input", "input via ..",
              "input symlink", "input hard link", "config", "other output", "symlink to folder",
              "missing folder")
WRITERS = (["cases", "--format", "csv"], ["summary", "--format", "json"],
           ["worklist", "--format", "csv"], ["validate"], ["check", "--max-overdue", "0",
                                                           "--format", "json"])


@fuzz(60)
@given(st.sampled_from(WRITERS), st.sampled_from(("--output", "--issues-out")),
       st.sampled_from(PATH_KINDS))
def test_any_output_path_is_written_safely_or_refused(
        command: list[str], option: str, kind: str) -> None:
    assume(not (command[0] == "validate" and option == "--output"))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        export = export_with("Note", ["=1", "x"], folder)
        config = folder / "mapping.toml"
        config.write_text("[columns]\n", encoding="utf-8")
        (folder / "sub").mkdir()
        (folder / "existing.csv").write_text("old\n", encoding="utf-8")
        os.mkfifo(folder / "fifo")
        (folder / "dirlink").symlink_to(folder / "sub")
        (folder / "link.csv").symlink_to(export)
        os.link(export, folder / "hard.csv")
        target = {"new": folder / "new.csv", "existing": folder / "existing.csv",
                  "folder": folder / "sub", "fifo": folder / "fifo", "dev null": "/dev/null",
                  "input": export, "input via ..": folder / "sub" / ".." / export.name,
                  "input symlink": folder / "link.csv", "input hard link": folder / "hard.csv",
                  "config": config, "other output": folder / "other.csv",
                  "symlink to folder": folder / "dirlink",
                  "missing folder": folder / "nowhere" / "x.csv"}[kind]
        other = "--issues-out" if option == "--output" else "--output"
        args = [command[0], str(export), "--as-of", AS_OF.isoformat(), "--config", str(config),
                *command[1:], option, str(target)]
        if kind == "other output" and command[0] != "validate":
            args += [other, str(target)]
        before = (fingerprint(export), fingerprint(config))
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 2, 3), (kind, args, result.stderr)
        assert (fingerprint(export), fingerprint(config)) == before, kind
        assert (folder / "fifo").is_fifo() and (folder / "sub").is_dir()
        assert sorted(p.name for p in (folder / "sub").iterdir()) == []
        if kind in ("folder", "fifo", "input", "input via ..", "input symlink",
                    "input hard link", "config", "symlink to folder", "missing folder") or (
                kind == "other output" and command[0] != "validate"):
            assert result.exit_code == 2, (kind, args)
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
