"""The board pack's evidence of impact over time (docs/reports.md#the-board-pack-html): the
backlog by month end, demand against throughput, the due-month cohort beside DfE's month of
issue, the backlog-clearing split, where the year will land, when the backlog clears, and each
headline KPI against the previous month and the same month last year. A view-model only: the
figures are `trend`'s and `summary`'s (summaries/trend.py, year_end.py, clearance.py,
kpis.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.board_disclosure import (
    MONTHS,
    BoardFigures,
    card_hidden,
    outlook_hidden,
    with_months,
    with_outlook,
)
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.disclosure import Cells, Key, is_small
from ehcp_timeliness.summaries.clearance import (
    CLEARANCE_WINDOWS,
    Clearance,
    backlog_clearance,
)
from ehcp_timeliness.summaries.figures import Kpi, month_end, window_start
from ehcp_timeliness.summaries.kpis import rate_kpis_from_months
from ehcp_timeliness.summaries.trend import (
    LEFT_BY_CLOSURE,
    LEFT_BY_ISSUE,
    LOWER_BOUNDS,
    NOT_KNOWN,
    TREND_RATES,
    Trend,
)
from ehcp_timeliness.summaries.year_end import YearEnd, year_end

BOARD_MONTHS = 24  # as the monthly trend chart
# In place of the year-end and clearance sentences when a figure of theirs is hidden.
OUTLOOK_WITHHELD = ("Not shown under --suppress-below: its figures would give a suppressed "
                    "count (c) back.")
# The trend's columns behind the board's charts and its Backlog sheet.
BOARD_COLUMNS = (
    "month", "requests_received", "plans_issued", LEFT_BY_ISSUE, LEFT_BY_CLOSURE,
    "plans_issued_within_20_weeks", "pct_within_20_weeks", "plans_due",
    "plans_due_issued_on_time", "pct_due_issued_on_time", "open_at_month_end",
    "open_overdue_at_month_end", "open_over_52_weeks_at_month_end",
    "plans_issued_from_backlog", "plans_issued_current", "current_within_20_weeks",
    "pct_current_within_20_weeks", "reviews_overdue_at_month_end",
    "pct_reviewed_in_last_12_months", NOT_KNOWN,
)
# Only the exact review figures are shown: a month end's lower bound is left blank, and
# NOT_KNOWN says why (docs/reports.md#trend).
_REVIEW_PARTS = ("reviewed_in_last_12_months", "review_due_once")
# The snapshot counts whose month-end value trend gives (the KPI id -> trend column).
_COUNT_KPIS = {"open_cases_overdue": "open_overdue_at_month_end",
               "reviews_overdue": "reviews_overdue_at_month_end"}


@dataclass(frozen=True)
class Change:
    """A KPI against an earlier month end: the arrow, the words, better or worse."""

    against: str           # "May 2025"
    before: float | int | None
    difference: float | None
    better: bool | None    # None: no change, or nothing to compare

    @property
    def arrow(self) -> str:
        if self.difference is None or self.difference == 0:
            return "→"
        return "▲" if self.difference > 0 else "▼"

    def words(self, is_rate: bool) -> str:
        if self.difference is None:
            return f"no comparable figure for {self.against}"
        size = f"{abs(self.difference):.1f} pts" if is_rate else f"{abs(self.difference):,.0f}"
        if self.difference == 0:
            return f"no change on {self.against}"
        direction = "up" if self.difference > 0 else "down"
        return (f"{direction} {size} on {self.against} "
                f"({'better' if self.better else 'worse'})")


@dataclass(frozen=True)
class BoardTrend:
    months: Table                    # BOARD_COLUMNS, the last BOARD_MONTHS months
    year_end: YearEnd
    clearance: Clearance
    changes: dict[str, tuple[Change, Change]]  # KPI id -> (previous month, a year before)
    undated_closures: int
    outlook_hidden: bool = False  # the year-end and clearance sentences would give a `c` back


def _change(kpi: Kpi, before: float | int | None, against: date) -> Change:
    # A lower bound now (a review status not known on the as-of date) is no figure to take
    # a difference from: the truth may be higher.
    if kpi.value is None or before is None or kpi.is_lower_bound:
        return Change(f"{against:%b %Y}", before, None, None)
    difference = round(float(kpi.value) - float(before), 1)
    better = None if difference == 0 else (difference < 0) == kpi.lower_is_better
    return Change(f"{against:%b %Y}", before, difference, better)


def kpi_changes(analysis: Analysis, kpis: tuple[Kpi, ...], monthly: pl.DataFrame,
                stocks: pl.DataFrame, threshold: int, hidden: frozenset[Key], months: Cells
                ) -> dict[str, tuple[Change, Change]]:
    """Each KPI at the end of the previous month and of the same month a year before: the
    rates added up from the board's monthly table (kpis.rate_kpis_from_months), the two
    counts from trend's month-end snapshot (stocks: month, the two columns).
    A change is not given where the card is hidden, nor against a count the over-time table
    hides (HIDDEN, among its cells MONTHS): the difference would give it back."""
    as_of = analysis.as_of
    by_month = {row["month"]: row for row in stocks.to_dicts()}
    found: dict[str, list[Change]] = {k.kpi: [] for k in kpis}
    for back in (1, 12):
        month = _month_end(as_of, back)
        earlier = {k.kpi: k for k in rate_kpis_from_months(monthly, month)}
        row = by_month.get(f"{month:%Y-%m}")
        for kpi in kpis:
            if kpi.kpi == "reviews_overdue" and (row is None or row[NOT_KNOWN]):
                # An export keeps only the last review: a month end with a plan whose status
                # a later review hides gives only a lower bound (docs/reports.md#trend).
                before = None
            elif kpi.kpi in _COUNT_KPIS:
                column = _COUNT_KPIS[kpi.kpi]
                before = None if row is None else row[column]
                if (is_small(before, threshold)
                        or months.key((f"{month:%Y-%m}",), column) in hidden):
                    before = None
            else:
                before = _shown(earlier[kpi.kpi], threshold)
            if _shown(kpi, threshold) is None or card_hidden(kpi, hidden)[0]:
                before = None  # the card hides it: so does the change
            found[kpi.kpi].append(_change(kpi, before, month))
    return {k: (v[0], v[1]) for k, v in found.items()}


def _shown(kpi: Kpi, threshold: int) -> float | int | None:
    """The KPI's value unless the board's disclosure control hides it (privacy.py)."""
    parts = (kpi.numerator, kpi.denominator) if kpi.is_rate else (kpi.value,)
    if any(isinstance(p, int) and is_small(p, threshold) for p in parts):
        return None
    return kpi.value


def _month_end(as_of: date, back: int) -> date:
    """The last day of the month BACK months before the as-of date's."""
    return month_end(window_start(as_of, back + 1))


# The trend's rates and the counts each is built on, for suppression.
_HIDES = {**TREND_RATES, "pct_current_within_20_weeks": ("current_within_20_weeks",
                                                          "plans_issued_current")}


def with_trend_figures(analysis: Analysis, trend: Trend, figures: BoardFigures
                       ) -> tuple[BoardFigures, YearEnd]:
    """FIGURES (the board's pool) with the trend section's in it, suppressed together with
    them: they share figures with the monthly and open-requests tables (board_disclosure.py);
    and the year-end outlook, whose figures join the pool."""
    table = trend.table
    exact = table.with_columns(
        pl.when(~pl.col(flag)).then(pl.col(figure)).alias(figure)
        for figure, flag in LOWER_BOUNDS.items())
    # The review rate's parts join the table so that its suppression follows theirs; they
    # are not shown.
    shown = exact.select(*BOARD_COLUMNS, *_REVIEW_PARTS).tail(BOARD_MONTHS)
    outlook = year_end(analysis.cases, analysis.as_of, analysis.undated_plans)
    figures = with_outlook(
        with_months(figures, shown, _HIDES, analysis.as_of, (LEFT_BY_ISSUE, LEFT_BY_CLOSURE)),
        analysis.as_of, outlook,
        [f"{window_start(analysis.as_of, k + 1):%Y-%m}" for k in CLEARANCE_WINDOWS])
    return figures, outlook


def board_trend(analysis: Analysis, trend: Trend, kpis: tuple[Kpi, ...], monthly: pl.DataFrame,
                figures: BoardFigures, hidden: frozenset[Key], outlook: YearEnd,
                threshold: int) -> BoardTrend:
    """The trend section from the pool with_trend_figures made and the keys it hides.
    MONTHLY: the board's monthly table (trend.Trend.rates_by_month)."""
    table = trend.table
    stocks = table.select("month", *_COUNT_KPIS.values(), NOT_KNOWN)
    months = Table(*figures.blanked(MONTHS, hidden))
    return BoardTrend(
        months=Table(months.frame.select(BOARD_COLUMNS), months.mask.select(BOARD_COLUMNS)),
        year_end=outlook,
        clearance=backlog_clearance(table["open_overdue_at_month_end"].to_list(),
                                    analysis.as_of),
        changes=kpi_changes(analysis, kpis, monthly, stocks, threshold, hidden,
                            figures.cells(MONTHS)),
        undated_closures=trend.undated_closures,
        outlook_hidden=outlook_hidden(figures, hidden),
    )
