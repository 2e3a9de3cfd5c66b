"""An export in a style the tool has never seen, and the truth it was made from.

Own headers (an id called "Request No", a referral source called "Requested By" beside it),
own outcome words ("Agreed to assess", "NTI", "Draft Plan Issued"), a yes/no flag written
"Exception applied", a title line above the headers and UK dates in mixed styles. The truth is
the same cases written in the tool's own terms (canonical headers, SEN2 codes, ISO dates).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CASE_ID,
    CEASE_DATE,
    DATE_OF_BIRTH,
    LAST_REVIEW_DATE,
    MEDIATION,
    PERSON_ID,
    PLAN_ISSUED_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    TRIBUNAL,
    WEEK20_EXCEPTION,
)
from ehcp_timeliness.synthetic import generate_cases

from conftest import SAMPLE_AS_OF as AS_OF

TITLE = "EHC Needs Assessment requests - report run 01/07/2025 09:14"

# The export's own header for each column, in its order. "Requested By" is no column of the
# tool's: the referral source, a handful of values repeated.
HEADERS: dict[str, str] = {
    CASE_ID: "Request No",
    "requested_by": "Requested By",
    PERSON_ID: "Client Number",
    DATE_OF_BIRTH: "Child DOB",
    "team": "Locality",
    "caseworker": "Caseworker",
    RECEIVED_DATE: "Request Received On",
    REQUEST_OUTCOME: "Agreed?",
    REQUEST_OUTCOME_DATE: "Decision to Assess Notified",
    ASSESSMENT_OUTCOME: "Outcome of EHC Needs Assessment",
    ASSESSMENT_OUTCOME_DATE: "Date of Decision Not to Issue",
    PLAN_ISSUED_DATE: "Final Plan Sent",
    WEEK20_EXCEPTION: "20wk Exception Y/N",
    MEDIATION: "Mediation Held",
    TRIBUNAL: "Appeal Lodged",
    LAST_REVIEW_DATE: "Most Recent AR Meeting",
    CEASE_DATE: "Date Plan Ended",
}
REQUEST_WORDS = {"Y": "Agreed to assess", "N": "Not agreed", "W": "Withdrawn",
                 "H": "Transferred in"}
ASSESSMENT_WORDS = {"Y": "Draft Plan Issued", "N": "NTI", "W": "Withdrawn",
                    "H": "Transferred in"}
DATE_STYLES = ("%d/%m/%Y", "%-d %b %Y", "%d-%m-%Y", "%d.%m.%Y")


def _dates(values: pl.Series, rng: np.random.Generator) -> pl.Series:
    style = rng.integers(0, len(DATE_STYLES), len(values))
    frame = pl.DataFrame({"d": values, "s": style})
    expr = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    for index, fmt in enumerate(DATE_STYLES):
        expr = expr.when(pl.col("s") == index).then(pl.col("d").dt.strftime(fmt))
    return frame.select(expr.alias(values.name)).to_series()


def write_unfamiliar_export(folder: Path, rows: int = 3000, seed: int = 21) -> tuple[Path, Path]:
    """(the unfamiliar export, the truth as a canonical CSV), both in FOLDER."""
    cases = generate_cases(rows, seed, AS_OF).with_columns(
        pl.format("EHCNA/{}/{}", pl.col(RECEIVED_DATE).dt.year(),
                  pl.int_range(pl.len()).cast(pl.String).str.zfill(5)).alias(CASE_ID))
    rng = np.random.default_rng(seed)
    flags = (WEEK20_EXCEPTION, MEDIATION, TRIBUNAL)
    truth = cases.with_columns(
        pl.col(c).cast(pl.String).replace({"A": None}) for c in (REQUEST_OUTCOME,
                                                                 ASSESSMENT_OUTCOME)
    ).with_columns(pl.when(pl.col(c)).then(pl.lit("Y")).otherwise(pl.lit("N")).alias(c)
                   for c in flags)
    truth_path = folder / "truth.csv"
    truth.select(c for c in cases.columns if c in HEADERS).write_csv(truth_path)

    sources = np.array(["Parent", "School", "Health", "Social care", "Young person"])
    export = cases.with_columns(
        pl.Series("requested_by", sources[rng.integers(0, len(sources), cases.height)]),
        pl.col(REQUEST_OUTCOME).cast(pl.String).replace_strict(
            REQUEST_WORDS, default=None),
        pl.col(ASSESSMENT_OUTCOME).cast(pl.String).replace_strict(
            ASSESSMENT_WORDS, default=None),
        pl.when(pl.col(WEEK20_EXCEPTION)).then(pl.lit("Exception applied"))
        .otherwise(pl.lit("N")).alias(WEEK20_EXCEPTION),
        *(pl.when(pl.col(c)).then(pl.lit("Yes")).otherwise(pl.lit(None, pl.String)).alias(c)
          for c in (MEDIATION, TRIBUNAL)),
    )
    export = export.with_columns(_dates(export[c], rng) for c in export.columns
                                 if export.schema[c] == pl.Date)
    export = export.select(list(HEADERS)).rename(HEADERS)
    path = folder / "requests_report.csv"
    path.write_text(TITLE + "\n" + export.write_csv(), encoding="utf-8")
    return path, truth_path
