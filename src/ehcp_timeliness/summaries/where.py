"""`--where COLUMN=VALUE`: the cases of one caseworker, team or setting, for every command.

A value matches whatever its case and surrounding spaces (`--where Team=north` is North's),
as the export's own spelling varies. Several values of one column: any of them; several
columns: all of them.
"""

from __future__ import annotations

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
        by_column.setdefault(condition.column, []).append(condition.value.strip().lower())
    tests = [column(name).cast(pl.String).str.strip_chars().str.to_lowercase().is_in(values)
             .fill_null(False) for name, values in by_column.items()]
    return pl.all_horizontal(tests) if tests else pl.lit(True)


def describe(conditions: Sequence[Condition]) -> str:
    """`Caseworker = Caseworker 07; Team = North`, or "" for no filter."""
    return "; ".join(c.describe() for c in conditions)
