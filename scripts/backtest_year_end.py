"""Backtest the year-end forecast (`make backtest`): replay it at past month ends of the shipped
sample and of synthetic exports of other shapes, and score it against each year's final rate.

    .venv/bin/python scripts/backtest_year_end.py [--write-docs] [--by-month]
    .venv/bin/python scripts/backtest_year_end.py --export cases.csv --config mapping.toml \
        --last-day 2025-06-30 --by-month

--write-docs puts the table into docs/reports.md between its backtest markers. --export replays
your own export instead (its last day: the date it was taken). Deterministic: the same code
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
    by_month_table,
    markdown_table,
    replay,
    score,
)
from ehcp_timeliness.synthetic import generate_cases, mapping_toml, to_messy_export

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SAMPLE_LAST_DAY = dt.date(2025, 6, 30)
DOCS = ROOT / "docs" / "reports.md"
START, END = "<!-- backtest:start -->", "<!-- backtest:end -->"

# Five years of requests to the end of 2025: four past years to replay after the first year of
# history. About 650 requests a year, as in the sample.
SYNTHETIC_ROWS = 3200
SYNTHETIC_YEARS = 5
SYNTHETIC_LAST_DAY = dt.date(2025, 12, 31)
SHAPES = (("stable", "a stable service"), ("growing", "growing demand"),
          ("clearing", "a backlog being cleared"))
# Replayed and published, but outside the targets: a change no forecast from an export can see
# until the first request of the new service reaches day 140.
STRESS = (("step", "a step change in service"),)
SEEDS = (31, 101, 201)  # three exports of each shape: one seed would flatter or wrong it
STRESS_LABEL = "stress test, outside the targets"


def synthetic_export(folder: Path, profile: str, seed: int) -> tuple[Path, Path]:
    cases = generate_cases(SYNTHETIC_ROWS, seed, SYNTHETIC_LAST_DAY, profile=profile,
                           history_days=SYNTHETIC_YEARS * 365)
    export = to_messy_export(cases, seed)
    path, mapping = folder / f"{profile}-{seed}.csv", folder / f"{profile}-{seed}.toml"
    export.write_csv(path)
    mapping.write_text(mapping_toml(export.columns, f"# synthetic, profile {profile}"))
    return path, mapping


Run = tuple[str, Path, Path | None, dt.date]  # name, export, config, the day it was taken


def scored(runs: list[Run], by_month: bool) -> tuple[list[tuple[str, Score | None]],
                                                    list[Replay]]:
    """Each run's score, and every replay of them all."""
    scores, every = [], []
    for name, path, mapping, last_day in runs:
        try:
            replays = replay(path, load_config(mapping), last_day)
        except EhcpError as exc:  # the export or its config: said as the CLI says it
            raise SystemExit(f"Error: {exc.message}\n{exc.hint}".rstrip()) from None
        scores.append((name, score(replays)))
        every += replays
        if by_month:
            print(f"\n{name}\n\n{by_month_table(replays)}")
    return scores, every


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--by-month", action="store_true", help="every replay, one a line")
    parser.add_argument("--export", type=Path, help="replay this export instead")
    parser.add_argument("--config", type=Path, help="its config (mapping) file")
    parser.add_argument("--last-day", type=dt.date.fromisoformat,
                        help="the day the export was taken, YYYY-MM-DD")
    args = parser.parse_args()
    if args.export is not None:
        if args.last_day is None or args.write_docs:
            parser.error("--export needs --last-day, and its table is not the docs'")
        runs = [(args.export.name, args.export, args.config, args.last_day)]
    else:
        runs = [("shipped sample (sample_data/cases.csv)", SAMPLE / "cases.csv",
                 SAMPLE / "mapping.toml", SAMPLE_LAST_DAY)]
    stress: list[Run] = []
    with tempfile.TemporaryDirectory() as folder:
        for first in SEEDS if args.export is None else ():
            # Seeds run on through the stress shapes: step is 34, 104, 204.
            for seed, (profile, words) in enumerate((*SHAPES, *STRESS), start=first):
                path, mapping = synthetic_export(Path(folder), profile, seed)
                if (profile, words) in STRESS:
                    stress.append((f"{STRESS_LABEL}: {words} (`{profile}`, seed {seed})", path,
                                   mapping, SYNTHETIC_LAST_DAY))
                else:
                    runs.append((f"synthetic: {words} (`{profile}`, seed {seed})", path,
                                 mapping, SYNTHETIC_LAST_DAY))
        scores, every = scored(runs, args.by_month)
        if len(runs) > 1:
            # The whole against the targets; the stress rows follow it and are not in it.
            scores.append(("**all of them** (not the stress test)", score(every)))
        scores += scored(stress, args.by_month)[0]
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
