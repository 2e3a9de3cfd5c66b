"""Worked examples E68 onwards (docs/worked-examples.md): the amended plan's date under
reg 22(3) and Devon, one counting convention for every deadline from the request, DfE
measures the export cannot give, transferred-in plans over time — one named test each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
from typer.testing import Result

from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules.deadlines import no_plan_decision_due_date
from worked_cases import analysed, review_stage

Run = Callable[..., Result]
D = date.fromisoformat


def test_E68_the_amended_plan_is_due_by_the_earlier_of_notice_8_weeks_and_meeting_12_weeks(
        ) -> None:
    row = review_stage("2025-06-30", last_review_date="2024-12-19",
                        amendment_notice_date="2024-12-23", amended_plan_date="2025-03-10")
    assert row["amended_plan_due_date"] == D("2025-02-17")    # not meeting + 84 = 2025-03-13
    assert (row["amendment_notice_status"], row["amended_plan_status"]) == ("on_time", "late")
    no_notice = review_stage("2025-03-01", last_review_date="2024-12-19")
    assert no_notice["amended_plan_due_date"] == D("2025-03-13")
    assert no_notice["amended_plan_status"] == "not_applicable"


def test_E69_the_worklist_and_the_at_risk_flag_read_one_amended_plan_date(
        run: Run, tmp_path: Path) -> None:
    transfer = {"phase_transfer_year": "2026", "phase_transfer_kind": "school_phase",
                "last_review_date": "2025-11-27"}
    waiting = review_stage("2025-12-10", **transfer)
    assert (waiting["amended_plan_due_date"], waiting["at_risk"]) == (D("2026-02-19"), True)
    noticed = review_stage("2025-12-10", amendment_notice_date="2025-12-04", **transfer)
    assert (noticed["amended_plan_due_date"], noticed["at_risk"]) == (D("2026-01-29"), False)
    export = tmp_path / "e69.csv"
    export.write_text("Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,"
                      "Last Review Date,Review Decision Date,Amendment Notice Date,"
                      "Amended Plan Date,Phase Transfer Year,Transfer Type\n"
                      "E69,10/01/2022,Y,20/05/2022,27/11/2025,04/12/2025,04/12/2025,,2026,"
                      "school\n", encoding="utf-8")
    result = run("worklist", export, "--as-of", "2025-12-10", "--within", "90",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    steps = {r["next_step"]: r for r in json.loads(result.stdout)}
    amended = steps["issue the amended plan"]
    assert (amended["step_due_date"], amended["law"]) == ("2026-01-29", "SEND Regs 2014 reg 22(3)")


def test_E70_day_one_moves_the_6_and_16_week_dates_but_not_dfes_counts() -> None:
    from ehcp_timeliness.summaries.dfe import dfe_figures

    as_of = D("2024-12-31")
    rows = [
        {"case_id": "assessed", "received_date": D("2024-01-15"), "request_outcome": "Y",
         "request_outcome_date": D("2024-02-26")},                    # day 42
        {"case_id": "refused", "received_date": D("2024-01-15"), "request_outcome": "Y",
         "request_outcome_date": D("2024-02-01"), "assessment_outcome": "N",
         "assessment_outcome_date": D("2024-05-06")},                 # day 112
    ]
    counts = []
    for day_one in (True, False):
        cases = analysed(rows, as_of, RulesConfig(anchor_is_day_one=day_one))
        local = cases.select(pl.col("decision_due_date").first(),
                             no_plan_decision_due_date(anchor_is_day_one=day_one).first())
        assert local.row(0) == ((D("2024-02-25"), D("2024-05-05")) if day_one
                                else (D("2024-02-26"), D("2024-05-06")))
        year = dfe_figures(cases, as_of).row(0, named=True)
        counts.append((year["request_outcome_six_weeks"], year["request_outcome_over_6_weeks"],
                       year["outcome_decision_within_time"],
                       year["outcome_decision_over_time"]))
    assert counts == [(2, 0, 1, 0), (2, 0, 1, 0)]


def test_E71_measures_the_export_cannot_give_are_blank_not_zero(run: Run,
                                                                 tmp_path: Path) -> None:
    export = tmp_path / "e71.csv"
    export.write_text("Case Ref,Date Request Received,Request Outcome,Assessment Outcome,"
                      "Assessment Outcome Date,Final EHCP Issued\n"
                      "A,15/01/2024,Y,Y,03/06/2024,03/06/2024\n"
                      "B,15/01/2024,Y,Y,10/06/2024,10/06/2024\n", encoding="utf-8")
    result = run("dfe", export, "--as-of", "2024-12-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    dfe = json.loads(result.stdout)
    [year] = dfe["figures"]
    assert (year["plans_issued_den"], year["plans_issued_within_20_weeks"]) == (2, 1)
    for blank in ("request_outcome_six_weeks", "request_outcome_over_6_weeks",
                  "request_outcome_six_weeks_pc", "number_decsion_4weeks",
                  "number_decision_gt_4weeks", "pc_decsion_4weeks"):
        assert year[blank] is None, blank
    # the export can give this one: no decision not to issue in 2024 is a 0 DfE would publish
    assert (year["outcome_decision_within_time"], year["outcome_decision_over_time"]) == (0, 0)
    notes = [n for n in dfe["notes"] if "not in this export" in n]
    assert notes == [
        "Decisions whether to assess within 6 weeks: not in this export (no "
        "request_outcome_date column), so shown blank, not 0. If the export holds them under "
        "other headers, map them in the config file's [columns].",
        "Annual-review decisions within 4 weeks of the meeting: not in this export (no "
        "last_review_date or review_decision_date columns), so shown blank, not 0. If the "
        "export holds them under other headers, map them in the config file's [columns]."]
    csv = run("dfe", export, "--as-of", "2024-12-31", "--format", "csv").stdout
    row = dict(zip(*(line.split(",") for line in csv.splitlines()[:2]), strict=True))
    assert (row["request_outcome_six_weeks"], row["number_decsion_4weeks"],
            row["outcome_decision_within_time"]) == ("", "", "0")
    table = run("dfe", export, "--as-of", "2024-12-31").stdout
    [six_weeks] = [line for line in table.splitlines() if "request_outcome_six_weeks " in line]
    assert "–" in six_weeks and "0" not in six_weeks.split("request_outcome_six_weeks")[1]
    assert "not in this export (no request_outcome_date column)" in " ".join(table.split())


def test_E72_a_transferred_in_plan_is_this_authoritys_only_from_the_transfer(
        run: Run, tmp_path: Path) -> None:
    export = tmp_path / "e72.csv"
    # The last review column is there, blank: no review held (without the column every
    # review that had fallen due would be not known, E83).
    export.write_text("Case Ref,Date Request Received,Request Outcome,Assessment Outcome,"
                      "Final EHCP Issued,Plan Start Date,Transfer In Date,Last Review Date\n"
                      "T1,,,H,,01/06/2023,02/12/2024,\n"
                      "N1,01/05/2024,Y,Y,02/09/2024,,,\n", encoding="utf-8")

    def transferred(as_of: str) -> tuple[object, object]:
        result = run("cases", export, "--as-of", as_of, "--format", "json")
        assert result.exit_code == 0, result.stderr
        [row] = [r for r in json.loads(result.stdout) if r["case_id"] == "T1"]
        return row["review_due_date"], row["review_status"]

    assert transferred("2024-11-30") == (None, "not_applicable")
    assert transferred("2025-03-31") == ("2025-03-01", "overdue")
    result = run("trend", export, "--as-of", "2025-04-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    months = {r["month"]: (r["plans_in_force_at_month_end"], r["reviews_overdue_at_month_end"])
              for r in json.loads(result.stdout)["months"]}
    assert [months[m] for m in sorted(months)] == [
        (0, 0), (0, 0), (0, 0), (0, 0),          # May–August 2024
        (1, 0), (1, 0), (1, 0),                  # September–November: N1's plan only
        (2, 0), (2, 0), (2, 0),                  # December–February: T1 is ours, not yet due
        (2, 1), (2, 1)]                          # March, April: T1 due 2025-03-01
