"""The review-process stage on the worked examples (docs/worked-examples.md E07, E08, E21–E29,
E41) and on the readings of docs/rules.md §7, one named test each, through
with_review_process as the pipeline runs it.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import BOOLEAN_COLUMNS, CANONICAL_COLUMNS, DATE_COLUMNS
from ehcp_timeliness.config import Config, ReviewProcessConfig, RulesConfig
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.review_process import (
    TRANSFER_KIND,
    transfer_at_risk,
    with_review_process,
)
from ehcp_timeliness.schema.normalise import with_transfer_read

D = date.fromisoformat
PLAN = {"received_date": D("2022-01-10"), "plan_issued_date": D("2022-05-20"),
        "request_outcome": "Y", "assessment_outcome": "Y"}


def stage(as_of: str, config: Config | None = None, **values: object) -> dict[str, object]:
    """One case (a plan issued in 2022 unless overridden) through deadlines, status and the
    review-process stage; the row as a dict.
    """
    config = config or Config()
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    row = {**PLAN, **{k: D(v) if isinstance(v, str) and k in DATE_COLUMNS else v
                      for k, v in values.items()}}
    frame = with_transfer_read(pl.DataFrame([row], schema=schema).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False)))
    rules = config.rules
    out = with_review_process(with_status(with_deadlines(frame, rules), D(as_of), rules),
                              D(as_of), config, england_bank_holidays())
    return out.with_columns(transfer_at_risk(D(as_of)).alias("at_risk")).row(0, named=True)


# --- Review decision within 4 weeks (reg 20(10)) ---

def test_E41_decision_on_day_28_is_on_time() -> None:
    row = stage("2024-06-01", last_review_date="2024-03-01", review_decision_date="2024-03-29")
    assert row["review_decision_due_date"] == D("2024-03-29")
    assert row["review_decision_status"] == "on_time"


def test_E41_decision_on_day_29_is_late() -> None:
    row = stage("2024-06-01", last_review_date="2024-03-01", review_decision_date="2024-03-30")
    assert row["review_decision_status"] == "late"


@pytest.mark.parametrize(("meeting", "decision", "amended"), [
    pytest.param("2024-12-19", "2025-01-16", "2025-03-13", id="E21-meeting-2024-12-19"),
    pytest.param("2024-02-08", "2024-03-07", "2024-05-02", id="E22-leap-february"),
])
def test_review_chain_without_a_notice_date(meeting: str, decision: str, amended: str) -> None:
    row = stage("2025-06-30", last_review_date=meeting)
    assert row["review_decision_due_date"] == D(decision)
    assert row["amended_plan_due_date"] == D(amended)   # Devon: meeting + 12 weeks


def test_E23_E44_notice_without_a_meeting_eight_weeks_after_the_notice() -> None:
    row = stage("2025-06-30", amendment_notice_date="2024-12-23",
                amended_plan_date="2025-02-17")
    assert row["amended_plan_due_date"] == D("2025-02-17")      # reg 22(3): no meeting
    assert row["amended_plan_status"] == "on_time"
    assert (row["amendment_notice_due_date"], row["amendment_notice_status"]) == (
        None, "not_applicable")


def test_E23_E44_amended_plan_a_day_after_is_late() -> None:
    row = stage("2025-06-30", amendment_notice_date="2024-12-23",
                amended_plan_date="2025-02-18")
    assert row["amended_plan_status"] == "late"


def test_E43_devon_late_notice_does_not_move_the_amended_plan_deadline() -> None:
    row = stage("2025-06-30", last_review_date="2024-12-19", amendment_notice_date="2025-02-06",
                amended_plan_date="2025-03-20")
    assert row["amendment_notice_due_date"] == D("2025-01-16")  # meeting + 4 weeks
    assert row["amendment_notice_status"] == "late"
    assert row["amended_plan_due_date"] == D("2025-03-13")      # meeting + 12 weeks, not 04-03
    assert row["amended_plan_status"] == "late"


def test_E43_notice_on_day_28_is_on_time_and_the_plan_on_day_84_too() -> None:
    row = stage("2025-06-30", last_review_date="2024-12-19", amendment_notice_date="2025-01-16",
                amended_plan_date="2025-03-13")
    assert (row["amendment_notice_status"], row["amended_plan_status"]) == ("on_time", "on_time")


def test_no_notice_recorded_gives_the_notice_no_status() -> None:
    row = stage("2025-06-30", last_review_date="2024-12-19", amended_plan_date="2025-03-01")
    assert row["amendment_notice_due_date"] == D("2025-01-16")
    assert row["amendment_notice_status"] == "not_applicable"
    assert row["amended_plan_status"] == "on_time"


def test_the_notice_due_date_gets_the_working_day_view() -> None:
    row = stage("2025-06-30", last_review_date="2024-11-30")      # + 28 = Sat 2024-12-28
    assert row["amendment_notice_due_date_on_non_working_day"] is True
    assert row["amendment_notice_due_date_last_working_day"] == D("2024-12-27")


@pytest.mark.parametrize(("as_of", "status"), [
    ("2025-01-15", "due_soon"), ("2025-01-16", "due_soon"), ("2025-01-17", "overdue")])
def test_undecided_review_is_overdue_only_after_its_due_date(as_of: str, status: str) -> None:
    assert stage(as_of, last_review_date="2024-12-19")["review_decision_status"] == status


def test_pending_when_due_later_than_due_soon_days() -> None:
    config = Config(rules=RulesConfig(due_soon_days=7))
    row = stage("2024-12-20", config, last_review_date="2024-12-19")
    assert row["review_decision_status"] == "pending"


def test_a_decision_before_the_last_meeting_belongs_to_an_earlier_review() -> None:
    row = stage("2025-06-30", last_review_date="2025-03-01", review_decision_date="2024-03-20")
    assert row["review_decision_status"] == "overdue"


def test_a_decision_after_the_as_of_date_had_not_happened() -> None:
    row = stage("2025-03-10", last_review_date="2025-03-01", review_decision_date="2025-03-20")
    assert row["review_decision_status"] == "due_soon"


def test_no_meeting_or_a_ceased_plan_needs_no_decision() -> None:
    assert stage("2025-06-30")["review_decision_status"] == "not_applicable"
    row = stage("2025-06-30", last_review_date="2025-03-01", cease_date="2025-04-01")
    assert row["review_decision_status"] == "not_applicable"


def test_no_amendment_recorded_is_not_applicable_never_overdue() -> None:
    row = stage("2025-06-30", last_review_date="2024-12-19")
    assert row["amended_plan_status"] == "not_applicable"


def test_an_open_amendment_is_overdue_after_its_date() -> None:
    row = stage("2025-06-30", last_review_date="2024-12-19", amendment_notice_date="2025-01-10")
    # notice + 8 weeks (reg 22(3)) comes before meeting + 12 weeks (2025-03-13, Devon)
    assert (row["amended_plan_due_date"], row["amended_plan_status"]) == (D("2025-03-07"),
                                                                         "overdue")


def test_an_amended_plan_before_the_notice_is_from_an_earlier_round() -> None:
    row = stage("2025-03-01", last_review_date="2024-12-19", amendment_notice_date="2025-01-10",
                amended_plan_date="2025-01-05")
    assert row["amended_plan_status"] == "due_soon"


# --- Phase transfers (reg 18) ---

@pytest.mark.parametrize(("kind", "reading", "due"), [
    pytest.param("school phase", "strict", "2026-02-14", id="E24-strict"),
    pytest.param("school phase", "lenient", "2026-02-15", id="E24-lenient"),
    pytest.param("post-16", "strict", "2026-03-30", id="E26-strict"),
    pytest.param("post-16", "lenient", "2026-03-31", id="E26-lenient"),
])
def test_phase_transfer_deadline(kind: str, reading: str, due: str) -> None:
    config = Config(review_process=ReviewProcessConfig(phase_transfer_reading=reading))
    row = stage("2025-10-01", config, phase_transfer_year="2026", phase_transfer_kind=kind)
    assert row["phase_transfer_due_date"] == D(due)
    assert row["phase_transfer_status"] == "pending"


@pytest.mark.parametrize(("meeting", "reading", "at_risk"), [
    pytest.param("2025-11-22", "strict", False, id="E25-latest-meeting-strict"),
    pytest.param("2025-11-23", "strict", True, id="E25-a-day-later-strict"),
    pytest.param("2025-11-23", "lenient", False, id="E25-latest-meeting-lenient"),
])
def test_E25_at_risk_when_the_twelve_week_chain_cannot_finish(meeting: str, reading: str,
                                                             at_risk: bool) -> None:
    config = Config(review_process=ReviewProcessConfig(phase_transfer_reading=reading))
    row = stage("2025-12-01", config, last_review_date=meeting, phase_transfer_year="2026",
                phase_transfer_kind="school")
    assert row["at_risk"] is at_risk


def test_E27_leap_year_transfer_latest_meeting() -> None:
    assert not stage("2027-11-22", last_review_date="2027-11-22", phase_transfer_year="2028",
                     phase_transfer_kind="Y6")["at_risk"]
    assert stage("2027-11-23", phase_transfer_year="2028", phase_transfer_kind="Y6")["at_risk"]


def test_transfer_complete_when_the_amended_plan_is_issued() -> None:
    row = stage("2026-03-01", last_review_date="2025-11-01", review_decision_date="2025-11-20",
                amendment_notice_date="2025-11-20", amended_plan_date="2026-01-10",
                phase_transfer_year="2026")
    assert row["phase_transfer_status"] == "on_time"


def test_transfer_complete_on_the_decision_when_nothing_is_amended() -> None:
    row = stage("2026-03-01", last_review_date="2025-11-01", review_decision_date="2026-02-15",
                phase_transfer_year="2026")
    assert row["phase_transfer_status"] == "late"   # decision after 14 February


def test_transfer_incomplete_while_an_amendment_is_open() -> None:
    row = stage("2026-02-16", last_review_date="2025-11-01", review_decision_date="2025-11-20",
                amendment_notice_date="2025-11-20", phase_transfer_year="2026")
    assert row["phase_transfer_status"] == "overdue"


@pytest.mark.parametrize(("meeting", "status"), [
    pytest.param("2025-09-01", "on_time", id="E47-window-opens-1-september"),
    pytest.param("2025-08-31", "overdue", id="E47-a-day-earlier-is-the-previous-review"),
    pytest.param("2025-03-10", "overdue", id="E47-year-5-review-in-march"),
])
def test_E47_transfer_review_window_is_twelve_months_before_the_transfer(
        meeting: str, status: str) -> None:
    decision = (D(meeting) + timedelta(days=20)).isoformat()
    row = stage("2026-03-01", last_review_date=meeting, review_decision_date=decision,
                phase_transfer_year="2026")
    assert row["phase_transfer_status"] == status


def test_E47_the_window_is_configurable() -> None:
    config = Config(review_process=ReviewProcessConfig(phase_transfer_window_months=6))
    on_edge = stage("2026-03-01", config, last_review_date="2026-03-01",
                    review_decision_date="2026-03-01", phase_transfer_year="2026")
    autumn = stage("2026-03-01", config, last_review_date="2025-11-01",
                   review_decision_date="2025-11-20", phase_transfer_year="2026")
    assert (on_edge["phase_transfer_status"], autumn["phase_transfer_status"]) == (
        "late", "overdue")


def test_E48_transfer_complete_needs_the_amended_plan_by_the_deadline() -> None:
    late = stage("2026-03-01", last_review_date="2025-11-06", review_decision_date="2025-12-04",
                 amendment_notice_date="2025-12-04", amended_plan_date="2026-02-16",
                 phase_transfer_year="2026")
    kept = stage("2026-03-01", last_review_date="2025-11-06", review_decision_date="2025-11-20",
                 phase_transfer_year="2026")
    assert (late["phase_transfer_status"], late["amended_plan_status"]) == ("late", "late")
    assert kept["phase_transfer_status"] == "on_time"   # decision not to amend, 20 November


def test_transfer_not_judged_once_the_export_holds_a_later_review() -> None:
    row = stage("2026-10-01", last_review_date="2026-09-01", phase_transfer_year="2026")
    assert row["phase_transfer_status"] == "not_applicable"


@pytest.mark.parametrize(("year", "due"), [
    ("2026/27", "2026-02-14"), ("Sept 2026", "2026-02-14"), ("01/09/2026", "2026-02-14"),
    ("26", None), ("", None), ("1800", None)])
def test_transfer_year_is_the_first_four_digit_year(year: str, due: str | None) -> None:
    row = stage("2025-10-01", phase_transfer_year=year, phase_transfer_kind="school")
    assert row["phase_transfer_due_date"] == (None if due is None else D(due))


@pytest.mark.parametrize(("kind", "dob", "expected"), [
    ("Post 16", None, "post_16"), ("Y11", None, "post_16"), ("College", None, "post_16"),
    ("Primary to secondary", None, "school_phase"), ("year 6", None, "school_phase"),
    (None, "2010-08-31", "post_16"),        # 16 by 31 August 2026: leaving year 11
    (None, "2010-09-01", "school_phase"),   # a year younger
    ("unknown words", "2010-08-31", "post_16"),
    (None, None, "school_phase"),           # no date of birth: the earlier deadline
])
def test_transfer_kind(kind: str | None, dob: str | None, expected: str) -> None:
    config = Config()
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    frame = pl.DataFrame([{**PLAN, "phase_transfer_year": "2026", "phase_transfer_kind": kind,
                           "date_of_birth": None if dob is None else D(dob)}], schema=schema)
    frame = with_transfer_read(frame.with_columns(pl.col(list(BOOLEAN_COLUMNS)).fill_null(False)))
    out = with_review_process(with_status(with_deadlines(frame, config.rules), D("2025-10-01"),
                                          config.rules), D("2025-10-01"), config, ())
    assert out[TRANSFER_KIND][0] == expected


# --- Under 5s (CoP 9.178): guidance, never a breach ---

def test_E29_under_five_six_month_guide() -> None:
    row = stage("2025-03-01", plan_issued_date="2024-08-31", date_of_birth="2021-06-01")
    assert row["under_5_review_guide_date"] == D("2025-02-28")
    assert row["under_5_review_guide"] == "consider_review"


def test_E29_three_months_by_configuration() -> None:
    config = Config(review_process=ReviewProcessConfig(under_5_review_months=3))
    row = stage("2023-12-31", config, plan_issued_date="2023-11-30", date_of_birth="2021-06-01")
    assert row["under_5_review_guide_date"] == D("2024-02-29")
    assert row["under_5_review_guide"] == "not_yet"


@pytest.mark.parametrize(("as_of", "guide"), [
    ("2025-02-28", "consider_review"),   # born 29 Feb 2020: still 4 until 1 March 2025
    ("2025-03-01", "not_applicable"),
])
def test_under_five_ends_on_the_fifth_birthday(as_of: str, guide: str) -> None:
    row = stage(as_of, plan_issued_date="2024-06-01", date_of_birth="2020-02-29")
    assert row["under_5_review_guide"] == guide


def test_over_five_has_no_guide() -> None:
    row = stage("2025-03-01", plan_issued_date="2024-08-31", date_of_birth="2015-06-01")
    assert (row["under_5_review_guide_date"], row["under_5_review_guide"]) == (
        None, "not_applicable")


# --- Working days (rules.md §4): flagged, never moved ---

def test_E07_twenty_weeks_on_spring_bank_holiday() -> None:
    row = stage("2025-03-01", received_date="2025-01-06", plan_issued_date=None,
                request_outcome=None, assessment_outcome=None)
    assert row["plan_due_date"] == D("2025-05-26")                 # the deadline stays
    assert row["plan_due_date_on_non_working_day"] is True
    assert row["plan_due_date_last_working_day"] == D("2025-05-23")


def test_E08_twenty_weeks_on_christmas_day() -> None:
    row = stage("2025-09-01", received_date="2025-08-07", plan_issued_date=None,
                request_outcome=None, assessment_outcome=None)
    assert row["plan_due_date"] == D("2025-12-25")
    assert row["plan_due_date_last_working_day"] == D("2025-12-24")


def test_E01_weekday_deadline_is_its_own_last_working_day() -> None:
    row = stage("2024-02-01", received_date="2024-01-15", plan_issued_date=None,
                request_outcome=None, assessment_outcome=None)
    assert row["plan_due_date_on_non_working_day"] is False
    assert row["plan_due_date_last_working_day"] == row["plan_due_date"] == D("2024-06-03")
    # 16-week date 2024-05-06 was the Early May bank holiday; the 6-week one a Monday.
    assert row["decision_due_date_last_working_day"] == D("2024-02-26")


def test_review_process_dates_get_the_working_day_view_too() -> None:
    # Meeting Sat 2024-11-30 (St Andrew's Day: a holiday in Scotland, not England).
    row = stage("2025-01-10", last_review_date="2024-11-30")
    assert row["review_decision_due_date"] == D("2024-12-28")       # a Saturday
    assert row["review_decision_due_date_last_working_day"] == D("2024-12-27")
    assert row["amended_plan_due_date"] == D("2025-02-22")
    assert row["amended_plan_due_date_last_working_day"] == D("2025-02-21")
