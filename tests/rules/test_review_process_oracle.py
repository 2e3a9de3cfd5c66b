"""Property: the review-process stage equals the plain-Python oracle (tests/oracle.py) on random
cases, configurations and as-of dates — meetings, decisions, notices and amended plans on and
around each other's deadlines, stale dates from an earlier review, transfers in leap years,
children either side of their fifth birthday.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.columns import (
    BOOLEAN_COLUMNS,
    CANONICAL_COLUMNS,
    DATE_COLUMNS,
    DUE_DATE_COLUMNS,
    last_working_day_name,
    on_non_working_day_name,
)
from ehcp_timeliness.config import Config, ReviewProcessConfig, RulesConfig
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.review_process import (
    PHASE_TRANSFER_STATUS,
    transfer_at_risk,
    with_review_process,
)
from ehcp_timeliness.schema.normalise import with_transfer_read
from fuzz.generators import fuzz

import oracle

# As in test_rules_match_oracle.py: leap days and month ends far more often than chance.
EDGE_DAYS = [date(y, m, d) for y in (2020, 2023, 2024, 2025, 2028)
             for m, d in ((2, 28), (2, 29), (3, 1), (3, 31), (12, 31), (1, 1), (8, 31))
             if not (m == 2 and d == 29 and y % 4)]
any_day = st.one_of(st.sampled_from(EDGE_DAYS),
                    st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)))
rules_configs = st.builds(
    RulesConfig, due_soon_days=st.integers(0, 60), anchor_is_day_one=st.booleans(),
    review_convention=st.sampled_from(["s44", "anniversary"]),
    review_clock=st.sampled_from(["meeting", "decision"]))


def maybe_after(start: date, max_days: int = 800) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.integers(0, max_days).map(lambda n: start + timedelta(n)))


def often_after(start: date, max_days: int = 800) -> st.SearchStrategy[date | None]:
    """A date three times in four: most cases should have something to judge."""
    after = st.integers(0, max_days).map(lambda n: start + timedelta(n))
    return st.one_of(after, after, after, st.none())


HOLIDAYS = england_bank_holidays()
WINDOWS = [12, 6, 18]
KINDS = [None, "", "school phase", "Post-16", "Y11", "primary to secondary", "College",
         "Year 6", "something else"]
YEARS = [None, "", "2026", "2026/27", "Sept 2028", "01/09/2024", "26", "1800"]


@st.composite
def review_cases(draw: st.DrawFn, window: int = 12) -> oracle.ReviewCase:
    received = draw(any_day)
    issued = draw(often_after(received, 400))
    start = draw(maybe_after(received - timedelta(400), 400)) if issued is None else None
    made = issued or start or received
    year = draw(st.one_of(st.sampled_from(YEARS),
                          st.integers(2018, 2031).map(str)))
    meeting = draw(often_after(made - timedelta(60), 1200))
    deadline = oracle.transfer_due(oracle.ReviewCase(received=received, transfer_year=year))
    if deadline is not None and draw(st.booleans()):
        # On and around the edges of the 12-week chain, the old window (12 months before the
        # deadline) and the transfer review's window (WINDOW months before 1 September).
        back = draw(st.sampled_from([367, 366, 365, 364, 363, 86, 85, 84, 83, 82]))
        meeting = deadline - timedelta(days=back)
        if draw(st.booleans()):
            opens = oracle.add_months(date(deadline.year, 9, 1), -window)
            meeting = opens + timedelta(days=draw(st.sampled_from([-1, 0, 1])))
    around = meeting or made
    return oracle.ReviewCase(
        received=received,
        issued=issued,
        request_outcome="Y" if issued else draw(st.sampled_from([None, "Y", "A"])),
        assessment_outcome="Y" if issued else ("H" if start else None),
        plan_start=start,
        last_review=meeting,
        review_decision=draw(maybe_after(around - timedelta(60), 120)),
        amendment_notice=draw(maybe_after(around - timedelta(60), 120)),
        amended_plan=draw(maybe_after(around - timedelta(30), 200)),
        cease=draw(st.one_of(st.none(), maybe_after(made, 1500))),
        transfer_year=year,
        transfer_kind=draw(st.sampled_from(KINDS)),
        # reg 15: a plan transferred in, sometimes after the as-of dates drawn (not ours yet)
        transfer_in=draw(st.one_of(st.none(), st.none(), st.none(), maybe_after(made, 900))),
        dob=draw(st.one_of(st.none(), st.sampled_from([date(2020, 2, 29), date(2008, 8, 31),
                                                       date(2008, 9, 1), date(2019, 3, 1),
                                                       date(2024, 2, 29)]),
                           st.dates(date(2000, 1, 1), date(2026, 12, 31)))),
    )


def to_frame(batch: list[oracle.ReviewCase]) -> pl.DataFrame:
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    rows = [{
        "received_date": c.received, "plan_issued_date": c.issued,
        "request_outcome": c.request_outcome, "assessment_outcome": c.assessment_outcome,
        "plan_start_date": c.plan_start, "last_review_date": c.last_review,
        "review_decision_date": c.review_decision, "cease_date": c.cease,
        "amendment_notice_date": c.amendment_notice, "amended_plan_date": c.amended_plan,
        "phase_transfer_year": c.transfer_year, "phase_transfer_kind": c.transfer_kind,
        "date_of_birth": c.dob, "transfer_in_date": c.transfer_in,
    } for c in batch]
    return with_transfer_read(pl.DataFrame(rows, schema=schema).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False)))


def as_of_near_a_step(batch: list[oracle.ReviewCase]) -> st.SearchStrategy[date]:
    """As-of dates on and around each case's own due dates (meeting + 28 / + 84, notice + 56,
    the transfer deadline and the latest meeting for it, the fifth birthday), where off-by-one
    errors live. The due dates come first: Hypothesis favours the start of a list.
    """
    dues, others = [], []
    for c in batch:
        for day, offsets in ((c.last_review, (28, 84)), (c.amendment_notice, (56,))):
            dues += [] if day is None else [day + timedelta(days=o) for o in offsets]
        due = oracle.transfer_due(c)
        dues += [] if due is None else [due, due - timedelta(days=84)]
        if c.dob is not None:
            birthday = oracle._fifth_birthday(c.dob)
            dues += [birthday, date(birthday.year, 2, 28)]
        others += [d for d in (c.last_review, c.amendment_notice, c.amended_plan,
                               c.review_decision) if d is not None]
    if not dues + others:
        return any_day
    return st.builds(lambda a, o: a + timedelta(days=o), st.sampled_from(dues + others),
                     st.sampled_from([0, -1, 1, 0, -28, -29, 2]))


@fuzz(300)
@given(data=st.data(), rules=rules_configs, reading=st.sampled_from(["strict", "lenient"]),
       months=st.integers(3, 6), window=st.one_of(st.sampled_from(WINDOWS), st.integers(1, 24)))
def test_review_process_equals_the_oracle(data: st.DataObject, rules: RulesConfig,
                                          reading: str, months: int, window: int) -> None:
    batch = data.draw(st.lists(review_cases(window), min_size=1, max_size=25), label="batch")
    near = as_of_near_a_step(batch)
    config = Config(rules=rules, review_process=ReviewProcessConfig(
        phase_transfer_reading=reading, under_5_review_months=months,
        phase_transfer_window_months=window))
    # Several as-of dates per batch: each is cheap, and one batch seen at many dates finds
    # boundary slips a single date rarely lands on.
    for as_of in data.draw(st.lists(st.one_of(near, near, any_day), min_size=1, max_size=6),
                           label="as_of"):
        check_batch(batch, as_of, rules, config, reading, months, window)


def check_batch(batch: list[oracle.ReviewCase], as_of: date, rules: RulesConfig,
                config: Config, reading: str, months: int, window: int) -> None:
    frame = with_status(with_deadlines(to_frame(batch), rules), as_of, rules)
    out = with_review_process(frame, as_of, config, HOLIDAYS)
    out = out.with_columns(transfer_at_risk(as_of).alias("at_risk"))
    soon, clock = rules.due_soon_days, rules.review_clock
    expected = {
        "review_decision_due_date": [oracle.review_decision_due(c, as_of) for c in batch],
        "review_decision_status": [oracle.review_decision_status(c, as_of, soon)
                                   for c in batch],
        "amended_plan_due_date": [oracle.amended_plan_due(c, as_of) for c in batch],
        "amended_plan_status": [oracle.amended_plan_status(c, as_of, soon) for c in batch],
        "amendment_notice_due_date": [oracle.amendment_notice_due(c, as_of) for c in batch],
        "amendment_notice_status": [oracle.amendment_notice_status(c, as_of, soon)
                                    for c in batch],
        "phase_transfer_due_date": [oracle.transfer_due(c, reading) for c in batch],
        PHASE_TRANSFER_STATUS: [oracle.phase_transfer_status(c, as_of, soon, reading, window)
                                for c in batch],
        "at_risk": [oracle.transfer_at_risk(c, as_of, soon, reading, window) for c in batch],
        "under_5_review_guide_date": [oracle.under_5_guide_date(c, as_of, months, clock)
                                      for c in batch],
        "under_5_review_guide": [oracle.under_5_guide(c, as_of, months, clock) for c in batch],
    }
    for column, values in expected.items():
        assert out[column].to_list() == values, column
    # Devon: after a meeting the amended plan is never due later than 12 weeks from it,
    # however late the notice; reg 22(3): never later than 8 weeks from its notice.
    for case, due in zip(batch, out["amended_plan_due_date"].to_list(), strict=True):
        meeting = oracle._known(case.last_review, as_of)
        if meeting is not None:
            assert due is not None and due <= meeting + timedelta(days=84)
        notice = oracle.amendment_notice(case, as_of)
        if notice is not None:
            assert due is not None and due <= notice + timedelta(days=56)
    holidays = frozenset(HOLIDAYS)
    for due in DUE_DATE_COLUMNS:
        dues = out[due].to_list()
        assert out[last_working_day_name(due)].to_list() == [
            oracle.last_working_day(d, holidays) for d in dues], due
        assert out[on_non_working_day_name(due)].to_list() == [
            None if d is None else oracle.last_working_day(d, holidays) != d for d in dues], due
