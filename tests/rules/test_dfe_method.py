"""rules/dfe_method.py: DfE's method for its new-plan figures, one set of expressions for
`dfe`, `benchmark`, `summary`/`report` and the `check` gate. Worked examples E50–E54
(docs/worked-examples.md) and a property test against the plain-Python oracle.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness.columns import BOOLEAN_COLUMNS, CANONICAL_COLUMNS, DATE_COLUMNS
from ehcp_timeliness.config import Config, RulesConfig
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.dfe_method import (
    OverAYear,
    between_20_weeks_and_a_year,
    differs_from_plan_status,
    has_usable_request_date,
    over_a_year,
    within_20_weeks,
)
from ehcp_timeliness.summaries.dfe import dfe_figures
from ehcp_timeliness.summaries.figures import case_figures
from ehcp_timeliness.summaries.gate import window_rate_ex
from ehcp_timeliness.summaries.rates import timeliness_rates

import oracle

D = date.fromisoformat
DAY_ONE = RulesConfig(anchor_is_day_one=True)


def analysed(rows: list[dict[str, object]], as_of: date, rules: RulesConfig) -> pl.DataFrame:
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    frame = pl.DataFrame(rows, schema=schema).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False))
    return with_status(with_deadlines(frame, rules), as_of, rules)


def plan(case_id: str, received: str | None, issued: str, **more: object) -> dict[str, object]:
    return {"case_id": case_id, "received_date": D(received) if received else None,
            "request_outcome": "Y", "assessment_outcome": "Y", "plan_issued_date": D(issued),
            **more}


def test_E50_day_140_is_within_20_weeks_for_dfe_whatever_the_local_convention() -> None:
    """Request 2024-01-10, plan 2024-05-29 (day 140) under anchor_is_day_one: plan_status
    issued_late (local due date R + 139), DfE's figures within 20 weeks, one plan noted."""
    as_of = D("2025-01-16")
    cases = analysed([plan("a", "2024-01-10", "2024-05-29")], as_of, DAY_ONE)
    assert cases["plan_status"].item() == "issued_late"
    row = dfe_figures(cases, as_of).row(0, named=True)
    assert (row["plans_issued_within_20_weeks"], row["pc_plans_issued_within_20_weeks"]) \
        == (1, 100.0)
    summary = timeliness_rates(cases, as_of, "year", []).row(0, named=True)
    assert summary["issued_within_20_weeks"] == 1
    assert case_figures(cases, as_of).differs_from_plan_status == 1


def test_E51_the_gate_the_board_and_the_summary_give_one_rate() -> None:
    """Under anchor_is_day_one, plans on day 139, 140 and 141 issued in January 2025: the
    `check` gate, the board KPI and `summary` all say 2 of 3 (66.7%), DfE's rule."""
    as_of = D("2025-01-31")
    rows = [plan(f"p{d}", "2024-08-20", (D("2024-08-20") + timedelta(days=d)).isoformat())
            for d in (139, 140, 141)]
    assert all(r["plan_issued_date"].month == 1 for r in rows)  # type: ignore[union-attr]
    cases = analysed(rows, as_of, DAY_ONE)
    figures = case_figures(cases, as_of)
    gate = window_rate_ex(figures, 1)
    (kpi,) = [k for k in figures.kpis if k.kpi == "pct_within_20_weeks_ex_month"]
    summary = timeliness_rates(cases, as_of, "month", []).row(0, named=True)
    assert (gate.numerator, gate.denominator, gate.value) == (2, 3, 66.7)
    assert (kpi.numerator, kpi.denominator, kpi.value) == (2, 3, 66.7)
    assert (summary["issued_within_20_weeks_ex"], summary["plans_issued_ex"],
            summary["pct_within_20_weeks_ex"]) == (2, 3, 66.7)


def test_E52_a_plan_without_a_usable_request_date_is_in_the_denominator_only(
        tmp_path: Path) -> None:
    """Plans issued in 2024 whose request date is missing, unreadable or after the issue
    date: set aside from the case analysis with their issue code, counted in
    plans_issued_den (and _ex), in no bucket, and noted."""
    export = tmp_path / "cases.csv"
    export.write_text(
        "case_id,received_date,request_outcome,assessment_outcome,plan_issued_date,"
        "week20_exception\n"
        "ok,2024-01-10,Y,Y,2024-05-01,\n"          # 112 days: within 20 weeks
        "gone,,Y,Y,2024-06-03,\n"                   # missing
        "bad,2024-02-30,Y,Y,2024-06-03,\n"          # unreadable
        "late,2024-07-01,Y,Y,2024-06-03,1\n"        # after the issue date; an exception
        "also,,Y,Q,2024-06-03,\n"                   # also an unknown outcome: not counted
        "open,,Y,,,\n",                             # and no plan issued: not counted
        encoding="utf-8")
    as_of = D("2025-01-16")
    analysis = analyse(export, Config(), as_of)
    reasons = dict(analysis.set_aside_reasons().iter_rows())
    assert reasons == {"missing-received-date": 3, "unparseable-date": 1,
                       "issued-before-received": 1, "unknown-outcome-code": 1}
    assert analysis.cases["case_id"].to_list() == ["ok"]
    assert analysis.undated_plans is not None
    assert analysis.undated_plans["case_id"].to_list() == ["gone", "bad", "late"]
    row = dfe_figures(analysis.cases, as_of, analysis.undated_plans).row(0, named=True)
    assert (row["plans_issued_den"], row["plans_issued_den_ex"]) == (4, 3)
    assert (row["plans_issued_within_20_weeks"], row["plans_issued_gt20weeks_ltYear"],
            row["plans_issued_gt_1_year"]) == (1, 0, 0)
    assert (row["pc_plans_issued_within_20_weeks"], row["PC_plans_issued_20_weeks_ex"]) \
        == (25.0, 33.3)
    summary = timeliness_rates(analysis.cases, as_of, "year", [], analysis.undated_plans)
    assert summary.row(0, named=True)["plans_issued"] == 4
    assert case_figures(analysis.cases, as_of, analysis.undated_plans).without_request_date == 3


def test_a_historical_plan_without_a_request_date_stays_out_of_dfes_figures() -> None:
    """SEN2 leaves ReceivedDate out for H: such a row is analysed for its reviews
    (historical-without-request-date) and is not a new plan in DfE's denominators."""
    as_of = D("2025-01-16")
    row = plan("h", None, "2024-06-03", request_outcome="H", assessment_outcome=None)
    cases = analysed([row], as_of, RulesConfig())
    assert dfe_figures(cases, as_of)["plans_issued_den"].to_list() == []
    assert case_figures(cases, as_of).without_request_date == 0


def test_E53_over_a_year_is_after_52_weeks() -> None:
    """Request 2023-06-01: a plan on 2024-05-30 (364 days, 52 weeks) is "between 20 and 52
    weeks"; on 2024-05-31 (365 days, a day before the anniversary) "after 52 weeks"."""
    as_of = D("2025-01-16")
    cases = analysed([plan("a", "2023-06-01", "2024-05-30"),
                      plan("b", "2023-06-01", "2024-05-31")], as_of, RulesConfig())
    row = dfe_figures(cases, as_of).row(0, named=True)
    assert (row["plans_issued_gt20weeks_ltYear"], row["plans_issued_gt_1_year"]) == (1, 1)
    summary = timeliness_rates(cases, as_of, "year", []).row(0, named=True)
    assert (summary["issued_20_to_52_weeks"], summary["issued_over_52_weeks"]) == (1, 1)
    # The other reading, by configuration (dfe.over_a_year): neither is after 2024-06-01.
    row = dfe_figures(cases, as_of, over_a_year_reading="anniversary").row(0, named=True)
    assert (row["plans_issued_gt20weeks_ltYear"], row["plans_issued_gt_1_year"]) == (2, 0)


# E54 (Surrey 2024: 867 + 933 + 304 = 2,104 of 2,134, 30 plans without a usable request
# date) is tests/summaries/test_dfe.py::test_2024_row_through_the_pipeline[Surrey-30].


EDGE = st.sampled_from([date(2023, 6, 1), date(2024, 2, 29), date(2023, 12, 31)])
any_day = st.one_of(EDGE, st.dates(min_value=date(2018, 1, 1), max_value=date(2028, 12, 31)))


@st.composite
def dated_plans(draw: st.DrawFn) -> tuple[date | None, date]:
    issued = draw(any_day)
    offset = draw(st.one_of(st.sampled_from([0, 139, 140, 141, 363, 364, 365, 366, -1]),
                            st.integers(-30, 800)))
    received = draw(st.one_of(st.none(), st.just(issued - timedelta(days=offset))))
    return received, issued


@settings(max_examples=300, deadline=None)
@given(batch=st.lists(dated_plans(), min_size=1, max_size=30), day_one=st.booleans(),
       reading=st.sampled_from(["52_weeks", "anniversary"]))
def test_dfe_buckets_equal_the_oracle_whatever_the_convention(
        batch: list[tuple[date | None, date]], day_one: bool, reading: OverAYear) -> None:
    """Every issued plan is in exactly one of DfE's buckets or, without a usable request
    date, in none; the buckets never move with anchor_is_day_one, plan_status does."""
    rows = [plan(f"c{i}", r.isoformat() if r else None, i_.isoformat())
            for i, (r, i_) in enumerate(batch)]
    as_of = max(i for _, i in batch)
    cases = analysed(rows, as_of, RulesConfig(anchor_is_day_one=day_one))
    got = cases.select(
        pl.when(within_20_weeks()).then(pl.lit("within_20_weeks"))
        .when(between_20_weeks_and_a_year(reading)).then(pl.lit("gt20weeks_ltYear"))
        .when(over_a_year(reading)).then(pl.lit("gt_1_year")).alias("bucket"),
        (within_20_weeks().cast(pl.Int8) + between_20_weeks_and_a_year(reading).cast(pl.Int8)
         + over_a_year(reading).cast(pl.Int8)).alias("buckets"),
        has_usable_request_date().alias("usable"),
        differs_from_plan_status().alias("differs"),
    )
    want = [oracle.dfe_bucket(r, i, reading) for r, i in batch]
    assert got["bucket"].to_list() == want
    assert got["buckets"].to_list() == [0 if w is None else 1 for w in want]
    assert got["usable"].to_list() == [w is not None for w in want]
    local = [oracle.plan_status(oracle.Case(received=r, issued=i), as_of,
                                anchor_is_day_one=day_one) if r is not None else None
             for r, i in batch]
    assert got["differs"].to_list() == [
        w is not None and (s == "issued_on_time") != (w == "within_20_weeks")
        for w, s in zip(want, local, strict=True)]
