"""Deterministic synthetic EHC needs-assessment cases: the shipped sample and test data.

Nothing here describes a real person: ids, dates of birth and caseworkers ("Caseworker 07") are
invented from a seeded generator. Proportions follow the national picture (DfE "Education, health
and care plans", England 2024) closely enough for the figures to look familiar: about a fifth of
requests refused, nine in ten assessments ending in a plan, a little under half of plans issued
within 20 weeks, a few over a year.

Three steps, each deterministic for a given seed:
- generate_cases: the canonical frame (names from columns.py, typed dates/booleans/codes);
- to_messy_export: the same cases as an authority's export would show them (all text);
- add_bad_rows: a fixed set of deliberately faulty rows, one problem each (BAD_ROWS).

Columns are built whole with numpy and Polars; no Python loop runs over rows.
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

TEAMS = ("North", "South", "East", "West", "Post-16")
CASEWORKERS_PER_TEAM = 5
PERSON_POOL = 9_800_000          # person ids drawn from P0000001…P9800000 (see generate_cases)
HISTORY_DAYS = 3 * 365          # requests received over about three years before as_of
# The service's shape over the years (generate_cases' PROFILE): "sample" (demand rising slightly,
# steady plan times); "stable" (flat demand); "growing" (demand tripling, plans slowing as it
# grows); "clearing" (a late service turning round: extra capacity works its backlog of late
# plans off over a year while the on-time share of new requests rises over 12 months); "step"
# (a step change in service: the same backlog, but new requests on time three times in four
# from one day to the next). The year-end forecast's backtest replays each
# (scripts/backtest_year_end.py; "step" as a stress test outside its targets).
PROFILES = ("sample", "stable", "growing", "clearing", "step")
_EPOCH = dt.date(1970, 1, 1)
_NAN = np.nan

CASE_COLUMNS = (
    CASE_ID, PERSON_ID, RECEIVED_DATE, REQUEST_OUTCOME, REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE, PLAN_ISSUED_DATE, WEEK20_EXCEPTION, MEDIATION, TRIBUNAL,
    LAST_REVIEW_DATE, CEASE_DATE, DATE_OF_BIRTH, "team", "caseworker", "school_phase",
)

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


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


def _dates(name: str, days: np.ndarray) -> pl.Series:
    """Float days since 1970 (NaN = no date) -> pl.Date."""
    return pl.Series(name, days, nan_to_null=True).cast(pl.Int32).cast(pl.Date)


def _mixture(rng: np.random.Generator, n: int, parts: list[tuple[float, int, int]]) -> np.ndarray:
    """Integers from a mixture of uniform ranges [lo, hi]: parts are (weight, lo, hi)."""
    weights = np.array([p[0] for p in parts])
    which = rng.choice(len(parts), size=n, p=weights / weights.sum())
    lo = np.array([p[1] for p in parts])[which]
    hi = np.array([p[2] for p in parts])[which]
    return lo + np.floor(rng.random(n) * (hi - lo + 1))


def generate_cases(rows: int, seed: int, as_of: dt.date, profile: str = "sample",
                   history_days: int = HISTORY_DAYS,
                   person_pool: int = PERSON_POOL, lead_days: int = 0) -> pl.DataFrame:
    """`rows` synthetic requests received in the HISTORY_DAYS up to `as_of` (three years), as
    canonical columns, in the shape PROFILE gives the service (PROFILES).

    Every date is on or before `as_of`: events that would fall later have not happened yet, so
    those cases are still open (outcome A). `assessment_outcome` is null when no assessment was
    agreed (request refused, withdrawn or undecided); H rows are plans transferred in.

    LEAD_DAYS: requests received in that many more days before the history, at the pace of its
    first day, their plan times the profile's carried back to when they came (a service that
    was running before the history, with older cases still open in it). They are drawn apart,
    so the history's own rows are the same with or without them; case refs follow receipt.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}")
    rng = np.random.default_rng(seed)
    n = rows
    a = _day(as_of)

    # Request kind; H (transferred in) are a little older so their plan date fits before as_of.
    kind = rng.choice(np.array(["Y", "N", "W", "H"]), size=n, p=[0.75, 0.22, 0.02, 0.01])
    ago = np.floor(history_days * _arrival_share(profile, rng, n))
    frame = _cases(rng, kind, ago, a, profile, history_days, person_pool)
    lead = round(rows * lead_days / history_days * _FIRST_DAY_PACE.get(profile, 1.0))
    if lead:
        early = np.random.default_rng([seed, lead_days])
        kind = early.choice(np.array(["Y", "N", "W", "H"]), size=lead, p=[0.75, 0.22, 0.02, 0.01])
        ago = history_days + np.floor(lead_days * early.random(lead))
        frame = pl.concat([_cases(early, kind, ago, a, profile, history_days, person_pool),
                           frame]).with_columns(__case=pl.int_range(1, pl.len() + 1))
    return frame.with_columns(
        pl.format("REQ-{}", pl.col("__case").cast(pl.String).str.zfill(6)).alias(CASE_ID),
        pl.format("P{}", pl.col("__person").cast(pl.String).str.zfill(7)).alias(PERSON_ID),
        pl.format("Caseworker {}", pl.col("__worker").cast(pl.String).str.zfill(2))
        .alias("caseworker"),
    ).select(CASE_COLUMNS)


# A profile's pace of requests on its first day, against its average (_arrival_share): a
# growing service's rises from 1 to 3, average 2; the sample's rises from nothing.
_FIRST_DAY_PACE = {"growing": 0.5, "sample": 0.0}


def _cases(rng: np.random.Generator, kind: np.ndarray, ago: np.ndarray, a: int, profile: str,
           history_days: int, person_pool: int) -> pl.DataFrame:
    """The requests of KIND received AGO days before day A, and all that followed them."""
    n = len(kind)
    ago = np.where(kind == "H", np.maximum(ago, 90), ago)
    order = np.argsort(-ago, kind="stable")  # case refs follow the order of receipt
    kind, ago = kind[order], ago[order]
    received = a - ago

    # reg 5(1): decision whether to assess; most within 6 weeks, the rest up to 10.
    decide = _mixture(rng, n, [(0.72, 24, 42), (0.28, 43, 70)])
    decide = np.where(kind == "W", rng.integers(7, 61, n), decide)
    req_date = received + decide
    req_decided = req_date <= a
    request_outcome = np.where(kind == "H", "H", np.where(req_decided, kind, "A"))
    request_outcome_date = np.where(req_decided & (kind != "H"), req_date, _NAN)

    # Assessment: ~90% plan, ~6% decision not to issue (reg 10: by 16 weeks), rest withdrawn.
    assessed = (kind == "Y") & req_decided
    akind = rng.choice(np.array(["Y", "N", "W"]), size=n, p=[0.90, 0.06, 0.04])
    plan_days = _mixture(rng, n, [(0.45, 84, 140), (0.24, 141, 200), (0.26, 201, 364),
                                  (0.05, 365, 600)])
    if profile in ("growing", "clearing", "step"):
        plan_days = _changing_plan_days(profile, rng, 1 - ago / history_days, history_days)
    not_issue_days = _mixture(rng, n, [(0.8, 84, 112), (0.2, 113, 180)])
    withdrawn_days = rng.integers(60, 251, n)
    adays = np.select([akind == "Y", akind == "N"], [plan_days, not_issue_days], withdrawn_days)
    a_date = received + adays
    a_decided = assessed & (a_date <= a)
    assessment_outcome = np.where(
        kind == "H", "H", np.where(assessed, np.where(a_decided, akind, "A"), ""))
    assessment_outcome_date = np.where(a_decided & (akind != "Y"), a_date, _NAN)
    transferred_on = received + rng.integers(7, 61, n)
    plan = np.select([a_decided & (akind == "Y"), kind == "H"], [a_date, transferred_on], _NAN)
    issued = ~np.isnan(plan)

    # Week20 = 1 on ~8% of cases, likelier where the plan ran late; rare mediation and tribunal.
    late = (akind == "Y") & (plan_days > 140)
    week20 = assessed & (rng.random(n) < np.where(late, 0.18, 0.075))
    mediation = rng.random(n) < 0.03
    tribunal = rng.random(n) < np.where(kind == "N", 0.05, 0.012)

    # Annual reviews: plans over ~10 months old mostly have one, some over 12 months ago.
    first_possible = plan + 300
    room = np.where(issued, a - first_possible, -1)
    has_review = (room >= 0) & (rng.random(n) < 0.95)
    review = np.where(has_review, a - np.floor(rng.random(n) * (np.minimum(room, 450) + 1)), _NAN)
    cease_from = np.fmax(plan, review) + 30
    can_cease = issued & (cease_from <= a) & (rng.random(n) < 0.04)
    cease = np.where(can_cease, cease_from + np.floor(rng.random(n) * (a - cease_from + 1)), _NAN)

    # Age at request 0-25, mostly primary age.
    age_weights = np.array([1, 2, 4, 6] + [10] * 8 + [6, 5, 4, 4, 3, 2, 2, 1.5] + [0.5] * 6)
    age = rng.choice(26, size=n, p=age_weights / age_weights.sum())
    dob = received - age * 365 - rng.integers(0, 365, n)
    phase = np.select([age < 4, age < 11, age < 16, age < 19],
                      ["Early Years", "Primary", "Secondary", "Post-16"], "Post-19")
    team = np.where(age >= 16, 4, rng.choice(4, size=n, p=[0.3, 0.25, 0.25, 0.2]))
    worker = team * CASEWORKERS_PER_TEAM + rng.integers(1, CASEWORKERS_PER_TEAM + 1, n)
    if n <= person_pool // 2:
        person = rng.choice(person_pool, size=n, replace=False) + 1  # P98xxxxx and up kept free
    else:
        # National-scale files: distinct ids above the kept-free range (P10000001, …).
        person = rng.permutation(n) + 10_000_001

    return pl.DataFrame({
        "__case": np.arange(1, n + 1), "__person": person, "__worker": worker,
        RECEIVED_DATE: _dates(RECEIVED_DATE, received.astype(float)),
        REQUEST_OUTCOME: request_outcome,
        REQUEST_OUTCOME_DATE: _dates("", request_outcome_date),
        ASSESSMENT_OUTCOME: pl.Series(assessment_outcome, dtype=pl.String).replace("", None),
        ASSESSMENT_OUTCOME_DATE: _dates("", assessment_outcome_date),
        PLAN_ISSUED_DATE: _dates("", plan),
        WEEK20_EXCEPTION: week20, MEDIATION: mediation, TRIBUNAL: tribunal,
        LAST_REVIEW_DATE: _dates("", review), CEASE_DATE: _dates("", cease),
        DATE_OF_BIRTH: _dates("", dob.astype(float)),
        "team": np.array(TEAMS)[team], "school_phase": phase,
    })


def _arrival_share(profile: str, rng: np.random.Generator, n: int) -> np.ndarray:
    """How long before as_of each request came, as a share of the history (0: on as_of)."""
    if profile == "sample":
        return 1 - rng.power(1.2, n)  # requests rising slightly
    if profile == "growing":
        # Density rising from 1 to 3 over the history: the inverse of its distribution.
        return 1 - (np.sqrt(1 + 8 * rng.random(n)) - 1) / 2
    return rng.random(n)


def _changing_plan_days(profile: str, rng: np.random.Generator, when: np.ndarray,
                        history_days: int) -> np.ndarray:
    """Days from request to plan for a service that changes: WHEN is the request's place in
    the history (0: its first day, 1: as_of)."""
    n = len(when)
    on_time = rng.integers(84, 141, n)
    late = _mixture(rng, n, [(0.5, 141, 250), (0.4, 251, 420), (0.1, 421, 600)])
    if profile == "growing":  # on time: 60% at first, 30% at the end as demand triples
        return np.where(rng.random(n) < 0.6 - 0.3 * when, on_time, late)
    # "clearing" and "step": until CHANGE 25% of plans are on time and half the late ones wait
    # in a backlog; from CHANGE extra capacity works the backlog through over a year (its plans
    # issued late, spread over that year). The on-time share of new requests rises to 75%:
    # over the 12 months from CHANGE ("clearing"), or on CHANGE's day ("step").
    change = 0.4
    waiting = when < change
    cleared_on = (change - when) * history_days + rng.integers(0, 366, n)
    backlog_days = np.where(rng.random(n) < 0.5, np.maximum(cleared_on, late), late)
    years_since = (when - change) * history_days / 365
    rise = np.clip(years_since, 0, 1) if profile == "clearing" else (~waiting).astype(float)
    return np.where(rng.random(n) < 0.25 + 0.5 * rise, on_time,
                    np.where(waiting, backlog_days, late))


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

    def uk(day: dt.date) -> str:
        return day.strftime("%d/%m/%Y")

    rows = [pick(refused), pick(pending), pick(us_ok), pick(issued), pick(pending),
            pick(issued), pick(refused), pick(pending), int(rng.integers(export.height))]
    received = parsed["received"]
    plan = parsed["plan"]
    edits: list[dict[str, str | None]] = [
        {h[RECEIVED_DATE]: "31/02/2024"},
        {h[REQUEST_OUTCOME_DATE]: "next week"},
        {h[PLAN_ISSUED_DATE]: plan[rows[2]].strftime("%m/%d/%Y")},
        {h[PLAN_ISSUED_DATE]: uk(received[rows[3]] - dt.timedelta(days=21))},
        {h[REQUEST_OUTCOME]: "Maybe"},
        {h[ASSESSMENT_OUTCOME]: "No"},
        {h[RECEIVED_DATE]: None},
        {h[RECEIVED_DATE]: uk(as_of + dt.timedelta(days=14))},
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
