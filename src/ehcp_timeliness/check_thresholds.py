"""The thresholds `check` gates a pipeline on: one definition, read by the config model
([check], config.py), the command's flags (cli/check.py) and the gate's report
(report/gate.py), so a key, its flag, its range and its wording cannot drift apart.

Plain data, no pydantic nor Polars: the command's --help builds its flags from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Threshold:
    name: str                       # the [check] key; the flag is --name-with-dashes
    bound: Literal["min", "max"]    # the measured figure must be >= (min) or <= (max) it
    unit: Literal["%", "rows"]
    measures: str                   # what is measured, as docs/commands.md#check defines it
    help: str                       # the flag's help and the config key's description
    example: str                    # a value the config template shows

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def largest(self) -> int | None:
        """The largest limit that means anything: 100 for a percentage."""
        return 100 if self.unit == "%" else None

    @property
    def comparison(self) -> str:
        return ">=" if self.bound == "min" else "<="


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("min_pct_within_20_weeks", "min", "%",
              "% of new plans issued in the window within 20 weeks, excluding exceptions",
              "Fail below this % of new plans issued in the window within 20 weeks "
              "(excluding exceptions).", "60"),
    Threshold("max_overdue", "max", "rows",
              "open requests past their 20-week date on the as-of date",
              "Fail above this many open requests past their 20-week date.", "0"),
    Threshold("max_reviews_overdue_pct", "max", "%",
              "% of plans needing an annual review whose review is overdue",
              "Fail above this % of plans needing a review whose review is overdue.", "10"),
    Threshold("max_error_rows", "max", "rows", "rows set aside with an error",
              "Fail above this many rows set aside with errors.", "0"),
)
BY_NAME = {t.name: t for t in THRESHOLDS}

# The calendar months, ending with the as-of date's month, the 20-week rate is measured over:
# the board KPIs' longest window by default (summaries/kpis.py).
WINDOW_MONTHS_DEFAULT = 12
WINDOW_MONTHS_RANGE = (1, 120)
WINDOW_MONTHS_HELP = ("Calendar months, ending with the as-of date's month, over which "
                      "min_pct_within_20_weeks is measured.")
