"""The synthetic generator (ehcp_timeliness.synthetic) and the shipped sample built from it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ehcp_timeliness.columns import DATE_COLUMNS
from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.synthetic import CASE_COLUMNS, generate_cases
from ehcp_timeliness.synthetic_export import (
    BAD_ROWS,
    EXPORT_HEADERS,
    add_bad_rows,
    to_messy_export,
)

from conftest import SAMPLE, load_script
from conftest import SAMPLE_AS_OF as AS_OF

VALID_CODES = ("Y", "N", "A", "W", "H")

# What the tool reports for each injected bad row (sample_data/README.md lists the same).
EXPECTED_ISSUES = {
    "blank-row": 1,
    "unparseable-date": 3,          # 31/02/2024, "next week", a month-first US date
    "issued-before-received": 1,
    "duplicate-case-id": 1,
    "unknown-outcome-code": 1,      # "Maybe"
    "plan-date-contradicts-outcome": 1,
    "missing-received-date": 1,
    "received-after-as-of": 1,
}


@pytest.fixture(scope="module")
def cases() -> pl.DataFrame:
    return generate_cases(5000, 7, AS_OF)


def test_same_seed_gives_identical_frames() -> None:
    assert_frame_equal(generate_cases(500, 11, AS_OF), generate_cases(500, 11, AS_OF))
    export = to_messy_export(generate_cases(500, 11, AS_OF), 11)
    assert_frame_equal(add_bad_rows(export, 11, as_of=AS_OF),
                       add_bad_rows(export, 11, as_of=AS_OF))


def test_different_seed_gives_different_frames() -> None:
    assert not generate_cases(500, 11, AS_OF).equals(generate_cases(500, 12, AS_OF))


def test_columns_and_types(cases: pl.DataFrame) -> None:
    assert tuple(cases.columns) == CASE_COLUMNS
    assert cases.height == 5000
    for name in DATE_COLUMNS:
        if name in cases.columns:
            assert cases.schema[name] == pl.Date, name
    for name in ("week20_exception", "mediation", "tribunal"):
        assert cases.schema[name] == pl.Boolean


def test_no_date_after_as_of(cases: pl.DataFrame) -> None:
    latest = cases.select(pl.max_horizontal(pl.col(pl.Date).max())).item()
    assert latest <= AS_OF


def test_ids(cases: pl.DataFrame) -> None:
    assert cases["case_id"].is_unique().all()
    assert cases["case_id"].str.contains(r"^REQ-\d{6}$").all()
    assert cases["person_id"].str.contains(r"^P\d{7}$").all()
    assert cases["caseworker"].str.contains(r"^Caseworker \d{2}$").all()


def test_outcome_codes_valid(cases: pl.DataFrame) -> None:
    assert cases["request_outcome"].is_in(VALID_CODES).all()
    assessment = cases["assessment_outcome"]
    assert assessment.drop_nulls().is_in(VALID_CODES).all()
    # No assessment outcome only where no assessment was agreed.
    not_assessed = cases.filter(pl.col("assessment_outcome").is_null())
    assert not not_assessed["request_outcome"].is_in(["Y", "H"]).any()
    # A plan date exactly where a plan was issued (or transferred in).
    has_plan = cases["plan_issued_date"].is_not_null()
    assert (has_plan == assessment.is_in(["Y", "H"]).fill_null(False)).all()


def test_dates_in_order(cases: pl.DataFrame) -> None:
    r = pl.col("received_date")
    bad = cases.filter(
        (pl.col("request_outcome_date") < r) | (pl.col("plan_issued_date") < r)
        | (pl.col("last_review_date") < pl.col("plan_issued_date"))
        | (pl.col("cease_date") < pl.col("plan_issued_date"))
        | (pl.col("date_of_birth") > r))
    assert bad.is_empty()


def test_national_like_proportions(cases: pl.DataFrame) -> None:
    plans = cases.filter(pl.col("assessment_outcome") == "Y")
    days = (plans["plan_issued_date"] - plans["received_date"]).dt.total_days()
    assert 0.40 <= (days <= 140).mean() <= 0.60
    assert 0.01 <= (days > 364).mean() <= 0.10
    refused = (cases["request_outcome"] == "N").mean()
    assert 0.15 <= refused <= 0.28
    assert 0.05 <= cases["week20_exception"].mean() <= 0.11
    issued = cases.filter(pl.col("plan_issued_date").is_not_null())
    assert 0.5 <= issued["last_review_date"].is_not_null().mean() <= 0.7
    open_cases = cases.filter(pl.col("request_outcome") == "A")
    assert open_cases.height > 0


def test_messy_export_is_text_with_export_headers(cases: pl.DataFrame) -> None:
    export = to_messy_export(cases, 7)
    assert export.columns == list(EXPORT_HEADERS.values())
    assert all(dtype == pl.String for dtype in export.dtypes)
    received = export["Date Request Received"]
    assert received.str.contains(r"^\d{2}/\d{2}/\d{4}$").mean() > 0.6
    assert received.str.contains(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$").any()


def test_bad_rows_added(cases: pl.DataFrame) -> None:
    export = to_messy_export(cases, 7)
    with_bad = add_bad_rows(export, 7, as_of=AS_OF)
    assert with_bad.height == export.height + len(BAD_ROWS)
    assert with_bad.filter(pl.all_horizontal(pl.all().is_null())).height == 1


def test_shipped_sample_is_what_the_script_writes(tmp_path: Path) -> None:
    script = load_script("make_sample_data")
    script.main(["--out", str(tmp_path)])
    for name in ("cases.csv", "mapping.toml"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), (
            f"sample_data/{name} is stale: run scripts/make_sample_data.py")


def test_shipped_sample_reports_exactly_the_injected_problems() -> None:
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), AS_OF)
    counts = dict(analysis.issues.group_by("code").len().iter_rows())
    assert counts == EXPECTED_ISSUES
    assert analysis.rows_analysed == 2000
    assert set(analysis.export.headers.recognised) | {
        "assessment_outcome_date", "tribunal", "last_review_date", "cease_date"
    } == set(analysis.export.headers.mapped)


def test_person_ids_stay_distinct_beyond_the_pool() -> None:
    """National-scale files (more rows than half the id pool) still get distinct person ids."""
    cases = generate_cases(800, 3, date(2025, 6, 30), person_pool=1_000)
    assert cases["person_id"].n_unique() == 800


def test_profiles_shape_the_service_and_leave_the_sample_as_it_was() -> None:
    """The backtest's shapes (PROFILES): the default is the sample's, draw for draw."""
    from ehcp_timeliness import synthetic

    assert_frame_equal(generate_cases(400, 9, AS_OF), generate_cases(400, 9, AS_OF, "sample"))
    with pytest.raises(ValueError, match="profile"):
        generate_cases(10, 9, AS_OF, profile="boom")
    by_year = {}
    for profile in synthetic.PROFILES[1:]:
        cases = generate_cases(3000, 9, AS_OF, profile, history_days=4 * 365)
        assert_frame_equal(cases, generate_cases(3000, 9, AS_OF, profile,
                                                 history_days=4 * 365))
        by_year[profile] = cases.group_by(pl.col("received_date").dt.year()).len().sort(
            "received_date")["len"].to_list()
    # Growing demand: each full year receives more than the one before; stable: about flat.
    growing, stable = by_year["growing"][1:-1], by_year["stable"][1:-1]
    assert growing == sorted(growing) and growing[-1] > 1.5 * growing[0]
    assert max(stable) < 1.25 * min(stable)


def test_a_backlog_cleared_turns_round_over_a_year_and_a_step_overnight() -> None:
    """`clearing` and `step` share their first two of five years and their backlog; new
    requests' on-time share rises from 25% to 75% over the 12 months after the change
    (`clearing`) or on its day (`step`)."""
    history, rows = 5 * 365, 6000
    change = AS_OF - timedelta(days=history - int(0.4 * history))
    shapes = {profile: generate_cases(rows, 9, AS_OF, profile, history_days=history)
              for profile in ("clearing", "step")}
    before = [cases.filter(pl.col("received_date") < change) for cases in shapes.values()]
    assert before[0].height > rows // 3
    assert_frame_equal(*before)

    def on_time(cases: pl.DataFrame, months_after: tuple[int, int]) -> float:
        """Of the plans for requests received months_after[0]..[1] months after the change."""
        first, last = (change + timedelta(days=round(m * 365 / 12)) for m in months_after)
        plans = cases.filter(pl.col("received_date").is_between(first, last, closed="left")
                             & (pl.col("assessment_outcome") == "Y"))
        days = (pl.col("plan_issued_date") - pl.col("received_date")).dt.total_days()
        return plans.select((days <= 140).mean()).item()

    ramp = [on_time(shapes["clearing"], (m, m + 3)) for m in (-3, 0, 3, 6, 9, 12)]
    step = [on_time(shapes["step"], (m, m + 3)) for m in (-3, 0, 3, 6, 9, 12)]
    assert ramp[0] == step[0] < 0.35                   # the quarter before: about 25%
    assert 0.3 < ramp[1] < 0.45 and step[1] > 0.65     # the first quarter: about 31% against 75%
    assert ramp[:5] == sorted(ramp[:5]) and 0.4 < ramp[3] < 0.6   # rising through the year
    assert ramp[5] > 0.65 and min(step[1:]) > 0.65     # a year on: both about 75%


def test_a_lead_year_puts_a_running_service_before_the_same_history() -> None:
    """lead_days: requests received before the history, at its first pace, their plan times
    the profile's carried back; the history's own rows are the same, draw for draw."""
    history, last = 5 * 365, date(2025, 12, 31)
    start = last - timedelta(days=history - 1)  # the history's first day
    for profile, pace in (("stable", 1.0), ("growing", 0.5), ("clearing", 1.0)):
        alone = generate_cases(3200, 33, last, profile, history_days=history)
        led = generate_cases(3200, 33, last, profile, history_days=history, lead_days=365)
        early = led.filter(pl.col("received_date") < start)
        assert early.height == round(3200 / 5 * pace)
        assert early["received_date"].min() >= start - timedelta(days=365)
        assert early["received_date"].max() < start <= alone["received_date"].min()
        # Case refs follow receipt: the lead year's come first, then the history's, unchanged.
        assert led["case_id"].head(early.height).equals(early["case_id"])
        assert_frame_equal(led.slice(early.height).drop("case_id"), alone.drop("case_id"))
        if profile == "clearing":  # the backlog: late plans of the lead year wait for the change
            days = (pl.col("plan_issued_date") - pl.col("received_date")).dt.total_days()
            assert early.select((days > 365 * 2).any()).item()
