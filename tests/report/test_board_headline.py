"""The board pack's headline cards (report/headline.py) against the other sections of the
same pack: a figure a card quotes from another section is that section's figure."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.board import BoardView, build_board

from conftest import SAMPLE


def _sample_board(as_of: date, suppress_below: int = 0) -> BoardView:
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"), as_of)
    return build_board(analysis, [], suppress_below)


def _overdue_scope(view: BoardView) -> str:
    return next(c for c in view.headline if c.key == "open_cases_overdue").scope


@pytest.mark.parametrize("as_of", [date(2025, 6, 30), date(2025, 1, 6)])
def test_the_overdue_card_quotes_the_year_end_outlooks_own_count(as_of: date) -> None:
    view = _sample_board(as_of)
    assert view.over_time is not None
    outlook = view.over_time.year_end.open_overdue
    scope = _overdue_scope(view)
    found = re.search(r"the year-end outlook, on DfE's headline basis, counts (\d+): it leaves "
                      r"out (\d+) outside DfE's scope .* and (\d+) with a reg 10\(4\) "
                      r"exception\.$", scope)
    assert found, scope
    counted, outside, excepted = map(int, found.groups())
    # The sample on 30 June 2025: 92 overdue, 3 out of scope, 13 with an exception, 76.
    card = next(c for c in view.headline if c.key == "open_cases_overdue")
    assert counted == outlook and outside + excepted + counted == card.value
    assert excepted > 0


def test_a_part_below_the_threshold_is_not_quoted() -> None:
    # 3 of the overdue requests are out of DfE's scope: a count under 5 is suppressed, so the
    # card names no part (each would be a small figure shown).
    scope = _overdue_scope(_sample_board(date(2025, 6, 30), suppress_below=5))
    assert scope == "Every open request past its 20-week date, whatever its route."


def test_the_median_card_says_it_counts_the_exceptions_the_headline_leaves_out() -> None:
    view = _sample_board(date(2025, 6, 30))
    median = next(c for c in view.headline if c.key == "median_weeks_to_issue")
    kpis = {k.kpi: k for k in view.kpis}
    # Over the same 12 months: 469 plans with the exceptions, 413 without (the headline's).
    assert median.detail == f"over {kpis['pct_within_20_weeks_12_months'].denominator:,} plans"
    assert kpis["pct_within_20_weeks_ex_12_months"].denominator != kpis[
        "pct_within_20_weeks_12_months"].denominator
    assert "with or without a reg 10(4) exception" in median.scope


@pytest.mark.parametrize(("as_of", "month", "three_months"), [
    (date(2025, 6, 30), "June 2025", "Apr 2025 – Jun 2025 (3 months)"),
    (date(2025, 6, 15), "June 2025 (to 15 Jun)", "Apr 2025 – 15 Jun 2025 (3 months)"),
])
def test_a_kpis_window_is_marked_part_only_when_the_month_is(as_of: date, month: str,
                                                             three_months: str) -> None:
    """The workbook's KPI table names each window: "(to 30 Jun)" on a month-end as-of date
    would mark a whole month as a part one (periods.py)."""
    windows = {k.kpi: k.window for k in _sample_board(as_of).kpis}
    assert windows["pct_within_20_weeks_month"] == month
    assert windows["pct_within_20_weeks_3_months"] == three_months


def test_a_hidden_card_has_no_change_lines() -> None:
    """docs/reports.md: a hidden card has no change (not "no comparable figure", which would
    say the earlier month had none)."""
    from ehcp_timeliness.report.html import render_board_html

    view = _sample_board(date(2025, 6, 30), suppress_below=100_000)
    assert all(c.hidden for c in view.headline if c.kpi)
    page = render_board_html(view).decode()
    cards = page[page.index('id="kpis-h"'):page.index('id="benchmark-h"')]
    assert "no comparable figure" not in cards
    assert not any(arrow in cards for arrow in ("→", "▲", "▼"))
    shown = render_board_html(_sample_board(date(2025, 6, 30))).decode()
    assert "up 4 on May 2025 (worse)" in shown  # the overdue card's change, when shown


def test_the_median_card_hides_with_the_counts_it_is_taken_over() -> None:
    """At 200 the windows table hides the 12 months' 469 plans: "over 469 plans" under the
    median would give them back, and a median built on a hidden count is hidden too."""
    view = _sample_board(date(2025, 6, 30), suppress_below=200)
    twelve = next(k for k in view.kpis if k.kpi == "pct_within_20_weeks_12_months")
    assert twelve.parts_hidden
    median = next(c for c in view.headline if c.key == "median_weeks_to_issue")
    assert median.hidden and median.value is None and "469" not in median.detail
