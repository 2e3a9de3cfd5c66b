"""The board's building blocks every part of it shares: a table with its suppressed cells
blanked (Table, make_table), England's latest rates and a KPI card. Below board.py, so the
board's sections (headline.py, board_trend.py, board_benchmark.py) and its renderers read them
without importing the board.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ehcp_timeliness import published
from ehcp_timeliness.report.disclosure import Cells, protect
from ehcp_timeliness.report.targets import Progress

# Percentage (or median) column -> the counts it is built on, for suppression.
RATE_PARTS = {
    "pct_within_20_weeks": ("issued_within_20_weeks", "plans_issued"),
    "pct_within_20_weeks_ex": ("issued_within_20_weeks_ex", "plans_issued_ex"),
    "median_weeks_to_issue": ("plans_issued", "plans_issued"),
}
NOT_COUNTS = frozenset({"days_left"})  # integers that count no one

@dataclass(frozen=True)
class Table:
    frame: pl.DataFrame   # suppressed cells already blank
    mask: pl.DataFrame    # True where a cell is shown as `c`

    def rows(self) -> Iterator[tuple[tuple[object, bool], ...]]:
        for values, hidden in zip(self.frame.iter_rows(), self.mask.iter_rows(), strict=True):
            yield tuple(zip(values, hidden, strict=True))

    @property
    def columns(self) -> list[str]:
        return self.frame.columns

    def shown(self, column: str) -> list[Any]:
        """COLUMN's values as a chart draws them: None where a cell is hidden."""
        return [None if hidden else value
                for value, hidden in zip(self.frame[column], self.mask[column], strict=True)]


def blanked(frame: pl.DataFrame, mask: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """FRAME with the cells of COLUMNS that MASK hides left empty."""
    return frame.with_columns(pl.when(mask.get_column(c)).then(None).otherwise(pl.col(c)).alias(c)
                              for c in columns)


def make_table(frame: pl.DataFrame, threshold: int,
               rates: Mapping[str, tuple[str, str]] = RATE_PARTS) -> Table:
    """A table whose cells add up to nothing else shown: primary suppression only (the
    tables that do add up are solved together, board_disclosure.py). THRESHOLD 0: a table
    with nothing hidden."""
    counts = tuple(c for c, t in frame.schema.items() if t.is_integer() and c not in NOT_COUNTS)
    cells = Cells("table", frame, (), counts)
    mask = cells.mask(protect(cells.values(), threshold, []), rates)
    return Table(blanked(frame, mask, (c for c in frame.columns if c in counts or c in rates)),
                 mask)


@dataclass(frozen=True)
class England:
    year: int
    pct: float
    pct_ex: float
    citation: str


def england_latest() -> England:
    """England's latest published 20-week rates, from the shipped DfE figures (published.py)."""
    columns = ["pc_plans_issued_within_20_weeks", "PC_plans_issued_20_weeks_ex"]
    row = (published.england(published.figures(published.TIMELINESS, columns))
           .sort("time_period").row(-1, named=True))
    return England(row["time_period"], row[columns[0]], row[columns[1]], published.CITATION)


@dataclass(frozen=True)
class KpiCard:
    kpi: str
    title: str
    window: str
    value: float | int | None   # None when hidden or when there was nothing to measure
    hidden: bool
    numerator: int | None
    denominator: int | None
    parts_hidden: bool
    is_rate: bool
    england: float | None
    progress: Progress | None
    not_in_export: bool = False  # counted from request dates, and the export has none
