"""Where the year lands (summaries/year_end.py; its forecast: test_year_end.py) and when the
backlog clears (summaries/clearance.py: test_clearance.py): worked cases."""

from __future__ import annotations

from datetime import date

import trend_oracle
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.summaries.year_end import year_end
from trend_cases import analysed


def test_E63_where_the_year_lands() -> None:
    """docs/worked-examples.md E63."""
    as_of = date(2025, 6, 30)
    batch = [
        trend_oracle.TrendCase(received=date(2025, 1, 2), issued=date(2025, 3, 1)),
        trend_oracle.TrendCase(received=date(2024, 9, 1), issued=date(2025, 2, 15)),
        trend_oracle.TrendCase(received=date(2025, 1, 10)),
        trend_oracle.TrendCase(received=date(2025, 5, 1)),
        trend_oracle.TrendCase(received=date(2024, 12, 1), issued=date(2024, 12, 20)),
    ]
    year = year_end(analysed(batch, as_of, RulesConfig()), as_of)
    assert (year.plans_issued, year.issued_within_20_weeks) == (2, 1)
    assert (year.open_overdue, year.open_in_time, year.open_in_time_due_this_year) == (1, 1, 1)
    assert (year.pct_so_far, year.lowest, year.highest) == (50.0, 25.0, 66.7)

