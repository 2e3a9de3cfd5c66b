"""Phase transfer reviews (reg 18(1); worked examples E24–E27).

reg 18(1): the review and any amendment must be completed *before* 15 February of the calendar
year of transfer between school phases, and before 31 March for secondary to post-16. "Before"
is read strictly by default (last day 14 Feb / 30 Mar); `lenient` reads it as "by".
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from ehcp_timeliness.rules.reviews import MEETING_TO_AMENDED_FINAL_DAYS

TransferKind = Literal["school_phase", "post_16"]
Reading = Literal["strict", "lenient"]

_DEADLINE = {"school_phase": (2, 15), "post_16": (3, 31)}  # reg 18(1)(b) and 18(1)(a)


def phase_transfer_due_date(transfer_year: pl.Expr, kind: pl.Expr | TransferKind,
                            reading: Reading = "strict") -> pl.Expr:
    """The deadline of a transfer of KIND (a literal, or an expression such as the transfer's
    kind column: post_16, else school_phase) in TRANSFER_YEAR."""
    post_16 = (pl.lit(kind) if isinstance(kind, str) else kind) == "post_16"
    named = (pl.when(post_16).then(pl.date(transfer_year, *_DEADLINE["post_16"]))
             .otherwise(pl.date(transfer_year, *_DEADLINE["school_phase"])))
    return named - pl.duration(days=1) if reading == "strict" else named


def latest_review_meeting(deadline: pl.Expr) -> pl.Expr:
    """The last day a review meeting can be held for the usual 12-week chain (meeting to
    amended plan, Devon) to end by DEADLINE: deadline − 84 days (E25)."""
    return deadline - pl.duration(days=MEETING_TO_AMENDED_FINAL_DAYS)

