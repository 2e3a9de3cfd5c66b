"""Property: the Polars rules equal the plain-Python oracle on random cases and as-of dates,
with leap days and month ends drawn far more often than chance would draw them.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.columns import BOOLEAN_COLUMNS, CANONICAL_COLUMNS, DATE_COLUMNS
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.status import review_clock_column
from fuzz.generators import fuzz

import oracle

EDGE_DAYS = [date(y, m, d) for y in (2020, 2023, 2024, 2025, 2028)
             for m, d in ((2, 28), (2, 29), (3, 1), (3, 31), (12, 31), (1, 1), (8, 31))
             if not (m == 2 and d == 29 and y % 4)]

TRANSFER_EDGE_DAYS = [date(y, m, d) for y in (2023, 2024, 2025)
                      for m, d in ((11, 28), (11, 29), (11, 30), (12, 1), (8, 31), (5, 31))]

any_day = st.one_of(st.sampled_from(EDGE_DAYS),
                    st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)))


def maybe_after(start: date, max_days: int = 800) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.integers(0, max_days).map(lambda n: start + timedelta(n)))


@st.composite
def cases(draw: st.DrawFn) -> oracle.Case:
    received = draw(any_day)
    outcome = draw(st.sampled_from([None, "Y", "N", "A", "W", "H"]))
    issued = draw(maybe_after(received)) if outcome in (None, "Y", "H") else None
    start = draw(maybe_after(received - timedelta(400))) if outcome == "H" else None
    made = issued or start or received
    # reg 15: a transfer in, often around a month end (30 November + 3 months has no
    # corresponding day) and on either side of the last review.
    transfer_in = draw(st.one_of(
        st.none(), st.none(), maybe_after(made - timedelta(30), 700),
        st.sampled_from(TRANSFER_EDGE_DAYS)))
    return oracle.Case(
        received=received,
        issued=issued,
        request_outcome=draw(st.sampled_from([None, "Y", "N", "W"])) if not issued else "Y",
        request_outcome_date=draw(maybe_after(received, 90)),
        assessment_outcome=outcome,
        assessment_outcome_date=draw(maybe_after(received, 200)) if outcome in ("N", "W")
        else None,
        plan_start=start,
        last_review=draw(maybe_after(made, 1200)),
        review_decision=draw(maybe_after(made, 1200)),
        cease=draw(maybe_after(made, 1500)),
        transfer_in=transfer_in,
    )


def to_frame(batch: list[oracle.Case]) -> pl.DataFrame:
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    rows = [{
        "received_date": c.received, "plan_issued_date": c.issued,
        "request_outcome": c.request_outcome, "request_outcome_date": c.request_outcome_date,
        "assessment_outcome": c.assessment_outcome,
        "assessment_outcome_date": c.assessment_outcome_date,
        "plan_start_date": c.plan_start, "last_review_date": c.last_review,
        "review_decision_date": c.review_decision, "cease_date": c.cease,
        "transfer_in_date": c.transfer_in,
    } for c in batch]
    return pl.DataFrame(rows, schema=schema).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False))


rules_configs = st.builds(
    RulesConfig,
    due_soon_days=st.integers(0, 60),
    anchor_is_day_one=st.booleans(),
    review_convention=st.sampled_from(["s44", "anniversary"]),
    review_clock=st.sampled_from(["meeting", "decision"]),
)


def as_of_near_a_deadline(batch: list[oracle.Case]) -> st.SearchStrategy[date]:
    """As-of dates on and around the cases' own deadlines, where off-by-one errors live."""
    anchors = []
    for c in batch:
        anchors += [c.received + timedelta(days=139), c.received + timedelta(days=140)]
        for clock in (c.issued, c.last_review, c.plan_start, c.review_decision):
            if clock is not None:
                anchors.append(oracle.twelve_months(clock))
        if c.transfer_in is not None:
            anchors += [c.transfer_in, oracle.months_beginning_with(c.transfer_in, 3)]
    offsets = st.sampled_from([-29, -28, -27, -1, 0, 1, 2])
    return st.builds(lambda a, o: a + timedelta(days=o), st.sampled_from(anchors), offsets)


@fuzz(400)
@given(batch=st.lists(cases(), min_size=1, max_size=25), data=st.data(), rules=rules_configs)
def test_polars_rules_equal_the_oracle(batch: list[oracle.Case], data: st.DataObject,
                                       rules: RulesConfig) -> None:
    as_of = data.draw(st.one_of(any_day, as_of_near_a_deadline(batch)), label="as_of")
    # Without the review clock's column (blank in every row, as the pipeline reads an absent
    # column) a review that had fallen due is not known, never overdue (CFA 2014 s44(1)).
    column = data.draw(st.booleans(), label="review column")
    frame = to_frame(batch)
    if not column:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias(
            review_clock_column(rules)))
    out = with_status(with_deadlines(frame, rules), as_of, rules, column)
    soon, day_one = rules.due_soon_days, rules.anchor_is_day_one
    conv, clock = rules.review_convention, rules.review_clock
    expected = {
        "decision_due_date": [oracle.decision_due(c.received, day_one) for c in batch],
        "plan_due_date": [oracle.plan_due(c.received, day_one) for c in batch],
        "plan_status": [oracle.plan_status(c, as_of, soon, day_one) for c in batch],
        "weeks_to_issue": [oracle.weeks_to_issue(c, as_of) for c in batch],
        "days_overdue": [oracle.days_overdue(c, as_of, soon, day_one) for c in batch],
        "review_due_date": [oracle.review_due(c, as_of, conv, clock, column) for c in batch],
        "review_status": [oracle.review_status(c, as_of, soon, conv, clock, column)
                          for c in batch],
    }
    for column, values in expected.items():
        assert out[column].to_list() == values, column


@fuzz(200)
@given(day=any_day)
def test_twelve_months_matches_dateutil_reading(day: date) -> None:
    """The anniversary reading is dateutil's month arithmetic; s44 is one day less except
    where there is no corresponding day (29 February), when both are the month's last day.
    """
    frame = pl.DataFrame({"d": [day]})
    from ehcp_timeliness.rules.reviews import months_beginning_with

    anniversary = frame.select(months_beginning_with(pl.col("d"), 12, "anniversary")).item()
    s44 = frame.select(months_beginning_with(pl.col("d"), 12, "s44")).item()
    assert anniversary == oracle.add_months(day, 12)
    assert s44 == oracle.twelve_months(day, "s44")
    assert s44 == (anniversary if (day.month, day.day) == (2, 29)
                   else anniversary - timedelta(days=1))


@fuzz(200)
@given(day=st.one_of(any_day, st.sampled_from(TRANSFER_EDGE_DAYS)),
       convention=st.sampled_from(["s44", "anniversary"]))
def test_three_months_beginning_with_matches_the_oracle(day: date, convention: str) -> None:
    """reg 15(5)(b), as the rule computes it and as its per-day look-up gives it."""
    from ehcp_timeliness.rules.reviews import months_beginning_with
    from ehcp_timeliness.rules.status import transfer_in_months_after

    frame = pl.DataFrame({"d": [day], "transfer_in_date": [day]})
    expected = oracle.months_beginning_with(day, 3, convention)
    computed = months_beginning_with(pl.col("d"), 3, convention)  # type: ignore[arg-type]
    assert frame.select(computed).item() == expected
    rules = RulesConfig(review_convention=convention)  # type: ignore[arg-type]
    assert frame.select(transfer_in_months_after(pl.col("transfer_in_date"), rules)).item() \
        == expected


@fuzz(200)
@given(batch=st.lists(cases(), min_size=1, max_size=25), data=st.data(), rules=rules_configs)
def test_dfe_decision_measures_equal_the_oracle_whatever_the_convention(
        batch: list[oracle.Case], data: st.DataObject, rules: RulesConfig) -> None:
    """DfE's 6-week, 16-week and 4-week measures (rules/dfe_method.py, counted by
    summaries/dfe.py) against the oracle's plain day counts, under every local convention:
    `anchor_is_day_one` moves the local 6- and 16-week dates by one day and never DfE's."""
    from ehcp_timeliness.rules.deadlines import no_plan_decision_due_date
    from ehcp_timeliness.summaries.dfe import (
        ASSESSMENT_COLUMNS,
        REQUEST_COLUMNS,
        REVIEW_COLUMNS,
        dfe_figures,
    )

    as_of = data.draw(any_day, label="as_of")
    out = with_status(with_deadlines(to_frame(batch), rules), as_of, rules)
    day_one = rules.anchor_is_day_one
    assert out.select(no_plan_decision_due_date(anchor_is_day_one=day_one)).to_series() \
        .to_list() == [oracle.no_plan_decision_due(c.received, day_one) for c in batch]
    table = dfe_figures(out, as_of)
    found = {}
    for measure, names in (("requests", REQUEST_COLUMNS), ("assessments", ASSESSMENT_COLUMNS),
                           ("reviews", REVIEW_COLUMNS)):
        for row in table.select("time_period", *names[:2]).iter_rows():
            if row[1] or row[2]:
                found[(measure, row[0])] = (row[1], row[2])
    assert found == oracle.dfe_decisions(batch, as_of)
