"""Write src/ehcp_timeliness/reference_data/england_bank_holidays.csv from the pinned `holidays`
package: England (and Wales) bank holidays for every year a date in an export may have.

The tool reads the table instead of running the package at each start (computing 151 years
took about 0.16 s of every run); tests/test_calendar.py checks the table still equals what the
pinned package gives, so a `holidays` upgrade that changes a date fails until this is rerun.

    .venv/bin/python scripts/make_bank_holidays.py
"""

from __future__ import annotations

from pathlib import Path

import holidays

from ehcp_timeliness.calendar import BANK_HOLIDAYS_FILE
from ehcp_timeliness.columns import FIRST_YEAR, LAST_YEAR

ROOT = Path(__file__).resolve().parents[1]


def computed() -> list[str]:
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return [day.isoformat() for day in sorted(found)]


def main() -> None:
    target = ROOT / "src" / "ehcp_timeliness" / "reference_data" / BANK_HOLIDAYS_FILE
    target.write_text("date\n" + "".join(f"{day}\n" for day in computed()), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
