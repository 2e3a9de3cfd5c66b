"""Review-process figures for `summary` and the board pack (rules.md §2–3):

- DfE's annual-review measure, decisions within 4 weeks of the meeting (summaries/dfe.py);
- reviews still without a decision 6, 12 and 24 months after the meeting;
- phase-transfer readiness: plans transferring next September, reviewed, amended, at risk.

Over all cases, never split by --by (like the KPIs).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    LAST_REVIEW_DATE,
    OPEN_STEP_STATUSES,
    PHASE_TRANSFER_DUE_DATE,
    PHASE_TRANSFER_STATUS,
    REVIEW_DECISION_STATUS,
    StepStatus,
    TransferKind,
)
from ehcp_timeliness.rules.phase_transfer import Reading, phase_transfer_due_date
from ehcp_timeliness.rules.review_process import (
    transfer_amended,
    transfer_at_risk,
    transfer_complete,
    transfer_kind_read,
    transfer_review_held,
)
from ehcp_timeliness.summaries.dfe import REVIEW_COLUMNS, TIME_PERIOD, review_figures

# Months after the meeting at which a review still without a decision is counted: how far
# past reg 20(10)'s four weeks the longest waits have gone.
AWAITING_MONTHS = (6, 12, 24)
AWAITING_COLUMNS = ("reviews_awaiting_decision", "awaiting_decision_over_4_weeks",
                    *(f"awaiting_decision_{m}_months" for m in AWAITING_MONTHS))
READINESS_COLUMNS = ("transfer_kind", "deadline", "weeks_left", "plans_transferring",
                     "reviewed", "amended", "completed", "at_risk")
DECISION_COLUMNS = (TIME_PERIOD, *REVIEW_COLUMNS)


def review_decisions(cases: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """DfE's annual_reviews.csv measure by year of the decision, as `dfe` computes it."""
    return (review_figures(cases, as_of).sort(TIME_PERIOD).select(DECISION_COLUMNS)
            .collect(engine="in-memory"))


def reviews_awaiting_decision(cases: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Meetings held with no decision yet: all, past the 4-week limit, and still waiting at
    least 6, 12 and 24 calendar months after the meeting (each count includes the longer ones).
    """
    waiting = pl.col(REVIEW_DECISION_STATUS).is_in(OPEN_STEP_STATUSES)
    meeting = pl.col(LAST_REVIEW_DATE)
    counts = [waiting.sum().alias(AWAITING_COLUMNS[0]),
              (pl.col(REVIEW_DECISION_STATUS) == StepStatus.OVERDUE).sum()
              .alias(AWAITING_COLUMNS[1])]
    counts += [(waiting & (meeting.dt.offset_by(f"{m}mo") <= pl.lit(as_of))).sum()
               .alias(name) for m, name in zip(AWAITING_MONTHS, AWAITING_COLUMNS[2:],
                                               strict=True)]
    return cases.select(counts).cast(pl.Int64)


def transfer_readiness(cases: pl.DataFrame, as_of: date, reading: Reading) -> pl.DataFrame:
    """One row per kind of transfer next September: its deadline and the weeks left to it
    (negative once passed), plans transferring, with their transfer review held (reviewed),
    an amended plan issued (amended), review and any amendment complete (completed), and open
    ones the usual 12-week chain can no longer finish by the deadline (at_risk).
    """
    # The calendar year of the next September transfer: this year until 31 August.
    year = as_of.year if as_of.month < 9 else as_of.year + 1
    transferring = cases.filter(
        (pl.col(PHASE_TRANSFER_DUE_DATE).dt.year() == year)
        & (pl.col(PHASE_TRANSFER_STATUS) != StepStatus.NOT_APPLICABLE))
    counts = transferring.group_by(transfer_kind_read().alias("transfer_kind")).agg(
        pl.len().alias("plans_transferring"),
        transfer_review_held().sum().alias("reviewed"),
        transfer_amended().sum().alias("amended"),
        transfer_complete().sum().alias("completed"),
        transfer_at_risk(as_of).sum().alias("at_risk"),
    )
    kinds = pl.DataFrame({"transfer_kind": [k.value for k in TransferKind]}).with_columns(
        phase_transfer_due_date(pl.lit(year), pl.col("transfer_kind"), reading)
        .alias("deadline"))
    table = kinds.join(counts, on="transfer_kind", how="left", maintain_order="left")
    count_columns = READINESS_COLUMNS[3:]
    return table.with_columns(
        pl.col(count_columns).fill_null(0).cast(pl.Int64),
        ((pl.col("deadline") - pl.lit(as_of)).dt.total_days() / 7).round(1)
        .alias("weeks_left"),
    ).select(READINESS_COLUMNS)
