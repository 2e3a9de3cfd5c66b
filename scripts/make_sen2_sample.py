"""Write the shipped SEN2 sample: sample_data/sen2/sen2_sample.xml and sample_data/sen2/collect/.

The same synthetic cases (ehcp_timeliness.synthetic.generate_cases, seed 2025, as of 2025-06-30)
rendered as a SEN2 person-level XML return and as COLLECT per-table CSV files, so
`ehcp-timeliness cases` gives the same table for both. No real person. Deterministic: re-running
after a change to the generator or the writers shows the change as a diff.

    .venv/bin/python scripts/make_sen2_sample.py [--out sample_data/sen2]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_sen2 import (
    share_persons,
    write_collect_tables,
    write_sen2_xml,
)

ROWS = 400
SEED = 2025
AS_OF = dt.date(2025, 6, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parents[1] / "sample_data" / "sen2")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    cases = share_persons(generate_cases(ROWS, SEED, AS_OF))
    write_sen2_xml(cases, out / "sen2_sample.xml")
    tables = write_collect_tables(cases, out / "collect")
    print(f"wrote {out / 'sen2_sample.xml'} and {len(tables)} COLLECT tables in "
          f"{out / 'collect'}: {cases.height} requests, "
          f"{cases['person_id'].n_unique()} people (seed {SEED}, as of {AS_OF})")


if __name__ == "__main__":
    main()
