"""Headline KPIs, the monthly trend and the worklist on a small export worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ehcp_timeliness.columns import KPI_IDS
from ehcp_timeliness.config import Config, RulesConfig
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.rules.status import ISSUED, issued_by_as_of
from ehcp_timeliness.summaries.figures import case_figures, window_start
from ehcp_timeliness.summaries.kpis import (
    rate_kpis_from_months,
)
from ehcp_timeliness.summaries.trend import trend_table
from ehcp_timeliness.summaries.worklist import (
    STEP_DECISION,
    STEP_FINAL_PLAN,
    in_groups,
    worklist,
)

from board_data import AS_OF, EXPECTED_WORKLIST, write_export
from conftest import SAMPLE


@pytest.fixture
def analysis(tmp_path: Path):
    return analyse(write_export(tmp_path), Config(), date.fromisoformat(AS_OF))


@pytest.mark.parametrize(("as_of", "months", "start"), [
    (date(2025, 6, 30), 1, date(2025, 6, 1)),
    (date(2025, 6, 30), 3, date(2025, 4, 1)),
    (date(2025, 6, 30), 12, date(2024, 7, 1)),
    (date(2025, 2, 1), 3, date(2024, 12, 1)),
    (date(2025, 1, 31), 12, date(2024, 2, 1)),
])
def test_window_start(as_of: date, months: int, start: date) -> None:
    assert window_start(as_of, months) == start


def test_kpis(analysis) -> None:
    kpis = {k.kpi: k for k in case_figures(analysis.cases, analysis.as_of).kpis}
    assert list(kpis) == list(KPI_IDS)
    month = kpis["pct_within_20_weeks_month"]
    assert (month.numerator, month.denominator, month.value) == (1, 2, 50.0)
    assert month.period_from == date(2025, 6, 1)
    year = kpis["pct_within_20_weeks_12_months"]
    assert (year.numerator, year.denominator, year.value) == (2, 3, 66.7)
    assert kpis["open_cases_overdue"].value == 1     # C4 (C3 is overdue only for its decision)
    assert kpis["reviews_overdue"].value == 1        # C6
    assert kpis["open_cases_overdue"].lower_is_better


def test_rates_are_null_without_plans(tmp_path: Path) -> None:
    path = write_export(tmp_path, ["C3,P3,01/05/2025,,,,South,"])
    found = analyse(path, Config(), date.fromisoformat(AS_OF))
    kpi = case_figures(found.cases, found.as_of).kpis[0]
    assert (kpi.value, kpi.numerator, kpi.denominator) == (None, 0, 0)


def test_rates_by_month_has_every_month(analysis) -> None:
    trend = trend_table(analysis.cases, analysis.as_of, RulesConfig(), []).rates_by_month(24)
    assert trend.height == 24
    assert trend["period"][0] == "2023-07" and trend["period"][-1] == "2025-06"
    june = trend.row(-1, named=True)
    assert (june["plans_issued"], june["issued_within_20_weeks"]) == (2, 1)
    assert trend.filter(trend["period"] == "2025-01")["plans_issued"].item() == 0


def test_worklist_most_urgent_first(analysis) -> None:
    rows = worklist(analysis.cases, analysis.as_of, 28, [], knows_decisions=True)
    found = [(r["case_id"], r["step_due_date"].isoformat(), r["days_left"])
             for r in rows.iter_rows(named=True)]
    assert found == EXPECTED_WORKLIST
    steps = dict(zip(rows["case_id"], rows["next_step"], strict=True))
    assert steps["C3"] == STEP_DECISION and steps["C4"] == STEP_FINAL_PLAN
    assert rows.filter(rows["case_id"] == "C6")["plan_due_date"].item() is None


def test_worklist_within_and_groups(analysis) -> None:
    overdue_only = worklist(analysis.cases, analysis.as_of, -1, [], knows_decisions=True)
    assert overdue_only["case_id"].to_list() == ["C3", "C6", "C4"]
    grouped = in_groups(worklist(analysis.cases, analysis.as_of, 28, ["Team"],
                                 knows_decisions=True), ["Team"])
    assert grouped.columns[0] == "Team"
    assert grouped["case_id"].to_list() == ["C7", "C5", "C3", "C6", "C4"]


def test_without_an_outcome_column_the_next_step_is_the_plan(tmp_path: Path) -> None:
    header = "Case Ref,Date Request Received"
    found = analyse(write_export(tmp_path, ["C9,01/05/2025"], header), Config(),
                    date.fromisoformat(AS_OF))
    rows = worklist(found.cases, found.as_of, 365, [], knows_decisions=False)
    assert rows["next_step"].to_list() == [STEP_FINAL_PLAN]


@pytest.mark.parametrize("day", [date(2025, 6, 30), date(2025, 5, 31), date(2024, 6, 30),
                                 date(2023, 12, 31)])
def test_rates_added_up_from_the_months_are_the_kpis_as_of_that_day(day: date) -> None:
    """The board's changes on earlier month ends read the monthly table: its months add up to
    the KPIs worked out from the cases with each plan's issue as it stood on the day."""
    from ehcp_timeliness.config import load_config

    found = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"),
                    date(2025, 6, 30))
    # Each plan's issue as it stood on DAY, under the column the rates read.
    cut = pl.when(issued_by_as_of() <= pl.lit(day)).then(issued_by_as_of()).alias(ISSUED)
    direct = {k.kpi: k for k in case_figures(found.cases.with_columns(cut), day,
                                             found.undated_plans.with_columns(cut)).kpis}
    monthly = trend_table(found.cases, found.as_of, found.config.rules, [], None,
                          found.undated_plans).rates_by_month(36)
    added = rate_kpis_from_months(monthly, day)
    assert len(added) == 6 and all(k.denominator for k in added)
    for kpi in added:
        assert kpi == direct[kpi.kpi]


def test_rates_from_months_refuse_a_table_too_short() -> None:
    short = pl.DataFrame({"period": ["2025-06"], "plans_issued": [1],
                          "issued_within_20_weeks": [1], "plans_issued_ex": [1],
                          "issued_within_20_weeks_ex": [1]})
    with pytest.raises(ValueError, match="2024-07"):
        rate_kpis_from_months(short, date(2025, 6, 30))
