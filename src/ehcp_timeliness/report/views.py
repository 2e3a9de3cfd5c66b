"""Display-neutral view-models built from an Analysis: what a summary or case table contains,
before anyone decides whether it becomes a Rich table, CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import ROW, WEEKS_TO_ISSUE, column
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.summaries.grouping import Period
from ehcp_timeliness.summaries.kpis import Kpi, headline_kpis
from ehcp_timeliness.summaries.open_work import open_requests, plan_status_counts, reviews
from ehcp_timeliness.summaries.rates import timeliness_rates


@dataclass(frozen=True)
class Accounting:
    """rows_in = rows_analysed + rows_set_aside, with the reasons rows were set aside."""

    rows_in: int
    rows_analysed: int
    rows_set_aside: int
    reasons: dict[str, int]
    warnings: int

    @classmethod
    def of(cls, analysis: Analysis) -> Accounting:
        reasons = dict(analysis.set_aside_reasons().iter_rows())
        warnings = analysis.issues.filter(pl.col("severity") == "warning").height
        return cls(analysis.rows_in, analysis.rows_analysed, analysis.rows_set_aside,
                   {k: int(v) for k, v in reasons.items()}, warnings)

    def sentence(self) -> str:
        text = (f"{self.rows_in:,} rows in: {self.rows_analysed:,} analysed, "
                f"{self.rows_set_aside:,} set aside")
        if self.reasons:
            text += " (" + ", ".join(f"{k}: {v:,}" for k, v in self.reasons.items()) + ")"
        return text + "."

    def to_dict(self) -> dict[str, object]:
        return {"rows_in": self.rows_in, "rows_analysed": self.rows_analysed,
                "rows_set_aside": self.rows_set_aside, "set_aside_reasons": self.reasons,
                "warnings": self.warnings}


@dataclass(frozen=True)
class SummaryView:
    source: str
    as_of: date
    period: Period
    by: tuple[str, ...]
    timeliness: pl.DataFrame     # data contract summary table
    open_requests: pl.DataFrame
    reviews: pl.DataFrame
    plan_statuses: dict[str, int]
    accounting: Accounting
    conventions: tuple[tuple[str, str], ...]
    kpis: tuple[Kpi, ...] = ()   # headline KPIs over all cases (not split by --by)


def build_summary(analysis: Analysis, period: Period, by: list[str]) -> SummaryView:
    cases = analysis.cases
    return SummaryView(
        source=analysis.raw.path.name,
        as_of=analysis.as_of,
        period=period,
        by=tuple(by),
        timeliness=timeliness_rates(cases, analysis.as_of, period, by),
        open_requests=open_requests(cases, analysis.as_of, by),
        reviews=reviews(cases, by),
        plan_statuses=plan_status_counts(cases),
        accounting=Accounting.of(analysis),
        conventions=tuple(analysis.config.conventions()),
        kpis=headline_kpis(cases, analysis.as_of),
    )


def case_table(analysis: Analysis) -> pl.DataFrame:
    """The `cases` output: input columns then the contract's outputs, in input order."""
    return (analysis.cases.sort(ROW).select(column(c) for c in analysis.output_columns())
            .with_columns(pl.col(WEEKS_TO_ISSUE).round(2)))

