"""Writers: atomic (temporary file then rename), never over an input, safe to open in Excel.

What an output path may be: a new or existing regular file (written atomically: a reader never
sees half a file, and a failed run leaves the old one whole), a character device such as
/dev/null (written through as a stream: replacing /dev/null with a file would break the
machine), or stdout/stderr by any name (`-`, /dev/stdout, /dev/fd/1). A directory, FIFO,
socket or block device is refused before any work is done: renaming over them fails or
replaces something that is not ours, and opening a FIFO blocks until someone reads it.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import polars as pl

from ehcp_timeliness.columns import column
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.printable import printable

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV
# injection, OWASP): = + - @, tab and carriage return, after any leading spaces (spreadsheets
# trim them), and the full-width forms some locales read as the same signs.
_FORMULA_START = r"^[ \u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]"
_FORMULA_START_RE = re.compile(_FORMULA_START)
# Names of this process's stdout and stderr, whatever they are redirected to (a file, a pipe).
_STD_STREAM = re.compile(r"^/dev/(?:std(out|err)|fd/([12]))$"
                         r"|^/proc/(?:self|thread-self)/fd/([12])$")


def neutralise_text(text: str) -> str:
    """One cell or header: prefixed with an apostrophe when a spreadsheet would run it."""
    return "'" + text if _FORMULA_START_RE.search(text) else text


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix risky text cells with an apostrophe so spreadsheets show them as text.

    Categorical and enum columns (a --by group read as one) are text too: cast first.
    """
    text = [n for n, t in frame.schema.items()
            if t == pl.String or isinstance(t, pl.Categorical | pl.Enum)]
    return frame.with_columns(
        pl.when(column(c).cast(pl.String).str.contains(_FORMULA_START))
        .then("'" + column(c).cast(pl.String))
        .otherwise(column(c).cast(pl.String)).alias(c)
        for c in text
    )


def _csv_bytes(frame: pl.DataFrame) -> bytes:
    """CSV with header cells neutralised as values are: a header comes from the export too.

    The header row is written by Polars as a row of text, so it is quoted exactly as values
    are; renaming the columns instead could make two of them one name.
    """
    buffer = io.BytesIO()
    if frame.width:
        names = [neutralise_text(name) for name in frame.columns]
        header = pl.DataFrame([pl.Series(f"c{i}", [name], pl.String)
                               for i, name in enumerate(names)])
        header.write_csv(buffer, include_header=False)
    neutralise_formulas(frame).write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
    return buffer.getvalue()


def table_bytes(frame: pl.DataFrame, file_format: str) -> bytes:
    """Serialise deterministically: same frame, same bytes."""
    if file_format == "csv":
        return _csv_bytes(frame)
    buffer = io.BytesIO()
    if file_format == "json":
        buffer.write(frame.write_json().encode("utf-8"))
        buffer.write(b"\n")
    elif file_format == "parquet":
        # Status columns are Enums inside the tool (columns.status_type); the file's schema
        # keeps them as text, as the data contract has it.
        frame.with_columns(pl.col(pl.Enum).cast(pl.String)).write_parquet(
            buffer, statistics=False)
    else:  # pragma: no cover - callers validate the format
        raise ValueError(file_format)
    return buffer.getvalue()


def json_bytes(data: object) -> bytes:
    """A view's JSON document: indented, non-ASCII kept, one closing newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def protected_files(*paths: Path) -> tuple[Path, ...]:
    """PATHS, and each file directly in any of them that is a folder (a COLLECT folder's
    tables: the reader may read any of them)."""
    found: list[Path] = []
    for path in paths:
        found.append(path)
        if path.is_dir():
            try:
                found += sorted(p for p in path.iterdir() if p.is_file())
            except OSError:  # unreadable: the reader reports it
                pass
    return tuple(found)


def _is_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def _std_stream(output: Path) -> int | None:
    """1 or 2 when OUTPUT names this process's stdout or stderr (/dev/stdout), else None.
    Other descriptors (/dev/fd/3) are judged by the file they point at, like any path."""
    match = _STD_STREAM.match(os.path.normpath(os.path.abspath(str(output))))
    if match is None:
        return None
    name, *numbers = match.groups()
    return {"out": 1, "err": 2}[name] if name else int(next(n for n in numbers if n))


def _kind(output: Path) -> str:
    """'file' (regular or not there yet), 'device' (character device) or 'stream' (stdout or
    stderr, whatever it is redirected to); UsageError for anything else."""
    if _std_stream(output) is not None:
        return "stream"
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        raise UsageError(f"Cannot write {output}: {exc.strerror or type(exc).__name__}",
                         "Choose another --output path.") from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISCHR(mode):
        return "device"
    what = ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a block device"
            if stat.S_ISBLK(mode) else "not a regular file")
    raise UsageError(f"Cannot write to {output}: it is {what}",
                     "Give a file name, e.g. --output results/summary.csv; `-` writes to "
                     "stdout.")


def writes_a_file(output: Path | None) -> bool:
    """Whether OUTPUT is a (new or regular) file, not stdout or a device."""
    return not _is_stdout(output) and output is not None and _kind(output) == "file"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def same_file(one: Path, other: Path) -> bool:
    """Any spelling of the same file: resolve() sees through symlinks and `..`; the
    (device, inode) pair also catches hard links and case-insensitive file systems
    (Cases.csv vs cases.csv on Windows)."""
    # os.path.realpath, not Path.resolve: on a symlink loop resolve raises RuntimeError
    # (Python 3.11) where realpath gives the path back, and the loop is reported elsewhere.
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    mine = _identity(one)
    return mine is not None and mine == _identity(other)


def refuse_overwrite(output: Path, protect: tuple[Path, ...]) -> None:
    """UsageError if OUTPUT is one of the PROTECT files (the inputs), however it is spelt."""
    for path in protect:
        if os.path.lexists(path) and same_file(output, path):
            raise UsageError(f"Refusing to write over {path}: the command reads it",
                             "Choose another --output path.")


def check_outputs(protect: tuple[Path, ...], *outputs: Path | None) -> None:
    """Before any work: each output can be written (see the module's docstring), replaces no
    input, and no two outputs are one file (the second would replace the first) or both
    stdout (they would be mixed). None: an output not asked for; `-`: stdout."""
    files: list[Path] = []
    to_stdout = [o for o in outputs if o is not None and (_is_stdout(o) or _std_stream(o) == 1)]
    if len(to_stdout) > 1:
        raise UsageError(f"Two outputs would be mixed on stdout ({to_stdout[0]} and "
                         f"{to_stdout[1]})",
                         "Send --issues-out to a file, e.g. --issues-out issues.csv.")
    for output in outputs:
        if output is None or _is_stdout(output):
            continue
        kind = _kind(output)
        refuse_overwrite(output, protect)
        if kind != "file":
            continue  # two streams to one device interleave; neither replaces the other
        for earlier in files:
            if same_file(output, earlier):
                raise UsageError(f"--output and --issues-out both name {output}",
                                 "Give each its own file.")
        files.append(output)


@contextmanager
def output_stream(output: Path | None, protect: tuple[Path, ...] = ()) -> Iterator[BinaryIO]:
    """A binary handle on OUTPUT: stdout for None or '-', a stream for a device or an open
    descriptor, else a temporary file beside it renamed over it once the block ends well."""
    if _is_stdout(output):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    assert output is not None
    kind = _kind(output)
    refuse_overwrite(output, protect)
    if kind == "stream":
        # Through Python's own stream, so what it has buffered stays in order, and a file
        # stdout is redirected to is appended to as the shell opened it, not replaced.
        held = sys.stdout if _std_stream(output) == 1 else sys.stderr
        held.flush()
        yield held.buffer
        held.buffer.flush()
        return
    if kind == "device":
        # No O_TRUNC or O_CREAT: a device is written through, never created or replaced.
        try:
            with os.fdopen(os.open(output, os.O_WRONLY), "wb") as handle:
                yield handle
        except OSError as exc:  # /dev/full, a device without write permission
            raise _cannot_write(output, exc) from None
        return
    target = output.resolve()
    if not target.parent.is_dir():
        raise UsageError(f"Output folder does not exist: {target.parent}",
                         "Create the folder first, or choose another --output path.")
    try:
        # The temporary name is cut to 100 bytes, on a character boundary: beside a name near
        # the file system's 255-byte limit, the name plus ".tmp" and eight random characters
        # would be too long, and the folder blamed for it.
        short = target.name.encode("utf-8")[:100].decode("utf-8", errors="ignore")
        fd, tmp = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"Cannot write in {target.parent}: "
                         f"{exc.strerror or type(exc).__name__}",
                         "Choose a folder you can write to.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # the disk full, the folder read-only
            raise _cannot_write(output, exc) from None
        raise


def _cannot_write(output: Path, exc: OSError) -> UsageError:
    return UsageError(f"Cannot write {output}: {exc.strerror or type(exc).__name__}",
                      "Free some space, or choose another --output path.")


def write_output(data: bytes, output: Path | None, protect: tuple[Path, ...] = ()) -> None:
    """Write DATA to OUTPUT (see output_stream). Text sent to a terminal (`cases` with no
    --output, typed in a shell) has its control characters escaped like any table the tool
    renders: a cell's escape sequence must not reach the terminal. Files and pipes get the
    bytes as they are."""
    if _to_terminal(output):
        try:
            data = printable(data.decode("utf-8"), keep_newlines=True).encode("utf-8")
        except UnicodeDecodeError:  # binary: the commands refuse to send it to a terminal
            pass
    with output_stream(output, protect) as handle:
        handle.write(data)


def _to_terminal(output: Path | None) -> bool:
    if output is None or _is_stdout(output):
        stream = sys.stdout
    else:
        stream = {1: sys.stdout, 2: sys.stderr}.get(_std_stream(output) or 0)
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False
