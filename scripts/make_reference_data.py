"""Write the shipped published figures: src/ehcp_timeliness/reference_data/.

Compact copies of DfE's "Education, health and care plans" (reporting year 2025) headline files,
and the statistical neighbours table, from the project's shared reference folders. Compact = the
columns that hold one value for every row (time_identifier, country_code, country_name,
breakdown_topic, breakdown) are dropped; every other column and every value is kept exactly as
published, `x` and `z` included (all cells are read and written as text). The neighbours table
and its licence are copied byte for byte. Deterministic: re-running gives identical files.

    .venv/bin/python scripts/make_reference_data.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ehcp_timeliness" / "reference_data"
DFE_FILES = ("timeliness_20_week", "requests", "assessments", "annual_reviews")
CONSTANT_COLUMNS = ("time_identifier", "country_code", "country_name", "breakdown_topic",
                    "breakdown")
NEIGHBOUR_FILES = {"stat_neighbours.csv": "stat_neighbours.csv",
                   "LICENSE.txt": "stat_neighbours.LICENSE.txt"}


def compact(source: Path, target: Path) -> None:
    frame = pl.read_csv(source, infer_schema=False)
    for column in CONSTANT_COLUMNS:
        if frame[column].n_unique() != 1:
            raise SystemExit(f"{source}: {column} is not constant; keep it")
    frame.drop(CONSTANT_COLUMNS).write_csv(target)
    check = pl.read_csv(target, infer_schema=False)
    if not check.equals(frame.drop(CONSTANT_COLUMNS)):
        raise SystemExit(f"{target}: round trip changed a value")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    dfe = args.shared / "reference" / "dfe-ehcp-ry2025"
    peers = args.shared / "peer_data" / "send-benchmarking"
    OUT.mkdir(exist_ok=True)
    for name in DFE_FILES:
        compact(dfe / f"{name}.csv", OUT / f"{name}.csv")
    for source, target in NEIGHBOUR_FILES.items():
        shutil.copyfile(peers / source, OUT / target)
    print(f"Wrote {len(DFE_FILES) + len(NEIGHBOUR_FILES)} files to {OUT}")


if __name__ == "__main__":
    main()
