"""The board pack's view-model: everything the HTML page and the workbook show, before either
decides how. Disclosure control happens here, once: suppressed cells are blanked in the
frames (a renderer that forgot the mask would show nothing, never the number) and ids are
pseudonymised before any renderer sees them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness import __version__, published
from ehcp_timeliness.columns import KPI_IDS, REQUEST_BASED_KPIS, header_of
from ehcp_timeliness.config_text import conventions, review_process_conventions
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.board_disclosure import (
    AGEING,
    MONTHLY,
    OPEN,
    REVIEWS,
    BoardFigures,
    board_figures,
    card_hidden,
    with_cards,
)
from ehcp_timeliness.report.disclosure import Cells, Key, protect
from ehcp_timeliness.report.method_notes import analysis_notes
from ehcp_timeliness.report.targets import Progress, progress
from ehcp_timeliness.report.views import (
    Accounting,
    analysis_figures,
    build_review_process,
    part_periods,
    request_dates_in_export,
    urgent_work,
)
from ehcp_timeliness.summaries.data_quality import issues_by_code
from ehcp_timeliness.summaries.figures import by_group
from ehcp_timeliness.summaries.kpis import Kpi, monthly_trend
from ehcp_timeliness.summaries.open_work import age_profile
from ehcp_timeliness.summaries.worklist import in_groups

if TYPE_CHECKING:
    from ehcp_timeliness.report.board_benchmark import BoardBenchmark
    from ehcp_timeliness.report.board_trend import BoardTrend
    from ehcp_timeliness.report.headline import HeadlineCard, HeadlineFigures
    from ehcp_timeliness.report.periods import PartPeriods

WORKLIST_ROWS = 10  # the board sees the most urgent few; the workbook has them all

KPI_TITLES = {
    "pct_within_20_weeks": "New plans issued within 20 weeks",
    "pct_within_20_weeks_ex": "New plans issued within 20 weeks, excluding exceptions",
    "open_cases_overdue": "Open requests past the 20-week date",
    "reviews_overdue": "Annual reviews overdue",
}
# Percentage (or median) column -> the counts it is built on, for suppression.
RATE_PARTS = {
    "pct_within_20_weeks": ("issued_within_20_weeks", "plans_issued"),
    "pct_within_20_weeks_ex": ("issued_within_20_weeks_ex", "plans_issued_ex"),
    "median_weeks_to_issue": ("plans_issued", "plans_issued"),
}
NOT_COUNTS = frozenset({"days_left"})  # integers that count no one
# DfE's review percentages: either count small hides both (each gives the other back).
DECISION_RATE_PARTS = {
    "pc_decsion_4weeks": ("number_decsion_4weeks", "number_decision_gt_4weeks"),
    "pc_decision_gt_4weeks": ("number_decsion_4weeks", "number_decision_gt_4weeks"),
}


@dataclass(frozen=True)
class Table:
    frame: pl.DataFrame   # suppressed cells already blank
    mask: pl.DataFrame    # True where a cell is shown as `c`

    def rows(self) -> Iterator[tuple[tuple[object, bool], ...]]:
        for values, hidden in zip(self.frame.iter_rows(), self.mask.iter_rows(), strict=True):
            yield tuple(zip(values, hidden, strict=True))

    @property
    def columns(self) -> list[str]:
        return self.frame.columns


def make_table(frame: pl.DataFrame, threshold: int,
               rates: Mapping[str, tuple[str, str]] = RATE_PARTS) -> Table:
    """A table whose cells add up to nothing else shown: primary suppression only (the
    tables that do add up are solved together, board_disclosure.py)."""
    counts = tuple(c for c, t in frame.schema.items() if t.is_integer() and c not in NOT_COUNTS)
    cells = Cells("table", frame, (), counts)
    mask = cells.mask(protect(cells.values(), threshold, []), rates)
    blank = frame.with_columns(
        pl.when(mask.get_column(c)).then(None).otherwise(pl.col(c)).alias(c)
        for c in frame.columns if c in counts or c in rates)
    return Table(blank, mask)


@dataclass(frozen=True)
class England:
    year: int
    pct: float
    pct_ex: float
    citation: str


def england_latest() -> England:
    """England's latest published 20-week rates, from the shipped DfE figures (published.py)."""
    columns = ["pc_plans_issued_within_20_weeks", "PC_plans_issued_20_weeks_ex"]
    row = (published.england(published.figures(published.TIMELINESS, columns))
           .sort("time_period").row(-1, named=True))
    return England(row["time_period"], row[columns[0]], row[columns[1]], published.CITATION)


@dataclass(frozen=True)
class KpiCard:
    kpi: str
    title: str
    window: str
    value: float | int | None   # None when hidden or when there was nothing to measure
    hidden: bool
    numerator: int | None
    denominator: int | None
    parts_hidden: bool
    lower_is_better: bool
    is_rate: bool
    england: float | None
    progress: Progress | None
    not_in_export: bool = False  # counted from request dates, and the export has none


@dataclass(frozen=True)
class ReviewProcessTables:
    """After the review meeting and phase transfers; a part is None without its inputs."""

    decisions: Table | None     # DfE: review decisions within 4 weeks, by year
    awaiting: Table | None      # meetings still without a decision
    transfers: Table | None     # phase-transfer readiness for next September


def review_process_tables(analysis: Analysis, threshold: int) -> ReviewProcessTables | None:
    part = build_review_process(analysis)
    if part is None:
        return None
    decisions = (None if part.decisions is None else make_table(
        part.decisions.with_columns(pl.col("time_period").cast(pl.String)), threshold,
        DECISION_RATE_PARTS))
    return ReviewProcessTables(
        decisions,
        None if part.awaiting is None else make_table(part.awaiting, threshold),
        None if part.transfers is None else make_table(part.transfers, threshold))


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
    review_process: ReviewProcessTables | None = None
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (method_notes)
    request_dates: bool = True  # False: a plan register (views.request_dates_in_export)
    version: str = __version__
    over_time: BoardTrend | None = None  # the pack's trend section (board_trend.with_trend)
    figures: BoardFigures | None = None  # the pool the tables were suppressed in, for with_trend
    headline: tuple[HeadlineCard, ...] = ()  # at most five cards (headline.py)
    headline_figures: HeadlineFigures | None = None  # what they read besides the cards
    windows: Table | None = None        # every 20-week window, as a table
    periods: PartPeriods | None = None  # which months and years are part ones (periods.py)
    benchmark: BoardBenchmark | None = None  # when the authority is known
    authority: str | None = None

    @property
    def by_headers(self) -> tuple[str, ...]:
        """The --by columns as the export spells their headers (columns.header_of)."""
        return tuple(header_of(c) for c in self.by)


def _window(kpi: Kpi) -> str:
    if kpi.period_from is None:
        return f"on {kpi.period_to:%d %b %Y}"
    start, end = kpi.period_from, kpi.period_to
    if (start.year, start.month) == (end.year, end.month):
        return f"{end:%B %Y} (to {end:%d %b})"
    return f"{start:%b %Y} – {end:%b %Y}"


def _card(kpi: Kpi, analysis: Analysis, hidden_keys: frozenset[Key],
          england: England) -> KpiCard:
    excluding = "_ex_" in kpi.kpi
    family = (("pct_within_20_weeks_ex" if excluding else "pct_within_20_weeks")
              if kpi.is_rate else kpi.kpi)
    if kpi.kpi in REQUEST_BASED_KPIS and not request_dates_in_export(analysis):
        return KpiCard(kpi.kpi, KPI_TITLES[family], _window(kpi), None, False, None, None,
                       False, kpi.lower_is_better, kpi.is_rate, None, None, True)
    hidden, parts_hidden = card_hidden(kpi, hidden_keys)
    trajectory = getattr(analysis.config.targets, kpi.kpi)
    england_pct = None
    if kpi.is_rate:
        england_pct = england.pct_ex if excluding else england.pct
    return KpiCard(
        kpi.kpi, KPI_TITLES[family], _window(kpi), None if hidden else kpi.value, hidden,
        None if parts_hidden else kpi.numerator, None if parts_hidden else kpi.denominator,
        parts_hidden, kpi.lower_is_better, kpi.is_rate, england_pct,
        None if trajectory is None else progress(trajectory, kpi.value, analysis.as_of,
                                           kpi.lower_is_better, hidden))


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
                pseudonymised: bool = False, within: int | None = None) -> BoardView:
    """PSEUDONYMISED: ANALYSIS is privacy.pseudonymise_analysis's (the footnote says so)."""
    cases, as_of, threshold = analysis.cases, analysis.as_of, suppress_below
    undated = analysis.undated_plans
    england = england_latest()
    within = analysis.config.rules.due_soon_days if within is None else within
    # The board's few rows are the most urgent of all, whichever group they are in; the
    # workbook lists every row, grouped.
    urgent_first = urgent_work(analysis, within, by)
    case_figures = analysis_figures(analysis)
    open_work, reviews = (by_group(cases, as_of, by) if by
                          else (case_figures.open_requests(), case_figures.reviews()))
    from ehcp_timeliness.report.board_benchmark import build_board_benchmark
    from ehcp_timeliness.report.headline import headline_figures

    target_kpi, target = trend_target(analysis)
    periods = part_periods(case_figures)
    benchmark = build_board_benchmark(analysis, periods, threshold)
    authority = benchmark.authority.name if benchmark else analysis.config.authority.la
    process = review_process_tables(analysis, threshold)
    in_force = conventions(analysis.config) + (
        review_process_conventions(analysis.config) if process is not None else [])
    monthly = monthly_trend(cases, as_of, undated=undated,
                            over_a_year_reading=analysis.config.dfe.over_a_year)
    kpis = case_figures.kpis
    figures = with_cards(board_figures(threshold, monthly, open_work, age_profile(open_work),
                                       reviews, by, RATE_PARTS), kpis)
    hidden = figures.hidden()
    cards = tuple(_card(k, analysis, hidden, england) for k in kpis)
    figures_once = headline_figures(analysis, case_figures)
    return BoardView(
        title=f"{authority}: EHC plan timeliness" if authority else "EHC plan timeliness",
        source=analysis.export.name,
        as_of=as_of,
        by=tuple(by),
        kpis=cards,
        trend=Table(*figures.blanked(MONTHLY, hidden)),
        trend_target=target,
        trend_target_kpi=target_kpi,
        england=england,
        ageing=Table(*figures.blanked(AGEING, hidden)),
        open_requests=Table(*figures.blanked(OPEN, hidden)),
        reviews=Table(*figures.blanked(REVIEWS, hidden)),
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
        request_dates=request_dates_in_export(analysis),
        figures=figures,
        periods=periods,
        benchmark=benchmark,
        authority=authority,
        headline_figures=figures_once,
        **_headline(analysis, kpis, cards, threshold, england, periods, benchmark,
                    figures_once),
    )


def _headline(analysis: Analysis, kpis: tuple[Kpi, ...], cards: tuple[KpiCard, ...],
              threshold: int, england: England, periods: PartPeriods | None,
              benchmark: BoardBenchmark | None, figures: HeadlineFigures) -> dict[str, object]:
    """The headline cards and the table of every 20-week window, from CARDS as suppressed."""
    from ehcp_timeliness.report.headline import build_headline, windows_table

    last_year = None if benchmark is None else (
        benchmark.authority.name, benchmark.published_in(analysis.as_of.year - 1))
    return {"headline": build_headline(analysis, cards, figures, threshold, england, periods,
                                       last_year),
            "windows": windows_table(kpis, cards, periods, threshold)}


def resuppressed(view: BoardView, analysis: Analysis, figures: BoardFigures,
                 kpis: tuple[Kpi, ...]) -> tuple[BoardView, frozenset[Key]]:
    """VIEW with its tables and cards suppressed again in FIGURES (the pool grown by more
    tables), and the keys now hidden."""
    hidden = figures.hidden()
    cards = tuple(_card(k, analysis, hidden, view.england) for k in kpis)
    return dataclasses.replace(
        view, figures=figures, kpis=cards,
        **_headline(analysis, kpis, cards, view.suppress_below, view.england, view.periods,
                    view.benchmark, view.headline_figures),
        trend=Table(*figures.blanked(MONTHLY, hidden)),
        ageing=Table(*figures.blanked(AGEING, hidden)),
        open_requests=Table(*figures.blanked(OPEN, hidden)),
        reviews=Table(*figures.blanked(REVIEWS, hidden))), hidden
