"""Write the shipped SEN2 sample: sample_data/sen2/sen2_sample.xml and sample_data/sen2/collect/.

The same synthetic cases (ehcp_timeliness.synthetic.generate_cases, seed 2025, as of 2025-06-30)
rendered as a SEN2 person-level XML return and as COLLECT per-table CSV files, so
`ehcp-timeliness cases` gives the same table for both. No real person. Deterministic: re-running
after a change to the generator or the writers shows the change as a diff.

    .venv/bin/python scripts/make_sen2_sample.py [--out sample_data/sen2]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import polars as pl

from ehcp_timeliness.columns import DATE_OF_BIRTH, PERSON_ID, REQUEST_OUTCOME
from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_sen2 import (
    ACTIVE_PLANS,
    ASSESSMENT,
    NAMED_PLAN,
    PERSON,
    REQUEST,
    SYNTHETIC_LA,
    collection_year,
    reference_date,
    return_frame,
    write_sen2_xml,
)

ROWS = 400
SEED = 2025
AS_OF = dt.date(2025, 6, 30)
COLLECT_DATE = "%Y-%b-%d 00:00:00"   # as COLLECT writes dates, e.g. 2024-Sep-28 00:00:00


def share_persons(cases: pl.DataFrame, count: int = 20, gap: int = 100) -> pl.DataFrame:
    """`cases` with `count` children asking twice: the child of each of the first `count` refused
    requests is also the child of the case `gap` rows later (same person_id and date of birth),
    so a return has people with more than one Requests, as real ones do.
    """
    at = cases.with_row_index("__at")
    refused = at.filter(pl.col(REQUEST_OUTCOME) == "N").head(count)
    later = refused.select((pl.col("__at") + gap).alias("__at"), PERSON_ID, DATE_OF_BIRTH)
    return (at.join(later, on="__at", how="left", suffix="__again")
            .with_columns(pl.coalesce(f"{c}__again", c).alias(c)
                          for c in (PERSON_ID, DATE_OF_BIRTH))
            .select(cases.columns))


def collect_tables(cases: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The COLLECT per-table export of the same return as write_sen2_xml's: table name -> frame
    (all text)."""
    year = collection_year(cases)
    frame = return_frame(cases).with_row_index("requeststableid", offset=1)
    frame = frame.with_columns(
        pl.col(pl.Date).dt.strftime(COLLECT_DATE),
        pl.col("person_no").alias("persontableid"),
        *(pl.when(pl.col(f"has_{name}")).then(pl.col(f"has_{name}").cum_sum())
          .alias(f"{table}tableid")
          for name, table in (("assessment", "assessment"), ("plan", "namedplan"),
                              ("active", "activeplans"))),
    )

    def table(keep: str | None, ids: tuple[str, ...], items: tuple[str, ...]) -> pl.DataFrame:
        rows = frame.filter(pl.col(keep)) if keep else frame
        return rows.select(*ids, *(pl.col(i).alias(i.lower()) for i in items)) \
            .cast(pl.String)

    sen2 = pl.DataFrame({
        "sen2tableid": ["1"], "collection": ["SEN2"], "year": [str(year)],
        "referencedate": [reference_date(year).strftime(COLLECT_DATE)],
        "sourcelevel": ["L"], "lea": [SYNTHETIC_LA]})
    person = frame.unique("persontableid", keep="first", maintain_order=True) \
        .with_columns(pl.lit(1).alias("sen2tableid"))
    return {
        "sen2": sen2,
        "person": person.select("persontableid", "sen2tableid",
                                *(pl.col(i).alias(i.lower()) for i in PERSON)).cast(pl.String),
        "requests": table(None, ("requeststableid", "persontableid"), REQUEST),
        "assessment": table("has_assessment", ("assessmenttableid", "requeststableid"),
                            ASSESSMENT),
        "namedplan": table("has_plan", ("namedplantableid", "assessmenttableid"), NAMED_PLAN),
        "activeplans": table("has_active", ("activeplanstableid", "requeststableid"),
                             ACTIVE_PLANS),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parents[1] / "sample_data" / "sen2")
    out = parser.parse_args(argv).out
    (out / "collect").mkdir(parents=True, exist_ok=True)
    cases = share_persons(generate_cases(ROWS, SEED, AS_OF))
    write_sen2_xml(cases, out / "sen2_sample.xml")
    tables = collect_tables(cases)
    for name, frame in tables.items():
        frame.write_csv(out / "collect" / f"{name}.csv")
    print(f"wrote {out / 'sen2_sample.xml'} and {len(tables)} COLLECT tables in "
          f"{out / 'collect'}: {cases.height} requests, "
          f"{cases['person_id'].n_unique()} people (seed {SEED}, as of {AS_OF})")


if __name__ == "__main__":
    main()
