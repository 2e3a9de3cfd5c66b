"""When the overdue backlog clears, in one sentence a board can read
(docs/reports.md#backlog-clearance).

The backlog is the open requests past their 20-week date at each month end (`trend`'s
open_overdue_at_month_end). Its net change a month over the last k months is
(backlog now − backlog k months before) / k: plans issued from it and closures, less the
requests newly past their date. A clearance month is given only at a rate the recent past
supports: the slower fall of the 3- and 6-month windows, and only when the backlog would be
cleared within HORIZON_YEARS of the as-of date at that rate. Otherwise it is not clearing at
the current rate, one verdict, never two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from ehcp_timeliness.summaries.trend import index_of, month_label

CLEARANCE_WINDOWS = (3, 6)
# Past this, a straight line through the last months says nothing a board can plan on.
HORIZON_YEARS = 5


class Verdict(StrEnum):
    NO_BACKLOG = "no_backlog"
    CLEARS = "clears"
    NOT_CLEARING = "not_clearing"
    TOO_FEW_MONTHS = "too_few_months"


@dataclass(frozen=True)
class Window:
    months: int
    before: int | None   # the backlog MONTHS month ends before the as-of date's; None: no such

    def net_change(self, now: int) -> float | None:
        """A month on average, one decimal; negative: falling."""
        return None if self.before is None else round((now - self.before) / self.months, 1)


@dataclass(frozen=True)
class Clearance:
    as_of: date
    backlog: int                     # open overdue on the as-of date
    windows: tuple[Window, ...]      # CLEARANCE_WINDOWS, shortest first
    rate: Window | None              # the window whose fall the clearance month is worked at
    clears_in_month: str | None      # YYYY-MM, within HORIZON_YEARS of the as-of date
    verdict: Verdict

    def sentence(self) -> str:
        changes = [_change(w, self.backlog) for w in self.windows if w.before is not None]
        if not changes:
            shortest = self.windows[0].months
            changes = [f"too few months of history for a {shortest}-month change"]
        said = {
            Verdict.NO_BACKLOG: "no backlog to clear",
            Verdict.TOO_FEW_MONTHS: "no clearance month yet",
            Verdict.NOT_CLEARING: "not clearing at the current rate",
            Verdict.CLEARS: (f"at the {'slower fall' if len(changes) > 1 else 'fall'} of "
                             f"{-self._rate_change():.1f} a month, cleared by "
                             f"{self.clears_in_month}"),
        }[self.verdict]
        return (f"Overdue backlog on {self.as_of.isoformat()}: {self.backlog:,}, "
                f"{' and '.join(changes)}; {said}.")

    def _rate_change(self) -> float:
        change = None if self.rate is None else self.rate.net_change(self.backlog)
        return 0.0 if change is None else change

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(), "backlog": self.backlog,
            "net_change_a_month": [{"months": w.months, "change": w.net_change(self.backlog)}
                                   for w in self.windows],
            "rate_months": None if self.rate is None else self.rate.months,
            "clears_in_month": self.clears_in_month, "verdict": str(self.verdict),
            "horizon_years": HORIZON_YEARS, "in_words": self.sentence()}


def _change(window: Window, now: int) -> str:
    change = window.net_change(now)
    over = f"over the last {window.months} months"
    if not change:
        return f"no net change {over}"
    return f"{'down' if change < 0 else 'up'} {abs(change):.1f} a month {over}"


def backlog_clearance(overdue_by_month: list[int], as_of: date) -> Clearance:
    """OVERDUE_BY_MONTH: open_overdue_at_month_end of the trend, ending with the as-of month."""
    now = overdue_by_month[-1] if overdue_by_month else 0
    windows = tuple(Window(k, overdue_by_month[-1 - k] if len(overdue_by_month) > k else None)
                    for k in CLEARANCE_WINDOWS)
    known = [w for w in windows if w.before is not None]
    if now == 0:
        return Clearance(as_of, now, windows, None, None, Verdict.NO_BACKLOG)
    if not known:
        return Clearance(as_of, now, windows, None, None, Verdict.TOO_FEW_MONTHS)
    # The slower fall: a backlog rising over either window is not clearing.
    rate = min(known, key=lambda w: Fraction((w.before or 0) - now, w.months))
    drop = (rate.before or 0) - now   # over rate.months months
    if drop <= 0:
        return Clearance(as_of, now, windows, rate, None, Verdict.NOT_CLEARING)
    ahead = -(-now * rate.months // drop)   # whole months to reach zero, exactly
    if ahead > HORIZON_YEARS * 12:
        return Clearance(as_of, now, windows, rate, None, Verdict.NOT_CLEARING)
    return Clearance(as_of, now, windows, rate, month_label(index_of(as_of) + ahead),
                     Verdict.CLEARS)
