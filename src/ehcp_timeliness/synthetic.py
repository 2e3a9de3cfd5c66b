"""Deterministic synthetic EHC needs-assessment cases: the shipped sample and test data.

Nothing here describes a real person: ids, dates of birth and caseworkers ("Caseworker 07") are
invented from a seeded generator. Proportions follow the national picture (DfE "Education, health
and care plans", England 2024) closely enough for the figures to look familiar: about a fifth of
requests refused, nine in ten assessments ending in a plan, a little under half of plans issued
within 20 weeks, a few over a year.

generate_cases makes the canonical frame (names from columns.py, typed dates, booleans and codes),
deterministic for a given seed; synthetic_export.py shows it as an authority's export would.

Columns are built whole with numpy and Polars; no Python loop runs over rows.
"""

from __future__ import annotations

import datetime as dt

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

CASE_COLUMNS = (
    CASE_ID, PERSON_ID, RECEIVED_DATE, REQUEST_OUTCOME, REQUEST_OUTCOME_DATE, ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE, PLAN_ISSUED_DATE, WEEK20_EXCEPTION, MEDIATION, TRIBUNAL,
    LAST_REVIEW_DATE, CEASE_DATE, DATE_OF_BIRTH, "team", "caseworker", "school_phase",
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
    request_outcome_date = np.where(req_decided & (kind != "H"), req_date, np.nan)

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
    assessment_outcome_date = np.where(a_decided & (akind != "Y"), a_date, np.nan)
    transferred_on = received + rng.integers(7, 61, n)
    plan = np.select([a_decided & (akind == "Y"), kind == "H"], [a_date, transferred_on], np.nan)
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
    review = np.where(has_review, a - np.floor(rng.random(n) * (np.minimum(room, 450) + 1)), np.nan)
    cease_from = np.fmax(plan, review) + 30
    can_cease = issued & (cease_from <= a) & (rng.random(n) < 0.04)
    cease = np.where(can_cease, cease_from + np.floor(rng.random(n) * (a - cease_from + 1)), np.nan)

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
