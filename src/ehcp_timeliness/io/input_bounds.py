"""What the tool agrees to read at all, and how much: the bounds that keep a run finite.

An export is a named regular file (or a COLLECT folder or zip). Anything that could feed the
reader without end, or feed it something that is not an export, is refused up front with a
message saying what it is (exit 1, or 2 for `-`): standard input, a pipe (FIFO), a character or
block device (`/dev/zero` never ends), a socket, and the files the kernel generates under
`/proc` and `/sys` (`/proc/self/environ` would be read as a CSV). A file over
`[input] max_file_mb` is refused before a byte is read, and so is a line (header or record)
longer than MAX_LINE_BYTES or a header cell over MAX_HEADER_CHARS: one endless "line" is how a
binary or truncated file looks to a CSV reader, and the reader would hold all of it at once.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ehcp_timeliness.config import InputConfig
from ehcp_timeliness.errors import InputFileError, UsageError

MB = 2**20
# A CSV line (the header or one record) longer than this is refused. The widest real exports
# (16,384 columns, long free-text notes) have lines well under 1 MiB; 16 MiB leaves room for an
# 8 MB note while keeping the scan's one buffer small.
MAX_LINE_BYTES = 16 * MB
# A header cell longer than this is not a column name (it is data, or a file read wrongly), and
# would be echoed in every message that lists the headers.
MAX_HEADER_CHARS = 1_000
# Read at a time by the record scan: its vectorised passes hold a few times this much, and
# its byte searches find the chunk still in the processor's cache.
SCAN_CHUNK = MB // 4

_STDIN_NAMES = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")
_KERNEL_TREES = (Path("/proc"), Path("/sys"))
_SPECIAL = (
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_SAVE_HINT = ("Save the export to a file and give that file's path: the tool reads named "
              "files only, never standard input, pipes or devices, whose reading need not end.")


# The configurable bounds are [input] in the config file, read as the config's own model.
DEFAULT_LIMITS = InputConfig()


def megabytes(size: int) -> str:
    """A size for a message: `0.4 MB`, `8.0 MB`, `2,048 MB`."""
    return f"{size / MB:,.1f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"


def size_hint(limits: InputConfig) -> str:
    return (f"The limit is {limits.max_file_mb:,} MB ([input] max_file_mb in the "
            "config file): raise it if the export really is this large.")


# A name like `exports/*.csv` reaches the tool as written when quoted (or when nothing
# matches): a command reads one export, and the shell, not the tool, expands patterns.
_WILDCARD_HINT = ("The name holds a wildcard (*, ? or [), which the tool does not expand: give "
                  "the path of one export, e.g. exports/cases_2025-06.csv.")


def check_input_path(path: Path, limits: InputConfig) -> None:
    """Refuse what is not a readable export: `-`, standard input, devices, pipes, sockets,
    kernel files, broken links and files over the size limit. A folder passes (COLLECT).
    """
    if str(path) == "-":
        raise UsageError("Reading the export from standard input ('-') is not supported",
                         _SAVE_HINT)
    spelled = os.path.abspath(path)
    if spelled in _STDIN_NAMES or spelled.startswith(("/dev/fd/", "/proc/self/fd/")):
        raise InputFileError(f"{path}: is standard input (or another open stream), not a file",
                             _SAVE_HINT)
    if path.is_symlink() and not path.exists():
        raise _broken_link(str(path), path)
    if not path.exists():
        raise UsageError(f"Input file not found: {path}", _WILDCARD_HINT
                         if any(mark in path.name for mark in "*?[") else
                         "Check the path and file name.")
    real = Path(os.path.realpath(path))
    if any(real.is_relative_to(tree) for tree in _KERNEL_TREES):
        raise InputFileError(
            f"{path}: is a file the operating system generates (under /{real.parts[1]}), "
            "not an export",
            "Give the path of a case export file.")
    mode = _mode(path)
    if stat.S_ISDIR(mode):
        return
    for test, kind in _SPECIAL:
        if test(mode):
            raise InputFileError(f"{path}: is {kind}, not a file", _SAVE_HINT)
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise InputFileError(f"{path}: is {megabytes(size)}, over the size limit",
                             size_hint(limits))


def _broken_link(where: str, path: Path, hint: str = "Give the path of the export itself.",
                 separator: str = ": ") -> InputFileError:
    try:
        os.stat(path)
        loop = False
    except OSError as exc:
        # Following the links never ends (a link to itself, two links to each other): the
        # operating system gives up (ELOOP) rather than find a file.
        loop = exc.errno == errno.ELOOP
    if loop:
        return InputFileError(f"{where}{separator}is a symbolic link that leads back to itself "
                              "(a loop), not a file", hint)
    return InputFileError(f"{where}{separator}is a broken symbolic link (its target does not "
                          "exist)", hint)


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})",
                             "Check you have permission to read it.") from exc


def check_member_file(folder: Path, entry: Path) -> None:
    """A file of a COLLECT folder: refused, by name, unless it is a regular file we may read."""
    if entry.is_symlink() and not entry.exists():
        raise _broken_link(f"{folder}: {entry.name}", entry,
                           "Remove it from the folder, or replace it with the table itself.",
                           separator=" ")
    mode = _mode(entry)
    if stat.S_ISDIR(mode):
        raise InputFileError(f"{folder}: {entry.name} is a folder, not a CSV file",
                             "Move it out of the COLLECT folder, or rename it.")
    for test, kind in _SPECIAL:
        if test(mode):
            raise InputFileError(f"{folder}: {entry.name} is {kind}, not a file", _SAVE_HINT)
    if not os.access(entry, os.R_OK):
        raise InputFileError(f"{folder}: {entry.name} cannot be read (permission denied)",
                             "Check you have permission to read every file in the folder.")


def longest_line_over(chunks: Iterable[bytes], limit: int = MAX_LINE_BYTES) -> bool:
    """Whether any record is longer than LIMIT bytes: a record ends at a line break (LF or
    CR) outside quotes, so a quoted cell with a line break every kilobyte is one record, as
    the CSV reader holds it, not many short lines.

    CHUNKS must each be at most LIMIT bytes long: then a record wholly inside one chunk is
    short enough, and only runs across chunk boundaries need adding up. A chunk without a
    quote mark, outside a quoted value, is two byte searches; one with quotes a few more
    (_record_ends), never a Python loop over its bytes.
    """
    run = 0  # bytes since the last record end
    inside = False  # whether the chunk starts inside a quoted value
    for chunk in chunks:
        if not inside and b'"' not in chunk:
            first = _next_break(chunk, 0)
            last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        else:
            first, last, inside = _record_ends(chunk, inside)
        if first < 0:
            run += len(chunk)
        else:
            if run + first > limit:
                return True
            run = len(chunk) - 1 - last
        if run > limit:
            return True
    return False


def _record_ends(chunk: bytes, inside: bool) -> tuple[int, int, bool]:
    """(first, last) positions in CHUNK of a line break outside quotes (-1, -1 for none), and
    whether the chunk ends inside a quoted value. A doubled quote in a quoted value closes
    and reopens it, so counting quote marks gives the same answer: a line break is outside
    quotes when the quote marks before it are even (odd, for a chunk starting inside).
    Counted up to the first line break and back from the last, which in a quoted export end
    records; past a few line breaks inside quoted values, every line break of the chunk is
    weighed at once (numpy), never one at a time in Python.
    """
    ends_inside = inside ^ bool(chunk.count(b'"') & 1)
    first, last = _first_end(chunk, inside), _last_end(chunk, ends_inside)
    if first is None or last is None:
        first, last = _ends_weighed(chunk, inside)
    return first, last, ends_inside


_STEPS = 8  # line breaks inside quotes stepped over before weighing them all


def _first_end(chunk: bytes, inside: bool) -> int | None:
    """The first line break outside quotes, -1 for none; None if not among the first few."""
    start = 0
    for _ in range(_STEPS):
        end = _next_break(chunk, start)
        if end < 0:
            return -1
        inside ^= bool(chunk.count(b'"', start, end) & 1)
        if not inside:
            return end
        start = end + 1
    return None


def _last_end(chunk: bytes, ends_inside: bool) -> int | None:
    """The last line break outside quotes, -1 for none; None if not among the last few."""
    stop = len(chunk)
    for _ in range(_STEPS):
        end = max(chunk.rfind(b"\n", 0, stop), chunk.rfind(b"\r", 0, stop))
        if end < 0:
            return -1
        ends_inside ^= bool(chunk.count(b'"', end, stop) & 1)
        if not ends_inside:
            return end
        stop = end
    return None


def _ends_weighed(chunk: bytes, inside: bool) -> tuple[int, int]:
    import numpy as np  # only for a file with quoted line breaks: no cost to start-up

    data = np.frombuffer(chunk, dtype=np.uint8)
    quotes = np.flatnonzero(data == _QUOTE)
    breaks = np.flatnonzero((data == _LF) | (data == _CR))
    ends = breaks[(np.searchsorted(quotes, breaks) & 1) == int(inside)]
    return (int(ends[0]), int(ends[-1])) if ends.size else (-1, -1)


def _next_break(chunk: bytes, start: int) -> int:
    """The first line break (LF or CR) in CHUNK from START on, -1 for none."""
    return min((i for i in (chunk.find(b"\n", start), chunk.find(b"\r", start)) if i >= 0),
               default=-1)


_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")


def bytes_chunks(data: bytes, size: int = MAX_LINE_BYTES) -> Iterable[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), size):
        yield bytes(view[start:start + size])


def line_too_long(where: str) -> InputFileError:
    return InputFileError(
        f"{where}: has a line or record longer than {MAX_LINE_BYTES // MB} MB (a header or a "
        "record with no line break, or a quoted value running over many lines)",
        "This is not a case export as saved by a spreadsheet or case system (a binary file, "
        "one cut short, or a quote mark never closed?): export the case list again as CSV.")


def check_header_sizes(path: Path, headers: list[str]) -> None:
    for position, header in enumerate(headers, start=1):
        if len(header) > MAX_HEADER_CHARS:
            raise InputFileError(
                f"{path}: the header of column {position} is {len(header):,} characters long, "
                f"over the limit of {MAX_HEADER_CHARS:,} for a column name",
                "The first line should hold the column names: check the export has its header "
                "row, and that it was saved with line breaks between rows.")


def check_column_count(where: str, columns: int, max_columns: int) -> None:
    """An export wider than [input] max_columns is refused: every column costs memory
    (about 42 KB each even for a few rows), so a million columns exhaust any machine."""
    if columns > max_columns:
        raise InputFileError(
            f"{where}: has {columns:,} columns, over the limit of {max_columns:,}",
            "A case export has tens of columns: check the file is the case list (a wide "
            "report or a transposed sheet?). If it really is this wide, raise [input] "
            "max_columns in the config file.")
