"""The worked examples of docs/worked-examples.md (E01–E42 copied from
shared/domain/worked-examples.md, and those added since), one named test each. Rules are
evaluated as Polars expressions on literal frames. E10–E13, E28, E33 and the school-report and
representations parts of E21 and E23 are documented readings the tool does not compute (no
export field or output uses them), so they have no rule and no test here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import Result

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.rules.deadlines import (
    decision_due_date,
    no_plan_decision_due_date,
    plan_due_date,
)
from ehcp_timeliness.rules.exception_windows import (
    advice_request_in_closure_window,
    closure_qualifies,
    closure_window_end,
    closure_window_start,
)
from ehcp_timeliness.rules.phase_transfer import (
    latest_review_meeting,
    phase_transfer_due_date,
)
from ehcp_timeliness.rules.reviews import (
    amended_plan_due_date,
    amendment_notice_due_date,
    months_beginning_with,
    review_decision_due_date,
    under_five_review_guide_date,
)
from ehcp_timeliness.rules.working_days import last_working_day_by, on_non_working_day
from ehcp_timeliness.summaries.grouping import percentage
from worked_cases import analysed, review_stage

D = date.fromisoformat


def ev(expr: pl.Expr, **values: object) -> object:
    """Evaluate one expression on a one-row frame of the given values."""
    return pl.DataFrame({k: [v] for k, v in values.items()}).select(expr.alias("x")).item()


R = pl.col("r")


@pytest.mark.parametrize(("received", "six", "sixteen", "twenty"), [
    pytest.param("2024-01-15", "2024-02-26", "2024-05-06", "2024-06-03", id="E01-mon-2024-01-15"),
    pytest.param("2024-02-29", "2024-04-11", "2024-06-20", "2024-07-18", id="E03-leap-day"),
    pytest.param("2023-12-29", "2024-02-09", "2024-04-19", "2024-05-17", id="E04-spans-leap-day"),
    pytest.param("2024-08-20", "2024-10-01", "2024-12-10", "2025-01-07", id="E05-year-boundary"),
])
def test_six_sixteen_twenty_weeks(received: str, six: str, sixteen: str, twenty: str) -> None:
    assert ev(decision_due_date(R), r=D(received)) == D(six)
    assert ev(no_plan_decision_due_date(R), r=D(received)) == D(sixteen)
    assert ev(plan_due_date(R), r=D(received)) == D(twenty)


def test_E01_all_deadlines_fall_on_mondays() -> None:
    for rule in (decision_due_date, no_plan_decision_due_date, plan_due_date):
        assert ev(rule(R), r=D("2024-01-15")).weekday() == 0  # type: ignore[union-attr]


def test_E02_day_one_convention_gives_r_plus_41_111_139() -> None:
    assert ev(decision_due_date(R, anchor_is_day_one=True), r=D("2024-01-15")) == D("2024-02-25")
    assert ev(no_plan_decision_due_date(R, anchor_is_day_one=True),
              r=D("2024-01-15")) == D("2024-05-05")
    assert ev(plan_due_date(R, anchor_is_day_one=True), r=D("2024-01-15")) == D("2024-06-02")


def test_E06_twenty_weeks_from_new_years_eve() -> None:
    assert ev(plan_due_date(R), r=D("2024-12-31")) == D("2025-05-20")


@pytest.mark.parametrize(("received", "due", "practical"), [
    pytest.param("2025-01-06", "2025-05-26", "2025-05-23", id="E07-spring-bank-holiday"),
    pytest.param("2025-08-07", "2025-12-25", "2025-12-24", id="E08-christmas-day"),
])
def test_deadline_on_bank_holiday_is_flagged_not_moved(received: str, due: str,
                                                       practical: str) -> None:
    holidays = england_bank_holidays()
    deadline = plan_due_date(R)
    assert ev(deadline, r=D(received)) == D(due)  # the deadline itself never moves
    assert ev(on_non_working_day(deadline, holidays), r=D(received)) is True
    assert ev(last_working_day_by(deadline, holidays), r=D(received)) == D(practical)


def test_E09_weekend_receipt_counts_from_that_day() -> None:
    assert ev(decision_due_date(R), r=D("2024-03-31")) == D("2024-05-12")
    assert ev(plan_due_date(R), r=D("2024-03-31")) == D("2024-08-18")


def test_E14_plan_on_the_140th_day_is_within_20_weeks() -> None:
    from ehcp_timeliness.summaries.rates import timeliness_rates

    cases = analysed([{"received_date": D("2024-01-15"), "plan_issued_date": D("2024-06-03")}])
    row = timeliness_rates(cases, D("2025-01-01"), "year", []).row(0, named=True)
    assert (row["period"], row["plans_issued"], row["issued_within_20_weeks"]) == ("2024", 1, 1)


@pytest.mark.parametrize(("made", "s44", "anniversary"), [
    pytest.param("2019-01-01", "2019-12-31", "2020-01-01", id="E15-plan-2019-01-01"),
    pytest.param("2024-02-29", "2025-02-28", "2025-02-28", id="E16-leap-day-plan"),
    pytest.param("2024-03-31", "2025-03-30", "2025-03-31", id="E17-month-end"),
    pytest.param("2023-03-01", "2024-02-29", "2024-03-01", id="E18-spans-leap-year"),
    pytest.param("2024-12-31", "2025-12-30", "2025-12-31", id="E19-new-years-eve"),
    pytest.param("2024-01-31", "2025-01-30", "2025-01-31", id="E20-later-review-clock"),
])
def test_twelve_month_review_due(made: str, s44: str, anniversary: str) -> None:
    clock = pl.col("d")
    assert ev(months_beginning_with(clock, 12, "s44"), d=D(made)) == D(s44)
    assert ev(months_beginning_with(clock, 12, "anniversary"), d=D(made)) == D(anniversary)


# E21/E22's school report (reg 20(7), 14 days) is a documented reading the tool does not
# compute: no export records the report's date, and no output shows it.
@pytest.mark.parametrize(("meeting", "decision", "final"), [
    pytest.param("2024-12-19", "2025-01-16", "2025-03-13", id="E21-december"),
    pytest.param("2024-02-08", "2024-03-07", "2024-05-02", id="E22-leap-february"),
])
def test_review_meeting_chain(meeting: str, decision: str, final: str) -> None:
    m = pl.col("m")
    assert ev(review_decision_due_date(m), m=D(meeting)) == D(decision)
    assert ev(amended_plan_due_date(m), m=D(meeting)) == D(final)


def test_E23_amended_plan_eight_weeks_after_notice() -> None:
    # reg 22(3) with no review meeting recorded (E44; with one, the earlier date: E43, E68).
    notice = pl.col("n")
    due = amended_plan_due_date(pl.col("m").cast(pl.Date), notice)
    assert ev(due, m=None, n=D("2024-12-23")) == D("2025-02-17")


@pytest.mark.parametrize(("year", "kind", "strict", "lenient", "meeting_strict",
                          "meeting_lenient"), [
    pytest.param(2026, "school_phase", "2026-02-14", "2026-02-15", "2025-11-22", "2025-11-23",
                 id="E24-E25-secondary-2026"),
    pytest.param(2026, "post_16", "2026-03-30", "2026-03-31", "2026-01-05", "2026-01-06",
                 id="E26-post-16-2026"),
    pytest.param(2028, "school_phase", "2028-02-14", "2028-02-15", "2027-11-22", "2027-11-23",
                 id="E27-leap-year-2028"),
])
def test_phase_transfer(year: int, kind: str, strict: str, lenient: str, meeting_strict: str,
                        meeting_lenient: str) -> None:
    y = pl.col("y")
    strict_due = phase_transfer_due_date(y, kind, "strict")  # type: ignore[arg-type]
    lenient_due = phase_transfer_due_date(y, kind, "lenient")  # type: ignore[arg-type]
    assert ev(strict_due, y=year) == D(strict)
    assert ev(lenient_due, y=year) == D(lenient)
    assert ev(latest_review_meeting(strict_due), y=year) == D(meeting_strict)
    assert ev(latest_review_meeting(lenient_due), y=year) == D(meeting_lenient)


def test_E24_strict_deadline_is_a_saturday() -> None:
    assert ev(phase_transfer_due_date(pl.col("y"), "school_phase"), y=2026).weekday() == 5


def test_E29_under_five_guide_dates_clamp_to_month_end() -> None:
    plan = pl.col("p")
    assert ev(under_five_review_guide_date(plan, 6), p=D("2024-08-31")) == D("2025-02-28")
    assert ev(under_five_review_guide_date(plan, 3), p=D("2023-11-30")) == D("2024-02-29")


@pytest.mark.parametrize(("closed", "reopens", "start", "end"), [
    pytest.param("2024-07-24", "2024-09-04", "2024-07-17", "2024-08-28", id="E30-summer-2024"),
    pytest.param("2025-07-23", "2025-09-03", "2025-07-16", "2025-08-27", id="E31-summer-2025"),
])
def test_summer_closure_window(closed: str, reopens: str, start: str, end: str) -> None:
    c, o, a = pl.col("c"), pl.col("o"), pl.col("a")
    dates = {"c": D(closed), "o": D(reopens)}
    assert ev(closure_window_start(c), **dates) == D(start)
    assert ev(closure_window_end(o), **dates) == D(end)
    in_window = advice_request_in_closure_window(a, c, o)
    assert ev(in_window, a=D(start), **dates) is True     # end points inclusive (our reading)
    assert ev(in_window, a=D(end), **dates) is True
    day_before = D(start).toordinal() - 1
    day_after = D(end).toordinal() + 1
    assert ev(in_window, a=date.fromordinal(day_before), **dates) is False
    assert ev(in_window, a=date.fromordinal(day_after), **dates) is False


def test_E32_christmas_closure_too_short_for_the_exception() -> None:
    c, o = pl.col("c"), pl.col("o")
    assert ev(closure_qualifies(c, o), c=D("2024-12-21"), o=D("2025-01-06")) is False
    a = pl.col("a")
    assert ev(advice_request_in_closure_window(a, c, o), a=D("2024-12-20"),
              c=D("2024-12-21"), o=D("2025-01-06")) is False



def test_E34_exception_case_counts_only_in_including_exceptions_rate() -> None:
    from ehcp_timeliness.summaries.rates import timeliness_rates

    cases = analysed([
        {"received_date": D("2024-01-01"), "plan_issued_date": D("2024-05-05"),
         "week20_exception": True},  # 125 days
        {"received_date": D("2024-01-01"), "plan_issued_date": D("2024-08-01")},
    ])
    row = timeliness_rates(cases, D("2025-01-01"), "year", []).row(0, named=True)
    assert (row["plans_issued"], row["issued_within_20_weeks"]) == (2, 1)
    assert (row["plans_issued_ex"], row["issued_within_20_weeks_ex"]) == (1, 0)


def test_E35_mediation_case_excluded_from_timeliness() -> None:
    from ehcp_timeliness.summaries.rates import timeliness_rates

    cases = analysed([
        {"received_date": D("2024-01-01"), "plan_issued_date": D("2024-03-01"),
         "mediation": True},
        {"received_date": D("2024-01-01"), "plan_issued_date": D("2024-08-01")},
    ])
    row = timeliness_rates(cases, D("2025-01-01"), "year", []).row(0, named=True)
    assert (row["plans_issued"], row["issued_within_20_weeks"]) == (1, 0)


def test_E36_transfer_in_is_not_a_new_plan() -> None:
    from ehcp_timeliness.summaries.rates import timeliness_rates

    cases = analysed([
        {"received_date": D("2024-04-01"), "assessment_outcome": "H",
         "plan_start_date": D("2024-05-01")},
    ])
    assert timeliness_rates(cases, D("2025-01-01"), "year", []).height == 0
    assert cases["review_due_date"].item() == D("2025-04-30")  # but its review clock runs


def test_E37_calendar_year_of_issue() -> None:
    from ehcp_timeliness.summaries.rates import timeliness_rates

    cases = analysed([
        {"received_date": D("2024-09-01"), "plan_issued_date": D("2024-12-31")},
        {"received_date": D("2024-09-01"), "plan_issued_date": D("2025-01-01")},
    ])
    table = timeliness_rates(cases, D("2025-06-30"), "year", [])
    assert table["period"].to_list() == ["2024", "2025"]
    assert table["plans_issued"].to_list() == [1, 1]


def test_E38_364_days_is_the_last_day_of_the_20_to_52_week_bucket() -> None:
    from ehcp_timeliness.summaries.rates import timeliness_rates

    cases = analysed([
        {"received_date": D("2023-06-01"), "plan_issued_date": D("2024-05-30")},  # 364 days
        {"received_date": D("2023-06-01"), "plan_issued_date": D("2024-06-01")},  # 366 days
    ])
    row = timeliness_rates(cases, D("2025-01-01"), "year", []).row(0, named=True)
    assert (row["issued_20_to_52_weeks"], row["issued_over_52_weeks"]) == (1, 1)


@pytest.mark.parametrize(("numerator", "denominator", "published"), [
    pytest.param(39_407, 84_866, 46.4, id="E39-england-2024"),
    pytest.param(25, 356, 7.0, id="E40-redbridge-2024"),
])
def test_published_percentages(numerator: int, denominator: int, published: float) -> None:
    assert ev(percentage(pl.col("n"), pl.col("d")), n=numerator, d=denominator) == published


@pytest.mark.parametrize(("decision", "within"), [
    pytest.param("2024-03-29", True, id="E41-28-days-within"),
    pytest.param("2024-03-30", False, id="E41-29-days-late"),
])
def test_review_decision_within_four_weeks(decision: str, within: bool) -> None:
    due = review_decision_due_date(pl.col("m"))
    assert ev(pl.col("d") <= due, m=D("2024-03-01"), d=D(decision)) is within


def test_E42_decision_to_assess_on_the_42nd_day_is_within_six_weeks() -> None:
    assert ev(pl.col("d") <= decision_due_date(R), r=D("2024-01-15"), d=D("2024-02-26")) is True


def test_E07_E08_deadlines_flagged_only_when_not_working_days() -> None:
    holidays = england_bank_holidays()
    assert ev(on_non_working_day(plan_due_date(R), holidays), r=D("2024-01-15")) is False


# --- E43–E49: the review process against reg 15, reg 18, reg 20(10) and Devon ---

def test_E43_devon_late_notice_is_its_own_step_and_the_plan_stays_due_at_12_weeks() -> None:
    meeting = pl.col("m")
    assert ev(amendment_notice_due_date(meeting), m=D("2024-12-19")) == D("2025-01-16")
    # the earlier of meeting + 84 (2025-03-13) and notice + 56 (2025-04-03)
    assert ev(amended_plan_due_date(meeting, pl.col("n")), m=D("2024-12-19"),
              n=D("2025-02-06")) == D("2025-03-13")
    row = review_stage("2025-06-30", last_review_date="2024-12-19",
                        amendment_notice_date="2025-02-06", amended_plan_date="2025-03-20")
    assert (row["amendment_notice_status"], row["amended_plan_status"]) == ("late", "late")


def test_E44_a_notice_without_its_meeting_is_due_8_weeks_after_it_and_warned(
        run: Callable[..., Result], tmp_path: Path) -> None:
    row = review_stage("2025-06-30", amendment_notice_date="2024-12-23",
                        amended_plan_date="2025-02-17")
    assert row["amended_plan_due_date"] == D("2025-02-17")    # reg 22(3): notice + 56
    assert row["amended_plan_status"] == "on_time"
    assert row["amendment_notice_status"] == "not_applicable"
    export = tmp_path / "e44.csv"
    export.write_text("Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,"
                      "Last Review Date,Amendment Notice Date,Amended Plan Date\n"
                      "E44,10/01/2022,Y,20/05/2022,,23/12/2024,17/02/2025\n"
                      "OK,10/01/2022,Y,20/05/2022,19/12/2024,23/12/2024,17/02/2025\n",
                      encoding="utf-8")
    issues = tmp_path / "issues.json"
    result = run("validate", export, "--as-of", "2025-06-30", "--issues-out", issues)
    assert result.exit_code == 0, result.stderr               # a warning: the row is analysed
    assert [(i["case_id"], i["column"], i["code"], i["severity"])
            for i in json.loads(issues.read_text())] == [
        ("E44", "amendment_notice_date", "amendment-notice-without-meeting", "warning")]


@pytest.mark.parametrize(("start", "transfer", "due"), [
    pytest.param("2024-01-10", "2024-12-02", "2025-03-01", id="E45-three-months-is-later"),
    pytest.param("2024-01-10", "2024-03-01", "2025-01-09", id="E45-transfer-keeps-the-clock"),
    pytest.param("2023-12-15", "2024-11-30", "2025-02-28", id="E46-no-30-february"),
    pytest.param("2023-01-20", "2023-11-30", "2024-02-29", id="E46-leap-february"),
])
def test_E45_E46_transferred_in_review_due_by_the_later_date(start: str, transfer: str,
                                                             due: str) -> None:
    cases = analysed([{"received_date": None, "assessment_outcome": "H",
                        "plan_start_date": D(start), "transfer_in_date": D(transfer)}])
    assert cases["review_due_date"].item() == D(due)


def test_E46_a_review_after_the_transfer_restarts_the_usual_clock() -> None:
    cases = analysed([{"received_date": None, "assessment_outcome": "H",
                        "plan_start_date": D("2023-12-15"), "transfer_in_date": D("2024-11-30"),
                        "last_review_date": D("2025-02-10")}])
    assert cases["review_due_date"].item() == D("2026-02-09")


@pytest.mark.parametrize(("meeting", "status", "at_risk"), [
    pytest.param("2025-03-10", "pending", True, id="E47-year-5-review-is-not-the-transfer's"),
    pytest.param("2025-08-31", "pending", True, id="E47-the-day-before-the-window"),
    pytest.param("2025-09-01", "on_time", False, id="E47-first-day-of-the-window"),
])
def test_E47_only_a_review_in_the_12_months_before_the_transfer_counts(
        meeting: str, status: str, at_risk: bool) -> None:
    decision = (D(meeting) + timedelta(days=21)).isoformat()
    row = review_stage("2026-01-10", last_review_date=meeting, review_decision_date=decision,
                        phase_transfer_year="2026", phase_transfer_kind="primary to secondary")
    assert row["phase_transfer_due_date"] == D("2026-02-14")
    assert (row["phase_transfer_status"], row["at_risk"]) == (status, at_risk)


@pytest.mark.parametrize(("amendment", "status"), [
    pytest.param({"amendment_notice_date": "2025-12-04", "amended_plan_date": "2026-01-29"},
                 "on_time", id="E48-amended-plan-naming-the-school-by-the-deadline"),
    pytest.param({"amendment_notice_date": "2025-12-04", "amended_plan_date": "2026-02-16"},
                 "late", id="E48-amended-plan-after-14-february"),
    pytest.param({"amendment_notice_date": "2025-12-04"}, "overdue",
                 id="E48-notice-sent-plan-never-issued"),
    pytest.param({}, "on_time", id="E48-decision-not-to-amend"),
])
def test_E48_transfer_review_complete(amendment: dict[str, str], status: str) -> None:
    row = review_stage("2026-03-01", last_review_date="2025-11-06",
                        review_decision_date="2025-12-04", phase_transfer_year="2026",
                        phase_transfer_kind="Y6", **amendment)
    assert row["phase_transfer_status"] == status


def test_E49_review_decision_before_its_meeting_is_never_within_four_weeks() -> None:
    from ehcp_timeliness.summaries.dfe import review_figures

    row = review_stage("2024-03-20", last_review_date="2024-03-01",
                        review_decision_date="2024-02-20")
    assert (row["review_decision_due_date"], row["review_decision_status"]) == (
        D("2024-03-29"), "due_soon")
    cases = analysed([{"received_date": D("2022-01-10"), "plan_issued_date": D("2022-05-20"),
                        "last_review_date": D("2024-03-01"),
                        "review_decision_date": D("2024-02-20")}], D("2024-06-01"))
    assert review_figures(cases, D("2024-06-01")).collect().height == 0  # in neither count
