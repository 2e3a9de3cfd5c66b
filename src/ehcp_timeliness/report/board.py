"""The board pack's view-model: everything the HTML page and the workbook show, before either
decides how. Disclosure control happens here, once: suppressed cells are blanked in the
frames (a renderer that forgot the mask would show nothing, never the number) and ids are
pseudonymised before any renderer sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness import __version__
from ehcp_timeliness.columns import KPI_IDS, REQUEST_BASED_KPIS, header_of
from ehcp_timeliness.config_text import conventions, review_process_conventions
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.board_benchmark import (
    BoardBenchmark,
    build_board_benchmark,
    suppressed_as,
)
from ehcp_timeliness.report.board_disclosure import (
    AGEING,
    BENCHMARK,
    MONTHLY,
    OPEN,
    REVIEWS,
    benchmark_hidden,
    board_figures,
    card_hidden,
    outlook_hidden,
    reviews_card_hidden,
    with_benchmark,
    with_cards,
    with_reviews_card,
)
from ehcp_timeliness.report.board_tables import (
    RATE_PARTS,
    England,
    KpiCard,
    Table,
    england_latest,
    make_table,
)
from ehcp_timeliness.report.board_trend import BoardTrend, board_trend, with_trend_figures
from ehcp_timeliness.report.dfe_views import figures_of
from ehcp_timeliness.report.disclosure import Key
from ehcp_timeliness.report.headline import (
    HeadlineCard,
    build_headline,
    window_label,
    windows_table,
)
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.report.targets import progress
from ehcp_timeliness.report.views import (
    Accounting,
    ReviewProcessView,
    analysis_figures,
    analysis_notes,
    build_review_process,
    part_periods,
    urgent_work,
)
from ehcp_timeliness.summaries.data_quality import issues_by_code
from ehcp_timeliness.summaries.figures import REVIEWS_OVERDUE_IS_LOWER_BOUND, Kpi
from ehcp_timeliness.summaries.kpis import TREND_MONTHS
from ehcp_timeliness.summaries.open_work import age_profile
from ehcp_timeliness.summaries.trend import trend_table
from ehcp_timeliness.summaries.worklist import in_groups

WORKLIST_ROWS = 10  # the board sees the most urgent few; the workbook has them all

KPI_TITLES = {
    "pct_within_20_weeks": "New plans issued within 20 weeks",
    "pct_within_20_weeks_ex": "New plans issued within 20 weeks, excluding exceptions",
    "open_cases_overdue": "Open requests past the 20-week date",
    "reviews_overdue": "Annual reviews overdue",
}
# DfE's review percentages: either count small hides both (each gives the other back).
DECISION_RATE_PARTS = {
    "pc_decsion_4weeks": ("number_decsion_4weeks", "number_decision_gt_4weeks"),
    "pc_decision_gt_4weeks": ("number_decsion_4weeks", "number_decision_gt_4weeks"),
}


def review_process_tables(analysis: Analysis, threshold: int) -> ReviewProcessView[Table] | None:
    part = build_review_process(analysis)
    if part is None:
        return None
    decisions = (None if part.decisions is None else make_table(
        part.decisions.with_columns(pl.col("time_period").cast(pl.String)), threshold,
        DECISION_RATE_PARTS))
    return ReviewProcessView(
        decisions,
        None if part.awaiting is None else make_table(part.awaiting, threshold),
        None if part.transfers is None else make_table(part.transfers, threshold),
        part.conventions)


@dataclass(frozen=True)
class BoardView:
    title: str
    source: str
    as_of: date
    by: tuple[str, ...]
    kpis: tuple[KpiCard, ...]
    trend: Table
    trend_target: float | None
    trend_target_kpi: str | None
    england: England
    ageing: Table                # one row: open requests by weeks since the request
    open_requests: Table         # by the --by groups
    reviews: Table
    worklist: Table              # the WORKLIST_ROWS most urgent
    worklist_all: Table          # every row, for the workbook
    worklist_within: int
    data_quality: Table
    accounting: Accounting
    conventions: tuple[tuple[str, str], ...]
    suppress_below: int
    pseudonymised: bool
    periods: PartPeriods  # which months and years are part ones (periods.py)
    review_process: ReviewProcessView[Table] | None = None
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (analysis_notes)
    request_dates: bool = True  # False: a plan register (Analysis.has_request_dates)
    version: str = __version__
    over_time: BoardTrend | None = None  # the pack's trend section (board_trend.py)
    headline: tuple[HeadlineCard, ...] = ()  # at most five cards (headline.py)
    windows: Table | None = None        # every 20-week window, as a table
    benchmark: BoardBenchmark | None = None  # when the authority is known
    # Plans whose review status on the as-of date the export cannot give (figures.py): the
    # reviews table and card then carry headings.as_of_reviews_note.
    reviews_not_known: int = 0
    # Analysis.missing_review_column: the notes then say why no review is known.
    missing_review_column: str | None = None
    where: str = ""  # the --where filter the analysis was cut to, as said; "" for none

    @property
    def by_headers(self) -> tuple[str, ...]:
        """The --by columns as the export spells their headers (columns.header_of)."""
        return tuple(header_of(c) for c in self.by)


def _window(kpi: Kpi, periods: PartPeriods) -> str:
    if kpi.period_from is None:
        return f"on {kpi.period_to:%d %b %Y}"
    start, end = kpi.period_from, kpi.period_to
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return window_label(end, months, periods)


def _card(kpi: Kpi, analysis: Analysis, hidden_keys: frozenset[Key],
          england: England, periods: PartPeriods) -> KpiCard:
    excluding = "_ex_" in kpi.kpi
    family = (("pct_within_20_weeks_ex" if excluding else "pct_within_20_weeks")
              if kpi.is_rate else kpi.kpi)
    window = _window(kpi, periods)
    if kpi.kpi in REQUEST_BASED_KPIS and not analysis.has_request_dates:
        return KpiCard(kpi.kpi, KPI_TITLES[family], window, None, False, None, None,
                       False, kpi.is_rate, None, None, True)
    hidden, parts_hidden = card_hidden(kpi, hidden_keys)
    trajectory = getattr(analysis.config.targets, kpi.kpi)
    england_pct = None
    if kpi.is_rate:
        england_pct = england.pct_ex if excluding else england.pct
    return KpiCard(
        kpi.kpi, KPI_TITLES[family], window, None if hidden else kpi.value, hidden,
        None if parts_hidden else kpi.numerator, None if parts_hidden else kpi.denominator,
        parts_hidden, kpi.is_rate, england_pct,
        None if trajectory is None else progress(trajectory, kpi.value, analysis.as_of,
                                           kpi.lower_is_better, hidden, kpi.is_lower_bound))


def from_the_first_month(table: Table, first_month: str | None) -> Table:
    """TABLE (one row a month, `period`) from FIRST_MONTH, the month of the export's first
    request: a month before it is not one without plans but one the export does not hold.
    A month before it with a plan issued (one without a usable request date) or a hidden
    cell stays, and so does every month after it."""
    if first_month is None:
        return table
    frame, mask = table.frame, table.mask
    held = ((frame["period"] >= first_month) | (frame["plans_issued"] > 0)
            | mask.select(pl.any_horizontal(pl.all())).to_series())
    start = held.arg_true().min() if held.any() else frame.height
    return Table(frame.slice(start), mask.slice(start))


def _median_hidden(kpis: tuple[Kpi, ...], hidden: frozenset[Key]) -> bool:
    """The median card counts the plans of the 12 months' rate with exceptions (less any
    without a usable request date): where that rate's counts are hidden, its "over 469
    plans" would give them back, and a median built on a hidden count is hidden too."""
    return any(card_hidden(k, hidden)[1] for k in kpis
               if k.kpi == "pct_within_20_weeks_12_months")


def trend_target(analysis: Analysis) -> tuple[str | None, float | None]:
    """The first 20-week target set: excluding exceptions first, shortest window first."""
    order = [k for k in KPI_IDS if "_ex_" in k] + [k for k in KPI_IDS
                                                   if k.startswith("pct_") and "_ex_" not in k]
    for kpi in order:
        trajectory = getattr(analysis.config.targets, kpi)
        if trajectory is not None:
            return kpi, trajectory.target
    return None, None


def build_board(analysis: Analysis, by: list[str], suppress_below: int = 0,
                pseudonymised: bool = False, within: int | None = None,
                where: str = "") -> BoardView:
    """Every section of the board, its figures suppressed together once (board_disclosure.py).
    PSEUDONYMISED: ANALYSIS is privacy.pseudonymise_analysis's (the footnote says so). WHERE:
    the --where filter ANALYSIS was cut to, as said (summaries/where.describe)."""
    cases, as_of, threshold = analysis.cases, analysis.as_of, suppress_below
    undated = analysis.undated_plans
    england = england_latest()
    within = analysis.config.rules.due_soon_days if within is None else within
    # The board's few rows are the most urgent of all, whichever group they are in; the
    # workbook lists every row, grouped.
    urgent_first = urgent_work(analysis, within, by)
    case_figures = analysis_figures(analysis)
    open_work, reviews = case_figures.tables(cases, by)
    # The board's reviews table shows Not known beside Overdue, and its note says what the
    # count means (html.py), in place of the flag a script reads.
    reviews = reviews.drop(REVIEWS_OVERDUE_IS_LOWER_BOUND)
    target_kpi, target = trend_target(analysis)
    periods = part_periods(case_figures)
    dfe = figures_of(analysis)
    benchmark = build_board_benchmark(analysis, periods, threshold, (case_figures, dfe))
    authority = benchmark.authority.name if benchmark else analysis.config.authority.la
    process = review_process_tables(analysis, threshold)
    in_force = conventions(analysis.config) + (
        review_process_conventions(analysis.config) if process is not None else [])
    # One monthly table: the rates by month, the over-time section's plans and the KPIs'
    # changes all read the trend's plans by month of issue.
    trend = trend_table(cases, as_of, analysis.config.rules, [], None, undated,
                        analysis.config.dfe.over_a_year, analysis.reviews_recorded)
    monthly = trend.rates_by_month(TREND_MONTHS)
    kpis = case_figures.kpis
    figures = with_cards(board_figures(threshold, monthly, open_work, age_profile(open_work),
                                       reviews, by, RATE_PARTS), kpis)
    outlook = None
    if analysis.has_request_dates:  # a plan register has no requests to trend
        figures, outlook = with_trend_figures(analysis, trend, figures)
    figures = with_reviews_card(
        figures, trend.table.row(-1, named=True) if trend.table.height else {}, as_of)
    if benchmark is not None and benchmark.counts is not None:
        figures = with_benchmark(figures, benchmark.counts, periods.first_request, as_of)
    hidden = figures.hidden()
    if benchmark is not None and benchmark.counts is not None:
        benchmark = suppressed_as(benchmark, *figures.blanked(BENCHMARK, hidden))
    outlook_overdue = (None if outlook is None or outlook_hidden(figures, hidden)
                       else outlook.open_overdue)
    cards = tuple(_card(k, analysis, hidden, england, periods) for k in kpis)
    last_year = None if benchmark is None else (
        benchmark.authority.name, benchmark.published_in(as_of.year - 1))
    return BoardView(
        title=f"{authority}: EHC plan timeliness" if authority else "EHC plan timeliness",
        source=analysis.export.name,
        as_of=as_of,
        by=tuple(by),
        kpis=cards,
        trend=from_the_first_month(
            Table(*figures.blanked(MONTHLY, hidden)),
            trend.table["month"][0] if analysis.has_request_dates and trend.table.height
            else None),
        trend_target=target,
        trend_target_kpi=target_kpi,
        england=england,
        ageing=Table(*figures.blanked(AGEING, hidden)),
        open_requests=Table(*figures.blanked(OPEN, hidden)),
        reviews=Table(*figures.blanked(REVIEWS, hidden)),
        reviews_not_known=case_figures.reviews_not_known,
        missing_review_column=analysis.missing_review_column,
        worklist=make_table(urgent_first.head(WORKLIST_ROWS), 0),
        worklist_all=make_table(in_groups(urgent_first, by), 0),
        worklist_within=within,
        data_quality=make_table(issues_by_code(analysis.issues), threshold),
        accounting=Accounting.of(analysis),
        conventions=tuple(in_force),
        suppress_below=threshold,
        pseudonymised=pseudonymised,
        review_process=process,
        notes=analysis_notes(analysis, case_figures),
        request_dates=analysis.has_request_dates,
        over_time=None if outlook is None else board_trend(
            analysis, trend, kpis, monthly, figures, hidden, outlook, threshold),
        periods=periods,
        benchmark=benchmark,
        headline=build_headline(analysis, cards, dfe, case_figures, trend, threshold, england,
                                periods, last_year, outlook_overdue,
                                reviews_card_hidden(hidden), _median_hidden(kpis, hidden),
                                benchmark_hidden(hidden, as_of.year - 1)),
        windows=windows_table(kpis, cards, periods, threshold),
        where=where,
    )
