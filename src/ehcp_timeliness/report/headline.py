"""The board pack's headline: at most five cards, led by DfE's measure (plans within 20 weeks,
excluding exceptions, over 12 months), then the open overdue requests, annual reviews in time,
6-week decisions and the median weeks to a plan, as far as the export can give them. Each card
says what it counts; a figure beside it (England, the previous year, a target) only when there
is one. The other 20-week windows are a table (windows_table), not cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.board_tables import England, KpiCard, Table, blanked, make_table
from ehcp_timeliness.report.disclosure import is_small as is_suppressed
from ehcp_timeliness.report.periods import PartPeriods
from ehcp_timeliness.report.targets import Progress
from ehcp_timeliness.summaries.dfe import TIME_PERIOD
from ehcp_timeliness.summaries.figures import HEADLINE_MONTHS, WINDOWS, Figures, Kpi, window_start
from ehcp_timeliness.summaries.trend import NOT_KNOWN, Trend

HEADLINE_KPI = "pct_within_20_weeks_ex_12_months"
WINDOW_HEADINGS = {"window": "Window", "scope": "Plans counted",
                   "milestone_now": "Milestone now %", "target_status": "Against the milestone"}


@dataclass(frozen=True)
class Beside:
    label: str
    text: str


@dataclass(frozen=True)
class HeadlineCard:
    key: str                      # the page's data-kpi: a KPI id or a measure's name
    title: str
    scope: str                    # what is counted, in words
    window: str
    value: float | int | None     # None: hidden, or nothing to measure
    unit: str                     # "%", " weeks" or "" (a count)
    hidden: bool
    detail: str
    beside: tuple[Beside, ...] = ()
    progress: Progress | None = None
    progress_unit: str = ""       # the target's unit when it is not the value's
    kpi: str | None = None        # the KPI whose month-on-month changes the card shows
    trend_unknown: str = ""       # why the card shows no change over time


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    pct: float | None
    hidden: bool


def _rate(numerator: int, denominator: int, pct: float | None, threshold: int) -> Rate:
    hidden = is_suppressed(numerator, threshold) or is_suppressed(denominator, threshold)
    return Rate(numerator, denominator, None if hidden else pct, hidden)


def figure(value: float | int | None, unit: str) -> str:
    """A card's figure: rates and weeks to one decimal, counts whole."""
    if value is None:
        return "–"
    if unit in ("%", " weeks"):
        return f"{float(value):.1f}{unit}"
    return f"{round(value):,}{unit}"


def gap_words(progress: Progress, unit: str) -> str:
    """The gap to the milestone in force: points for a rate, a count otherwise."""
    if progress.gap is None:
        return ""
    if unit == "%":
        return f" ({progress.gap:+.1f} pts)"
    return f" ({round(progress.gap):+,})"


def window_label(as_of: date, months: int, periods: PartPeriods) -> str:
    """The window of MONTHS calendar months ending with AS_OF's month, as every part of the
    board names it: its last month marked "(to 15 Jun)" only when it is a part one, and the
    day the export begins when that is inside the window (its figure then covers less)."""
    start = window_start(as_of, months)
    first, part = periods.first_request, periods.as_of_month_is_part
    notes = [f"{months} months"] if months > 1 else []
    if months == 1:
        label = f"{as_of:%B %Y}"
        notes += [f"to {as_of.day} {as_of:%b}"] if part else []
    else:
        end = f"{as_of.day} {as_of:%b %Y}" if part else f"{as_of:%b %Y}"
        label = f"{start:%b %Y} – {end}"
    if first is not None and first > start:
        notes.append(f"the export begins {first.day} {first:%b %Y}")
    return f"{label} ({'; '.join(notes)})" if notes else label


def _headline_card(card: KpiCard, analysis: Analysis, dfe: pl.DataFrame, threshold: int,
                   england: England, periods: PartPeriods,
                   published_last_year: tuple[str, float | None] | None,
                   last_year_hidden: bool = False) -> HeadlineCard:
    as_of = analysis.as_of
    beside = [Beside(f"England {england.year} (published)", figure(england.pct_ex, "%"))]
    last_year = as_of.year - 1
    row = dfe.filter(pl.col(TIME_PERIOD) == last_year)
    if row.height:
        r = row.row(0, named=True)
        rate = _rate(r["plans_issued_20_weeks_ex"], r["plans_issued_den_ex"],
                     r["PC_plans_issued_20_weeks_ex"], threshold)
        label = periods.year_label(last_year)
        beside.append(Beside(f"{label}, your data", "c" if rate.hidden or last_year_hidden
                             else figure(rate.pct, "%")))
    if published_last_year is not None:
        name, value = published_last_year
        beside.append(Beside(f"{name} {last_year} (published)", figure(value, "%")))
    detail = ("fewer plans than the suppression threshold" if card.parts_hidden
              else f"{card.numerator:,} of {card.denominator:,} plans")
    return HeadlineCard(
        card.kpi, "New plans issued within 20 weeks (DfE's headline)",
        "Excluding exceptions, in DfE's scope, by month of issue", window_label(
            as_of, HEADLINE_MONTHS, periods),
        card.value, "%", card.hidden, detail, tuple(beside), card.progress, "", card.kpi)


def _overdue_card(card: KpiCard, analysis: Analysis, threshold: int, figures: Figures,
                  outlook_overdue: int | None) -> HeadlineCard:
    """OUTLOOK_OVERDUE: the open overdue requests the year-end outlook counts (DfE's headline
    basis: in scope, without a reg 10(4) exception), None when the page does not show it."""
    scope = "Every open request past its 20-week date, whatever its route"
    outside, excepted = figures.overdue_out_of_scope, figures.overdue_with_exception
    # With the day-one convention a request is overdue on day 140, and late by DfE's rule
    # (more than 140 days) only a day later.
    day_140 = (0 if card.value is None or outlook_overdue is None
               else int(card.value) - outside - excepted - outlook_overdue)
    left_out = [f"{outside:,} outside DfE's scope (mediation, a tribunal appeal or from "
                f"another authority)" if outside else "",
                f"{excepted:,} with a reg 10(4) exception" if excepted else "",
                f"{day_140:,} on day 140, overdue by your day-counting convention but not yet "
                "late by DfE's" if day_140 > 0 else ""]
    # Every part is a count of its own: with any one small the split would give it back.
    parts = (outside, excepted, day_140, outlook_overdue)
    if (any(left_out) and outlook_overdue is not None and not card.hidden
            and not any(is_suppressed(n, threshold) for n in parts if n)):
        scope += (f"; the year-end outlook, on DfE's headline basis, counts "
                  f"{outlook_overdue:,}: it leaves out "
                  f"{_in_words([w for w in left_out if w])}")
    return HeadlineCard(
        card.kpi, "Open requests overdue", scope + ".", f"on {analysis.as_of:%d %b %Y}",
        card.value, "", card.hidden, "", (), card.progress, "", card.kpi)


def _in_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _reviews_card(card: KpiCard, analysis: Analysis, threshold: int,
                  last: dict[str, object], counts_hidden: bool = False) -> HeadlineCard:
    """`trend`'s measure at the as-of date (summaries/trend.py, rules/spans.py): of the plans
    in force long enough for a review to have fallen due, those reviewed in the last 12
    months (CFA s44(1)); the overdue count beside it. LAST: the trend's as-of month;
    COUNTS_HIDDEN: its two counts hidden by the pack's disclosure control."""
    reviewed = int(last.get("reviewed_in_last_12_months") or 0)
    due = int(last.get("review_due_once") or 0)
    not_known = int(last.get(NOT_KNOWN) or 0)
    small = is_suppressed(reviewed, threshold) or is_suppressed(due, threshold)
    hidden = counts_hidden or small
    pct = None if hidden or not_known else last.get("pct_reviewed_in_last_12_months")
    if small:
        detail = "fewer plans than the suppression threshold"
    elif hidden:
        detail = "hidden: with the overdue count it would give a suppressed figure back"
    elif not_known and (column := analysis.missing_review_column):
        detail = (f"Not known: this export has no {column} column, so no plan's review can "
                  "be dated.")
    elif not_known:
        # Only a lower bound is known: left blank, with why (as the monthly table does).
        plans = ("some plans'" if is_suppressed(not_known, threshold)
                 else f"{not_known:,} {'plan’s' if not_known == 1 else 'plans’'}")
        detail = (f"Not known: {plans} only recorded review is dated after "
                  f"{analysis.as_of:%d %b %Y}. Run as of the export's own date for exact "
                  "figures.")
    else:
        detail = f"{reviewed:,} of {due:,} plans"
    overdue = "c" if card.hidden else (
        f"at least {card.value:,}" if not_known else f"{card.value:,}")
    return HeadlineCard(
        "reviews_in_time", "Plans reviewed within 12 months",
        "Plans in force long enough for a review to have fallen due, reviewed in the last "
        "12 months (CFA s44(1)), as the trend command counts them",
        f"on {analysis.as_of:%d %b %Y}", pct, "%", hidden, detail,
        (Beside("Reviews overdue", overdue),),
        card.progress, " overdue", None,
        "Earlier months are not known: an export keeps only each plan's last review."
        if analysis.reviews_recorded
        else "Earlier months are not known: no review in this export is dated.")


def _six_week_card(analysis: Analysis, dfe: pl.DataFrame, threshold: int,
                   periods: PartPeriods) -> HeadlineCard | None:
    year = analysis.as_of.year
    rows = {r[TIME_PERIOD]: r for r in dfe.to_dicts()}
    this = rows.get(year)
    if this is None or not (this["request_outcome_six_weeks"] or 0) + (
            this["request_outcome_over_6_weeks"] or 0):
        return None

    def of(r: dict[str, object]) -> Rate:
        within, over = int(r["request_outcome_six_weeks"] or 0), int(
            r["request_outcome_over_6_weeks"] or 0)
        return _rate(within, within + over, r["request_outcome_six_weeks_pc"], threshold)

    now = of(this)
    beside = []
    if year - 1 in rows:
        before = of(rows[year - 1])
        beside.append(Beside(periods.year_label(year - 1), "c" if before.hidden
                             else figure(before.pct, "%")))
    detail = ("fewer decisions than the suppression threshold" if now.hidden
              else f"{now.numerator:,} of {now.denominator:,} decisions")
    return HeadlineCard(
        "six_week_decisions", "Decisions whether to assess within 6 weeks",
        "DfE's method: decisions in the year, in DfE's scope, within 6 weeks of the request "
        "(reg 4(2))", periods.year_label(year), now.pct, "%", now.hidden, detail,
        tuple(beside))


def _median_card(analysis: Analysis, threshold: int, periods: PartPeriods,
                 figures: Figures, counts_hidden: bool = False) -> HeadlineCard | None:
    if figures.median_plans == 0:
        return None
    hidden = counts_hidden or is_suppressed(figures.median_plans, threshold)
    return HeadlineCard(
        "median_weeks_to_issue", "Median weeks from request to plan",
        "New plans issued in the window, in DfE's scope, with or without a reg 10(4) "
        "exception; the statutory limit is 20 weeks",
        window_label(analysis.as_of, HEADLINE_MONTHS, periods),
        None if hidden else figures.median_weeks, " weeks", hidden,
        "" if hidden else f"over {figures.median_plans:,} plans")


def build_headline(analysis: Analysis, cards: tuple[KpiCard, ...], dfe: pl.DataFrame,
                   case: Figures, trend: Trend, threshold: int, england: England,
                   periods: PartPeriods, published_last_year: tuple[str, float | None] | None,
                   outlook_overdue: int | None = None, reviews_hidden: bool = False,
                   median_hidden: bool = False, last_year_hidden: bool = False
                   ) -> tuple[HeadlineCard, ...]:
    """The headline cards in order. DFE: the analysis's DfE figures (dfe_views.figures_of);
    CASE: its figures (summaries.figures.case_figures); TREND: the board's trend, whose as-of
    month the reviews card reads; OUTLOOK_OVERDUE: the year-end outlook's open overdue count
    when the pack shows the outlook; REVIEWS_HIDDEN: the reviews card's counts hidden by the
    pack's disclosure control (board_disclosure.with_reviews_card); MEDIAN_HIDDEN: the counts
    the median card is taken over hidden there; LAST_YEAR_HIDDEN: the previous year's counts
    hidden in the benchmark table."""
    reviews = trend.table.row(-1, named=True) if trend.table.height else {}
    by_kpi = {c.kpi: c for c in cards}
    found: list[HeadlineCard | None] = []
    if not by_kpi[HEADLINE_KPI].not_in_export:
        found += [
            _headline_card(by_kpi[HEADLINE_KPI], analysis, dfe, threshold, england, periods,
                           published_last_year, last_year_hidden),
            _overdue_card(by_kpi["open_cases_overdue"], analysis, threshold, case,
                          outlook_overdue)]
    found.append(_reviews_card(by_kpi["reviews_overdue"], analysis, threshold, reviews,
                               reviews_hidden))
    if not by_kpi[HEADLINE_KPI].not_in_export:
        found += [_six_week_card(analysis, dfe, threshold, periods),
                  _median_card(analysis, threshold, periods, case, median_hidden)]
    return tuple(c for c in found if c is not None)


def windows_table(kpis: tuple[Kpi, ...], cards: tuple[KpiCard, ...], periods: PartPeriods,
                  threshold: int) -> Table:
    """Every 20-week window, with and without exceptions: the variants the headline leaves
    out, as a table (a card each would bury DfE's measure among its neighbours), with the
    milestone in force and the status where a target is set for the window."""
    rates = [k for k in kpis if k.is_rate]
    by_card = {c.kpi: c for c in cards}
    months = dict(WINDOWS)
    frame = pl.DataFrame({
        "window": [window_label(k.period_to, months[k.kpi.rsplit("weeks_", 1)[1].removeprefix(
            "ex_")], periods) for k in rates],
        "scope": ["excluding exceptions" + (" (DfE's headline)" if k.kpi == HEADLINE_KPI
                                            else "") if "_ex_" in k.kpi
                  else "including exceptions" for k in rates],
        "plans_issued": [k.denominator for k in rates],
        "issued_within_20_weeks": [k.numerator for k in rates],
        "pct_within_20_weeks": [k.value for k in rates],
    }, schema={"window": pl.String, "scope": pl.String, "plans_issued": pl.Int64,
               "issued_within_20_weeks": pl.Int64, "pct_within_20_weeks": pl.Float64})
    if any(by_card[k.kpi].progress for k in rates):
        frame = frame.with_columns(
            pl.Series("milestone_now", [
                p.current.value if (p := by_card[k.kpi].progress) and p.current else None
                for k in rates], pl.Float64),
            pl.Series("target_status", [
                p.status.capitalize() + gap_words(p, "%") if (p := by_card[k.kpi].progress)
                else None for k in rates], pl.String))
    # The cards were suppressed in the board's pool (board_disclosure.py): a window's figures
    # hidden there are hidden here too, or the table would give them back.
    pooled = {"plans_issued": [by_card[k.kpi].parts_hidden for k in rates],
              "issued_within_20_weeks": [by_card[k.kpi].parts_hidden for k in rates],
              "pct_within_20_weeks": [by_card[k.kpi].hidden for k in rates]}
    table = make_table(frame, threshold)
    mask = table.mask.with_columns(
        (pl.col(c) | pl.Series(c, flags, pl.Boolean)).alias(c) for c, flags in pooled.items())
    return Table(blanked(table.frame, mask, pooled), mask)
