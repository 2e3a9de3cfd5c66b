"""summary, check, dfe, benchmark and validate skip the review-process stage when the export
lacks its inputs (pipeline.analyse(review_process=False)): what summary shows, worked out with
the stage skipped, is still the plain-Python oracle's (tests/oracle.py) on generated exports.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.columns import REVIEW_DECISION_STATUS
from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.tabular import summary_bytes
from ehcp_timeliness.report.views import build_summary
from fuzz.generators import fuzz

import oracle
from conftest import SAMPLE_AS_OF as AS_OF

HEADERS = ["Case Ref", "Date Request Received", "Request Outcome", "Final EHCP Issued",
           "Last Annual Review Meeting", "Team"]
MAPPED = Config.model_validate({"columns": {"last_review_date": "Last Annual Review Meeting"}})
TEAMS = ("North", "South")
PLAN_STATUSES = ("issued_on_time", "issued_late", "closed_no_plan", "overdue", "due_soon",
                 "in_progress")


def _day(n: int) -> date:
    return AS_OF - timedelta(days=n)


@st.composite
def exports(draw: st.DrawFn) -> list[tuple[oracle.Case, str]]:
    """Cases received in the two years before the as-of date: issued (on time or late),
    refused, or open; some with a review meeting since."""
    found = []
    for _ in range(draw(st.integers(1, 12))):
        received = _day(draw(st.integers(0, 730)))
        outcome = draw(st.sampled_from([None, "Y", "N"]))
        issued = None
        if outcome != "N" and draw(st.booleans()):
            issued = min(received + timedelta(days=draw(st.integers(60, 300))), AS_OF)
        review = None
        if issued is not None and draw(st.booleans()):
            review = min(issued + timedelta(days=draw(st.integers(200, 400))), AS_OF)
        case = oracle.Case(received=received, issued=issued, request_outcome=outcome,
                           last_review=review)
        found.append((case, draw(st.sampled_from(TEAMS))))
    return found


def _cell(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exports")


@fuzz(40)
@given(cases=exports())
def test_summary_with_the_stage_skipped_is_the_oracles(
        folder: Path, cases: list[tuple[oracle.Case, str]]) -> None:
    path = folder / "cases.csv"
    pl.DataFrame([[f"C{i}", _cell(c.received), c.request_outcome or "", _cell(c.issued),
                   _cell(c.last_review), team] for i, (c, team) in enumerate(cases)],
                 schema=HEADERS, orient="row").write_csv(path)
    analysis = analyse(path, MAPPED, AS_OF, review_process=False)
    assert REVIEW_DECISION_STATUS not in analysis.cases.columns  # the stage did not run
    assert analysis.rows_analysed == len(cases)
    shown = json.loads(summary_bytes(build_summary(analysis, "year", ["Team"]), "json"))

    statuses = Counter(oracle.plan_status(c, AS_OF) for c, _ in cases)
    assert shown["plan_status_counts"] == {s: statuses[s] for s in PLAN_STATUSES}

    reviews = {team: Counter(oracle.review_status(c, AS_OF) for c, t in cases if t == team)
               for team in TEAMS}
    assert {row["Team"]: (row["plans_to_review"], row["reviews_overdue"],
                          row["reviews_due_soon"], row["reviews_not_due"])
            for row in shown["reviews"]} == {
        team: (sum(n for s, n in counts.items() if s != "not_applicable"),
               counts["overdue"], counts["due_soon"], counts["not_due"])
        for team, counts in reviews.items() if team in {t for _, t in cases}}

    issued: Counter[tuple[str, str, bool]] = Counter(
        (str(c.issued.year), team, oracle.plan_status(c, AS_OF) == "issued_on_time")
        for c, team in cases if c.issued is not None)
    assert {(row["period"], row["Team"]): (row["plans_issued"], row["issued_within_20_weeks"])
            for row in shown["timeliness"]} == {
        (year, team): (issued[year, team, True] + issued[year, team, False],
                       issued[year, team, True])
        for year, team, _ in issued}


@pytest.mark.parametrize("case_columns", ["auto", "core"])
def test_the_stage_runs_when_the_export_has_its_inputs(tmp_path: Path, case_columns: str
                                                       ) -> None:
    # "core": `cases` leaves the review-process columns out, but summary's review-process
    # section still reads them (report/views.build_review_process).
    path = tmp_path / "cases.csv"
    path.write_text("Case Ref,Date Request Received,Final EHCP Issued,Last Annual Review Meeting,"
                    "Review Decision Date\nC1,15/01/2024,03/06/2024,01/05/2025,\n",
                    encoding="utf-8")
    config = MAPPED.model_copy(update={"review_process": MAPPED.review_process.model_copy(
        update={"case_columns": case_columns})})
    analysis = analyse(path, config, AS_OF, review_process=False)
    assert "review_decision_date" in analysis.export.present
    assert REVIEW_DECISION_STATUS in analysis.cases.columns
    case = oracle.Case(received=date(2024, 1, 15), issued=date(2024, 6, 3),
                       last_review=date(2025, 5, 1))
    # The meeting of 1 May 2025 wanted its decision within 4 weeks, by 29 May: overdue.
    assert analysis.cases[REVIEW_DECISION_STATUS].to_list() == [
        oracle.review_decision_status(case, AS_OF)] == ["overdue"]
