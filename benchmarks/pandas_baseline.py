"""The baseline: what an analyst writes today in pandas for the same statuses and yearly rates.

Straightforward, not tuned: read the export, rename the mapped headers, parse day-first dates
(pandas infers the one form of each column from its first cell),
20-week due dates and statuses with numpy.select, calendar-year rates including and excluding
exceptions. Used only by run_benchmark.py as process (b); not part of the package.

    python benchmarks/pandas_baseline.py EXPORT.csv MAPPING.toml 2025-06-30
"""

from __future__ import annotations

import sys
import tomllib

import numpy as np
import pandas as pd

RECOGNISED = {  # the headers the analyst's export uses for the columns the mapping omits
    "Case Ref": "case_id", "Date Request Received": "received_date",
    "Decision to Assess?": "request_outcome", "Assessment Outcome": "assessment_outcome",
    "Date Final EHCP Issued": "plan_issued_date", "20 Week Exception": "week20_exception",
    "Mediation?": "mediation",
}


def main(path: str, mapping_path: str, as_of_text: str) -> None:
    with open(mapping_path, "rb") as handle:
        mapped = tomllib.load(handle).get("columns", {})
    df = pd.read_csv(path, dtype=str)
    df = df.rename(columns={**RECOGNISED, **{v: k for k, v in mapped.items()}})
    as_of = pd.Timestamp(as_of_text)
    for col in ("received_date", "plan_issued_date", "last_review_date", "cease_date"):
        df[col] = pd.to_datetime(df[col], dayfirst=True, errors="coerce")
    yes = df["week20_exception"].fillna("").str.strip().str.lower()
    df["exception"] = ~yes.isin(["", "n", "no", "0", "false"])
    flags = ["mediation", "tribunal"]
    for col in flags:
        df[col] = df[col].fillna("").str.strip().str.lower().isin(["y", "yes", "1", "true"])
    outcome = df["request_outcome"].fillna("").str.strip().str.lower()
    assessment = df["assessment_outcome"].fillna("").str.strip().str.lower()
    df["due"] = df["received_date"] + pd.Timedelta(days=140)
    issued = df["plan_issued_date"].notna() & (df["plan_issued_date"] <= as_of)
    closed = outcome.isin(["n", "no", "w", "withdrawn"]) | assessment.isin(
        ["n", "no", "w", "withdrawn"])
    df["plan_status"] = np.select(
        [issued & (df["plan_issued_date"] <= df["due"]), issued, closed, as_of > df["due"],
         (df["due"] - as_of).dt.days <= 28],
        ["issued_on_time", "issued_late", "closed_no_plan", "overdue", "due_soon"],
        default="in_progress")
    clock = df[["plan_issued_date", "last_review_date"]].max(axis=1)
    df["review_due"] = clock + pd.DateOffset(years=1) - pd.Timedelta(days=1)
    df["review_status"] = np.where(
        clock.isna() | (df["cease_date"] <= as_of), "not_applicable",
        np.where(as_of > df["review_due"], "overdue", "not_due"))
    plans = df[issued & ~df["mediation"] & ~df["tribunal"]].copy()
    plans["year"] = plans["plan_issued_date"].dt.year
    plans["within"] = plans["plan_status"] == "issued_on_time"
    rates = plans.groupby("year").agg(plans_issued=("within", "size"),
                                      within=("within", "sum"))
    ex = plans[~plans["exception"]].groupby("year").agg(plans_issued_ex=("within", "size"),
                                                          within_ex=("within", "sum"))
    rates = rates.join(ex)
    rates["pct"] = (100 * rates["within"] / rates["plans_issued"]).round(1)
    rates["pct_ex"] = (100 * rates["within_ex"] / rates["plans_issued_ex"]).round(1)
    print(rates.to_string())
    print(df["plan_status"].value_counts().to_string())
    print(df["review_status"].value_counts().to_string())


if __name__ == "__main__":
    main(*sys.argv[1:4])
