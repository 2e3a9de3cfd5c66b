"""The synthetic cases (synthetic.generate_cases) as an authority's export would show them.

- to_messy_export: the same cases in an export's headers and wordings, every cell text, dates in
  the forms real exports mix;
- add_bad_rows: a fixed set of deliberately faulty rows, one problem each (BAD_ROWS);
- mapping_toml: the mapping file for such an export.

Deterministic for a seed; columns are built whole with numpy and Polars, no loop over rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    BY_NAME,
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
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.schema.headers import map_headers
from ehcp_timeliness.schema.values import parse_date, parse_outcome

# Export headers, in the export's column order. Some are recognised by schema/headers.py, the
# others need a [columns] line in the mapping file (scripts/make_sample_data.py works out which).
EXPORT_HEADERS: dict[str, str] = {
    CASE_ID: "Case Ref",
    PERSON_ID: "Child ID",
    DATE_OF_BIRTH: "DOB",
    "team": "Team",
    "caseworker": "Allocated Caseworker",
    "school_phase": "School Phase",
    RECEIVED_DATE: "Date Request Received",
    REQUEST_OUTCOME: "Decision to Assess?",
    REQUEST_OUTCOME_DATE: "Date of Decision to Assess",
    ASSESSMENT_OUTCOME: "Assessment Outcome",
    ASSESSMENT_OUTCOME_DATE: "Date Assessment Outcome Notified",
    PLAN_ISSUED_DATE: "Date Final EHCP Issued",
    WEEK20_EXCEPTION: "20 Week Exception",
    MEDIATION: "Mediation?",
    TRIBUNAL: "Tribunal Appeal?",
    LAST_REVIEW_DATE: "Last Annual Review Meeting",
    CEASE_DATE: "Plan Ceased On",
}

# The injected faults, in the order add_bad_rows builds them: (label, what is wrong).
BAD_ROWS: tuple[tuple[str, str], ...] = (
    ("impossible-date", "Date Request Received is 31/02/2024"),
    ("free-text-date", "Date of Decision to Assess is 'next week'"),
    ("us-date", "Date Final EHCP Issued written month first (e.g. 06/25/2024)"),
    ("issued-before-request", "Date Final EHCP Issued three weeks before the request"),
    ("unknown-outcome", "Decision to Assess? is 'Maybe'"),
    ("no-but-issued", "Assessment Outcome 'No' with a Date Final EHCP Issued"),
    ("missing-received", "Date Request Received blank"),
    ("received-after-as-of", "Date Request Received two weeks after the as-of date"),
    ("duplicate", "a second row with an existing Case Ref, straight after the first"),
    ("blank", "every cell empty"),
)


# Wordings an export uses for each code; repeats weight the choice. None = a blank cell.
_REQUEST_WORDS = {
    "Y": ("Yes", "Yes", "Yes", "Y", "Y", "Assess"),
    "N": ("No", "No", "N", "Refused", "Declined"),
    "W": ("Withdrawn", "Withdrawn", "W"),
    "A": (None, None, None, "Pending", "Awaiting"),
    "H": ("Transferred in", "H"),
}
_ASSESSMENT_WORDS = {
    "Y": ("Yes", "Yes", "Y", "Issued", "Issue"),
    "N": ("No", "No", "Not issue", "N"),
    "W": ("Withdrawn", "Ceased", "W"),
    "A": (None, None, "Pending", "Awaiting"),
    "H": ("Transferred in", "H"),
}
_YES_WORDS = ("Y", "Y", "Y", "Yes")
_NO_WORDS = ("N", "N", None)
_EXCEPTION_WORDS = ("Y", "Y", "Y", "Yes", "school closure", "family away",
                    "exceptional personal circumstances")
_DATE_FORMATS = ("%d/%m/%Y", "%-d %b %Y", "%Y-%m-%d")
_DATE_WEIGHTS = (0.8, 0.12, 0.08)


def _words(values: pl.Series, table: dict, rng: np.random.Generator) -> pl.Series:
    """Each value replaced by one of its wordings, picked at random; others become blank."""
    source = values.cast(pl.String).fill_null("\0").to_numpy().astype(str)
    pick = rng.random(len(source))
    out = np.full(len(source), "")
    for value, variants in table.items():  # a loop over codes, not rows
        choices = np.array([v or "" for v in variants])
        out = np.where(source == value, choices[(pick * len(choices)).astype(int)], out)
    return pl.Series(values.name, out, dtype=pl.String).replace("", None)


def _render_dates(values: pl.Series, rng: np.random.Generator) -> pl.Series:
    """Mostly dd/mm/yyyy, some '5 Mar 2024', a few ISO: as mixed as a hand-kept export."""
    style = rng.choice(len(_DATE_FORMATS), size=len(values), p=_DATE_WEIGHTS)
    frame = pl.DataFrame({"d": values, "s": style})
    expr = pl.when(pl.col("s") == 0).then(pl.col("d").dt.strftime(_DATE_FORMATS[0]))
    for i, fmt in enumerate(_DATE_FORMATS[1:], start=1):
        expr = expr.when(pl.col("s") == i).then(pl.col("d").dt.strftime(fmt))
    return frame.select(expr.alias(values.name)).to_series()


def to_messy_export(cases: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The cases as an authority's case-management export shows them: EXPORT_HEADERS, all text,
    UK dates in mixed styles, outcomes in words, booleans as Y/N/blank or a reason.
    """
    rng = np.random.default_rng(seed)
    flags = {WEEK20_EXCEPTION: _EXCEPTION_WORDS, MEDIATION: _YES_WORDS, TRIBUNAL: _YES_WORDS}
    columns: dict[str, pl.Series] = {}
    for name in EXPORT_HEADERS:  # a loop over columns, not rows
        values = cases[name]
        if values.dtype == pl.Date:
            columns[name] = _render_dates(values, rng)
        elif name == REQUEST_OUTCOME:
            columns[name] = _words(values, _REQUEST_WORDS, rng)
        elif name == ASSESSMENT_OUTCOME:
            columns[name] = _words(values, _ASSESSMENT_WORDS, rng)
        elif name in flags:
            columns[name] = _words(values, {"true": flags[name], "false": _NO_WORDS}, rng)
        else:
            columns[name] = values.cast(pl.String)
    return pl.DataFrame(columns).rename(EXPORT_HEADERS)


def add_bad_rows(export: pl.DataFrame, seed: int, *, as_of: dt.date) -> pl.DataFrame:
    """`export` (from to_messy_export) with the BAD_ROWS faults inserted at seeded places.

    Each bad row copies a suitable real row and breaks one thing, so it raises one issue. New case
    refs continue the export's numbering; new child ids start at P9900001. `as_of` is the date
    the received-after-as-of row must follow.
    """
    rng = np.random.default_rng(seed)
    h = EXPORT_HEADERS
    parsed = export.with_row_index("__i").select(
        "__i",
        parse_date(pl.col(h[RECEIVED_DATE])).alias("received"),
        parse_date(pl.col(h[PLAN_ISSUED_DATE])).alias("plan"),
        parse_outcome(pl.col(h[REQUEST_OUTCOME])).alias("request"),
        parse_outcome(pl.col(h[ASSESSMENT_OUTCOME])).alias("assessment"),
        parse_date(pl.col(h[DATE_OF_BIRTH])).alias("dob"),
    )
    issued = parsed.filter((pl.col("assessment") == "Y") & pl.col("plan").is_not_null())
    pending = parsed.filter((pl.col("request") == "A") & (pl.col("dob") < pl.lit(as_of)))
    refused = parsed.filter(pl.col("request") == "N")
    us_ok = issued.filter(pl.col("plan").dt.day() > 12)  # invalid when read day first

    def pick(candidates: pl.DataFrame) -> int:
        if candidates.height == 0:
            # A few rows need not hold every kind of case a bad row is copied from.
            raise UsageError(f"--bad-rows: {parsed.height:,} rows are too few to copy every "
                             "kind of bad row from",
                             "Ask for more rows (--rows 100 or more) or drop --bad-rows.")
        return int(candidates["__i"][int(rng.integers(candidates.height))])

    rows = [pick(refused), pick(pending), pick(us_ok), pick(issued), pick(pending),
            pick(issued), pick(refused), pick(pending), int(rng.integers(export.height))]
    received = parsed["received"]
    plan = parsed["plan"]
    edits: list[dict[str, str | None]] = [
        {h[RECEIVED_DATE]: "31/02/2024"},
        {h[REQUEST_OUTCOME_DATE]: "next week"},
        {h[PLAN_ISSUED_DATE]: plan[rows[2]].strftime("%m/%d/%Y")},
        {h[PLAN_ISSUED_DATE]: (received[rows[3]] - dt.timedelta(days=21)).strftime("%d/%m/%Y")},
        {h[REQUEST_OUTCOME]: "Maybe"},
        {h[ASSESSMENT_OUTCOME]: "No"},
        {h[RECEIVED_DATE]: None},
        {h[RECEIVED_DATE]: (as_of + dt.timedelta(days=14)).strftime("%d/%m/%Y")},
        {},  # the duplicate: an exact copy
    ]
    last_ref = int(export[h[CASE_ID]].str.extract(r"(\d+)").cast(pl.Int64).max() or 0)
    bad = []
    for k, (row, edit) in enumerate(zip(rows, edits, strict=True)):  # the nine faults
        copy = export.slice(row, 1)
        if edit:  # the duplicate keeps its case ref and child id
            copy = copy.with_columns(
                pl.lit(f"REQ-{last_ref + k + 1:06d}").alias(h[CASE_ID]),
                pl.lit(f"P{9_900_001 + k:07d}").alias(h[PERSON_ID]),
                *(pl.lit(v, pl.String).alias(c) for c, v in edit.items()))
        bad.append(copy)
    bad.append(pl.DataFrame({c: [None] for c in export.columns}, schema=export.schema))
    # Place each after a seeded row; the duplicate straight after its original.
    spots = rng.choice(export.height, size=len(bad), replace=False).astype(float) + 0.5
    spots[8] = rows[8] + 0.5
    return (pl.concat([export.with_columns(pl.int_range(pl.len()).cast(pl.Float64).alias("__at")),
                       pl.concat(bad).with_columns(pl.Series("__at", spots))])
            .sort("__at", maintain_order=True).drop("__at"))


def mapping_toml(headers: list[str], note: str) -> str:
    """A config file whose [columns] maps the export headers the tool does not recognise by
    itself (the others are listed as comments). NOTE opens the file as comment lines.
    """
    found = map_headers(headers, {}, "export").mapped
    lines = [
        note,
        "",
        "[columns]",
        "# canonical column = \"header in the export\". Only the headers the tool does not",
        "# recognise by itself need a line; these are recognised without one:",
    ]
    lines += [f'#   {name} <- "{found[name]}"' for name in EXPORT_HEADERS if name in found]
    lines.append("")
    for name, header in EXPORT_HEADERS.items():
        if name in BY_NAME and name not in found:
            lines.append(f"# {BY_NAME[name].kind.value}: {BY_NAME[name].meaning}")
            lines.append(f'{name} = "{header}"')
    others = [h for n, h in EXPORT_HEADERS.items() if n not in BY_NAME]
    lines += ["", "# Not mapped: passed through unchanged, usable with --by: "
              + ", ".join(f'"{h}"' for h in others), ""]
    return "\n".join(lines)
