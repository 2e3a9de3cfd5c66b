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
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from ehcp_timeliness.config import load_config
from ehcp_timeliness.errors import EhcpError
from ehcp_timeliness.report.backtest import (
    Replay,
    Score,
    by_history,
    by_month_table,
    markdown_table,
    replay,
    score,
)
from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_export import mapping_toml, to_messy_export

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SAMPLE_LAST_DAY = dt.date(2025, 6, 30)
DOCS = ROOT / "docs" / "reports.md"
START, END = "<!-- backtest:start -->", "<!-- backtest:end -->"

# Five years of requests to the end of 2025 in each profile's shape, about 650 a year as in the
# sample, and a year before them at the shape's first pace (generate_cases' lead_days): a
# service already running, so that 2022 to 2025 each have the two years of history the forecast
# reads before their first replay. 2021, with 12 to 24 months, is replayed on short history.
SYNTHETIC_ROWS = 3200
SYNTHETIC_YEARS = 5
SYNTHETIC_LEAD_DAYS = 365
SYNTHETIC_LAST_DAY = dt.date(2025, 12, 31)
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


Run = tuple[str, Path, Path | None, dt.date]  # name, export, config, the day it was taken
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
    parser.add_argument("--last-day", type=dt.date.fromisoformat,
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
