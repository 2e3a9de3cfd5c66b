"""`--where COLUMN=VALUE`: the cases of one caseworker, team or setting, for every command.

A value matches whatever its case, surrounding spaces and Unicode normalisation (`--where
Team=north` is North's; an accent typed as one character matches one saved as a letter and a
mark), as the export's own spelling varies. Several values of one column: any of them; several
columns: all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.columns import column, header_of


@dataclass(frozen=True)
class Condition:
    column: str   # the name inside the tool (a canonical name, or input_name of a header)
    value: str

    def describe(self) -> str:
        return f"{header_of(self.column)} = {self.value}"


def matches(conditions: Sequence[Condition]) -> pl.Expr:
    """True for the rows every column's condition holds for (any of its values)."""
    by_column: dict[str, list[str]] = {}
    for condition in conditions:
        by_column.setdefault(condition.column, []).append(
            unicodedata.normalize("NFC", condition.value.strip()).lower())
    tests = [column(name).cast(pl.String).str.strip_chars().str.normalize("NFC")
             .str.to_lowercase().is_in(values).fill_null(False)
             for name, values in by_column.items()]
    return pl.all_horizontal(tests) if tests else pl.lit(True)


def never_matching(conditions: Sequence[Condition], schema: pl.Schema) -> list[str]:
    """For each of CONDITIONS whose value its column, by its type in SCHEMA, can never hold,
    how that column holds its values: a date typed as the export writes it (`15/01/2024`;
    the tool holds `2024-01-15`), a yes/no word (`Yes`; held as true/false), a status or
    outcome word that is not one of its codes (`late`, `Yes`). A filter that kept no case
    says these, or it would look like a caseload with nothing in it."""
    notes = []
    for condition in conditions:
        dtype = schema.get(condition.column)
        value = condition.value.strip().lower()
        name = header_of(condition.column)
        if dtype == pl.Date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            notes.append(f"{name} holds dates as YYYY-MM-DD, whatever the export's form: "
                         f"e.g. --where {name}=2024-01-15.")
        elif dtype == pl.Boolean and value not in ("true", "false"):
            notes.append(f"{name} holds true or false, whatever the export's words.")
        elif isinstance(dtype, pl.Enum) and value not in {c.lower() for c in dtype.categories}:
            notes.append(f"{name} holds one of: {', '.join(dtype.categories)}.")
    return notes


def describe(conditions: Sequence[Condition]) -> str:
    """`Caseworker = Caseworker 07; Team = North`, or "" for no filter."""
    return "; ".join(c.describe() for c in conditions)
