"""The review process as a user meets it (issue 5): `cases` columns, `summary` and the board
pack's review figures and phase-transfer readiness, the worklist's act-by date, and
`audit-exceptions`. Every figure below is worked out by hand for the as-of date.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import polars as pl
from typer.testing import Result

from ehcp_timeliness.columns import CASE_OUTPUT_COLUMNS, REVIEW_PROCESS_OUTPUT_COLUMNS
from review_process_export import AS_OF, PLAN, write

Run = Callable[..., Result]
def test_cases_add_review_process_columns_after_the_seven(run: Run, tmp_path: Path) -> None:
    result = run("cases", write(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[0].split(",")
    inputs = ["case_id", "received_date", "request_outcome", "plan_issued_date",
              "last_review_date", "review_decision_date", "amendment_notice_date",
              "amended_plan_date", "phase_transfer_year", "phase_transfer_kind"]
    assert header == [*inputs, *CASE_OUTPUT_COLUMNS, *REVIEW_PROCESS_OUTPUT_COLUMNS,
                      "exception_applies"]


def test_cases_review_process_statuses(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "cases.parquet"
    assert run("cases", write(tmp_path), "--as-of", AS_OF, "--format", "parquet",
               "-o", out).exit_code == 0
    frame = pl.read_parquet(out)
    assert frame["review_decision_status"].to_list() == [
        "on_time", "late", "overdue", "overdue", "due_soon", "not_applicable",
        "not_applicable", "on_time", "not_applicable"]
    assert frame["phase_transfer_status"].to_list() == [
        "not_applicable", "not_applicable", "not_applicable", "not_applicable", "pending",
        "pending", "pending", "on_time", "overdue"]
    assert frame["amended_plan_status"].to_list()[7] == "on_time"


def test_cases_without_the_new_inputs_keep_exactly_the_seven(run: Run,
                                                             small_csv: Path) -> None:
    header = run("cases", small_csv, "--as-of", "2025-06-30").stdout.splitlines()[0]
    assert header.split(",")[-8:] == [*CASE_OUTPUT_COLUMNS, "exception_applies"]
    assert "review_decision_status" not in header


def test_case_columns_all_and_core(run: Run, small_csv: Path, tmp_path: Path) -> None:
    every = tmp_path / "all.toml"
    every.write_text('[review_process]\ncase_columns = "all"\n', encoding="utf-8")
    header = run("cases", small_csv, "-c", every, "--as-of", AS_OF).stdout.splitlines()[0]
    assert header.split(",")[-len(REVIEW_PROCESS_OUTPUT_COLUMNS) - 1:] == [
        *REVIEW_PROCESS_OUTPUT_COLUMNS, "exception_applies"]
    core = tmp_path / "core.toml"
    core.write_text('[review_process]\ncase_columns = "core"\n', encoding="utf-8")
    header = run("cases", write(tmp_path), "-c", core, "--as-of", AS_OF).stdout.splitlines()[0]
    assert header.split(",")[-8:] == [*CASE_OUTPUT_COLUMNS, "exception_applies"]
    # The review-process figures do not depend on what `cases` writes.
    shown = [run("summary", write(tmp_path), *config, "--as-of", AS_OF, "--format", "json")
             for config in ([], ["-c", core])]
    assert [r.exit_code for r in shown] == [0, 0], shown[1].stderr
    assert (json.loads(shown[1].stdout)["review_process"]
            == json.loads(shown[0].stdout)["review_process"])


def test_an_output_fed_back_in_gives_the_same_output(run: Run, tmp_path: Path) -> None:
    first = run("cases", write(tmp_path), "--as-of", AS_OF).stdout
    again = run("cases", write(tmp_path, first.splitlines()[1:], first.splitlines()[0],
                               "again.csv"), "--as-of", AS_OF)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first


def test_summary_json_review_process(run: Run, tmp_path: Path) -> None:
    result = run("summary", write(tmp_path), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    part = json.loads(result.stdout)["review_process"]
    assert part["review_decisions"] == [
        {"time_period": 2024, "number_decsion_4weeks": 1, "number_decision_gt_4weeks": 1,
         "pc_decsion_4weeks": 50.0, "pc_decision_gt_4weeks": 50.0},
        {"time_period": 2025, "number_decsion_4weeks": 1, "number_decision_gt_4weeks": 0,
         "pc_decsion_4weeks": 100.0, "pc_decision_gt_4weeks": 0.0}]
    assert part["reviews_awaiting_decision"] == {
        "reviews_awaiting_decision": 3, "awaiting_decision_over_4_weeks": 2,
        "awaiting_decision_6_months": 2, "awaiting_decision_12_months": 1,
        "awaiting_decision_24_months": 1}
    assert part["phase_transfer_readiness"] == [
        {"transfer_kind": "school_phase", "deadline": "2026-02-14", "weeks_left": 10.7,
         "plans_transferring": 3, "reviewed": 2, "amended": 1, "completed": 1, "at_risk": 1},
        {"transfer_kind": "post_16", "deadline": "2026-03-30", "weeks_left": 17.0,
         "plans_transferring": 1, "reviewed": 0, "amended": 0, "completed": 0, "at_risk": 0}]
    assert "phase_transfer_reading" in part["conventions"]


def test_summary_dfe_review_figures_equal_the_dfe_command(run: Run, tmp_path: Path) -> None:
    export = write(tmp_path)
    summary = json.loads(run("summary", export, "--as-of", AS_OF, "--format", "json").stdout)
    dfe = run("dfe", export, "--as-of", AS_OF, "--format", "json")
    assert dfe.exit_code == 0, dfe.stderr
    by_year = {r["time_period"]: r for r in json.loads(dfe.stdout)["figures"]}
    for row in summary["review_process"]["review_decisions"]:
        assert row == {k: by_year[row["time_period"]][k] for k in row}


def test_summary_without_the_inputs_has_no_review_process_key(run: Run,
                                                              small_csv: Path) -> None:
    data = json.loads(run("summary", small_csv, "--as-of", AS_OF, "--format", "json").stdout)
    assert "review_process" not in data


def test_summary_table_and_by_a_review_process_column(run: Run, tmp_path: Path) -> None:
    export = write(tmp_path)
    table = run("summary", export, "--as-of", AS_OF)
    assert table.exit_code == 0, table.stderr
    for text in ("DfE measure", "without a decision", "Phase transfers next", "At risk",
                 "phase transfer (strict)"):
        assert text in table.stdout
    by = run("summary", export, "--as-of", AS_OF, "--by", "phase_transfer_status")
    assert by.exit_code == 0, by.stderr


def test_worklist_lists_review_steps(run: Run, tmp_path: Path) -> None:
    result = run("worklist", write(tmp_path), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    steps = {(r["case_id"], r["next_step"], r["law"]) for r in json.loads(result.stdout)}
    decision = ("notify the review decision", "SEND Regs 2014 reg 20(10)")
    assert {("R3", *decision), ("R4", *decision), ("R5", *decision)} <= steps
    assert ("R9", "review and amend before the transfer", "SEND Regs 2014 reg 18(1)") in steps


def test_worklist_due_soon_by_the_last_working_day(run: Run, tmp_path: Path) -> None:
    # 20-week date Sun 25 May 2025; the working day before it is Fri 23 May (28 days on).
    export = write(tmp_path, ["W1,05/01/2025,Y,,,,,,,"])
    result = run("worklist", export, "--as-of", "2025-04-25", "--within", "28",
                 "--format", "json")
    (item,) = json.loads(result.stdout)
    assert (item["step_due_date"], item["act_by_date"], item["days_left"], item["urgency"]) \
        == ("2025-05-25", "2025-05-23", 30, "due")
    assert json.loads(run("worklist", export, "--as-of", "2025-04-24", "--within", "28",
                          "--format", "json").stdout) == []


def test_report_has_the_review_process_section(run: Run, tmp_path: Path) -> None:
    html, xlsx = tmp_path / "board.html", tmp_path / "board.xlsx"
    assert run("report", write(tmp_path), "--as-of", AS_OF, "-o", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert 'id="process-h"' in page and "Phase transfers next September" in page
    assert run("report", write(tmp_path), "--as-of", AS_OF, "-o", xlsx).exit_code == 0
    book = openpyxl.load_workbook(xlsx)
    assert {"Review decisions", "Awaiting decision", "Phase transfers"} <= set(book.sheetnames)


def test_report_without_the_inputs_has_no_section(run: Run, small_csv: Path,
                                                  tmp_path: Path) -> None:
    html = tmp_path / "board.html"
    assert run("report", small_csv, "--as-of", AS_OF, "-o", html).exit_code == 0
    assert 'id="process-h"' not in html.read_text(encoding="utf-8")


# --- audit-exceptions (reg 10(4)(a); E30–E32) ---

AUDIT_HEADER = ("Case Ref,Date Request Received,Request Outcome,Date of Decision to Assess,"
                "Final EHCP Issued,Week20,Date Advice Requested")
AUDIT_ROWS = [
    "A1,01/06/2024,Y,,,1,17/07/2024",   # E30: first day of the window
    "A2,01/06/2024,Y,,,1,16/07/2024",   # E30: a day before it
    "A3,01/06/2024,Y,,,1,28/08/2024",   # E30: last day of the window
    "A4,01/06/2024,Y,,,1,29/08/2024",   # E30: a day after it
    "A5,01/11/2024,Y,,,1,20/12/2024",   # E32: Christmas, under 4 weeks: never a window
    "A6,01/06/2025,Y,,01/11/2025,,27/08/2025",   # E31: late, not flagged, in the window
    "A7,01/06/2025,Y,,01/09/2025,,01/08/2025",   # on time: nothing to audit
    "A8,01/06/2024,Y,,,1,",                       # flagged, no date at all
    "A9,01/06/2025,Y,20/07/2025,,yes,",           # flagged, proxy: decision to assess
]
TERM_DATES = """[term_dates]
closures = [
    { closes = 2024-07-24, reopens = 2024-09-04 },
    { closes = 2024-12-21, reopens = 2025-01-06 },
    { closes = 2025-07-23, reopens = 2025-09-03 },
]
"""


def audit(run: Run, tmp_path: Path, config: str | None = TERM_DATES) -> dict[str, dict]:
    export = write(tmp_path, AUDIT_ROWS, AUDIT_HEADER, "audit.csv")
    args: list[object] = ["audit-exceptions", export, "--as-of", AS_OF, "--format", "json"]
    if config is not None:
        (tmp_path / "terms.toml").write_text(config, encoding="utf-8")
        args += ["-c", tmp_path / "terms.toml"]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return {r["case_id"]: r for r in json.loads(result.stdout)}


def test_audit_findings_against_configured_term_dates(run: Run, tmp_path: Path) -> None:
    rows = audit(run, tmp_path)
    assert {k: r["finding"] for k, r in rows.items()} == {
        "A1": "flagged_window_plausible", "A3": "flagged_window_plausible",
        "A9": "flagged_window_plausible",
        "A2": "flagged_window_not_shown", "A4": "flagged_window_not_shown",
        "A5": "flagged_window_not_shown",
        "A8": "flagged_no_advice_date",
        "A6": "unflagged_late_in_window"}
    assert list(rows) == ["A1", "A3", "A9", "A2", "A4", "A5", "A8", "A6"]
    assert (rows["A1"]["window_start"], rows["A1"]["window_end"]) == ("2024-07-17", "2024-08-28")
    assert (rows["A6"]["closure_closes"], rows["A6"]["closure_reopens"]) == (
        "2025-07-23", "2025-09-03")
    assert (rows["A9"]["advice_date"], rows["A9"]["advice_date_source"]) == (
        "2025-07-20", "proxy: decision to assess")
    assert rows["A1"]["advice_date_source"] == "recorded"


def test_audit_default_england_pattern_matches_E30_and_E31(run: Run, tmp_path: Path) -> None:
    rows = audit(run, tmp_path, config=None)
    assert rows["A1"]["finding"] == rows["A3"]["finding"] == "flagged_window_plausible"
    assert rows["A6"]["finding"] == "unflagged_late_in_window"
    assert (rows["A1"]["closure_closes"], rows["A1"]["closure_reopens"]) == (
        "2024-07-24", "2024-09-04")


def test_audit_without_the_proxy(run: Run, tmp_path: Path) -> None:
    rows = audit(run, tmp_path, TERM_DATES + '[exception_audit]\nadvice_date_proxy = "none"\n')
    assert rows["A9"]["finding"] == "flagged_no_advice_date"


def test_audit_table_and_bad_term_dates(run: Run, tmp_path: Path) -> None:
    export = write(tmp_path, AUDIT_ROWS, AUDIT_HEADER, "audit.csv")
    table = run("audit-exceptions", export, "--as-of", AS_OF)
    assert table.exit_code == 0, table.stderr
    assert "flagged_window_plausible" in table.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[term_dates]\nclosures = [{ closes = 2025-09-03, reopens = 2025-07-23 }]\n",
                   encoding="utf-8")
    result = run("audit-exceptions", export, "-c", bad, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "reopens must be after closes" in result.stderr


def test_validate_warns_about_review_process_inputs(run: Run, tmp_path: Path) -> None:
    export = write(tmp_path, [
        f"V1,{PLAN},,,10/03/2025,01/03/2025,twenty26,to college",
        f"V2,{PLAN},,,,,2026,gibberish",
        f"V3,{PLAN},,,01/01/2026,,2026,Y11",   # notice after the as-of date
    ])
    out = tmp_path / "issues.json"
    result = run("validate", export, "--as-of", AS_OF, "--issues-out", out)
    assert result.exit_code == 0, result.stderr    # warnings only: every row analysed
    found = {(i["case_id"], i["column"], i["code"]) for i in json.loads(out.read_text())}
    assert found == {
        ("V1", "phase_transfer_year", "unparseable-transfer-year"),
        ("V1", "phase_transfer_kind", "unknown-transfer-kind"),
        ("V1", "amended_plan_date", "amended-plan-before-notice"),
        ("V1", "amendment_notice_date", "amendment-notice-without-meeting"),   # E44
        ("V2", "phase_transfer_kind", "unknown-transfer-kind"),
        ("V3", "amendment_notice_date", "date-after-as-of"),
    }


def test_a_review_decision_before_its_meeting_is_reported_and_not_counted(
        run: Run, tmp_path: Path) -> None:
    export = write(tmp_path, [f"E49,{PLAN},01/03/2024,20/02/2024,,,,",
                              f"OK,{PLAN},01/03/2024,29/03/2024,,,,"])
    out = tmp_path / "issues.json"
    result = run("validate", export, "--as-of", AS_OF, "--issues-out", out)
    assert result.exit_code == 0, result.stderr    # a warning: the row is analysed
    found = [(i["case_id"], i["column"], i["code"], i["severity"])
             for i in json.loads(out.read_text())]
    assert found == [("E49", "review_decision_date", "review-decision-before-meeting",
                      "warning")]
    dfe = json.loads(run("dfe", export, "--as-of", AS_OF, "--format", "json").stdout)
    [year] = [r for r in dfe["figures"] if r["time_period"] == 2024]
    assert (year["number_decsion_4weeks"], year["number_decision_gt_4weeks"]) == (1, 0)
    cases = run("cases", export, "--as-of", AS_OF, "--format", "json")
    statuses = [r["review_decision_status"] for r in json.loads(cases.stdout)]
    assert statuses == ["overdue", "on_time"]


def test_transfer_in_date_is_recognised_and_moves_the_first_review(run: Run,
                                                                  tmp_path: Path) -> None:
    # The last review column is there, blank: no review held (E83).
    export = write(tmp_path, ["T1,,H,15/12/2023,30/11/2024,", "T2,,H,15/12/2023,,",
                              "T3,,H,15/12/2023,02/12/2025,"],
                   "Case Ref,Date Request Received,Assessment Outcome,Plan Start Date,"
                   "Date transferred in,Last Review Date")
    out = tmp_path / "issues.json"
    result = run("cases", export, "--as-of", "2025-01-10", "--format", "json",
                 "--issues-out", out)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["transfer_in_date"] == "2024-11-30"
    # reg 15(5): the later of 12 months from the plan and 3 months from the transfer (E46);
    # a transfer after the as-of date had not happened (reported): the plan is still the old
    # authority's, with no review of this one's due (E72).
    assert [r["review_due_date"] for r in rows] == ["2025-02-28", "2024-12-14", None]
    assert rows[2]["review_status"] == "not_applicable"
    issues = {(i["case_id"], i["column"], i["code"]) for i in json.loads(out.read_text())}
    assert ("T3", "transfer_in_date", "date-after-as-of") in issues
