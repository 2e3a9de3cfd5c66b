"""The year-end forecast replayed at past month ends of an export (docs/reports.md#backtest).

At each month end from January to November of a past year, the export is analysed as of that
day (events dated later had not happened) and the forecast made as it would have been then;
the year's final rate is the same figure as of 31 December. A month end is replayed only when
the export holds a full 12 months of requests before it: the forecast's own history. A replay
with fewer months than the forecast reads (year_end.HISTORY_MONTHS_NEEDED, its short_history)
is kept apart: scored in its own rows, outside the targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ehcp_timeliness.columns import RECEIVED_DATE
from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.summaries.year_end import HISTORY_DAYS, YearEnd, year_end

SCORED_FROM_MONTH = 3     # the targets hold from the end of March on
WIDTH_MONTH = 6           # the likely range's width is judged at the end of June


@dataclass(frozen=True)
class Replay:
    """The forecast made at AS_OF against the year's final rate (all DfE's headline basis)."""

    as_of: date
    final: float
    central: float
    likely_low: float
    likely_high: float
    short_history: bool = False  # the forecast then said it rests on short history

    @property
    def error(self) -> float:
        return round(self.central - self.final, 1)

    @property
    def held(self) -> bool:
        return self.likely_low <= self.final <= self.likely_high

    @property
    def width(self) -> float:
        return round(self.likely_high - self.likely_low, 1)


@dataclass(frozen=True)
class Score:
    """Over the replays from the end of March on (width: at the end of June)."""

    replays: int
    mean_absolute_error: float
    worst_absolute_error: float
    held_share: float          # of replays whose likely range held the final rate
    widest_in_june: float | None

    def cells(self) -> list[str]:
        june = "–" if self.widest_in_june is None else f"{self.widest_in_june:.1f}"
        return [str(self.replays), f"{self.mean_absolute_error:.1f}",
                f"{self.worst_absolute_error:.1f}", f"{100 * self.held_share:.0f}%", june]


def month_ends(first_request: date, last_day: date) -> list[date]:
    """January … November month ends of each year that ended by LAST_DAY, with a full
    HISTORY_DAYS of requests before them (FIRST_REQUEST: the export's earliest)."""
    found = []
    for year in range(first_request.year, last_day.year + 1):
        if date(year, 12, 31) > last_day:
            break
        for month in range(1, 12):
            day = date(year, month + 1, 1) - timedelta(days=1)
            if day - timedelta(days=HISTORY_DAYS) >= first_request:
                found.append(day)
    return found


def _forecast(path: Path, config: Config, as_of: date) -> YearEnd:
    analysis = analyse(path, config, as_of, review_process=False)
    return year_end(analysis.cases, as_of, analysis.undated_plans)


def replay(path: Path, config: Config, last_day: date,
           months: Sequence[int] | None = None) -> list[Replay]:
    """Every month end month_ends gives for the export at PATH (analysed as of LAST_DAY to
    find its earliest request); MONTHS: only those months of each year."""
    whole = analyse(path, config, last_day, review_process=False)
    first = whole.cases[RECEIVED_DATE].min()
    if not isinstance(first, date):
        return []
    days = [d for d in month_ends(first, last_day) if months is None or d.month in months]
    finals: dict[int, float | None] = {}
    found = []
    for day in days:
        if day.year not in finals:
            finals[day.year] = _forecast(path, config, date(day.year, 12, 31)).pct_so_far
        made = _forecast(path, config, day)
        final = finals[day.year]
        if None in (final, made.central, made.likely_low, made.likely_high):
            continue
        found.append(Replay(day, final, made.central, made.likely_low,  # type: ignore[arg-type]
                            made.likely_high, made.short_history))  # type: ignore[arg-type]
    return found


def by_history(replays: Sequence[Replay]) -> tuple[list[Replay], list[Replay]]:
    """The replays made with the history the forecast reads, and those on short history."""
    return ([r for r in replays if not r.short_history],
            [r for r in replays if r.short_history])


def score(replays: Sequence[Replay]) -> Score | None:
    scored = [r for r in replays if r.as_of.month >= SCORED_FROM_MONTH]
    if not scored:
        return None
    errors = [abs(r.error) for r in scored]
    june = [r.width for r in scored if r.as_of.month == WIDTH_MONTH]
    return Score(len(scored), round(sum(errors) / len(errors), 1), max(errors),
                 sum(r.held for r in scored) / len(scored), max(june) if june else None)


SCORE_HEADINGS = ("Export", "Month ends replayed", "Mean absolute error (points)",
                  "Worst absolute error", "Likely range held the final rate",
                  "Widest likely range at end of June")


def markdown_table(scores: Sequence[tuple[str, Score | None]]) -> str:
    lines = ["| " + " | ".join(SCORE_HEADINGS) + " |",
             "|" + "---|" * len(SCORE_HEADINGS)]
    for name, found in scores:
        cells = found.cells() if found is not None else ["0", "–", "–", "–", "–"]
        lines.append("| " + " | ".join([name, *cells]) + " |")
    return "\n".join(lines)


def by_month_table(replays: Sequence[Replay]) -> str:
    """Each replay: month end, final, forecast, error, likely range and whether it held."""
    lines = ["| Month end | Final rate | Forecast | Error | Likely range | Held | History |",
             "|---|---|---|---|---|---|---|"]
    for r in replays:
        lines.append(f"| {r.as_of.isoformat()} | {r.final:.1f} | {r.central:.1f} | "
                     f"{r.error:+.1f} | {r.likely_low:.1f}–{r.likely_high:.1f} | "
                     f"{'yes' if r.held else 'no'} | "
                     f"{'short' if r.short_history else 'full'} |")
    return "\n".join(lines)
