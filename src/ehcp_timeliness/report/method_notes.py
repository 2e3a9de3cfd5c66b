"""The one-line notes where DfE's figures and the per-case analysis part (rules/dfe_method.py):
shown under `summary`, `report`, `dfe` and `benchmark`, only when they apply.
"""

from __future__ import annotations

from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.summaries.figures import Figures


def _plans(n: int) -> tuple[str, str]:
    """N plans, and the verb that goes with them."""
    return f"{n:,} plan{'' if n == 1 else 's'}", "is" if n == 1 else "are"


def analysis_notes(analysis: Analysis, figures: Figures) -> tuple[str, ...]:
    """Where DfE's method and the case analysis part, from the analysis's FIGURES
    (figures.case_figures of its cases and the plans set aside for their request date). None
    for a plan register: DfE's new-plan figures are not in such an export."""
    if not analysis.has_request_dates:
        return ()
    notes = []
    if n := figures.differs_from_plan_status:
        plans, are = _plans(n)
        notes.append(
            f"{plans} {are} counted by DfE's rule (within 20 weeks = issued ≤ 140 days after the "
            "request) differently from their plan_status, which follows your conventions "
            "(rules.anchor_is_day_one).")
    if n := figures.without_request_date:
        plans, are = _plans(n)
        notes.append(
            f"{plans} issued with no usable request date (missing, unreadable or after the "
            f"issue date) {are} counted in plans issued and in none of the 20-week buckets, as DfE "
            "counts them; the rows stay set aside from the case analysis.")
    return tuple(notes)
