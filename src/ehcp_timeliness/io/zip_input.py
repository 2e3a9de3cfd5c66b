"""Zip inputs (an Excel workbook, or a COLLECT export zipped): looked at before anything is
uncompressed, then read member by member with a bound.

What a zip says about itself is checked first, from its directory (zipfile's ZipInfo): that it
opens at all, holds something, holds no encrypted member or one compressed by a method Python
cannot read, and what kind of zip it is. Members read whole must fit the size limit and a ratio
limit (`[input] max_file_mb`, `max_zip_ratio`): a zip bomb is refused from its directory, before
a byte is inflated. The directory cannot lie to us: zipfile stops reading a member at its stated
size and then fails its CRC check, which is reported as damage. The ratio limit follows Apache
POI's ZipSecureFile (a minimum inflate ratio of 0.01, i.e. at most 100 times), checked only
past a grace size, as POI does, since a small member can compress far better harmlessly.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ehcp_timeliness.config import InputConfig
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.input_bounds import MB, megabytes, size_hint

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # a member, an empty zip, spanned
RATIO_GRACE_BYTES = 1 * MB
_READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                     zipfile.ZIP_LZMA)
# What zipfile and the decompressors raise on a damaged archive or member.
ZIP_FAILURES = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError,
                OSError, RuntimeError, NotImplementedError, ValueError)
_DAMAGED_HINT = ("The zip file is damaged or incomplete (cut short while copying?): make it "
                 "again from the original files.")
_WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/workbook.bin", "mimetype")


@dataclass(frozen=True)
class ZipListing:
    path: Path
    members: tuple[zipfile.ZipInfo, ...]  # files only: folders and macOS resource forks left out

    @property
    def is_workbook(self) -> bool:
        names = {m.filename for m in self.members}
        return any(part in names for part in _WORKBOOK_PARTS)

    @property
    def csv_members(self) -> tuple[zipfile.ZipInfo, ...]:
        return tuple(m for m in self.members if m.filename.lower().endswith(".csv"))


def list_zip(path: Path) -> ZipListing:
    """The zip's files, from its directory; InputFileError when it is damaged, empty, or holds
    an encrypted member or one compressed by a method that cannot be read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except ZIP_FAILURES as exc:
        # An .xlsx is a zip: its name says which the user meant.
        kind = ("Excel workbook (an .xlsx is a zip file)"
                if path.suffix.lower() in (".xlsx", ".xlsm") else "zip file")
        raise InputFileError(f"{path}: is a damaged {kind} ({type(exc).__name__})",
                             _DAMAGED_HINT) from exc
    members = tuple(m for m in infos if not m.is_dir() and not m.filename.startswith("__MACOSX/"))
    if not members:
        raise InputFileError(f"{path}: is an empty zip file (it holds no files)",
                             "Zip the export's files again, or give the export itself.")
    for member in members:
        if member.flag_bits & 0x1:
            raise InputFileError(
                f"{path}: is an encrypted (password-protected) zip file",
                "Unzip it with its password and give the export itself: the tool never asks "
                "for passwords.")
        if member.compress_type not in _READABLE_METHODS:
            raise InputFileError(
                f"{path}: uses a compression method that cannot be read "
                f"(method {member.compress_type})",
                "Zip it again with ordinary (deflate) compression, or unzip it and give the "
                "export itself.")
    return ZipListing(path, members)


def refuse_other_zip(listing: ZipListing) -> InputFileError:
    """The error for a zip that is neither a workbook nor a COLLECT export: what it holds."""
    path, members = listing.path, listing.members
    kinds = Counter(PurePosixPath(m.filename).suffix.lower() or "(no extension)" for m in members)
    if set(kinds) <= {".zip"}:
        return InputFileError(
            f"{path}: is a zip file holding only another zip file"
            f"{'s' if len(members) > 1 else ''}, not an export",
            "Unzip it and give the inner zip (or the export in it) instead.")
    held = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    return InputFileError(
        f"{path}: is a zip file, but neither an Excel workbook nor a SEN2 COLLECT export of CSV "
        f"tables (it holds {len(members)} file{'s' if len(members) > 1 else ''}: {held})",
        "Unzip it and give the export file itself (CSV, Excel, Parquet or SEN2 XML).")


def check_members(listing: ZipListing, members: tuple[zipfile.ZipInfo, ...],
                  limits: InputConfig) -> None:
    """MEMBERS, about to be read whole, must fit the size limit together and each the ratio."""
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_GRACE_BYTES and ratio > limits.max_zip_ratio:
            raise InputFileError(
                f"{listing.path}: {member.filename} would uncompress to "
                f"{megabytes(member.file_size)}, {ratio:,.0f} times its stored size "
                f"(a zip bomb?)",
                f"Over the limit of {limits.max_zip_ratio:,} times ([input] max_zip_ratio "
                "in the config file): unzip it yourself if it is a genuine export.")
        if total > limits.max_file_mb * MB:
            raise InputFileError(
                f"{listing.path}: the files read from this zip would uncompress to "
                f"{megabytes(total)} or more, over the size limit", size_hint(limits))


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path,
                limit: int | None = None) -> bytes:
    """A member's bytes, or its first LIMIT bytes; damage is reported, naming the member."""
    try:
        with archive.open(member) as handle:
            return handle.read(-1 if limit is None else limit)
    except ZIP_FAILURES as exc:
        raise InputFileError(
            f"{path}: {member.filename} cannot be uncompressed ({type(exc).__name__})",
            _DAMAGED_HINT) from exc
