"""DfE's published EHC plan figures and the statistical neighbours table, shipped in the package.

Read from the installed package (importlib.resources), never from the network. Source, licence
and the neighbours table's unconfirmed provenance: reference_data/README.md. Values are kept as
published (text, `x` = unavailable, `z` = not applicable); `figures()` turns the columns asked
for into numbers, with `x`, `z` and blanks as null.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import polars as pl

from ehcp_timeliness.errors import UsageError

SOURCE = ('Department for Education, "Education, health and care plans", reporting year 2025 '
          "(June 2025)")
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
CITATION = f"Published figures: {SOURCE}. {OGL}"
NEIGHBOURS_CITATION = (
    "Statistical neighbours: data-to-insight/send-benchmarking (MIT licence, "
    "© 2025 data-to-insight); where the lists come from is unconfirmed, so treat them as "
    "indicative.")

TIMELINESS = "timeliness_20_week"
REQUESTS = "requests"
ASSESSMENTS = "assessments"
ANNUAL_REVIEWS = "annual_reviews"
TABLES = (TIMELINESS, REQUESTS, ASSESSMENTS, ANNUAL_REVIEWS)

NATIONAL = "National"
REGIONAL = "Regional"
LOCAL_AUTHORITY = "Local authority"
ENGLAND_CODE = "E92000001"
ID_COLUMNS = ("time_period", "geographic_level", "region_code", "region_name", "new_la_code",
              "old_la_code", "la_name")

# The neighbours table's names that differ from DfE's la_name (reference_data/README.md).
NEIGHBOUR_NAMES = {
    "Bedford Borough": "Bedford",
    "Durham": "County Durham",
    "Herefordshire": "Herefordshire, County of",
    "Kingston Upon Hull, City of": "Kingston upon Hull, City of",
}
# In DfE's files for early years only; no column in the neighbours table.
PREDECESSORS = {
    "Cumbria": ("Cumberland", "Westmorland and Furness"),
    "Northamptonshire": ("North Northamptonshire", "West Northamptonshire"),
}


def _data(name: str) -> bytes:
    return files("ehcp_timeliness").joinpath("reference_data", name).read_bytes()


@cache
def published_table(name: str) -> pl.DataFrame:
    """One of TABLES as published: every cell text, except time_period (the calendar year)."""
    if name not in TABLES:
        raise ValueError(f"unknown published table {name!r}")
    frame = pl.read_csv(io.BytesIO(_data(f"{name}.csv")), infer_schema=False)
    return frame.with_columns(pl.col("time_period").cast(pl.Int64))


def is_percentage(column: str) -> bool:
    lower = column.lower()
    return lower.startswith("pc_") or lower.endswith("_pc")


def figures(name: str, columns: tuple[str, ...] | list[str]) -> pl.DataFrame:
    """ID_COLUMNS and the named measures as numbers (counts Int64, percentages Float64);
    `x`, `z` and blanks become null.
    """
    table = published_table(name)
    return table.select(
        *ID_COLUMNS,
        *(pl.col(c).cast(pl.Float64 if is_percentage(c) else pl.Int64, strict=False)
          for c in columns),
    )


def england(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("geographic_level") == NATIONAL)


def regions(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("geographic_level") == REGIONAL)


@dataclass(frozen=True)
class Authority:
    """A local authority as DfE names it in the 20-week timeliness file."""

    name: str                 # DfE la_name
    new_la_code: str          # the 9-character code of the latest year published
    old_la_code: str          # DfE's 3-digit LA number (stable across years)
    region_code: str
    region_name: str
    codes: tuple[str, ...]    # every 9-character code published for it (Buckinghamshire: 2)


@cache
def authorities() -> tuple[Authority, ...]:
    """Every local authority in the 20-week file, 2019–2024, by name."""
    latest = pl.col("time_period").arg_max()
    table = (published_table(TIMELINESS).filter(pl.col("geographic_level") == LOCAL_AUTHORITY)
             .group_by("old_la_code").agg(
                 pl.col("la_name").get(latest), pl.col("new_la_code").get(latest),
                 pl.col("region_code").get(latest), pl.col("region_name").get(latest),
                 pl.col("new_la_code").unique().sort().alias("codes"))
             .sort("la_name"))
    return tuple(
        Authority(r["la_name"], r["new_la_code"], r["old_la_code"], r["region_code"],
                  r["region_name"], tuple(r["codes"]))
        for r in table.iter_rows(named=True)
    )


def name_key(text: str) -> str:
    """Case, punctuation, "&"/"and" and "City of"/"County of" ignored."""
    key = text.casefold().replace("&", " and ")
    key = re.sub(r"[^\w\s]", " ", key)
    key = re.sub(r"\b(city|county) of\b", " ", key)
    return " ".join(key.split())


@cache
def _index() -> dict[str, Authority]:
    index: dict[str, Authority] = {}
    for authority in authorities():
        index[name_key(authority.name)] = authority
        for code in (*authority.codes, authority.old_la_code):
            index[code.casefold()] = authority
    by_name = {a.name: a for a in authorities()}
    for other, dfe_name in NEIGHBOUR_NAMES.items():
        index.setdefault(name_key(other), by_name[dfe_name])
    return index


def find_authority(text: str) -> Authority:
    """An authority by DfE name (forgiving: see name_key), 9-character code or 3-digit number."""
    wanted = text.strip()
    found = _index().get(wanted.casefold()) or _index().get(name_key(wanted))
    if found is not None:
        return found
    names = [a.name for a in authorities()]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    close += [n for n in names if wanted and name_key(wanted) in name_key(n) and n not in close]
    hint = f"Did you mean {' or '.join(repr(n) for n in close[:3])}? " if close else ""
    raise UsageError(
        f"No local authority {wanted!r} in DfE's published figures",
        hint + "Give the name DfE uses (e.g. Redbridge), the 9-character code (E09000026) or "
        "DfE's 3-digit LA number (317).")


@cache
def neighbour_table() -> dict[str, tuple[str, ...]]:
    """DfE name -> its ten statistical neighbours' DfE names, nearest first."""
    table = pl.read_csv(io.BytesIO(_data("stat_neighbours.csv")), infer_schema=False)
    dfe_name = {**{a.name: a.name for a in authorities()}, **NEIGHBOUR_NAMES}
    return {dfe_name[column]: tuple(dfe_name[n] for n in table[column].drop_nulls())
            for column in table.columns}


def statistical_neighbours(authority: Authority) -> tuple[Authority, ...]:
    """The authority's ten statistical neighbours, nearest first (provenance unconfirmed)."""
    names = neighbour_table().get(authority.name)
    if names is None:
        successors = PREDECESSORS.get(authority.name, ())
        hint = (f"{authority.name} was replaced by {' and '.join(successors)}; use one of them."
                if successors else "Compare with named authorities instead: --compare A,B.")
        raise UsageError(f"No statistical neighbours listed for {authority.name}", hint)
    by_name = {a.name: a for a in authorities()}
    return tuple(by_name[n] for n in names)
