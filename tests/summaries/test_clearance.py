"""The backlog clearance (summaries/clearance.py) against a plain-Python oracle that takes the
fall off the backlog one month at a time (tests/trend_oracle.py), and its sentence: one
verdict, never a month past 5 years from the as-of date."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

import trend_oracle
from ehcp_timeliness.summaries.clearance import HORIZON_YEARS, backlog_clearance
from fuzz.generators import fuzz

VERDICTS = ("no backlog to clear", "no clearance month yet", "not clearing at the current rate",
            "cleared by")
backlogs = st.lists(st.one_of(st.integers(0, 60), st.integers(0, 200_000)), max_size=12)
days = st.dates(date(2000, 1, 1), date(2100, 12, 31))


@fuzz(400)
@given(overdue=backlogs, as_of=days)
def test_the_verdict_and_month_equal_the_month_by_month_oracle(overdue: list[int],
                                                               as_of: date) -> None:
    clearance = backlog_clearance(overdue, as_of)
    assert (str(clearance.verdict), clearance.clears_in_month) == trend_oracle.clearance(
        overdue, as_of)


@fuzz(400)
@given(overdue=backlogs, as_of=days)
def test_one_sentence_one_verdict_no_month_past_the_horizon(overdue: list[int],
                                                            as_of: date) -> None:
    clearance = backlog_clearance(overdue, as_of)
    words = clearance.sentence()
    assert sum(words.count(v) for v in VERDICTS) == 1
    assert words.endswith(".") and ". " not in words  # one sentence
    for year in re.findall(r"\b(\d{4,})-\d{2}\b", words):
        assert int(year) <= as_of.year + HORIZON_YEARS
    said = clearance.to_dict()
    assert said["in_words"] == words
    if said["clears_in_month"] is not None:
        assert int(str(said["clears_in_month"])[:4]) <= as_of.year + HORIZON_YEARS


def test_the_horizon_is_exactly_five_years() -> None:
    as_of = date(2025, 6, 30)
    # Down 1 a month (6 over 6 months, 3 over 3): 60 months clears in June 2030; 61 does not.
    assert backlog_clearance([66, 65, 64, 63, 62, 61, 60], as_of).clears_in_month == "2030-06"
    assert backlog_clearance([67, 66, 65, 64, 63, 62, 61], as_of).clears_in_month is None
