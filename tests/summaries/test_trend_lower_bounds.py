"""The review figures of past months are lower bounds, flagged exactly when they may be below
the truth. The truth comes from a plain-Python oracle that knows every review a plan had
(tests/oracle.py's review status with the review as it stood at the month end); `trend` sees
only what an export holds, the last review."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

import trend_oracle
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.summaries.trend import LOWER_BOUNDS, NOT_KNOWN, trend_table
from fuzz.generators import fuzz
from trend_cases import START, analysed, trend_cases

import oracle


@st.composite
def reviewed_cases(draw: st.DrawFn) -> tuple[trend_oracle.TrendCase, list[date]]:
    """A case and every review meeting it had (the export keeps the last)."""
    case = draw(trend_cases())
    made = case.issued or case.plan_start or case.received
    reviews = sorted(set(draw(st.lists(st.integers(0, 900), max_size=4).map(
        lambda days: [made + timedelta(d) for d in days]))))
    return case, reviews


def truth(case: trend_oracle.TrendCase, reviews: list[date], day: date, as_of: date,
          convention: str) -> tuple[bool, bool, bool]:
    """(in force with a review due, overdue, reviewed in the 12 months to DAY) on DAY, from
    the review as it stood on DAY."""
    held = [r for r in reviews if r <= day]
    then = dataclasses.replace(case, last_review=held[-1] if held else None)
    status = oracle.review_status(then, day, 0, convention, "meeting")
    made = trend_oracle.first_made(case, as_of)
    due = (status != "not_applicable" and made is not None
           and oracle.twelve_months(made, convention) < day)
    reviewed = due and bool(held) and day <= oracle.twelve_months(held[-1], convention)
    return due, status == "overdue", reviewed


# Found by `make fuzz`: reviewed 2023-05-20 and 2024-09-10, the export taken after both and the
# as-of date between them. The plan was reviewed in the 12 months to the as-of date, yet was
# counted overdue, as exact, when the review after it was dropped as not yet happened.
@example(drawn=[(trend_oracle.TrendCase(received=date(2021, 12, 1), issued=date(2022, 6, 1)),
                 [date(2023, 5, 20), date(2024, 9, 10)])],
         as_of=date(2024, 3, 31), later=400, convention="s44")
@fuzz(200)
@given(drawn=st.lists(reviewed_cases(), min_size=1, max_size=12),
       as_of=st.integers(300, 1000).map(lambda n: START + timedelta(n)),
       later=st.sampled_from([0, 0, 40, 400]),
       convention=st.sampled_from(["s44", "anniversary"]))
def test_review_figures_are_lower_bounds_exact_where_not_flagged(
        drawn: list[tuple[trend_oracle.TrendCase, list[date]]], as_of: date, later: int,
        convention: str) -> None:
    """The export is taken on the as-of date or LATER days after it (a replay, or last
    quarter's figures from this month's export): then a review after the as-of date may
    have overwritten one before it, and even the as-of month is a lower bound."""
    rules = RulesConfig(review_convention=convention, review_clock="meeting")
    extract = as_of + timedelta(later)
    batch, histories = [], []
    for case, reviews in drawn:
        if case.received > as_of:
            continue
        recorded = [r for r in reviews if r <= extract]  # the export keeps the last of these
        batch.append(dataclasses.replace(case, last_review=recorded[-1] if recorded else None))
        histories.append([r for r in reviews if r <= as_of])
    if not batch:
        return
    table = trend_table(analysed(batch, as_of, rules), as_of, rules, []).table
    for row, (_, _, end) in zip(table.to_dicts(),
                                trend_oracle.months(min(c.received for c in batch), as_of),
                                strict=True):
        facts = [truth(c, h, end, as_of, convention) for c, h in zip(batch, histories,
                                                                      strict=True)]
        due = sum(f[0] for f in facts)
        overdue = sum(f[1] for f in facts)
        reviewed = sum(f[2] for f in facts)
        gap = row[NOT_KNOWN]
        assert row["review_due_once"] == due
        assert row["reviews_overdue_at_month_end"] <= overdue <= (
            row["reviews_overdue_at_month_end"] + gap)
        assert row["reviewed_in_last_12_months"] <= reviewed <= (
            row["reviewed_in_last_12_months"] + gap)
        for flag in LOWER_BOUNDS.values():
            assert row[flag] == (gap > 0)
        if not gap:  # exact
            assert (row["reviews_overdue_at_month_end"], row["reviewed_in_last_12_months"]) \
                == (overdue, reviewed)
    if not later:  # an export taken on the as-of date: its month is always exact
        assert table[NOT_KNOWN][-1] == 0


def test_E82_reviews_hidden_by_a_later_review_make_a_month_a_lower_bound() -> None:
    rules = RulesConfig()
    as_of = date(2025, 6, 30)
    # Issued 2023-03-01, reviewed 2024-02-20 and 2025-04-10; the export keeps 2025-04-10.
    # From 2024-03-01 (a review fell due) to 2025-04-09 the export cannot say whether the plan
    # was reviewed: in fact reviewed, on 2024-02-20, so never overdue until 2025-02-20.
    hidden = trend_oracle.TrendCase(received=date(2022, 10, 3), issued=date(2023, 3, 1),
                                    last_review=date(2025, 4, 10))
    # Issued 2023-02-01, last reviewed 2024-01-15, none since: overdue from 2025-01-16.
    known = trend_oracle.TrendCase(received=date(2022, 9, 5), issued=date(2023, 2, 1),
                                   last_review=date(2024, 1, 15))
    table = trend_table(analysed([hidden, known], as_of, rules), as_of, rules, []).table
    rows = {r["month"]: r for r in table.to_dicts()}
    jan24, mar24, mar25, apr25 = (rows[m] for m in ("2024-01", "2024-03", "2025-03", "2025-04"))
    # January 2024: neither plan past 12 months: exact, nothing overdue.
    assert (jan24[NOT_KNOWN], jan24["reviews_overdue_at_month_end_is_lower_bound"]) == (0, False)
    # March 2024: the first plan's status is not known: 1 of 2 reviewed is a lower bound.
    assert (mar24[NOT_KNOWN], mar24["pct_reviewed_in_last_12_months"]) == (1, 50.0)
    assert mar24["pct_reviewed_in_last_12_months_is_lower_bound"] is True
    # March 2025: 1 overdue (the second plan) shown, a lower bound: the truth is 2.
    assert (mar25["reviews_overdue_at_month_end"], mar25[NOT_KNOWN]) == (1, 1)
    assert mar25["reviews_overdue_at_month_end_is_lower_bound"] is True
    # April 2025 on: the last review is known, the figures exact.
    assert (apr25["reviews_overdue_at_month_end"], apr25[NOT_KNOWN]) == (1, 0)
    assert apr25["pct_reviewed_in_last_12_months"] == 50.0
    assert not rows["2025-06"]["reviews_overdue_at_month_end_is_lower_bound"]
