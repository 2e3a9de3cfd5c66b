"""Bounded reading: what is not a named file of bounded size is refused up front, with a
message naming what it is (exit 1, or 2 for `-`), and never hangs or reads without end.
"""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from ehcp_timeliness.config import InputConfig
from ehcp_timeliness.errors import InputFileError, UsageError
from ehcp_timeliness.io.input_bounds import (
    MAX_HEADER_CHARS,
    MAX_LINE_BYTES,
    MB,
    bytes_chunks,
    longest_line_over,
)
from ehcp_timeliness.io.readers import read_table

from conftest import AS_OF, SAMPLE

Run = Callable[..., Result]
COLLECT = SAMPLE / "sen2" / "collect"
SMALL = InputConfig(max_file_mb=1, max_zip_ratio=100)


def refused(run: Run, path: Path | str, *args: str, code: int = 1) -> str:
    result = run("summary", str(path), "--as-of", AS_OF, *args)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
    return " ".join(result.stderr.split())


@pytest.mark.parametrize(("path", "code", "says"), [
    ("-", 2, "standard input ('-') is not supported"),
    ("/dev/stdin", 1, "is standard input"),
    ("/dev/fd/0", 1, "is standard input"),
    ("/dev/zero", 1, "is a character device, not a file"),
    ("/dev/urandom", 1, "is a character device, not a file"),
    ("/proc/self/environ", 1, "operating system generates (under /proc)"),
    ("/proc/self/status", 1, "operating system generates (under /proc)"),
])
def test_streams_devices_and_kernel_files_are_refused(run: Run, path: str, code: int,
                                                      says: str) -> None:
    assert says in refused(run, path, code=code)


def test_a_fifo_is_refused_without_waiting_for_a_writer(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "cases.csv"
    os.mkfifo(fifo)
    assert "is a pipe (FIFO), not a file" in refused(run, fifo)


def test_a_broken_symlink_is_named(run: Run, tmp_path: Path) -> None:
    link = tmp_path / "cases.csv"
    link.symlink_to(tmp_path / "gone.csv")
    assert "is a broken symbolic link" in refused(run, link)


def test_a_file_over_the_configured_size_is_refused_before_reading(run: Run,
                                                                   tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[input]\nmax_file_mb = 1\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_bytes(b"Case Ref,Date Request Received\n" + b"A,15/01/2025\n" * 100_000)
    message = refused(run, big, "--config", str(config))
    assert "is 1.2 MB, over the size limit" in message and "max_file_mb" in message
    assert run("summary", str(big), "--as-of", AS_OF).exit_code == 0  # the default: 4 GB


def test_a_line_over_the_limit_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(b"Case Ref,Date Request Received,Notes\nA,15/01/2025,"
                     + b"x" * (MAX_LINE_BYTES + 1) + b"\nB,16/01/2025,ok\n")
    assert "has a line or record longer than 16 MB" in refused(run, path)


def test_a_file_with_no_line_break_is_refused_as_one_long_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(b"Case Ref;" * (MAX_LINE_BYTES // 8))
    assert "has a line or record longer than 16 MB" in refused(run, path)


def test_a_header_over_the_limit_is_refused_by_position(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(f"Case Ref,{'N' * (MAX_HEADER_CHARS + 1)},Date Request Received\n"
                    "A,x,15/01/2025\n", encoding="utf-8")
    message = refused(run, path)
    assert "the header of column 2 is 1,001 characters long" in message
    assert "N" * 50 not in message


@given(st.lists(st.integers(0, 40), min_size=1, max_size=30), st.integers(1, 12),
       st.sampled_from([b"\n", b"\r", b"\r\n"]))
def test_longest_line_over_agrees_with_splitting_the_lines(lengths: list[int], limit: int,
                                                           end: bytes) -> None:
    data = end.join(b"x" * n for n in lengths)
    expected = max(lengths) > limit
    assert longest_line_over(bytes_chunks(data, limit), limit) is expected



def _longest_record(data: bytes) -> int:
    """The oracle: byte by byte, a record ends at a line break outside quote marks."""
    longest = run = 0
    inside = False
    for byte in data:
        if byte == ord('"'):
            inside = not inside
        if byte in b"\r\n" and not inside:
            run = 0
        else:
            run += 1
            longest = max(longest, run)
    return longest


@given(st.lists(st.sampled_from([b"x", b'"', b"\n", b"\r", b'"a\nb"', b'""']), max_size=60),
       st.integers(1, 12))
def test_longest_line_over_follows_quotes_as_the_oracle_does(parts: list[bytes],
                                                            limit: int) -> None:
    data = b"".join(parts)
    expected = _longest_record(data) > limit
    assert longest_line_over(bytes_chunks(data, limit), limit) is expected

# Zips -------------------------------------------------------------------------------------


def write_zip(path: Path, members: dict[str, bytes],
              method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def collect_members(**extra: bytes) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(COLLECT.glob("*.csv"))} | extra


def patched(path: Path, local: int, central: int, value: int) -> Path:
    """The zip with a 2-byte field of its (single) member set, in both of its headers."""
    data = bytearray(path.read_bytes())
    struct.pack_into("<H", data, local, value)
    struct.pack_into("<H", data, data.find(b"PK\x01\x02") + central, value)
    path.write_bytes(bytes(data))
    return path


def test_an_empty_zip_says_so(run: Run, tmp_path: Path) -> None:
    assert "is an empty zip file" in refused(run, write_zip(tmp_path / "x.zip", {}))


def test_a_zip_holding_only_a_zip_says_so(run: Run, tmp_path: Path) -> None:
    inner = write_zip(tmp_path / "inner.zip", collect_members())
    outer = write_zip(tmp_path / "outer.zip", {"inner.zip": inner.read_bytes()})
    assert "is a zip file holding only another zip file" in refused(run, outer)


def test_a_zip_of_other_files_says_what_it_holds(run: Run, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "x.zip", {"a.pdf": b"%PDF", "b.pdf": b"%PDF",
                                          "sen2.xml": b"<Message/>"})
    message = refused(run, path)
    assert "neither an Excel workbook nor a SEN2 COLLECT export" in message
    assert "2 .pdf, 1 .xml" in message


@pytest.mark.parametrize(("local", "central", "value", "says"), [
    (6, 8, 0x1, "is an encrypted (password-protected) zip file"),
    (8, 10, 99, "uses a compression method that cannot be read (method 99)"),
])
def test_encrypted_and_unsupported_zips_are_refused(run: Run, tmp_path: Path, local: int,
                                                    central: int, value: int,
                                                    says: str) -> None:
    path = patched(write_zip(tmp_path / "x.zip", {"requests.csv": b"requeststableid\n1\n"}),
                   local, central, value)
    assert says in refused(run, path)


def test_a_damaged_zip_is_refused(run: Run, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "x.zip", collect_members())
    path.write_bytes(path.read_bytes()[:3000])  # cut short: no central directory
    assert "is a damaged zip file" in refused(run, path)


def test_a_member_that_fails_its_crc_is_named(run: Run, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "x.zip", collect_members(), method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"requeststableid")
    data[at + 40] ^= 0xFF  # inside the requests table, whose header still reads
    path.write_bytes(bytes(data))
    message = refused(run, path)
    assert "cannot be uncompressed (BadZipFile)" in message


def test_a_zip_bomb_table_is_refused_from_the_directory(run: Run, tmp_path: Path) -> None:
    members = collect_members()
    members["requests.csv"] += b"0" * (8 * MB)  # about 1,000 times smaller once deflated
    message = refused(run, write_zip(tmp_path / "x.zip", members))
    assert "requests.csv would uncompress to 8.0 MB" in message and "zip bomb" in message


def test_tables_over_the_size_limit_in_a_zip_are_refused(tmp_path: Path) -> None:
    members = collect_members()
    members["requests.csv"] += os.urandom(MB // 2).hex().encode()  # deflates about 2 times
    with pytest.raises(InputFileError, match=r"would uncompress to 1\.1 MB or more, over the"):
        read_table(write_zip(tmp_path / "x.zip", members), limits=SMALL)


def test_other_members_of_a_collect_zip_are_never_read_whole(tmp_path: Path) -> None:
    """Bombs that are not SEN2 tables: a CSV (only its header is read) and a text file."""
    bomb = b"0" * (64 * MB)
    path = write_zip(tmp_path / "x.zip", collect_members(**{"notes.csv": b"note\n" + bomb,
                                                           "readme.txt": bomb}))
    assert read_table(path, limits=SMALL).file_format == "sen2-collect"


def test_a_workbook_bomb_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "book.xlsx", {"[Content_Types].xml": b"<Types/>",
                                              "xl/workbook.xml": b"<workbook/>",
                                              "xl/worksheets/sheet1.xml": b" " * (8 * MB)})
    with pytest.raises(InputFileError, match=r"sheet1\.xml would uncompress to 8\.0 MB"):
        read_table(path)


def test_a_damaged_workbook_is_called_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputFileError, match="is a damaged Excel workbook"):
        read_table(path)


# COLLECT folders --------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(COLLECT, tmp_path / "collect"))


def test_a_folder_named_like_a_table_is_named(run: Run, folder: Path) -> None:
    (folder / "extra.csv").mkdir()
    assert "extra.csv is a folder, not a CSV file" in refused(run, folder)


def test_a_broken_link_in_the_folder_is_named(run: Run, folder: Path) -> None:
    (folder / "requests.csv").unlink()
    (folder / "requests.csv").symlink_to(folder / "gone.csv")
    assert "requests.csv is a broken symbolic link" in refused(run, folder)


def test_a_fifo_in_the_folder_is_named_not_waited_on(run: Run, folder: Path) -> None:
    os.mkfifo(folder / "notes.csv")
    assert "notes.csv is a pipe (FIFO), not a file" in refused(run, folder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_table_is_named(run: Run, folder: Path) -> None:
    (folder / "person.csv").chmod(0)
    assert "person.csv cannot be read (permission denied)" in refused(run, folder)


def test_tables_of_a_folder_over_the_size_limit_are_refused(folder: Path) -> None:
    with (folder / "requests.csv").open("ab") as handle:
        handle.write(b"\n" * MB)
    with pytest.raises(InputFileError, match=r"its COLLECT tables are 1\.1 MB in all, over the"):
        read_table(folder, limits=SMALL)


def test_stdin_dash_is_a_usage_error_from_the_reader() -> None:
    with pytest.raises(UsageError, match="standard input"):
        read_table(Path("-"))


def test_a_folder_that_cannot_be_listed_is_named(monkeypatch: pytest.MonkeyPatch,
                                                 folder: Path) -> None:
    """Root lists any folder, so the refusal is simulated where the listing happens."""
    def refuse(self: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(InputFileError, match=r"the folder cannot be read \(Permission denied"):
        read_table(folder)


def test_an_unreadable_table_is_named_even_when_run_as_root(monkeypatch: pytest.MonkeyPatch,
                                                            folder: Path) -> None:
    """The permission check itself, with os.access answering as for another user."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p).name != "person.csv"
                        and real_access(p, mode))
    with pytest.raises(InputFileError, match=r"person\.csv cannot be read \(permission denied"):
        read_table(folder)


def test_a_table_failing_while_read_is_named(monkeypatch: pytest.MonkeyPatch,
                                             folder: Path) -> None:
    real_open = Path.open

    def failing(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "namedplan.csv":
            raise OSError(5, "Input/output error")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", failing)
    with pytest.raises(InputFileError, match=r"namedplan\.csv cannot be read \(Input/output error"):
        read_table(folder)


def test_a_csv_whose_first_line_holds_a_bare_cr_is_just_not_a_table(folder: Path) -> None:
    """Found by fuzzing: the csv module refused the line while the table was being recognised
    (an internal error)."""
    (folder / "odd.csv").write_bytes(b"note\rmore,x\x00y\n")
    assert read_table(folder).file_format == "sen2-collect"


def test_a_zipped_case_export_says_to_unzip_it(run: Run, tmp_path: Path) -> None:
    """A case export zipped to send it: unusable as it is (exit 1, as any zip of other files),
    and the fix is to unzip it, not to hand over COLLECT tables."""
    export = b"Case Ref,Date Received\nA,01/01/2025\n"
    path = write_zip(tmp_path / "cases.zip", {"cases.csv": export})
    message = refused(run, path)
    assert "not a SEN2 COLLECT export: no CSV file in it is a COLLECT table (found: cases.csv)" \
        in message
    assert "Unzip it and give the export file itself" in message
