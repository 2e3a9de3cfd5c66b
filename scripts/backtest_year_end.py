"""Backtest the year-end forecast (`make backtest`): replay it at past month ends of the shipped
sample and of synthetic exports of other shapes, and score it against each year's final rate.

    .venv/bin/python scripts/backtest_year_end.py [--write-docs] [--by-month] [--seeds 501 505]
    .venv/bin/python scripts/backtest_year_end.py --export cases.csv --config mapping.toml \
        --last-day 2025-06-30 --by-month

--write-docs puts the table into docs/reports.md between its backtest markers. --export replays
your own export instead (its last day: the date it was taken). --seeds replays synthetic
exports of other seeds instead of the published ones (each seed and the next three: one export
of each shape), to check a change on exports it was not chosen on. Deterministic: the same code
gives the same table.

At each month end from January to November of a past year, the export is analysed as of that
day (events dated later had not happened) and the forecast made as it would have been then;
the year's final rate is the same figure as of 31 December. A month end is replayed only when
the export holds a full 12 months of requests before it: the forecast's own history. A replay
with fewer months than the forecast reads (year_end.HISTORY_MONTHS_NEEDED, its short_history)
is kept apart: scored in its own rows, outside the targets.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ehcp_timeliness.columns import RECEIVED_DATE
from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.errors import EhcpError
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.summaries.year_end import HISTORY_DAYS, YearEnd, year_end
from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_export import mapping_toml, to_messy_export

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


ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SAMPLE_LAST_DAY = date(2025, 6, 30)
DOCS = ROOT / "docs" / "reports.md"
START, END = "<!-- backtest:start -->", "<!-- backtest:end -->"

# Five years of requests to the end of 2025 in each profile's shape, about 650 a year as in the
# sample, and a year before them at the shape's first pace (generate_cases' lead_days): a
# service already running, so that 2022 to 2025 each have the two years of history the forecast
# reads before their first replay. 2021, with 12 to 24 months, is replayed on short history.
SYNTHETIC_ROWS = 3200
SYNTHETIC_YEARS = 5
SYNTHETIC_LEAD_DAYS = 365
SYNTHETIC_LAST_DAY = date(2025, 12, 31)
SHAPES = (("stable", "a stable service"), ("growing", "growing demand"),
          ("clearing", "a backlog being cleared"))
# Replayed and published, but outside the targets: a change no forecast from an export can see
# until the first request of the new service reaches day 140.
STRESS = (("step", "a step change in service"),)
SEEDS = (31, 101, 201)  # three exports of each shape: one seed would flatter or wrong it
STRESS_LABEL = "stress test, outside the targets"
# Replays where the export holds fewer months of requests than the forecast reads
# (year_end.HISTORY_MONTHS_NEEDED): the forecast says it rests on short history.
SHORT_LABEL = "short history, outside the targets"


def synthetic_export(folder: Path, profile: str, seed: int) -> tuple[Path, Path]:
    cases = generate_cases(SYNTHETIC_ROWS, seed, SYNTHETIC_LAST_DAY, profile=profile,
                           history_days=SYNTHETIC_YEARS * 365, lead_days=SYNTHETIC_LEAD_DAYS)
    export = to_messy_export(cases, seed)
    path, mapping = folder / f"{profile}-{seed}.csv", folder / f"{profile}-{seed}.toml"
    export.write_csv(path)
    mapping.write_text(mapping_toml(export.columns, f"# synthetic, profile {profile}"))
    return path, mapping


Run = tuple[str, Path, Path | None, date]  # name, export, config, the day it was taken
Rows = list[tuple[str, Score | None]]


def replayed(runs: list[Run], by_month: bool) -> list[tuple[str, list[Replay], list[Replay]]]:
    """Each run's replays: those with the history the forecast reads, and the short ones."""
    found = []
    for name, path, mapping, last_day in runs:
        try:
            replays = replay(path, load_config(mapping), last_day)
        except EhcpError as exc:  # the export or its config: said as the CLI says it
            raise SystemExit(f"Error: {exc.message}\n{exc.hint}".rstrip()) from None
        found.append((name, *by_history(replays)))
        if by_month:
            print(f"\n{name}\n\n{by_month_table(replays)}")
    return found


def rows(runs: list[tuple[str, list[Replay], list[Replay]]], short: bool,
         label: str = "") -> Rows:
    """One row a run, LABEL before its name: its replays with the history the forecast reads
    (every run, 0 replays included), or its short-history replays (runs that have some)."""
    found: Rows = []
    for name, full, on_short in runs:
        if not short:
            found.append((f"{label}{name}", score(full)))
        elif on_short:
            found.append((f"{label}{name}", score(on_short)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--by-month", action="store_true", help="every replay, one a line")
    parser.add_argument("--export", type=Path, help="replay this export instead")
    parser.add_argument("--config", type=Path, help="its config (mapping) file")
    parser.add_argument("--last-day", type=date.fromisoformat,
                        help="the day the export was taken, YYYY-MM-DD")
    parser.add_argument("--seeds", type=int, nargs="+",
                        help="synthetic exports of these first seeds, not the sample")
    args = parser.parse_args()
    seeds = SEEDS if args.seeds is None else tuple(args.seeds)
    if args.export is not None:
        if args.last_day is None or args.write_docs or args.seeds:
            parser.error("--export needs --last-day, and takes neither --write-docs nor --seeds")
        runs = [(args.export.name, args.export, args.config, args.last_day)]
    elif args.seeds is not None:
        if args.write_docs:
            parser.error("--seeds replays exports the docs' table does not show")
        runs = []
    else:
        runs = [("shipped sample (sample_data/cases.csv)", SAMPLE / "cases.csv",
                 SAMPLE / "mapping.toml", SAMPLE_LAST_DAY)]
    stress: list[Run] = []
    scores: Rows = []
    with tempfile.TemporaryDirectory() as folder:
        for first in seeds if args.export is None else ():
            # Seeds run on through the stress shapes: step is 34, 104, 204.
            for seed, (profile, words) in enumerate((*SHAPES, *STRESS), start=first):
                path, mapping = synthetic_export(Path(folder), profile, seed)
                if (profile, words) in STRESS:
                    stress.append((f"{words} (`{profile}`, seed {seed})", path,
                                   mapping, SYNTHETIC_LAST_DAY))
                else:
                    runs.append((f"synthetic: {words} (`{profile}`, seed {seed})", path,
                                 mapping, SYNTHETIC_LAST_DAY))
        targets, stressed = replayed(runs, args.by_month), replayed(stress, args.by_month)
        # The targets judge the forecasts made with the history the forecast reads; the stress
        # rows and every short-history replay follow, each in its own rows and not in the whole.
        scores += rows(targets, short=False)
        if len(runs) > 1:
            scores.append(("**all of them** (not the stress test, not short history)",
                           score([r for _, full, _ in targets for r in full])))
        scores += rows(stressed, short=False, label=f"{STRESS_LABEL}: ")
        scores += rows(targets, short=True, label=f"{SHORT_LABEL}: ")
        if len(runs) > 1:
            scores.append((f"{SHORT_LABEL}: **all of them** (not the stress test)",
                           score([r for _, _, short in targets for r in short])))
        scores += rows(stressed, short=True, label=f"short history, {STRESS_LABEL}: ")
    table = markdown_table(scores)
    print(f"\n{table}")
    if args.write_docs:
        text = DOCS.read_text()
        head, rest = text.split(START)
        _, tail = rest.split(END)
        DOCS.write_text(f"{head}{START}\n{table}\n{END}{tail}")
        print(f"wrote the table into {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
