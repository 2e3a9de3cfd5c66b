"""The measures councils put beside DfE's headline on a board's first page
(docs/reports.md#headline): the median weeks from request to plan over the headline's window,
the share of plans whose annual review is in time, and how many of the open overdue requests
DfE's scope leaves out (why the year-end outlook counts fewer than the overdue card).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import PLAN_STATUS, RECEIVED_DATE, PlanStatus
from ehcp_timeliness.rules.dfe_method import days_to_issue, in_dfe_scope
from ehcp_timeliness.summaries.kpis import issued_in_window
from ehcp_timeliness.summaries.rates import issued_plans


@dataclass(frozen=True)
class MedianWeeks:
    weeks: float | None  # one decimal; None: no plan with a usable request date
    plans: int           # plans with a usable request date the median is taken over


def median_weeks_to_issue(cases: pl.DataFrame, as_of: date, months: int,
                          undated: pl.DataFrame | None = None) -> MedianWeeks:
    """Median weeks from the request to the plan, over DfE's in-scope plans issued in the
    MONTHS calendar months ending with the as-of month (the headline's window)."""
    days = days_to_issue()
    row = (issued_plans(cases, as_of, undated).filter(issued_in_window(as_of, months))
           .select((days.median() / 7).round(1).alias("weeks"),
                   days.is_not_null().sum().alias("plans"))
           .collect(engine="in-memory").row(0, named=True))
    return MedianWeeks(row["weeks"], int(row["plans"] or 0))


def overdue_out_of_dfe_scope(cases: pl.DataFrame) -> int:
    """Open requests past their 20-week date that DfE's figures leave out (mediation, a
    tribunal appeal, transferred in or assessed elsewhere: rules/dfe_method.in_dfe_scope)."""
    overdue = pl.col(PLAN_STATUS) == PlanStatus.OVERDUE
    return int(cases.select((overdue & ~in_dfe_scope()).sum()).item() or 0)


def first_request_date(cases: pl.DataFrame) -> date | None:
    """The earliest request received date in the export: where its history begins."""
    return cases.get_column(RECEIVED_DATE).min()  # type: ignore[return-value]
