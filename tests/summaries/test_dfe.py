"""summaries/dfe.py: DfE's published figures from cases, under DfE's column names.

Literal frames for each rule and boundary; then whole published rows rebuilt from synthetic
cases (tests/published_rows.py) and read back exactly, directly and through the pipeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ehcp_timeliness import published
from ehcp_timeliness.columns import CANONICAL_COLUMNS
from ehcp_timeliness.config import Config, RulesConfig
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.summaries.dfe import (
    COUNT_COLUMNS,
    DFE_COLUMNS,
    PERCENTAGE_COLUMNS,
    REQUEST_COLUMNS,
    dfe_figures,
)
from ehcp_timeliness.summaries.figures import case_figures
from ehcp_timeliness.summaries.rates import timeliness_rates

from published_rows import (
    cases_for_published_row,
    census_day,
    published_figures,
    published_row,
    without_request_date,
)

R = date(2024, 1, 10)
AS = date(2025, 1, 16)


def analysed(rows: list[dict[str, object]], as_of: date = AS,
             rules: RulesConfig | None = None) -> pl.DataFrame:
    """Literal cases (any canonical columns left out are blank) through deadlines and status."""
    schema = {c.name: (pl.Date if c.kind == "date" else pl.Boolean if c.kind == "boolean"
                       else pl.String) for c in CANONICAL_COLUMNS}
    frame = pl.DataFrame(rows, schema=schema)
    rules = rules or RulesConfig()
    return with_status(with_deadlines(frame, rules), as_of, rules)


def after(days: int) -> date:
    return date.fromordinal(R.toordinal() + days)


def figures(rows: list[dict[str, object]], year: int, **kw: object) -> dict[str, object]:
    table = dfe_figures(analysed(rows, **kw), kw.get("as_of", AS))  # type: ignore[arg-type]
    found = table.filter(pl.col("time_period") == year)
    assert found.height == 1, table
    return found.row(0, named=True)


def test_columns_are_dfes_in_dfes_order() -> None:
    header = published.published_table(published.TIMELINESS).columns
    dfe_plan_columns = [c for c in header if c.lower().startswith(("plans_", "pc_"))]
    assert list(DFE_COLUMNS[1:15]) == dfe_plan_columns
    for name, columns in ((published.REQUESTS, DFE_COLUMNS[15:19]),
                          (published.ASSESSMENTS, DFE_COLUMNS[19:23]),
                          (published.ANNUAL_REVIEWS, DFE_COLUMNS[23:])):
        assert set(columns) <= set(published.published_table(name).columns), name


@pytest.mark.parametrize(("days", "bucket"), [
    (1, "plans_issued_within_20_weeks"), (140, "plans_issued_within_20_weeks"),
    (141, "plans_issued_gt20weeks_ltYear"), (364, "plans_issued_gt20weeks_ltYear"),
    (365, "plans_issued_gt_1_year"),
])
def test_20_week_buckets_at_their_boundaries(days: int, bucket: str) -> None:
    row = {"case_id": "c", "received_date": R, "request_outcome": "Y",
           "assessment_outcome": "Y", "plan_issued_date": after(days)}
    got = figures([row], after(days).year, as_of=date(2026, 1, 16))
    assert got["plans_issued_den"] == got[bucket] == 1
    assert got["plans_issued_within_20_weeks"] + got["plans_issued_gt20weeks_ltYear"] \
        + got["plans_issued_gt_1_year"] == 1


def test_exceptions_are_left_out_of_ex_columns_only() -> None:
    rows = [{"case_id": f"c{i}", "received_date": R, "request_outcome": "Y",
             "assessment_outcome": "Y", "plan_issued_date": after(d), "week20_exception": ex}
            for i, (d, ex) in enumerate([(100, False), (150, True), (400, True), (120, True)])]
    got = figures(rows, 2024, as_of=date(2025, 6, 30))
    assert (got["plans_issued_den"], got["plans_issued_den_ex"]) == (3, 1)
    assert (got["plans_issued_within_20_weeks"], got["plans_issued_20_weeks_ex"]) == (2, 1)
    assert (got["pc_plans_issued_within_20_weeks"], got["PC_plans_issued_20_weeks_ex"]) \
        == (66.7, 100.0)
    assert (got["plans_issued_gt20weeks_ltYear"], got["plans_issued_gt20weeks_ltYear_ex"]) \
        == (1, 0)
    assert (got["PC_plans_issued_gt20weeks_ltYear_ex"], got["PC_plans_issued_gt_1_year_ex"]) \
        == (0.0, 0.0)
    later = figures(rows, 2025, as_of=date(2025, 6, 30))
    assert (later["plans_issued_gt_1_year"], later["plans_issued_den_ex"]) == (1, 0)
    assert later["PC_plans_issued_20_weeks_ex"] is None  # DfE shows x


def test_anchor_convention_moves_plan_status_but_not_dfes_figure() -> None:
    """E50: DfE counts day 140 within 20 weeks whatever the local convention; plan_status
    follows the convention, and the difference is counted for the one-line note."""
    row = {"case_id": "c", "received_date": R, "request_outcome": "Y",
           "assessment_outcome": "Y", "plan_issued_date": after(140)}
    day_one = RulesConfig(anchor_is_day_one=True)
    for rules in (RulesConfig(), day_one):
        got = figures([row], 2024, rules=rules)
        assert (got["plans_issued_within_20_weeks"], got["plans_issued_gt20weeks_ltYear"]) \
            == (1, 0)
    cases = analysed([row], rules=day_one)
    assert cases["plan_status"].item() == "issued_late"
    assert case_figures(cases, AS).differs_from_plan_status == 1
    assert case_figures(analysed([row]), AS).differs_from_plan_status == 0


def test_requests_count_in_the_year_decided_within_42_days() -> None:
    dec = date(2023, 12, 1)
    rows = [
        {"case_id": "a", "received_date": dec, "request_outcome": "N",
         "request_outcome_date": date.fromordinal(dec.toordinal() + 42)},   # 2024, within
        {"case_id": "b", "received_date": dec, "request_outcome": "Y",
         "request_outcome_date": date.fromordinal(dec.toordinal() + 43)},   # 2024, over
        {"case_id": "c", "received_date": dec, "request_outcome": "W",
         "request_outcome_date": date(2024, 1, 2)},                          # not a decision
        {"case_id": "d", "received_date": dec, "request_outcome": "N",
         "request_outcome_date": date(2023, 12, 20)},                        # 2023
        {"case_id": "e", "received_date": dec, "request_outcome": "N",
         "request_outcome_date": date(2024, 1, 5), "mediation": True},      # out of scope
    ]
    got = figures(rows, 2024)
    assert [got[c] for c in REQUEST_COLUMNS] == [1, 1, 50.0, 50.0]
    assert figures(rows, 2023)["request_outcome_six_weeks"] == 1


def test_decisions_after_the_as_of_date_are_not_counted() -> None:
    rows = [{"case_id": "a", "received_date": R, "request_outcome": "N",
             "request_outcome_date": after(10)}]
    assert dfe_figures(analysed(rows, as_of=after(9)), after(9)).height == 0


def test_decisions_not_to_issue_within_112_days() -> None:
    rows = [{"case_id": f"c{d}", "received_date": R, "request_outcome": "Y",
             "request_outcome_date": after(30), "assessment_outcome": code,
             "assessment_outcome_date": after(d)}
            for d, code in [(112, "N"), (113, "N"), (100, "W"), (90, "H")]]
    got = figures(rows, 2024)
    assert (got["outcome_decision_within_time"], got["outcome_decision_over_time"]) == (1, 1)
    assert got["outcome_decision_within_time_pc"] == 50.0


def test_review_decisions_within_28_days_every_plan_counts() -> None:
    meeting = date(2024, 3, 1)
    base = {"received_date": date(2022, 1, 10), "request_outcome": "Y",
            "assessment_outcome": "Y", "plan_issued_date": date(2022, 5, 1),
            "last_review_date": meeting}
    rows = [
        {**base, "case_id": "a", "review_decision_date": date(2024, 3, 29)},  # day 28
        {**base, "case_id": "b", "review_decision_date": date(2024, 3, 30)},  # day 29
        {**base, "case_id": "c", "review_decision_date": date(2024, 3, 10), "tribunal": True},
        {**base, "case_id": "d", "assessment_outcome": "H", "plan_issued_date": None,
         "plan_start_date": date(2021, 9, 1), "review_decision_date": date(2024, 3, 10)},
        {**base, "case_id": "e"},                                              # no decision
    ]
    got = figures(rows, 2024)
    assert (got["number_decsion_4weeks"], got["number_decision_gt_4weeks"]) == (3, 1)
    assert (got["pc_decsion_4weeks"], got["pc_decision_gt_4weeks"]) == (75.0, 25.0)


def test_years_without_an_event_have_zero_counts_and_blank_percentages() -> None:
    rows = [{"case_id": "a", "received_date": R, "request_outcome": "N",
             "request_outcome_date": after(10)}]
    got = figures(rows, 2024)
    assert all(got[c] == 0 for c in COUNT_COLUMNS if not c.startswith("request"))
    assert all(got[c] is None for c in PERCENTAGE_COLUMNS if not c.startswith("request"))


def test_plan_counts_agree_with_summary(sample_analysis: object) -> None:
    analysis = sample_analysis
    ours = dfe_figures(analysis.cases, analysis.as_of)  # type: ignore[attr-defined]
    theirs = timeliness_rates(analysis.cases, analysis.as_of, "year", [])  # type: ignore[attr-defined]
    assert ours["plans_issued_den"].to_list() == theirs["plans_issued"].to_list()
    assert ours["plans_issued_20_weeks_ex"].to_list() \
        == theirs["issued_within_20_weeks_ex"].to_list()
    assert ours["PC_plans_issued_20_weeks_ex"].to_list() \
        == theirs["pct_within_20_weeks_ex"].to_list()


def test_row_order_does_not_change_the_figures(sample_analysis: object) -> None:
    cases = sample_analysis.cases  # type: ignore[attr-defined]
    as_of = sample_analysis.as_of  # type: ignore[attr-defined]
    assert dfe_figures(cases.sample(fraction=1, shuffle=True, seed=7), as_of).equals(
        dfe_figures(cases, as_of))


@pytest.fixture(scope="module")
def sample_analysis() -> object:
    from ehcp_timeliness.config import load_config

    from conftest import SAMPLE

    return analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), date(2025, 6, 30))


# --- whole published rows rebuilt from synthetic cases ---------------------------------------

def rebuilt(row: dict[str, str]) -> dict[str, object]:
    year = int(row["time_period"])
    rules = RulesConfig()
    as_of = census_day(year)
    cases = with_status(with_deadlines(cases_for_published_row(row), rules), as_of, rules)
    analysed_cases, undated = without_request_date(cases)
    table = dfe_figures(analysed_cases, as_of, undated).filter(pl.col("time_period") == year)
    return table.row(0, named=True)


@pytest.mark.parametrize(("area", "year"), [("Redbridge", 2024), ("E09000004", 2024)])
def test_a_published_row_comes_back_exactly(area: str, year: int) -> None:
    row = published_row(area, year)
    want = published_figures(row, DFE_COLUMNS[1:])
    got = rebuilt(row)
    assert {c: got[c] for c in want} == want


def test_redbridge_2024_row_is_what_we_think_it_is() -> None:
    row = published_row("Redbridge", 2024)
    assert (row["plans_issued_den"], row["plans_issued_20_weeks_ex"],
            row["PC_plans_issued_20_weeks_ex"]) == ("356", "25", "7")  # as published
    assert (row["plans_issued_gt20weeks_ltYear"], row["plans_issued_gt_1_year"]) == ("308", "23")
    assert row["number_decsion_4weeks"] == "x"  # DfE suppressed Redbridge's reviews
    bexley = published_row("Bexley", 2024)
    assert int(bexley["plans_issued_den"]) - int(bexley["plans_issued_den_ex"]) == 14


# DfE's 6-week percentage uses a slightly larger denominator in a few rows
# (docs/benchmarking.md, reading 2): compared with its own counts instead.
COMPARED = tuple(c for c in DFE_COLUMNS[1:]
                 if c not in ("request_outcome_six_weeks_pc", "request_outcome_over_6_weeks_pc"))


@pytest.mark.parametrize(("area", "undated"), [("Bexley", 0), ("Surrey", 30)])
def test_2024_row_through_the_pipeline(tmp_path: Path, area: str, undated: int) -> None:
    """Cases written as a canonical-header CSV, read back by analyse(): the published row.
    Surrey's 30 plans without a request date are set aside (missing-received-date) and still
    counted in DfE's denominators, and in summary's plans_issued (E52)."""
    row = published_row(area, 2024)
    path = tmp_path / "cases.csv"
    cases_for_published_row(row).write_csv(path, date_format="%Y-%m-%d")
    analysis = analyse(path, Config(), census_day(2024))
    assert analysis.rows_set_aside == undated, analysis.set_aside_reasons()
    assert dict(analysis.set_aside_reasons().iter_rows()) == (
        {"missing-received-date": undated} if undated else {})
    assert analysis.undated_plans is not None and analysis.undated_plans.height == undated
    table = dfe_figures(analysis.cases, census_day(2024), analysis.undated_plans).filter(
        pl.col("time_period") == 2024)
    want = published_figures(row, COMPARED)
    assert {c: table.row(0, named=True)[c] for c in want} == want
    summary = timeliness_rates(analysis.cases, census_day(2024), "year", [],
                               analysis.undated_plans).filter(pl.col("period") == "2024")
    assert summary["plans_issued"].item() == int(row["plans_issued_den"])
    assert case_figures(analysis.cases, census_day(2024),
                         analysis.undated_plans).without_request_date == undated


# Each authority's first and last year in the 20-week file, by DfE's 3-digit LA number.
LA_YEARS = {code: (first, last) for code, first, last in (
    published.published_table(published.TIMELINESS)
    .filter(pl.col("geographic_level") == published.LOCAL_AUTHORITY).group_by("old_la_code")
    .agg(first=pl.col("time_period").min(), last=pl.col("time_period").max()).rows())}
# The two years DfE publishes its three 20-week buckets for (earlier years are `x`).
LA_ROWS = [pytest.param(a.name, year, id=f"{a.name}-{year}")
           for year in (2023, 2024) for a in published.authorities()
           if LA_YEARS[a.old_la_code][0] <= year <= LA_YEARS[a.old_la_code][1]]


@pytest.mark.parametrize(("area", "year"), LA_ROWS)
def test_every_published_row_comes_back(area: str, year: int) -> None:
    """Every authority's 2023 and 2024 row, including those whose buckets add up to less
    than the denominator (eleven in 2024, e.g. Surrey: 867 + 933 + 304 = 2,104 of 2,134):
    plans with no usable request date (E52). Hackney 2023 is published as `x`, and Isle of
    Wight and Leicester have no 2023 row: nothing to rebuild, so nothing is compared."""
    row = published_row(area, year)
    cases = cases_for_published_row(row)
    want = published_figures(row, COMPARED)
    if cases.height == 0:
        assert want == {}  # DfE published nothing to rebuild for this row
        return
    got = rebuilt(row)
    assert {c: got[c] for c in want} == want
