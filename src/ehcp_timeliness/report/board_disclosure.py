"""Which of the board pack's figures add up, and the one pool they are suppressed in
(report/disclosure.py; docs/reports.md#disclosure-control).

The additive relations a reader could solve, table by table:

- monthly table (by month of issue): Issued = ≤20 wks + 20–52 wks + 52+;
- open requests: Open = overdue + due soon + in progress = the six age bands; with --by,
  each column adds up over the groups to the authority's figure; the age profile is those
  totals (without --by, the one row);
- reviews: plans to review = overdue + due soon + not due + not known; with --by, columns add up;
  at a month end whose review figures are exact, the plans a review had fallen due for =
  those reviewed in the 12 months + those overdue (the reviews card's "502 of 568 plans" and
  the over-time table's reviewed share give the overdue count back otherwise);
- the over-time table: Issued = from the backlog + current; the month-end open stock is the
  previous month's + received − left by issue − left by closure;
- the year-end outlook: the overdue card's total = the outlook's open overdue count (DfE's
  headline basis) + those it leaves out;
- the same figure twice: the two monthly tables' plans issued and within 20 weeks; the
  as-of month's open, overdue and 52+ stocks and the open-requests totals; each headline
  card's numerator and denominator are the months of its window added up, its counts the
  open-requests or reviews totals.

Totals no table shows are cells too (the reader could have them from a run without --by):
hiding one hides its twins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from ehcp_timeliness.report.board_tables import blanked
from ehcp_timeliness.report.disclosure import Cells, Key, Relation, protect
from ehcp_timeliness.summaries.figures import Kpi
from ehcp_timeliness.summaries.open_work import AGE_BANDS
from ehcp_timeliness.summaries.trend import NOT_KNOWN
from ehcp_timeliness.summaries.year_end import YearEnd

BANDS = tuple(name for name, _, _ in AGE_BANDS)
MONTHLY, OPEN, AGEING, REVIEWS, MONTHS = "monthly", "open", "ageing", "reviews", "months"
BENCHMARK = "benchmark"


@dataclass(frozen=True)
class Registered:
    cells: Cells
    rates: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class BoardFigures:
    """Every count the pack shows (and the totals it implies), with the relations among
    them. Holds unsuppressed figures: only for solving, never for a renderer."""

    threshold: int
    tables: dict[str, Registered] = field(default_factory=dict)
    extra: dict[Key, int | None] = field(default_factory=dict)
    relations: tuple[Relation, ...] = ()
    outlook: tuple[Key, ...] = ()   # the figures the year-end and clearance sentences give
    expendable: tuple[Key, ...] = ()  # hidden first for secondary suppression (with_outlook)

    def with_table(self, name: str, frame: pl.DataFrame, labels: Sequence[str],
                   rates: Mapping[str, tuple[str, ...]]) -> BoardFigures:
        cells = Cells(name, frame, tuple(labels))
        return dataclasses.replace(self, tables={**self.tables, name: Registered(cells, rates)})

    def with_relations(self, relations: Iterable[Relation],
                       extra: Mapping[Key, int | None] | None = None) -> BoardFigures:
        return dataclasses.replace(self, relations=(*self.relations, *relations),
                                   extra={**self.extra, **(extra or {})})

    def cells(self, name: str) -> Cells:
        return self.tables[name].cells

    def hidden(self) -> frozenset[Key]:
        values: dict[Key, int | None] = {}
        for registered in self.tables.values():
            values.update(registered.cells.values())
        values.update(self.extra)
        rate_parts = {k for r in self.tables.values() for k in r.cells.rate_parts(r.rates)}
        # A card's or the year-end sentence's count hides more than a cell when hidden (the
        # card's rate; both outlook sentences): a table's cell goes first.
        rate_parts |= {k for k in self.extra
                       if k[0] in ("card", "year_end")}  # type: ignore[index]
        return protect(values, self.threshold, self.relations, rate_parts=rate_parts,
                       expendable=self.expendable)

    def blanked(self, name: str, hidden: frozenset[Key]) -> tuple[pl.DataFrame, pl.DataFrame]:
        """NAME's frame with its hidden cells blank, and the mask."""
        registered = self.tables[name]
        frame = registered.cells.frame
        mask = registered.cells.mask(hidden, registered.rates)
        touched = set(registered.cells.count_columns) | set(registered.rates)
        return blanked(frame, mask, (c for c in frame.columns if c in touched)), mask


def total_key(table: str, column: str) -> Key:
    return ("total", table, column)


def card_key(kpi: str, part: str) -> Key:
    return ("card", kpi, part)


def _totals(figures: BoardFigures, name: str) -> BoardFigures:
    """NAME's columns add up over its rows (its --by groups) to the authority's figures."""
    cells = figures.cells(name)
    keys = {c: total_key(name, c) for c in cells.count_columns}
    sums = {keys[c]: int(cells.frame.get_column(c).sum()) for c in keys}
    return figures.with_relations(cells.column_sums(keys), sums)


def board_figures(threshold: int, monthly: pl.DataFrame, open_work: pl.DataFrame,
                  ageing: pl.DataFrame, reviews: pl.DataFrame, by: Sequence[str],
                  rates: Mapping[str, tuple[str, ...]]) -> BoardFigures:
    figures = (BoardFigures(threshold)
               .with_table(MONTHLY, monthly, ["period"], rates)
               .with_table(OPEN, open_work, by, rates)
               .with_table(AGEING, ageing, [], rates)
               .with_table(REVIEWS, reviews, by, rates))
    month, open_, review = figures.cells(MONTHLY), figures.cells(OPEN), figures.cells(REVIEWS)
    figures = figures.with_relations([
        *month.row_sums("plans_issued", ["issued_within_20_weeks", "issued_20_to_52_weeks",
                                         "issued_over_52_weeks"]),
        *open_.row_sums("open_cases", ["overdue", "due_soon", "in_progress"]),
        *open_.row_sums("open_cases", BANDS),
        *review.row_sums("plans_to_review", ["reviews_overdue", "reviews_due_soon",
                                             "reviews_not_due", "reviews_not_known"]),
    ])
    figures = _totals(_totals(figures, OPEN), REVIEWS)
    ageing_cells = figures.cells(AGEING)
    return figures.with_relations(
        Relation.same(ageing_cells.key((0,), c), total_key(OPEN, c))
        for c in ageing_cells.count_columns)


# The monthly table's columns behind each headline rate's numerator and denominator.
_CARD_PARTS = {False: ("issued_within_20_weeks", "plans_issued"),
               True: ("issued_within_20_weeks_ex", "plans_issued_ex")}
_CARD_COUNTS = {"open_cases_overdue": (OPEN, "overdue"),
                "reviews_overdue": (REVIEWS, "reviews_overdue")}


def with_cards(figures: BoardFigures, kpis: Iterable[Kpi]) -> BoardFigures:
    """The headline cards: a rate's numerator and denominator add up the monthly table's
    months in its window; a count is an open-requests or reviews total."""
    month = figures.cells(MONTHLY)
    periods = [r[0] for r in month.row_labels()]
    extra: dict[Key, int | None] = {}
    relations = []
    for kpi in kpis:
        if kpi.kpi in _CARD_COUNTS:
            value = kpi.value if isinstance(kpi.value, int) else None
            extra[card_key(kpi.kpi, "value")] = value
            relations.append(Relation.same(card_key(kpi.kpi, "value"),
                                           total_key(*_CARD_COUNTS[kpi.kpi])))
            continue
        if not kpi.is_rate:
            continue
        first = f"{kpi.period_from or kpi.period_to:%Y-%m}"
        last = f"{kpi.period_to:%Y-%m}"
        window = [p for p in periods if isinstance(p, str) and first <= p <= last]
        for part, column in zip(("numerator", "denominator"), _CARD_PARTS["_ex_" in kpi.kpi],
                                strict=True):
            extra[card_key(kpi.kpi, part)] = getattr(kpi, part)
            if window and window[0] == first and window[-1] == last:
                relations.append(Relation.total(card_key(kpi.kpi, part),
                                                (month.key((p,), column) for p in window)))
    return figures.with_relations(relations, extra)


# The trend's columns behind the share of plans reviewed in the last 12 months.
REVIEWED, REVIEW_DUE = "reviewed_in_last_12_months", "review_due_once"
REVIEWS_CARD = "reviews_in_time"


def with_reviews_card(figures: BoardFigures, last: Mapping[str, object], as_of: date
                      ) -> BoardFigures:
    """The reviews card's two counts, LAST (the trend's as-of month): the plans a review had
    fallen due for and those reviewed in the 12 months, which, where the month is exact, add
    up with the overdue count; and the over-time table's same figures."""
    reviewed, due = card_key(REVIEWS_CARD, "reviewed"), card_key(REVIEWS_CARD, "due")
    counts = {k: int(last.get(c) or 0) for k, c in ((reviewed, REVIEWED), (due, REVIEW_DUE))}
    relations = []
    if not last.get(NOT_KNOWN):
        relations.append(Relation.total(due, (reviewed, card_key("reviews_overdue", "value"))))
    now = (f"{as_of:%Y-%m}",)
    if MONTHS in figures.tables and now in figures.cells(MONTHS).row_labels():
        months = figures.cells(MONTHS)
        relations += [Relation.same(reviewed, months.key(now, REVIEWED)),
                      Relation.same(due, months.key(now, REVIEW_DUE))]
    return figures.with_relations(relations, counts)


def reviews_card_hidden(hidden: frozenset[Key]) -> bool:
    return any(card_key(REVIEWS_CARD, p) in hidden for p in ("reviewed", "due"))


def with_benchmark(figures: BoardFigures, counts: pl.DataFrame, first_request: date | None,
                   as_of: date) -> BoardFigures:
    """The benchmark table's plans and plans within 20 weeks (excluding exceptions) a year
    (COUNTS: board_benchmark's rows, `time_period` the year): a year whose every month with
    plans (from the export's first request to the as-of date) the monthly table holds is
    those months added up, as the year-end sentence's year so far is."""
    figures = figures.with_table(BENCHMARK, counts, ["time_period"],
                                 {"pct_within_20_weeks_ex": _CARD_PARTS[True]})
    bench, monthly = figures.cells(BENCHMARK), figures.cells(MONTHLY)
    periods = {p for (p,) in monthly.row_labels()}
    relations = []
    for (year,) in bench.row_labels():
        first = (first_request.month if first_request is not None
                 and first_request.year == year else 1)
        last = as_of.month if year == as_of.year else 12
        months = [f"{year}-{m:02d}" for m in range(first, last + 1)]
        if months and all(m in periods for m in months):
            relations += [Relation.total(bench.key((year,), c),
                                         (monthly.key((m,), c) for m in months))
                          for c in _CARD_PARTS[True]]
    return figures.with_relations(relations)


def benchmark_hidden(hidden: frozenset[Key], year: int) -> bool:
    """Whether the benchmark's counts of YEAR are hidden (a rate on them is, too)."""
    return any((BENCHMARK, (year,), c) in hidden for c in _CARD_PARTS[True])


def card_hidden(kpi: Kpi, hidden: frozenset[Key]) -> tuple[bool, bool]:
    """(the card's figure hidden, its numerator and denominator hidden)."""
    if kpi.is_rate:
        parts = any(card_key(kpi.kpi, p) in hidden for p in ("numerator", "denominator"))
        return parts, parts
    return card_key(kpi.kpi, "value") in hidden, False


def with_months(figures: BoardFigures, months: pl.DataFrame,
                rates: Mapping[str, tuple[str, ...]], as_of: date,
                left: tuple[str, str]) -> BoardFigures:
    """The over-time table (board_trend.py) joins the pool: its own relations, and the
    figures it shares with the monthly table and the open-requests totals."""
    figures = figures.with_table(MONTHS, months, ["month"], rates)
    cells, monthly = figures.cells(MONTHS), figures.cells(MONTHLY)
    shared = {"plans_issued": "plans_issued",
              "plans_issued_within_20_weeks": "issued_within_20_weeks"}
    periods = {r[0] for r in monthly.row_labels()}
    relations = [
        *cells.row_sums("plans_issued", ["plans_issued_from_backlog", "plans_issued_current"]),
        *cells.carried("open_at_month_end", ["requests_received"], list(left)),
        *(Relation.same(cells.key((m,), ours), monthly.key((m,), theirs))
          for (m,) in cells.row_labels() if m in periods for ours, theirs in shared.items()),
    ]
    now = (f"{as_of:%Y-%m}",)
    if now in cells.row_labels():
        relations += [Relation.same(cells.key(now, ours), total_key(OPEN, theirs))
                      for ours, theirs in (("open_at_month_end", "open_cases"),
                                           ("open_overdue_at_month_end", "overdue"),
                                           ("open_over_52_weeks_at_month_end",
                                            "weeks_52_plus"))]
    # A month end whose review figures are exact (the column is blank where not): due =
    # reviewed + overdue, the as-of month's overdue the reviews table's total.
    overdue = "reviews_overdue_at_month_end"
    if {overdue, REVIEWED, REVIEW_DUE} <= set(months.columns):
        exact = [r for r, v in zip(cells.row_labels(), months[overdue], strict=True)
                 if v is not None]
        relations += [Relation.total(cells.key(r, REVIEW_DUE),
                                     (cells.key(r, REVIEWED), cells.key(r, overdue)))
                      for r in exact]
        if now in exact:
            relations.append(Relation.same(cells.key(now, overdue),
                                           total_key(REVIEWS, "reviews_overdue")))
    return figures.with_relations(relations)


def with_outlook(figures: BoardFigures, as_of: date, outlook: YearEnd, lookbacks: Iterable[str]
                 ) -> BoardFigures:
    """The year-end and backlog-clearance sentences (summaries/year_end.py, clearance.py): the
    year's plans issued and within 20 weeks so far, excluding exceptions (the monthly
    table's months of AS_OF's year added up, in its columns excluding exceptions), the open
    overdue and in-time counts in DfE's scope without exceptions (the overdue count and
    those it leaves out add up to the open-requests total, the overdue card's), and the
    overdue backlog at each LOOKBACKS month end (a net change a month
    over k months gives it back). outlook_hidden says whether any of them is hidden: the
    sentences are then withheld."""
    months, monthly = figures.cells(MONTHS), figures.cells(MONTHLY)
    plans, within_key, overdue, in_time = (("year_end", c) for c in (
        "plans", "within", "overdue", "in_time"))
    backlog = tuple(months.key((m,), "open_overdue_at_month_end") for m in lookbacks
                    if (m,) in months.row_labels())
    this_year = [p for (p,) in monthly.row_labels() if str(p).startswith(f"{as_of.year}-")]
    relations = [] if len(this_year) != as_of.month else [
        Relation.total(key, (monthly.key((p,), column) for p in this_year))
        for key, column in zip((within_key, plans), _CARD_PARTS[True], strict=True)]
    extra: dict[Key, int | None] = {
        plans: outlook.plans_issued, within_key: outlook.issued_within_20_weeks,
        overdue: outlook.open_overdue, in_time: outlook.open_in_time}
    every_overdue = figures.extra.get(total_key(OPEN, "overdue"))
    if every_overdue is not None:
        # The overdue card's total (every open overdue request) is the outlook's count plus
        # those it leaves out (outside DfE's scope, with a reg 10(4) exception, on day 140
        # by the day-one convention): a count of its own, to protect when small. One of the
        # two shown figures must then go, and it is the outlook's: its sentences have a
        # withheld form and the board's story keeps its headline, whereas the card's total
        # is a headline KPI, and hiding it would hide figures of the open-requests table and
        # the as-of month end's overdue stock with it.
        left_out = ("year_end", "left_out")
        relations.append(Relation.total(total_key(OPEN, "overdue"), (overdue, left_out)))
        extra[left_out] = every_overdue - outlook.open_overdue
    figures = figures.with_relations(relations, extra)
    return dataclasses.replace(figures, outlook=(plans, within_key, overdue, in_time,
                                                 total_key(OPEN, "overdue"), *backlog),
                               expendable=(*figures.expendable, overdue))


def outlook_hidden(figures: BoardFigures, hidden: frozenset[Key]) -> bool:
    return any(k in hidden for k in figures.outlook)
