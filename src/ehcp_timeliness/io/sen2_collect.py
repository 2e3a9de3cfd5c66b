"""SEN2 as exported from DfE COLLECT: one CSV per module, joined by their table ids.

The user gives the folder holding the CSV files, or a .zip of them. Files are recognised by their
headers, not their names (COLLECT names them `Blade-Export_<date>_<table>.csv`, and people
rename them): a table is known by its own id column, the deepest of the `<table>tableid` columns
it has (requests has `requeststableid` and its parent's `persontableid`). Headers are compared
ignoring case and punctuation. Needed: person, requests, assessment, namedplan, activeplans;
sen2 (the header: LA code, year) and senneed (primary need) are read when present; other files
are ignored.

Column names follow the COLLECT "Blade" export as read by MastodonC/witan.sen2 (`persontableid`,
`receiveddate`, … — the XML item names in lower case); dates there look like
`2024-Sep-28 00:00:00`, which schema/values.py reads. Everything is joined with Polars: the only
Python loop over data is one digest per person for case_id (sen2_common.person_key).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ehcp_timeliness.config import InputConfig
from ehcp_timeliness.errors import InputFileError, UsageError
from ehcp_timeliness.io.csv_reader import bare_cr_to_lf
from ehcp_timeliness.io.input_bounds import (
    DEFAULT_LIMITS,
    MB,
    bytes_chunks,
    check_member_file,
    line_too_long,
    longest_line_over,
    megabytes,
    size_hint,
)
from ehcp_timeliness.io.sen2_common import (
    ACTIVE_PLAN_ITEMS,
    ASSESSMENT_ITEMS,
    HEADER_ITEMS,
    LINE,
    NAMED_PLAN_ITEMS,
    NEED_ITEMS,
    PERSON_ITEMS,
    PERSON_KEY,
    REQUEST_ITEMS,
    person_key,
    to_raw_table,
)
from ehcp_timeliness.io.source import RawTable, normalise_header
from ehcp_timeliness.io.text_encoding import encoding_of, to_utf8
from ehcp_timeliness.io.zip_input import ZipListing, check_members, read_member

# table -> its parent table (None: the top). Depth in this tree decides which table a file is.
PARENT: dict[str, str | None] = {
    "sen2": None, "person": "sen2", "requests": "person", "assessment": "requests",
    "namedplan": "assessment", "plandetail": "namedplan", "activeplans": "requests",
    "placementdetail": "activeplans", "senneed": "activeplans",
}
REQUIRED = ("person", "requests", "assessment", "namedplan", "activeplans")
ITEMS_OF = {
    "sen2": HEADER_ITEMS, "person": PERSON_ITEMS, "requests": REQUEST_ITEMS,
    "assessment": ASSESSMENT_ITEMS, "namedplan": NAMED_PLAN_ITEMS,
    "activeplans": ACTIVE_PLAN_ITEMS, "senneed": NEED_ITEMS,
}


def _depth(table: str) -> int:
    parent = PARENT[table]
    return 0 if parent is None else 1 + _depth(parent)


def _id(table: str) -> str:
    return f"{table}tableid"


def table_of(headers: list[str]) -> str | None:
    """Which COLLECT table a file with these headers is, or None if it is not one."""
    keys = {normalise_header(h) for h in headers}
    tables = [t for t in PARENT if _id(t) in keys]
    return max(tables, key=_depth) if tables else None


def _utf8(data: bytes, complete: bool = True) -> bytes:
    # COLLECT writes UTF-8; Excel re-saves as UTF-8 with a BOM or as Windows-1252, and Excel
    # for Mac with lone CRs ending lines, which Polars would fold into one record. Read as
    # every CSV export is (io/text_encoding.py).
    text = to_utf8(data, encoding_of(data, complete))
    return bare_cr_to_lf(text) if b"\r" in text else text


def _headers(data: bytes) -> list[str]:
    # The first line, whatever ends it: the csv module refuses a bare CR inside a line.
    text = _utf8(data[:_HEAD], complete=len(data) <= _HEAD).decode("utf-8", errors="replace")
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    try:
        return next(csv.reader([first]), [])
    except csv.Error:  # whatever the csv module refuses is no SEN2 table's header
        return []


_HEAD = 65536  # bytes of each CSV read to recognise its table: a header fits easily


@dataclass(frozen=True)
class _Source:
    """One CSV file of the folder or zip: its first bytes, and its size once read."""

    name: str
    head: bytes
    size: int
    member: zipfile.ZipInfo | None = None


def _sources(path: Path, listing: ZipListing | None) -> list[_Source]:
    """The CSV files in the folder or zip, each read only as far as its header: a file that is
    not a SEN2 table is never read whole. A CSV entry that cannot be read is refused by name.
    """
    if listing is None:
        found = []
        try:
            entries = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        except OSError as exc:
            raise InputFileError(f"{path}: the folder cannot be read ({exc.strerror})",
                                 "Check you have permission to list the folder.") from exc
        for entry in entries:
            check_member_file(path, entry)
            found.append(_Source(entry.name, _read_entry(path, entry, _HEAD),
                                 entry.stat().st_size))
        return found
    with zipfile.ZipFile(path) as archive:
        return [_Source(m.filename, read_member(archive, m, path, _HEAD), m.file_size, m)
                for m in sorted(listing.csv_members, key=lambda m: m.filename)]


def _read_entry(folder: Path, entry: Path, limit: int = -1) -> bytes:
    """A folder entry's bytes (the first LIMIT), a failure named by the entry."""
    try:
        with entry.open("rb") as handle:
            return handle.read(limit)
    except OSError as exc:
        raise InputFileError(f"{folder}: {entry.name} cannot be read ({exc.strerror})",
                             "Check you have permission to read every file in the folder.") \
            from exc


def _whole(path: Path, sources: list[_Source], listing: ZipListing | None,
           limits: InputConfig) -> list[bytes]:
    """The whole of each of SOURCES (the tables found), once they are known to fit the limits."""
    if listing is None:
        total = sum(s.size for s in sources)
        if total > limits.max_file_mb * MB:
            raise InputFileError(f"{path}: its COLLECT tables are {megabytes(total)} in all, "
                                 "over the size limit", size_hint(limits))
        datas = [_read_entry(path, path / s.name) for s in sources]
    else:
        members = tuple(s.member for s in sources if s.member is not None)
        check_members(listing, members, limits)
        with zipfile.ZipFile(path) as archive:
            datas = [read_member(archive, m, path) for m in members]
    for source, data in zip(sources, datas, strict=True):
        if longest_line_over(bytes_chunks(data)):
            raise line_too_long(f"{path}: {source.name}")
    return datas


def find_tables(path: Path, limits: InputConfig = DEFAULT_LIMITS,
                listing: ZipListing | None = None) -> dict[str, tuple[str, bytes]]:
    """table -> (file name, bytes); UsageError when the folder holds no COLLECT table,
    InputFileError when the zip holds none.
    LISTING: the zip's (io/zip_input.py), None for a folder."""
    sources = _sources(path, listing)
    found: dict[str, _Source] = {}
    for source in sources:
        table = table_of(_headers(source.head))
        if table is None:
            continue
        if table in found:
            raise InputFileError(
                f"{path}: two files are the COLLECT {table} table: {found[table].name} and "
                f"{source.name}",
                "Keep one export per folder (or zip): move the other files elsewhere.")
        found[table] = source
    if not found:
        seen = ", ".join(s.name for s in sources[:10]) or "no CSV files"
        if listing is not None:
            # A zipped case export, most often: the input is unusable as it is (exit 1, as
            # for a zip of other files, zip_input.refuse_other_zip), and unzipping is the fix.
            raise InputFileError(
                f"{path}: is a zip file, but not a SEN2 COLLECT export: no CSV file in it is "
                f"a COLLECT table (found: {seen})",
                "Unzip it and give the export file itself (CSV, Excel, Parquet or SEN2 XML); "
                "a COLLECT zip holds the person, requests, assessment, namedplan and "
                "activeplans tables.")
        raise UsageError(
            f"{path} is a folder, but not a SEN2 COLLECT export (found: {seen})",
            "Give a case export file, or a folder or .zip holding the COLLECT CSV tables "
            "(person, requests, assessment, namedplan, activeplans).")
    missing = [t for t in REQUIRED if t not in found]
    if missing:
        have = ", ".join(f"{t} ({s.name})" for t, s in found.items())
        raise InputFileError(
            f"{path}: COLLECT table{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"not found (found: {have})",
            "Export every table of the SEN2 return from COLLECT into the same folder; a table "
            "is recognised by its id column (e.g. requeststableid).")
    datas = _whole(path, list(found.values()), listing, limits)
    return {t: (s.name, d) for (t, s), d in zip(found.items(), datas, strict=True)}


def _read(path: Path, table: str, name: str, data: bytes) -> pl.DataFrame:
    """The table's ids and the SEN2 items we use, as text under their XML names."""
    try:
        frame = pl.read_csv(io.BytesIO(_utf8(data)), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        # Polars' own text is not shown: it can quote the cell it failed on.
        raise InputFileError(f"{path}: COLLECT {table} table {name} cannot be read "
                             f"({type(exc).__name__})",
                             "Re-export the table from COLLECT.") from exc
    wanted = {normalise_header(i): i for i in ITEMS_OF[table]}
    wanted[_id(table)] = _id(table)
    parent = PARENT[table]
    if parent is not None:
        wanted[_id(parent)] = _id(parent)
    renames = {c: wanted[key] for c in frame.columns if (key := normalise_header(c)) in wanted}
    frame = frame.select(pl.col(c).alias(n) for c, n in renames.items())
    if parent is not None and parent != "sen2" and _id(parent) not in frame.columns:
        raise InputFileError(f"{path}: COLLECT {table} table {name} has no {_id(parent)} column",
                             f"Without it the {table} rows cannot be joined to their {parent}.")
    absent = [pl.lit(None, pl.String).alias(i) for i in wanted.values() if i not in frame.columns]
    return frame.with_columns(absent)


def _one_per(frame: pl.DataFrame, parent: str) -> pl.DataFrame:
    # SEN2 allows one assessment, named plan and active-plans record per parent; as in the XML
    # reader, a second one is ignored rather than doubling the request.
    return frame.unique(subset=_id(parent), keep="first", maintain_order=True)


# The tables below requests whose rows join to a case; a row whose parent id matches nothing
# would join to none and vanish, so it is set aside as an issue instead.
CHILD_TABLES = ("assessment", "namedplan", "activeplans", "senneed")
UNMATCHED = "unmatched-sen2-row"


def _unmatched(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One issue per child-table row whose parent id is in no row of its parent table."""
    parts = []
    for table in (t for t in CHILD_TABLES if t in tables):
        parent = PARENT[table]
        assert parent is not None
        rows = tables[table].with_row_index("__at", offset=2)  # the header is row 1
        parts.append(rows.join(tables[parent], on=_id(parent), how="anti")
                     .select(pl.lit(_id(parent)).alias("column"),
                             pl.format(f"{table} table row {{}}", "__at").alias("value")))
    return pl.concat(parts).with_columns(pl.lit(UNMATCHED).alias("code"))


def read_collect(path: Path, limits: InputConfig = DEFAULT_LIMITS,
                 listing: ZipListing | None = None) -> RawTable:
    tables = {t: _read(path, t, n, d) for t, (n, d) in find_tables(path, limits, listing).items()}
    # A person listed twice would double each of their requests: the first row is kept.
    person = _one_per(tables["person"], "person").with_row_index("__person_at", offset=1)
    # The digest is per person (not per request) and needs hashlib: see sen2_common.
    person = person.with_columns(pl.Series(PERSON_KEY, [
        person_key(u, ln, p) for u, ln, p in zip(
            person["UPN"], person["UniqueLearnerNumber"], person["__person_at"], strict=True)
    ], dtype=pl.String))
    requests = tables["requests"].with_row_index(LINE, offset=2)  # the header is line 1
    if requests.height == 0:
        raise InputFileError(f"{path}: the COLLECT requests table has no rows",
                             "Export the return again from COLLECT, with its requests.")
    orphans = requests.join(person, on=_id("person"), how="anti")
    if orphans.height:
        raise InputFileError(
            f"{path}: {orphans.height} request row(s) name a person not in the person table "
            f"(first at row {orphans[LINE][0]} of the requests table)",
            "Export the person and requests tables from the same COLLECT return.")
    assessment = _one_per(tables["assessment"], "requests")
    plan = _one_per(tables["namedplan"], "assessment")
    active = _one_per(tables["activeplans"], "requests")
    if "senneed" in tables:
        not_primary = (pl.col("SENtypeRank").str.strip_chars() != "1").fill_null(True)
        need = (tables["senneed"].sort(not_primary, maintain_order=True)
                .pipe(_one_per, "activeplans").select(_id("activeplans"), "SENtype"))
        active = active.join(need, on=_id("activeplans"), how="left")
    frame = (
        requests.join(person.drop(_id("sen2"), strict=False), on=_id("person"), how="left")
        .join(assessment, on=_id("requests"), how="left")
        .join(plan, on=_id("assessment"), how="left")
        .join(active, on=_id("requests"), how="left")
        .sort("__person_at", LINE)  # return order: person by person, as in the XML
    )
    header = tables.get("sen2")
    for item in HEADER_ITEMS:
        value = header[item][0] if header is not None and header.height else None
        frame = frame.with_columns(pl.lit(value, pl.String).alias(item))
    return to_raw_table(frame, path, "sen2-collect",
                        {"persons": str(person.height), "requests": str(frame.height)},
                        set_aside=_unmatched(tables))
