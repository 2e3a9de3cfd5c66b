"""`check`: each threshold set, the figure it was measured against, and pass or fail.

View-model first (GateView), then its JSON and Rich renderings; only cli/ prints. Kept in one
module of its own so the gate can change without touching the summary's views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from ehcp_timeliness.check_thresholds import THRESHOLDS, Threshold
from ehcp_timeliness.config_text import conventions
from ehcp_timeliness.io.writers import json_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.views import Accounting
from ehcp_timeliness.summaries.figures import case_figures, window_start
from ehcp_timeliness.summaries.gate import (
    Measure,
    error_rows,
    open_overdue,
    reviews_overdue_pct,
    window_rate_ex,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

Result = Literal["pass", "fail", "no data", "not known"]


@dataclass(frozen=True)
class ThresholdResult:
    spec: Threshold
    limit: float | int
    measure: Measure

    @property
    def result(self) -> Result:
        value = self.measure.value
        if value is None:
            return "no data"  # a % of nothing is below no minimum and above no maximum
        holds = value >= self.limit if self.spec.bound == "min" else value <= self.limit
        if self.measure.is_lower_bound and (holds if self.spec.bound == "max" else not holds):
            # The truth may be higher: past a maximum it fails for certain; within one, or
            # short of a minimum, the export cannot say.
            return "not known"
        return "pass" if holds else "fail"

    def to_dict(self) -> dict[str, object]:
        return {"name": self.spec.name, "flag": self.spec.flag,
                "comparison": self.spec.comparison,
                "threshold": self.limit, "measured": self.measure.value,
                "numerator": self.measure.numerator, "denominator": self.measure.denominator,
                "measured_is_lower_bound": self.measure.is_lower_bound,
                "result": self.result, "measures": self.spec.measures}


@dataclass(frozen=True)
class GateView:
    source: str
    as_of: date
    window_months: int
    window_from: date
    results: tuple[ThresholdResult, ...]
    accounting: Accounting
    conventions: tuple[tuple[str, str], ...]
    first_request: date | None = None  # the export's earliest request date

    @property
    def export_begins_in_window(self) -> bool:
        """The export begins after the window's first day: the rate covers less of it."""
        return self.first_request is not None and self.first_request > self.window_from

    @property
    def failed(self) -> tuple[ThresholdResult, ...]:
        return tuple(r for r in self.results if r.result == "fail")

    @property
    def passed(self) -> bool:
        """No threshold failed and some threshold was decided: the gate never passes on
        nothing (`check` then exits 1, and its JSON says `passed` false)."""
        return not self.failed and self.decided

    @property
    def decided(self) -> bool:
        """Some threshold passed or failed: every one `no data` or `not known` judged
        nothing."""
        return any(r.result in ("pass", "fail") for r in self.results)


def build_gate(analysis: Analysis, limits: dict[str, float | int | None],
               window_months: int) -> GateView:
    """Measure only the thresholds that are set (limits: [check] key -> limit or None)."""
    as_of = analysis.as_of
    figures = case_figures(analysis.cases, as_of, analysis.undated_plans, (window_months,))
    measure = {
        "min_pct_within_20_weeks": lambda: window_rate_ex(figures, window_months),
        # A plan register has no requests: nothing to measure, never "0 overdue, pass".
        "max_overdue": lambda: (open_overdue(figures) if analysis.has_request_dates
                                else Measure(None, None, None)),
        "max_reviews_overdue_pct": lambda: reviews_overdue_pct(figures),
        "max_error_rows": lambda: error_rows(analysis.issues),
    }
    results = tuple(ThresholdResult(spec, limit, measure[spec.name]())
                    for spec in THRESHOLDS if (limit := limits.get(spec.name)) is not None)
    return GateView(analysis.export.name, as_of, window_months,
                    window_start(as_of, window_months), results, Accounting.of(analysis),
                    tuple(conventions(analysis.config)), figures.first_request_date)


def gate_bytes(view: GateView) -> bytes:
    return json_bytes({
        "passed": view.passed,
        "source": view.source,
        "as_of": view.as_of.isoformat(),
        "window": {"months": view.window_months, "from": view.window_from.isoformat(),
                   "to": view.as_of.isoformat(),
                   "export_begins": (view.first_request.isoformat()
                                     if view.export_begins_in_window and view.first_request
                                     else None)},
        "thresholds": [r.to_dict() for r in view.results],
        "rows": view.accounting.to_dict(),
        "conventions": dict(view.conventions),
    })


def verdict(view: GateView) -> str:
    """One line for a log: which thresholds failed, or that all held."""
    if view.passed:
        n = len(view.results)
        unmeasured = sum(r.result == "no data" for r in view.results)
        unknown = sum(r.result == "not known" for r in view.results)
        if unmeasured or unknown:  # "all hold" would claim what nothing measured
            said = [f"{unmeasured} had no data to measure"] if unmeasured else []
            said += [f"{unknown} could not be decided from a lower bound"] if unknown else []
            return (f"check passed: none of {n} threshold{'' if n == 1 else 's'} failed; "
                    f"{'; '.join(said)}.")
        return f"check passed: {'the threshold holds' if n == 1 else f'all {n} thresholds hold'}."
    if not view.failed:
        return "check decided nothing: every threshold had no data or was not known."
    names = ", ".join(r.spec.name for r in view.failed)
    return f"check failed: {len(view.failed)} of {len(view.results)} thresholds ({names})."


def _measured(result: ThresholdResult) -> str:
    m = result.measure
    if m.value is None:
        return "no data (nothing to measure)"
    at_least = "at least " if m.is_lower_bound else ""
    if result.spec.unit == "%":
        return f"{at_least}{m.value:.1f}% ({m.numerator:,} of {m.denominator:,})"
    return f"{at_least}{m.value:,}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _begins(view: GateView) -> str:
    if not view.export_begins_in_window or view.first_request is None:
        return ""
    return f"; the export begins {_day(view.first_request)}, so the rate covers less"


def _limit(result: ThresholdResult) -> str:
    sign = "≥" if result.spec.bound == "min" else "≤"
    return f"{sign} {result.limit:g}{'%' if result.spec.unit == '%' else ''}"


def render_gate(view: GateView) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ehcp_timeliness.report.terminal import render_footer

    rate = any(r.spec.name == "min_pct_within_20_weeks" for r in view.results)
    table = Table(title=f"Check on {_day(view.as_of)}", title_justify="left",
                  caption=f"20-week window: {_day(view.window_from)} to {_day(view.as_of)} "
                  f"({view.window_months} calendar month{'' if view.window_months == 1 else 's'}"
                  f"{_begins(view)})." if rate else None,
                  caption_justify="left")
    for heading in ("threshold", "measures", "limit", "measured", "result"):
        table.add_column(heading, overflow="fold")
    styles = {"pass": "green", "fail": "bold red", "no data": "yellow", "not known": "yellow"}
    for r in view.results:
        table.add_row(Text(r.spec.flag), Text(r.spec.measures), Text(_limit(r)), Text(_measured(r)),
                      Text(r.result.upper(), style=styles[r.result]))
    return Group(table, render_footer(view.accounting, view.conventions, view.source,
                                      view.as_of))
