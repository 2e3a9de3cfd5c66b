"""reg 10(4)(a)/(b) exceptions to the 20-week limit (applied by reg 13(3)); worked examples
E30–E32.

Exceptions never move the deadline: a case is flagged and reported both ways, as DfE does.
"""

from __future__ import annotations

import polars as pl

MIN_CLOSURE_DAYS = 28  # reg 10(4)(a)/(b): a closure of at least 4 continuous weeks
WINDOW_OFFSET_DAYS = 7  # "one week before" the closure starts / the setting reopens


def closure_qualifies(closed_from: pl.Expr, reopens: pl.Expr) -> pl.Expr:
    """At least 4 continuous weeks closed: reopening − first closed day ≥ 28 days."""
    return (reopens - closed_from).dt.total_days() >= MIN_CLOSURE_DAYS


def closure_window_start(closed_from: pl.Expr) -> pl.Expr:
    return closed_from - pl.duration(days=WINDOW_OFFSET_DAYS)


def closure_window_end(reopens: pl.Expr) -> pl.Expr:
    return reopens - pl.duration(days=WINDOW_OFFSET_DAYS)


def advice_request_in_closure_window(advice_requested: pl.Expr, closed_from: pl.Expr,
                                     reopens: pl.Expr) -> pl.Expr:
    """reg 10(4)(a)/(b) may apply: advice requested from one week before the closure to one week
    before reopening (end points inclusive: our reading, rules.md §6), closure ≥ 4 weeks.
    """
    return (closure_qualifies(closed_from, reopens)
            & advice_requested.is_between(closure_window_start(closed_from),
                                          closure_window_end(reopens), closed="both"))


SUMMER_CLOSURE_DAYS = 42  # default pattern: six weeks
WEDNESDAY = 3             # dt.weekday(): Monday 1 … Sunday 7


def england_summer_reopens(year: pl.Expr) -> pl.Expr:
    """Default England pattern (our reading; term dates differ by authority and belong in the
    config): schools reopen on the first Wednesday of September (E30: 2024-09-04, E31:
    2025-09-03).
    """
    first = pl.date(year, 9, 1)
    return first + pl.duration(days=(7 + WEDNESDAY - first.dt.weekday()) % 7)


def england_summer_closes(year: pl.Expr) -> pl.Expr:
    """The first day closed: six weeks before reopening (E30: 2024-07-24, E31: 2025-07-23)."""
    return england_summer_reopens(year) - pl.duration(days=SUMMER_CLOSURE_DAYS)
