"""When the backlog clears (docs/reports.md#outlook); where the year will land is
summaries/year_end.py.

Backlog clearance: the open overdue requests at the as-of date against the
average monthly fall of that backlog over the last 3 and 6 months (`trend`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

CLEARANCE_WINDOWS = (3, 6)


@dataclass(frozen=True)
class Clearance:
    """When the open overdue backlog reaches zero at the last MONTHS' average monthly fall."""

    months: int
    backlog: int                 # open overdue at the as-of date
    average_monthly_fall: float | None  # None: fewer than MONTHS + 1 month ends to compare
    clears_in_month: str | None  # YYYY-MM; None: not at this rate (or not known)

    @property
    def words(self) -> str:
        if self.backlog == 0:
            return "no overdue backlog"
        if self.average_monthly_fall is None:
            return f"not enough months for a {self.months}-month average"
        if self.clears_in_month is None:
            return "not at this rate"
        return f"cleared by {self.clears_in_month}"

    def to_dict(self) -> dict[str, object]:
        return {"months": self.months, "backlog": self.backlog,
                "average_monthly_fall": self.average_monthly_fall,
                "clears_in_month": self.clears_in_month, "in_words": self.words}


def backlog_clearance(overdue_by_month: list[int], as_of: date) -> tuple[Clearance, ...]:
    """OVERDUE_BY_MONTH: open_overdue_at_month_end of the trend, ending with the as-of month.
    The average fall over k months is (backlog k months before − backlog now) / k: the net of
    plans issued from it, closures and requests newly past their date."""
    now = overdue_by_month[-1] if overdue_by_month else 0
    found = []
    for months in CLEARANCE_WINDOWS:
        if len(overdue_by_month) <= months:
            found.append(Clearance(months, now, None, None))
            continue
        fall = (overdue_by_month[-1 - months] - now) / months
        when = None
        if now > 0 and fall > 0:
            ahead = math.ceil(now / fall)
            index = as_of.year * 12 + as_of.month - 1 + ahead
            when = f"{index // 12:04d}-{index % 12 + 1:02d}"
        found.append(Clearance(months, now, round(fall, 1), when))
    return tuple(found)
