"""E77: review figures as of a date before the export's own reviews are lower bounds, marked in
every output (rules/status.py review_not_known; summaries/figures.py; summaries/trend.py).

An export keeps only each plan's last review. Run as of an earlier date (a replay, or last
quarter's figures from this month's export), a plan whose one recorded review is after that
date may have had an earlier review, overwritten: whether it was overdue then is not known.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

import trend_oracle
from ehcp_timeliness.check_thresholds import THRESHOLDS
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.report.gate import ThresholdResult
from ehcp_timeliness.summaries.figures import case_figures
from ehcp_timeliness.summaries.gate import reviews_overdue_pct
from ehcp_timeliness.summaries.trend import NOT_KNOWN, trend_table
from trend_cases import analysed

import oracle
from conftest import kpi_card

Run = Callable[..., Result]
D = date.fromisoformat
AS_OF, EXTRACT = D("2024-03-31"), D("2025-12-31")
# E77 (docs/worked-examples.md), an export taken on EXTRACT:
E77 = {
    # A review fell due by 2023-05-31; the only one recorded is 2024-09-10, after the as-of.
    "X": trend_oracle.TrendCase(received=D("2021-12-01"), issued=D("2022-06-01"),
                                last_review=D("2024-09-10")),
    # Last reviewed 2023-04-20: due 2024-04-19, 19 days after the as-of date.
    "Y": trend_oracle.TrendCase(received=D("2021-11-01"), issued=D("2022-05-01"),
                                last_review=D("2023-04-20")),
    # Its first 12 months run to 2024-08-31: no review had fallen due by the as-of date.
    "Z": trend_oracle.TrendCase(received=D("2023-03-01"), issued=D("2023-09-01"),
                                last_review=D("2024-08-20")),
    # Last reviewed 2023-01-05: overdue since 2024-01-05.
    "W": trend_oracle.TrendCase(received=D("2021-07-05"), issued=D("2022-01-10"),
                                last_review=D("2023-01-05")),
}
STATUSES = {"X": "not_known", "Y": "due_soon", "Z": "not_due", "W": "overdue"}


def test_E77_a_review_after_the_as_of_date_leaves_the_status_not_known() -> None:
    rules = RulesConfig()
    cases = analysed(list(E77.values()), AS_OF, rules)
    assert dict(zip(E77, cases["review_status"].cast(str), strict=True)) == STATUSES
    assert [oracle.review_status(c, AS_OF) for c in E77.values()] == list(STATUSES.values())
    # Its due date is not known either: blank, not 2023-05-31.
    assert cases["review_due_date"].to_list() == [None, D("2024-04-19"), D("2024-08-31"),
                                                  D("2024-01-04")]

    figures = case_figures(cases, AS_OF)
    assert figures.reviews().to_dicts() == [{
        "plans_to_review": 4, "reviews_overdue": 1, "reviews_due_soon": 1,
        "reviews_not_due": 1, "reviews_not_known": 1, "reviews_overdue_is_lower_bound": True}]
    kpi = {k.kpi: k for k in figures.kpis}["reviews_overdue"]
    assert (kpi.value, kpi.is_lower_bound) == (1, True)

    # The trend's as-of month counts the same plans, and flags its review figures.
    last = trend_table(cases, AS_OF, rules, []).table.row(-1, named=True)
    assert (last[NOT_KNOWN], last["reviews_overdue_at_month_end"]) == (1, 1)
    assert last["reviews_overdue_at_month_end_is_lower_bound"] is True
    # X, Y and W had a review fall due; Y alone is known reviewed: 1 of 3, a lower bound.
    assert (last["review_due_once"], last["pct_reviewed_in_last_12_months"]) == (3, 33.3)
    assert last["pct_reviewed_in_last_12_months_is_lower_bound"] is True


def test_E77_as_of_the_extract_date_every_status_is_known() -> None:
    rules = RulesConfig()
    cases = analysed(list(E77.values()), EXTRACT, rules)
    assert "not_known" not in cases["review_status"].cast(str).to_list()
    figures = case_figures(cases, EXTRACT)
    assert figures.reviews()["reviews_overdue_is_lower_bound"].to_list() == [False]
    assert trend_table(cases, EXTRACT, rules, []).table[NOT_KNOWN][-1] == 0


@pytest.mark.parametrize(("limit", "result"), [(20.0, "fail"), (25.0, "not known"),
                                               (30.0, "not known")])
def test_E77_the_gate_fails_a_lower_bound_above_its_maximum_and_decides_nothing_else(
        limit: float, result: str) -> None:
    """1 overdue of 4 to review = 25.0%, and the truth may be higher: above a 20% maximum it
    fails for certain; within 25% or 30% the export cannot say."""
    cases = analysed(list(E77.values()), AS_OF, RulesConfig())
    measure = reviews_overdue_pct(case_figures(cases, AS_OF))
    assert (measure.value, measure.is_lower_bound) == (25.0, True)
    spec = next(t for t in THRESHOLDS if t.name == "max_reviews_overdue_pct")
    assert ThresholdResult(spec, limit, measure).result == result


def _export(tmp_path: Path) -> Path:
    rows = [f"{name},{c.received},{c.issued},{c.last_review}" for name, c in E77.items()]
    path = tmp_path / "e77.csv"
    path.write_text("\n".join(["case_id,received_date,plan_issued_date,last_review_date",
                               *rows]) + "\n", encoding="utf-8")
    return path


def test_E77_summary_marks_the_lower_bound_in_every_format(run: Run, tmp_path: Path) -> None:
    export = _export(tmp_path)
    result = run("summary", export, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["reviews"][0]["reviews_not_known"] == 1
    assert data["reviews"][0]["reviews_overdue_is_lower_bound"] is True
    assert data["kpis"]["reviews_overdue"]["is_lower_bound"] is True
    table = run("summary", export, "--as-of", AS_OF)
    assert "≥ 1" in table.stdout  # in the overdue cell itself
    assert "Not known: plans whose only recorded review is dated after" in " ".join(
        table.stdout.split())


def test_E77_the_board_leaves_the_reviewed_share_blank_and_says_why(
        run: Run, tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    result = run("report", _export(tmp_path), "--as-of", AS_OF, "-o", out)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    card = kpi_card(html, "reviews_in_time")
    assert '<span class="kpi-value">–' in card
    assert "Not known: 1 plan’s only recorded review is dated after 31 Mar 2024" in card
    assert "at least 1" in card
    assert "Not known: plans whose only recorded review is dated after" in html


def test_E77_a_lower_bound_is_compared_with_no_earlier_month() -> None:
    """The board's change on a card: a count the export gives only as a lower bound on the
    as-of date has no difference from an earlier month end, whose figure may be exact."""
    from ehcp_timeliness.report.board_trend import _change
    from ehcp_timeliness.summaries.figures import Kpi

    bound = Kpi("reviews_overdue", 1, None, None, None, AS_OF, is_lower_bound=True)
    change = _change(bound, 3, D("2024-02-29"))
    assert (change.difference, change.better) == (None, None)
    assert change.words(is_rate=False) == "no comparable figure for Feb 2024"
    exact = Kpi("reviews_overdue", 1, None, None, None, AS_OF)
    assert _change(exact, 3, D("2024-02-29")).difference == -2.0


@pytest.mark.parametrize(("actual", "status"), [(1, "not known"), (5, "not known"),
                                                (9, "slippage")])
def test_E77_a_target_gives_no_verdict_on_a_lower_bound_but_slippage(
        actual: int, status: str) -> None:
    """Reviews overdue (lower is better) against a target of 5: a lower bound of 1 or 5 may
    hide a truth above it, so neither "target met" nor "on track"; 9 is past it for certain."""
    from ehcp_timeliness.config import KpiTarget
    from ehcp_timeliness.report.targets import progress

    target = KpiTarget(target=5, target_date=D("2024-01-31"))
    assert progress(target, actual, AS_OF, lower_is_better=True,
                    lower_bound=True).status == status
    assert progress(target, 1, AS_OF, lower_is_better=True).status == "target met"
