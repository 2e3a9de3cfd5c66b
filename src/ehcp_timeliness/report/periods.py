"""Part periods: months and years the board draws or tables that its figures do not cover whole.

Two ends can be short. The first: an export begins on its earliest request date, so the month
and the calendar year it falls in hold only the requests from that day on (and a year's plans
issued come only from them: quick ones, the slow ones from earlier requests missing). The last:
an as-of date that is not a month end (or 31 December) leaves its month (year) to date. A part
period is labelled ("Jun 25 (to 15 Jun)", "2022 (from 2 Jul)"), drawn lighter, and never ranked
or compared as a whole one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehcp_timeliness.summaries.figures import month_end

# Where a part year's rank would be: its rate is not comparable with published whole years.
NOT_RANKED = "not ranked: part year"
# Where a table of periods says which of its rows are part ones.
PART_PERIOD_NOTE = ("A period marked (from ...) or (to ...) is a part one: the export begins "
                    "after its first day, or the as-of date falls before its last day; its "
                    "figures are not comparable with a whole period's.")


def month_label(period: str) -> str:
    """'Jun 25' for 2025-06: how a chart of months labels its x axis."""
    return date.fromisoformat(f"{period}-01").strftime("%b %y")


# How a table writes the period of each kind a day falls in.
_LABEL = {"year": lambda day: str(day.year),
          "quarter": lambda day: f"{day.year}-Q{(day.month - 1) // 3 + 1}",
          "month": lambda day: f"{day:%Y-%m}"}


def _months(kind: str, day: date) -> tuple[int, int]:
    """The first and last month of the period of KIND that DAY falls in."""
    if kind == "year":
        return 1, 12
    if kind == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return first, first + 2
    return day.month, day.month


@dataclass(frozen=True)
class PartPeriods:
    first_request: date | None   # the export's earliest request date
    as_of: date

    @property
    def as_of_month_is_part(self) -> bool:
        return self.as_of != month_end(self.as_of)

    def note(self, kind: str, period: str | int) -> str:
        """KIND: year, quarter or month (summary --period); PERIOD as the tables write it
        (2022, 2022-Q3, 2022-07). '' for a whole period, else 'from 2 Jul' or 'to 30 Jun'."""
        period, as_of, start = str(period), self.as_of, self.first_request
        last_day = month_end(as_of.replace(month=_months(kind, as_of)[1], day=1))
        if period == _LABEL[kind](as_of) and as_of != last_day:
            return f"to {as_of.day} {as_of:%b}"
        if (start is not None and period == _LABEL[kind](start)
                and start != start.replace(month=_months(kind, start)[0], day=1)):
            return f"from {start.day} {start:%b}"
        return ""

    def month_is_part(self, period: str) -> bool:
        """PERIOD: YYYY-MM."""
        return bool(self.note("month", period))

    def year_is_part(self, year: int) -> bool:
        return bool(self.note("year", year))

    def month_label(self, period: str) -> str:
        """'Jun 25', or 'Jun 25 (to 15 Jun)' for a part month: the charts' x labels."""
        note = self.note("month", period)
        return f"{month_label(period)} ({note})" if note else month_label(period)

    def label(self, kind: str, period: str | int) -> str:
        """PERIOD as a table writes it, its note after it for a part one: '2022 (from 2 Jul)',
        '2025-06 (to 15 Jun)'."""
        note = self.note(kind, period)
        return f"{period} ({note})" if note else str(period)

    def year_label(self, year: int) -> str:
        return self.label("year", year)
