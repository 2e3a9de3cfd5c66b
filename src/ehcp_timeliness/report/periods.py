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


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class PartPeriods:
    first_request: date | None   # the export's earliest request date
    as_of: date

    def _first_month(self) -> str | None:
        start = self.first_request
        return None if start is None or start.day == 1 else f"{start:%Y-%m}"

    def _first_year(self) -> int | None:
        start = self.first_request
        return None if start is None or (start.month, start.day) == (1, 1) else start.year

    @property
    def as_of_month_is_part(self) -> bool:
        return self.as_of != month_end(self.as_of)

    @property
    def as_of_year_is_part(self) -> bool:
        return (self.as_of.month, self.as_of.day) != (12, 31)

    def month_is_part(self, period: str) -> bool:
        """PERIOD: YYYY-MM."""
        return (period == self._first_month()
                or (period == f"{self.as_of:%Y-%m}" and self.as_of_month_is_part))

    def year_is_part(self, year: int) -> bool:
        return year == self._first_year() or (year == self.as_of.year and self.as_of_year_is_part)

    def month_note(self, period: str) -> str:
        """'' for a whole month; 'to 15 Jun' or 'from 2 Jul' for a part one."""
        if period == f"{self.as_of:%Y-%m}" and self.as_of_month_is_part:
            return f"to {self.as_of.day} {self.as_of:%b}"
        if period == self._first_month() and self.first_request is not None:
            return f"from {self.first_request.day} {self.first_request:%b}"
        return ""

    def year_note(self, year: int) -> str:
        """'' for a whole year; 'to 30 Jun' or 'from 2 Jul' for a part one."""
        if year == self.as_of.year and self.as_of_year_is_part:
            return f"to {self.as_of.day} {self.as_of:%b}"
        if year == self._first_year() and self.first_request is not None:
            return f"from {self.first_request.day} {self.first_request:%b}"
        return ""

    def _first_quarter(self) -> str | None:
        start = self.first_request
        if start is None or (start.month % 3, start.day) == (1, 1):
            return None
        return _quarter(start)

    @property
    def as_of_quarter_is_part(self) -> bool:
        quarter_end = month_end(date(self.as_of.year, (self.as_of.month - 1) // 3 * 3 + 3, 1))
        return self.as_of != quarter_end

    def quarter_note(self, period: str) -> str:
        """PERIOD: YYYY-Qn. '' for a whole quarter; 'to 15 Jun' or 'from 2 Jul' for a part one."""
        if period == _quarter(self.as_of) and self.as_of_quarter_is_part:
            return f"to {self.as_of.day} {self.as_of:%b}"
        if period == self._first_quarter() and self.first_request is not None:
            return f"from {self.first_request.day} {self.first_request:%b}"
        return ""

    def note(self, kind: str, period: str) -> str:
        """KIND: year, quarter or month (summary --period); PERIOD as the tables write it
        (2022, 2022-Q3, 2022-07). '' for a whole period, else 'from 2 Jul' or 'to 30 Jun'."""
        if kind == "year":
            return self.year_note(int(period))
        if kind == "quarter":
            return self.quarter_note(period)
        return self.month_note(period)

    def month_label(self, period: str) -> str:
        """'Jun 25', or 'Jun 25 (to 15 Jun)' for a part month: the charts' x labels."""
        label = date.fromisoformat(f"{period}-01").strftime("%b %y")
        note = self.month_note(period)
        return f"{label} ({note})" if note else label

    def year_label(self, year: int) -> str:
        note = self.year_note(year)
        return f"{year} ({note})" if note else str(year)
