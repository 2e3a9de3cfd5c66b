"""`trend`'s view-model and its renderings: Rich table, CSV and JSON (docs/reports.md#trend).

With --by, counts from 1 to N − 1 and the percentages built on them are shown as `c`, as in
the board pack, and so is whatever else would give one back (report/disclosure.py): a
month's groups add up to the whole authority's figure, which `trend` without --by shows, and
Issued = from the backlog + current. The whole-authority outlook is not split.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.columns import RECEIVED_DATE, header_of
from ehcp_timeliness.io.writers import json_bytes, table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.disclosure import Cells, Key, Relation, protect
from ehcp_timeliness.report.periods import PART_PERIOD_NOTE, PartPeriods
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.trend_notes import (
    COHORT_NOTE,
    LOWER_BOUND_NOTE,
    no_review_column_note,
    not_split_note,
)
from ehcp_timeliness.report.views import Accounting
from ehcp_timeliness.summaries.clearance import Clearance, backlog_clearance
from ehcp_timeliness.summaries.trend import (
    LOWER_BOUNDS,
    TREND_COLUMNS,
    TREND_RATES,
    Trend,
    trend_table,
)
from ehcp_timeliness.summaries.year_end import YearEnd, year_end

if TYPE_CHECKING:
    from rich.console import RenderableType


@dataclass(frozen=True)
class TrendView:
    source: str
    as_of: date
    first_month: str | None
    by: tuple[str, ...]
    table: pl.DataFrame          # month, --by keys, TREND_COLUMNS[1:]; `c` where suppressed
    suppress_below: int
    undated_closures: int
    year_end: YearEnd
    clearance: Clearance
    accounting: Accounting
    periods: PartPeriods | None = None  # which months the export does not cover whole
    missing_review_column: str | None = None  # Analysis.missing_review_column

    def notes(self) -> list[str]:
        notes = []
        if self.undated_closures:
            notes.append(f"{self.undated_closures:,} requests closed without a plan have no "
                         "outcome date: each counts as open until its last known date.")
        if self.table[LOWER_BOUNDS["reviews_overdue_at_month_end"]].any():
            notes.append(LOWER_BOUND_NOTE if self.missing_review_column is None
                         else no_review_column_note(self.missing_review_column))
        return notes


_OVERDUE = "open_overdue_at_month_end"


def build_trend(analysis: Analysis, by: list[str], first_month: date | None,
                suppress_below: int = 0) -> TrendView:
    trend = trend_table(analysis.cases, analysis.as_of, analysis.config.rules, by,
                        first_month, analysis.undated_plans,
                        reviews_recorded=analysis.reviews_recorded)
    # The clearance reads the whole authority's last 6 months, whatever --by and --from say:
    # with --by alone each month's groups add up to it; --from shows other months, so the
    # whole authority's trend is worked out again.
    whole = trend.table if first_month is None else trend_table(
        analysis.cases, analysis.as_of, analysis.config.rules, [], None,
        analysis.undated_plans, reviews_recorded=analysis.reviews_recorded).table
    overdue = (whole.group_by("month").agg(pl.col(_OVERDUE).sum()).sort("month")
               [_OVERDUE].to_list())
    return TrendView(
        source=analysis.export.name, as_of=analysis.as_of,
        first_month=None if first_month is None else first_month.strftime("%Y-%m"),
        # Suppression applies with or without --by: a month's whole-authority count can be 1.
        by=tuple(by), table=suppressed(trend, suppress_below),
        suppress_below=suppress_below, undated_closures=trend.undated_closures,
        year_end=year_end(analysis.cases, analysis.as_of, analysis.undated_plans),
        clearance=backlog_clearance(overdue, analysis.as_of),
        accounting=Accounting.of(analysis),
        periods=PartPeriods(analysis.cases[RECEIVED_DATE].min(), analysis.as_of),
        missing_review_column=analysis.missing_review_column)


def suppressed(trend: Trend, threshold: int) -> pl.DataFrame:
    """The public columns, with the cells privacy.py hides written as `c` (text columns)."""
    table = trend.table
    cells = Cells("trend", table, ("month", *trend.by))
    # A mean over a hidden count gives the few cases behind it away, like a percentage.
    hides = {**TREND_RATES, "mean_weeks_open_overdue_at_month_end": (_OVERDUE, _OVERDUE)}
    values: dict[Key, int | None] = dict(cells.values())
    relations = cells.row_sums("plans_issued", ("plans_issued_from_backlog",
                                                "plans_issued_current"))
    # Each month's groups add up to the authority's figure, published unsuppressed.
    authority: dict[Key, int | None] = {}
    rows = cells.row_labels()
    for column in cells.count_columns if trend.by else ():
        in_month: dict[object, list[Key]] = {}
        for row in rows:
            in_month.setdefault(row[0], []).append(cells.key(row, column))
        for month, keys in in_month.items():
            authority[("authority", month, column)] = sum(values[k] or 0 for k in keys)
            relations.append(Relation.total(("authority", month, column), keys))
    hidden = protect({**values, **authority}, threshold, relations, fixed=authority.keys(),
                     rate_parts=cells.rate_parts(hides))
    mask = cells.mask(hidden, hides)
    public = trend.public()
    hidden = [c for c in public.columns if c not in ("month", *trend.by) and mask[c].any()]
    return public.with_columns(
        pl.when(mask[c]).then(pl.lit(SUPPRESSED)).otherwise(pl.col(c).cast(pl.String))
        .alias(c) for c in hidden)


def trend_bytes(view: TrendView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.table, "csv")
    return json_bytes({
        "source": view.source, "as_of": view.as_of.isoformat(), "from": view.first_month,
        "by": list(view.by), "suppress_below": view.suppress_below,
        "rows": view.accounting.to_dict(),
        "closed_without_outcome_date": view.undated_closures,
        "months": view.table.to_dicts(),
        "year_end": view.year_end.to_dict(),
        "backlog_clearance": view.clearance.to_dict(),
    })


# The terminal shows the columns as two tables that fit a 140-character line: the month's
# flows, then the snapshot at its end, where a lower bound is written "≥ n" in its own cell
# instead of beside a flag column.
FLOW_COLUMNS = TREND_COLUMNS[1:8] + TREND_COLUMNS[12:15]
SNAPSHOT_COLUMNS = tuple(c for c in TREND_COLUMNS[8:12] + TREND_COLUMNS[15:]
                         if c not in LOWER_BOUNDS.values())


def render_trend(view: TrendView) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from ehcp_timeliness.report.terminal import (
        frame_table,
        labelled_part_periods,
        marked_lower_bounds,
        plain,
    )

    by = f", by {', '.join(header_of(c) for c in view.by)}" if view.by else ""
    keys = ["month", *view.by]
    # A part month labelled "2025-06 (to 15 Jun)", as summary --period month and the board do.
    table = labelled_part_periods(view.table, "month", "month", view.periods)
    parts: list[RenderableType] = [
        frame_table(table.select(*keys, *FLOW_COLUMNS),
                    f"In each month{by} (as of {view.as_of.isoformat()})",
                    "Issued, ≤20 wks, %: new plans by DfE's method, by month of issue; From "
                    "backlog: issued already past DfE's 20-week date when the month began. "
                    + COHORT_NOTE),
        frame_table(marked_lower_bounds(table, LOWER_BOUNDS)
                    .select(*keys, *SNAPSHOT_COLUMNS),
                    f"At each month end{by} (the as-of date for the as-of month)",
                    right=tuple(LOWER_BOUNDS)),
    ]
    if not table["month"].equals(view.table["month"].cast(pl.String)):
        parts.append(Text(PART_PERIOD_NOTE, style="dim"))
    parts += [Text(view.year_end.sentence()), Text(view.clearance.sentence())]
    if view.by:
        parts.append(plain(not_split_note([header_of(c) for c in view.by], True), style="dim"))
    parts += [Text(note, style="yellow") for note in view.notes()]
    parts.append(Text(view.accounting.sentence(), style="dim"))
    return Group(*parts)
