"""Write the shipped sample: sample_data/cases.csv and sample_data/mapping.toml.

Synthetic data only (ehcp_timeliness.synthetic): no real person. Deterministic: the same seed and
as-of date give byte-identical files, so re-running this script after a change to the generator
shows the change as a diff.

    .venv/bin/python scripts/make_sample_data.py [--out sample_data]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_export import (
    BAD_ROWS,
    add_bad_rows,
    mapping_toml,
    to_messy_export,
)

ROWS = 2000
SEED = 2025
AS_OF = dt.date(2025, 6, 30)
SAMPLE_NOTE = (
    "# Mapping for sample_data/cases.csv (synthetic; written by scripts/make_sample_data.py).\n"
    "# Use with: ehcp-timeliness summary sample_data/cases.csv "
    "--config sample_data/mapping.toml --as-of 2025-06-30"
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "sample_data")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    cases = generate_cases(ROWS, SEED, AS_OF)
    export = add_bad_rows(to_messy_export(cases, SEED), SEED, as_of=AS_OF)
    export.write_csv(out / "cases.csv")
    (out / "mapping.toml").write_text(mapping_toml(export.columns, SAMPLE_NOTE), encoding="utf-8")
    print(f"wrote {out / 'cases.csv'}: {cases.height} cases + {len(BAD_ROWS)} bad rows "
          f"(seed {SEED}, as of {AS_OF}), and {out / 'mapping.toml'}")


if __name__ == "__main__":
    main()
