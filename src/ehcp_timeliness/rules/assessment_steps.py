"""Steps inside the 20-week process that are guides or optional inputs, not breach flags
(rules.md §1; worked examples E10–E13).
"""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.rules.deadlines import PLAN_DAYS, days_after

ADVICE_DAYS = 42         # reg 8(1): advice within 6 weeks of the body receiving the request
# reg 13(1)(a): comments for "at least 15 days beginning with the day" the draft is served
COMMENT_WINDOW_DAYS = 15
IPSEA_DRAFT_GUIDE_DAYS = 98  # practice guide (IPSEA): draft by week 14 — guidance, never a breach


def advice_due_date(request_received_by_body: pl.Expr) -> pl.Expr:
    """reg 8(1): advice from health, social care, EP etc. within 6 weeks: + 42 days."""
    return days_after(request_received_by_body, ADVICE_DAYS)


def comment_window_end(draft_served: pl.Expr) -> pl.Expr:
    """reg 13(1)(a): the 15 days begin with the day served, so they end on served + 14."""
    return days_after(draft_served, COMMENT_WINDOW_DAYS - 1)


def earliest_finalisation(draft_served: pl.Expr) -> pl.Expr:
    """The first day after the full comment window: served + 15."""
    return days_after(draft_served, COMMENT_WINDOW_DAYS)


def latest_draft_date(received: pl.Expr) -> pl.Expr:
    """Latest service date whose full 15-day window still ends before the 20-week date:
    S + 14 < R + 140, i.e. S ≤ R + 125 (our derivation, E10).
    """
    return days_after(received, PLAN_DAYS - COMMENT_WINDOW_DAYS)


def draft_guide_date(received: pl.Expr) -> pl.Expr:
    """IPSEA's 14-week practice guide for the draft: R + 98 (guidance only)."""
    return days_after(received, IPSEA_DRAFT_GUIDE_DAYS)
