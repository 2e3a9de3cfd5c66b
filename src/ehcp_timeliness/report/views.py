"""Display-neutral view-models built from an Analysis: what a summary or case table contains,
before anyone decides whether it becomes a Rich table, CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

import polars as pl

from ehcp_timeliness.columns import (
    AMENDED_PLAN_DATE,
    AMENDED_PLAN_STATUS,
    AMENDMENT_NOTICE_DATE,
    EXCEPTION_APPLIES,
    IS_PART_PERIOD,
    LAST_REVIEW_DATE,
    PHASE_TRANSFER_STATUS,
    PHASE_TRANSFER_YEAR,
    REQUEST_OUTCOME,
    REVIEW_DECISION_DATE,
    REVIEW_DECISION_STATUS,
    REVIEW_PROCESS_OUTPUT_COLUMNS,
    ROW,
    WEEKS_TO_ISSUE,
    column,
    header_of,
)
from ehcp_timeliness.config_text import conventions, review_process_conventions
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.headings import AS_OF_REVIEWS_NOTE, as_of_reviews_note
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.summaries.figures import Figures, Kpi, case_figures, figures_query
from ehcp_timeliness.summaries.grouping import Period
from ehcp_timeliness.summaries.rates import dfe_plans, rates_query, rates_table
from ehcp_timeliness.summaries.review_process import (
    review_decisions,
    reviews_awaiting_decision,
    transfer_readiness,
)
from ehcp_timeliness.summaries.worklist import worklist
from ehcp_timeliness.summaries.year_end import YearEnd, forecast_queries, year_end_of


@dataclass(frozen=True)
class Accounting:
    """rows_in = rows_analysed + rows_left_out (by --where) + rows_set_aside, with the reasons
    rows were set aside."""

    rows_in: int
    rows_analysed: int
    rows_set_aside: int
    reasons: dict[str, int]
    warnings: int
    rows_left_out: int = 0

    @classmethod
    def of(cls, analysis: Analysis) -> Accounting:
        reasons = dict(analysis.set_aside_reasons().iter_rows())
        warnings = analysis.issues.filter(pl.col("severity") == "warning").height
        return cls(analysis.rows_in, analysis.rows_analysed, analysis.rows_set_aside,
                   {k: int(v) for k, v in reasons.items()}, warnings, analysis.rows_left_out)

    NOTHING_ANALYSED = "No case could be analysed: every figure counts nothing."
    NOTHING_MATCHED = "No case matches --where: every figure counts nothing."

    @property
    def nothing_analysed(self) -> bool:
        """Every row was set aside (not: --where left every analysed case out)."""
        return bool(self.rows_in and not self.rows_analysed and not self.rows_left_out)

    @property
    def nothing_matched(self) -> bool:
        return bool(self.rows_left_out and not self.rows_analysed)

    @property
    def left_out(self) -> str:
        """", N left out by --where" when --where left cases out, else nothing."""
        return f", {self.rows_left_out:,} left out by --where" if self.rows_left_out else ""

    def sentence(self) -> str:
        # Every output's footer: with nothing analysed each figure counts nothing, said first.
        text = (f"{self.NOTHING_ANALYSED} " if self.nothing_analysed
                else f"{self.NOTHING_MATCHED} " if self.nothing_matched else "")
        text += (f"{self.rows_in:,} rows in: {self.rows_analysed:,} analysed{self.left_out}, "
                 f"{self.rows_set_aside:,} set aside")
        if self.reasons:
            text += " (" + ", ".join(f"{k}: {v:,}" for k, v in self.reasons.items()) + ")"
        return text + "."

    def to_dict(self) -> dict[str, object]:
        return {"rows_in": self.rows_in, "rows_analysed": self.rows_analysed,
                "rows_left_out_by_where": self.rows_left_out,
                "rows_set_aside": self.rows_set_aside, "set_aside_reasons": self.reasons,
                "warnings": self.warnings}


def _plans(n: int) -> tuple[str, str]:
    """N plans, and the verb that goes with them."""
    return f"{n:,} plan{'' if n == 1 else 's'}", "is" if n == 1 else "are"


def analysis_notes(analysis: Analysis, figures: Figures) -> tuple[str, ...]:
    """Where DfE's method (rules/dfe_method.py) and the case analysis part, from FIGURES
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


NOT_IN_EXPORT = "not in this export"


def plan_register_note(source: str) -> str:
    return (f"{source}: no request received date column, so it is read as a register of "
            f"plans: annual reviews are analysed; 20-week rates and open requests are "
            f"{NOT_IN_EXPORT}. If the export holds request dates under another header, map "
            f'it in the config file: [columns] received_date = "Your header".')


def no_review_column_warning(source: str, column: str) -> str:
    """What every command says of an export with no COLUMN for the review the 12 months run
    from (Analysis.missing_review_column, rules/status.py review_not_known)."""
    return (f"{source}: no {column} column, so whether a plan was reviewed is not known: "
            "plans a review had fallen due for are counted as not known, never as overdue, "
            "and the review figures are lower bounds. If the export holds the review dates "
            f'under another header, map it in the config file: [columns] {column} = '
            '"Your header".')


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
    review_process: ReviewProcessView[pl.DataFrame] | None = None  # when the export has its inputs
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (analysis_notes)
    request_dates: bool = True  # False: a plan register (Analysis.has_request_dates)
    reviews_note: str = AS_OF_REVIEWS_NOTE  # under the reviews table when not known
    year_end: YearEnd | None = None  # DfE's rate this year, forecast (summaries/year_end.py)
    periods: PartPeriods | None = None  # which periods the export does not cover whole


def analysis_figures(analysis: Analysis) -> Figures:
    """Every as-of figure of an analysis, in one pass (summaries/figures.py)."""
    return case_figures(analysis.cases, analysis.as_of, analysis.undated_plans)


def part_periods(figures: Figures) -> PartPeriods:
    """Which of the analysis's periods its figures do not cover whole (periods.py)."""
    return PartPeriods(figures.first_request_date, figures.as_of)


def mark_part_periods(table: pl.DataFrame, column: str, kind: str,
                      periods: PartPeriods) -> pl.DataFrame:
    """TABLE with IS_PART_PERIOD added last: true where its COLUMN (a KIND of period: year,
    quarter or month) is one the export does not cover whole (periods.py). The period itself
    is left as it is, so the table still joins on it."""
    shown = [str(p) for p in table[column].unique().to_list() if p is not None]
    part = [p for p in shown if periods.note(kind, p)]
    return table.with_columns(pl.col(column).cast(pl.String).is_in(part).alias(IS_PART_PERIOD))


Part = TypeVar("Part")


@dataclass(frozen=True)
class ReviewProcessView(Generic[Part]):
    """After the review meeting and phase transfers, as frames (the summary) or as the
    board's suppressed Tables. Each part is None when the export lacks the columns it needs
    (the section is left out, so an export without them gives the same summary as before).
    """

    decisions: Part | None       # DfE: review decisions within 4 weeks, by year
    awaiting: Part | None        # meetings still without a decision
    transfers: Part | None       # phase-transfer readiness for next September
    conventions: tuple[tuple[str, str], ...]


def build_review_process(analysis: Analysis) -> ReviewProcessView[pl.DataFrame] | None:
    export, cases, as_of = analysis.export, analysis.cases, analysis.as_of
    reviews_known = export.supplies(REVIEW_DECISION_DATE, LAST_REVIEW_DATE)
    transfers_known = export.supplies(PHASE_TRANSFER_YEAR)
    if not reviews_known and not transfers_known:
        return None
    return ReviewProcessView(
        decisions=review_decisions(cases, as_of) if reviews_known else None,
        awaiting=reviews_awaiting_decision(cases, as_of) if reviews_known else None,
        transfers=transfer_readiness(
            cases, as_of, analysis.config.review_process.phase_transfer_reading)
        if transfers_known else None,
        conventions=tuple(review_process_conventions(analysis.config)),
    )


def build_summary(analysis: Analysis, period: Period, by: list[str]) -> SummaryView:
    cases, as_of = analysis.cases, analysis.as_of
    # The figures, the rates and the forecast in one collect: they share the plans' query
    # (rates.dfe_plans), which is then worked out once, and run side by side.
    plans = dfe_plans(cases, as_of, analysis.undated_plans, analysis.config.dfe.over_a_year)
    forecast = forecast_queries(cases, as_of, plans) if analysis.has_request_dates else []
    row, rates, *forecast_frames = pl.collect_all(
        [figures_query(cases, as_of, plans), rates_query(plans, period, by), *forecast],
        engine="in-memory")
    figures = Figures(as_of, row.row(0, named=True))
    periods = part_periods(figures)
    rates = rates_table(rates, period, by)
    open_requests, reviews = figures.tables(cases, by)
    return SummaryView(
        source=analysis.export.name,
        as_of=analysis.as_of,
        period=period,
        by=tuple(by),
        timeliness=mark_part_periods(rates, "period", period, periods),
        open_requests=open_requests,
        reviews=reviews,
        plan_statuses=figures.plan_statuses(),
        accounting=Accounting.of(analysis),
        conventions=tuple(conventions(analysis.config)),
        kpis=figures.kpis,
        review_process=build_review_process(analysis),
        notes=analysis_notes(analysis, figures),
        request_dates=analysis.has_request_dates,
        reviews_note=as_of_reviews_note(analysis.missing_review_column),
        year_end=year_end_of(forecast_frames, as_of) if forecast else None,
        periods=periods,
    )


def worklist_review_steps(analysis: Analysis) -> tuple[str, ...]:
    """The review-process steps the worklist can list: those whose inputs the export has."""
    export = analysis.export
    steps = []
    if export.supplies(REVIEW_DECISION_DATE, LAST_REVIEW_DATE):
        steps.append(REVIEW_DECISION_STATUS)
    if export.supplies(AMENDMENT_NOTICE_DATE) or export.supplies(AMENDED_PLAN_DATE):
        steps.append(AMENDED_PLAN_STATUS)
    if export.supplies(PHASE_TRANSFER_YEAR):
        steps.append(PHASE_TRANSFER_STATUS)
    return tuple(steps)


def urgent_work(analysis: Analysis, within: int, by: list[str],
                show: list[str] | None = None) -> pl.DataFrame:
    """The worklist of this export, most urgent first across the --by groups
    (summaries.worklist.in_groups puts it in groups): the steps its columns let us list,
    with the SHOW context columns last."""
    return worklist(analysis.cases, analysis.as_of, within, by,
                    analysis.export.supplies(REQUEST_OUTCOME),
                    review_steps=worklist_review_steps(analysis), show=show)


def case_columns(analysis: Analysis) -> list[str]:
    """The `cases` output's columns: the input columns and the seven contract outputs, in that
    order as always, then the review-process columns when shown, then exception_applies (last,
    so no column before it moves). An input column named like one of those (a previous output
    fed back in) is dropped: it is recomputed, not trusted.
    """
    extra = REVIEW_PROCESS_OUTPUT_COLUMNS if analysis.review_process_shown else ()
    core = [c for c in analysis.output_columns()
            if c not in REVIEW_PROCESS_OUTPUT_COLUMNS and c != EXCEPTION_APPLIES]
    return [*core, *extra, EXCEPTION_APPLIES]


def case_table(analysis: Analysis) -> pl.DataFrame:
    """The `cases` output: input columns then the contract's outputs, in input order."""
    return (analysis.cases.sort(ROW)
            .select(column(c).alias(header_of(c)) for c in case_columns(analysis))
            .with_columns(pl.col(WEEKS_TO_ISSUE).round(2)))

