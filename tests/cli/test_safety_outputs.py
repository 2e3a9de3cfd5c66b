"""Where an output may go (io/writers.py): a regular file, replaced atomically; a character
device or stdout/stderr, written through; never a folder, FIFO or other special file (exit 2,
before any work), never one of the command's inputs (the export, the config, each table of a
COLLECT folder), never the same file for --output and --issues-out, however it is spelt.

Every invocation in test_safety.INVOCATIONS that writes a file is driven, so a new command
is covered as soon as it is listed there.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cli.test_safety import OK, fingerprint, invocations, run, small_export
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.io.writers import check_outputs, output_stream, write_output

from conftest import SAMPLE

COLLECT = SAMPLE / "sen2" / "collect"


def writing_invocations(option: str) -> list[list[str]]:
    """Invocations of a command reading an export that write a file through OPTION."""
    flags = {"--output": ("--output", "-o"), "--issues-out": ("--issues-out",)}[option]
    return [args for args, _ in invocations()
            if "{input}" in args and any(f in args for f in flags)]


def with_path(args: list[str], option: str, path: str) -> list[str]:
    flags = {"--output": ("--output", "-o"), "--issues-out": ("--issues-out",)}[option]
    i = next(i for i, a in enumerate(args) if a in flags)
    return [*args[:i + 1], path, *args[i + 2:]]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return small_export(tmp_path / "data")


@pytest.mark.parametrize("option", ["--output", "--issues-out"])
def test_a_folder_as_output_is_a_usage_error_not_a_crash(
        tmp_path: Path, export: Path, option: str) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    for args in writing_invocations(option):
        result = run(with_path(args, option, str(folder)), export, tmp_path)
        assert result.exit_code == 2, (args, result.stderr)
        assert "it is a folder" in result.stderr
        assert list(folder.iterdir()) == [], args  # no temporary file left behind


@pytest.mark.parametrize("option", ["--output", "--issues-out"])
def test_a_fifo_as_output_is_refused_without_opening_it(
        tmp_path: Path, export: Path, option: str) -> None:
    """Opening a FIFO for writing blocks until someone reads it: the run would hang. Run as a
    subprocess with a timeout, so a regression fails instead of hanging the suite."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    args = writing_invocations(option)[0]
    filled = [a.format(input=export, out=tmp_path) for a in with_path(args, option, str(fifo))]
    done = subprocess.run([sys.executable, "-m", "ehcp_timeliness", *filled,
                           "--as-of", "2025-06-30"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "it is a FIFO" in done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("option", ["--output", "--issues-out"])
def test_dev_null_is_written_through_never_replaced(
        tmp_path: Path, export: Path, option: str) -> None:
    before = os.stat("/dev/null")
    for args in writing_invocations(option):
        result = run(with_path(args, option, "/dev/null"), export, tmp_path)
        assert result.exit_code in OK, (args, result.stderr)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_symlink_to_dev_null_stays_a_symlink_to_it(tmp_path: Path, export: Path) -> None:
    link = tmp_path / "discard.csv"
    link.symlink_to("/dev/null")
    result = run(["cases", "{input}", "-o", str(link)], export, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


def test_dev_stdout_is_stdout_whatever_it_is_redirected_to(
        tmp_path: Path, export: Path) -> None:
    """Piped (a FIFO) or redirected to a file, /dev/stdout is the stream the shell opened:
    written to in order, not refused as a FIFO nor replaced as a file."""
    result = run(["summary", "{input}", "--format", "json", "-o", "/dev/stdout"], export,
                 tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.lstrip().startswith("{")
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as handle:
        done = subprocess.run([sys.executable, "-m", "ehcp_timeliness", "summary", str(export),
                               "--as-of", "2025-06-30", "--format", "json", "-o", "/dev/stdout"],
                              stdout=handle, stderr=subprocess.PIPE, text=True, timeout=120,
                              check=False)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n{"), text[:80]  # appended, not replaced


def test_a_run_with_stderr_closed_still_writes_its_output(tmp_path: Path,
                                                         export: Path) -> None:
    """Started with stderr closed (`2>&-` in a scheduled job: Python's sys.stderr is None),
    the messages have nowhere to go, and the output is written all the same."""
    out = tmp_path / "summary.json"
    done = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", sys.executable, "-m",
                           "ehcp_timeliness", "summary", str(export), "--as-of", "2025-06-30",
                           "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith("{")


def test_output_and_issues_out_naming_one_file_is_refused(
        tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "both.csv"
    existing.write_text("keep me\n", encoding="utf-8")
    hard = tmp_path / "hard.csv"
    os.link(existing, hard)
    link = tmp_path / "link.csv"
    link.symlink_to(existing)
    (tmp_path / "sub").mkdir()
    pairs = [("new.csv", "./new.csv"), ("new.csv", "sub/../new.csv"),
             ("both.csv", str(hard)), ("both.csv", str(link)), (str(existing), "both.csv")]
    both = [args for args in writing_invocations("--output") if "--issues-out" in args]
    assert both
    for args in both:
        for output, issues in pairs:
            changed = with_path(with_path(args, "--output", output), "--issues-out", issues)
            result = run(changed, export, tmp_path)
            assert result.exit_code == 2, (changed, result.stderr)
            assert "--output and --issues-out both name" in result.stderr
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "new.csv").exists()


@pytest.mark.parametrize("option", ["--output", "--issues-out"])
def test_no_output_replaces_a_table_of_a_collect_folder(tmp_path: Path, option: str) -> None:
    folder = tmp_path / "collect"
    shutil.copytree(COLLECT, folder)
    tables = sorted(folder.glob("*.csv"))
    assert len(tables) >= 5
    hard = tmp_path / "elsewhere.csv"
    os.link(tables[0], hard)
    before = {t: fingerprint(t) for t in tables}
    for args in writing_invocations(option):
        for spelling in (str(tables[-1]), str(folder / ".." / folder.name / tables[1].name),
                         str(hard)):
            result = run(with_path(args, option, spelling), folder, tmp_path)
            assert result.exit_code == 2, (args, spelling, result.stderr)
            assert "the command reads it" in result.stderr
    assert {t: fingerprint(t) for t in tables} == before


def test_no_output_replaces_a_collect_zip(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(COLLECT.glob("*.csv")):
            handle.write(path, path.name)
    before = fingerprint(archive)
    for args in writing_invocations("--output"):
        result = run(with_path(args, "--output", str(archive)), archive, tmp_path)
        assert result.exit_code == 2, (args, result.stderr)
    assert fingerprint(archive) == before


def test_a_regular_file_is_replaced_atomically_not_written_through(tmp_path: Path) -> None:
    """A new file is renamed over the old: another hard link to the old one keeps the old
    bytes, and a write that fails half way leaves the old file whole and no temporary."""
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")
    other_name = tmp_path / "other.csv"
    os.link(target, other_name)
    write_output(b"new\n", target)
    assert target.read_bytes() == b"new\n"
    assert other_name.read_bytes() == b"old\n"
    with pytest.raises(RuntimeError), output_stream(target) as handle:
        handle.write(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv", "out.csv"]


def test_the_mechanism_refuses_every_special_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="it is a FIFO"):
        check_outputs((), fifo)
    with pytest.raises(UsageError, match="it is a folder"):
        check_outputs((), tmp_path)
    with pytest.raises(UsageError, match="it is a folder"), output_stream(tmp_path):
        pass  # the writer checks again at write time, not only the command at its start
    check_outputs((), Path("/dev/null"), Path("/dev/null"))  # two streams to one device
    with pytest.raises(UsageError, match="mixed on stdout"):
        check_outputs((), Path("-"), Path("/dev/stdout"))
    if Path("/dev/full").exists():  # a device that refuses the write: a message, not a bug
        with pytest.raises(UsageError, match="Cannot write /dev/full"):
            write_output(b"x", Path("/dev/full"))
    check_outputs((), None, Path("-"), tmp_path / "new.csv")


class _Terminal:
    """A stdout that says it is a terminal, holding what is written to it."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def isatty(self) -> bool:
        return True

    def flush(self) -> None:
        pass


def test_text_sent_to_a_terminal_has_its_controls_escaped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`cases` typed in a shell prints CSV on the terminal: a cell's escape sequence is shown
    escaped there, while a file or a pipe gets the bytes unchanged."""
    data = "case_id,Team\nC1,\x1b]0;pwned\x07North\u202e\n".encode()
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    write_output(data, None)
    assert terminal.buffer.getvalue() == b"case_id,Team\nC1,\\x1b]0;pwned\\x07North\\u202e\n"
    monkeypatch.setattr(terminal, "isatty", lambda: False)
    terminal.buffer.seek(0)
    terminal.buffer.truncate()
    write_output(data, Path("-"))
    assert terminal.buffer.getvalue() == data
