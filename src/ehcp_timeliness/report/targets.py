"""Actual against an improvement board's trajectory: baseline -> milestones -> target.

The yardstick on the as-of date is the milestone in force: the latest one dated on or before it
(the target itself once its date has passed, or at once if it has no date and no milestones).
Slippage = the actual is worse than that yardstick, in the KPI's direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ehcp_timeliness.config import KpiTarget

Status = Literal["target met", "on track", "slippage", "no milestone due yet", "no data",
                 "suppressed", "not known"]


@dataclass(frozen=True)
class Step:
    when: date | None
    value: float


@dataclass(frozen=True)
class Progress:
    baseline: Step | None
    current: Step | None   # the yardstick in force on the as-of date
    upcoming: Step | None  # the next dated step after it
    target: Step
    status: Status
    gap: float | None      # actual − current yardstick (percentage points or count)


def _better_or_equal(actual: float, yardstick: float, lower_is_better: bool) -> bool:
    return actual <= yardstick if lower_is_better else actual >= yardstick


def progress(trajectory: KpiTarget, actual: float | None, as_of: date,
             lower_is_better: bool, hidden: bool = False,
             lower_bound: bool = False) -> Progress:
    """Where a KPI stands against its trajectory. `hidden`: the actual is suppressed, so no
    verdict is given (a verdict would hint at the hidden value). `lower_bound`: the export
    gives only a lower bound of the actual (reviews overdue with a status not known), so of
    a lower-is-better KPI only slippage can be told for certain; otherwise "not known".
    """
    baseline = (Step(trajectory.baseline_date, trajectory.baseline)
                if trajectory.baseline is not None else None)
    target = Step(trajectory.target_date, trajectory.target)
    dated = [Step(m.date, m.value) for m in trajectory.milestones]
    dated.append(target)
    passed = [s for s in dated if s.when is not None and s.when <= as_of]
    if target.when is None and not trajectory.milestones:
        passed = [target]
    current = passed[-1] if passed else None
    later = [s for s in dated if s is not current and (s.when is None or s.when > as_of)]
    upcoming = later[0] if later else None

    if hidden:  # there is a figure, but it is not shown: "no data" would say there is none
        return Progress(baseline, current, upcoming, target, "suppressed", None)
    if actual is None:
        return Progress(baseline, current, upcoming, target, "no data", None)
    gap = round(actual - current.value, 1) if current is not None else None
    if _better_or_equal(actual, target.value, lower_is_better):
        status: Status = "target met"
    elif current is None:
        status = "no milestone due yet"
    elif _better_or_equal(actual, current.value, lower_is_better):
        status = "on track"
    else:
        status = "slippage"
    if lower_bound and status != "slippage":
        status, gap = "not known", None  # the truth may be higher: no verdict but slippage
    return Progress(baseline, current, upcoming, target, status, gap)
