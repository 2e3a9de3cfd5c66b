"""The floor of the stack: the least any `summary` built on it pays, used by run_benchmark.py.

It imports what every command of the tool loads (Polars, Typer with the pydantic adapters it
builds for each parameter, pydantic, Rich's console and table, tomllib), reads the export as
text on Polars' streaming engine, parses each date column with the one form its first cell
shows and each yes/no or outcome column by one look-up, and keeps the result to the end, as the
tool keeps its analysis. Nothing else: no checks, no closing parse of unexpected forms, no
deadlines, statuses, issue list, summaries or printed table. Its ratio over the bare read is
the part of `summary`'s ratio the stack and the parse cost before the analysis starts.

    python benchmarks/stack_floor.py EXPORT.csv
"""

from __future__ import annotations

import importlib
import sys

import polars as pl

# What every command loads besides Polars: Typer imports its pydantic adapters to coerce each
# parameter; tomllib reads the config; Rich prints.
STACK = ("tomllib", "pydantic", "typer", "typer._adapters", "rich.console", "rich.table")

DATE_FORMS = ("%d/%m/%Y", "%Y-%m-%d", "%d %b %Y")
# The code columns of a `sample` export, each read by one look-up of its spellings (lower case)
# to a code, as the tool reads them; a spelling not listed reads as null.
CODE_COLUMNS = ("Decision to Assess?", "Assessment Outcome", "20 Week Exception", "Mediation?",
                "Tribunal Appeal?")
CODES = {"y": 1, "yes": 1, "assess": 1, "issue": 1, "issued": 1, "n": 0, "no": 0, "refused": 0,
         "declined": 0, "not issue": 0, "w": 2, "withdrawn": 2, "h": 3, "transferred in": 3,
         "ceased": 4}


def main(path: str) -> pl.DataFrame:
    for module in STACK:
        importlib.import_module(module)
    text = pl.scan_csv(path, infer_schema=False)
    first = text.head(100).collect()
    parsed = []
    for name in first.columns:
        cells = first[name].drop_nulls()
        if cells.is_empty():
            continue
        form = next((f for f in DATE_FORMS
                     if cells.str.to_date(f, strict=False).null_count() == 0), None)
        if form is not None:
            parsed.append(pl.col(name).str.to_date(form, strict=False))
        elif name in CODE_COLUMNS:
            parsed.append(pl.col(name).str.to_lowercase().replace_strict(
                CODES, default=None, return_dtype=pl.UInt8))
    return text.with_columns(parsed).collect(engine="streaming")


if __name__ == "__main__":
    result = main(sys.argv[1])
