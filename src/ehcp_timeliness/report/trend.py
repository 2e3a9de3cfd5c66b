"""`trend`'s view-model and its renderings: Rich table, CSV and JSON (docs/reports.md#trend).

With --by, counts from 1 to N − 1 and the percentages built on them are shown as `c`, as in
the board pack (report/privacy.py); the whole-authority outlook is not split.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import polars as pl
from rich.console import Group, RenderableType
from rich.text import Text

from ehcp_timeliness.columns import header_of
from ehcp_timeliness.io.writers import table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.headings import HEADINGS
from ehcp_timeliness.report.privacy import SUPPRESSED, suppression_mask
from ehcp_timeliness.report.terminal import frame_table
from ehcp_timeliness.report.views import Accounting
from ehcp_timeliness.summaries.outlook import Clearance, backlog_clearance
from ehcp_timeliness.summaries.trend import TREND_COLUMNS, TREND_RATES, Trend, trend_table
from ehcp_timeliness.summaries.year_end import YearEnd, year_end


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
    clearance: tuple[Clearance, ...]
    accounting: Accounting

    def notes(self) -> list[str]:
        notes = []
        if self.undated_closures:
            notes.append(f"{self.undated_closures:,} requests closed without a plan have no "
                         "outcome date: each counts as open until its last known date.")
        notes.append("Review figures count a plan from its last recorded review on: an export "
                     "holds only the last review, so earlier months leave out plans reviewed "
                     "since.")
        return notes


def build_trend(analysis: Analysis, by: list[str], first_month: date | None,
                suppress_below: int = 0) -> TrendView:
    trend = trend_table(analysis.cases, analysis.as_of, analysis.config.rules, by,
                        first_month, analysis.undated_plans)
    # The clearance reads the whole authority's last 6 months, whatever --by and --from say.
    whole = trend if not by and first_month is None else trend_table(
        analysis.cases, analysis.as_of, analysis.config.rules, [], None, analysis.undated_plans)
    overdue = whole.table["open_overdue_at_month_end"].to_list()
    return TrendView(
        source=analysis.export.name, as_of=analysis.as_of,
        first_month=None if first_month is None else first_month.strftime("%Y-%m"),
        by=tuple(by), table=suppressed(trend, suppress_below if by else 0),
        suppress_below=suppress_below, undated_closures=trend.undated_closures,
        year_end=year_end(analysis.cases, analysis.as_of, analysis.undated_plans),
        clearance=backlog_clearance(overdue, analysis.as_of),
        accounting=Accounting.of(analysis))


def suppressed(trend: Trend, threshold: int) -> pl.DataFrame:
    """The public columns, with the cells privacy.py hides written as `c` (text columns)."""
    table = trend.table
    counts = tuple(c for c in table.columns
                   if table.schema[c].is_integer() and c != "month" and c not in trend.by)
    # A mean over a hidden count gives the few cases behind it away, like a percentage.
    overdue = "open_overdue_at_month_end"
    hides = {**TREND_RATES, "mean_weeks_open_overdue_at_month_end": (overdue, overdue)}
    mask = suppression_mask(table, threshold, counts, hides)
    public = trend.public()
    hidden = [c for c in public.columns if c not in ("month", *trend.by) and mask[c].any()]
    return public.with_columns(
        pl.when(mask[c]).then(pl.lit(SUPPRESSED)).otherwise(pl.col(c).cast(pl.String))
        .alias(c) for c in hidden)


def trend_dict(view: TrendView) -> dict[str, object]:
    return {
        "source": view.source, "as_of": view.as_of.isoformat(), "from": view.first_month,
        "by": list(view.by), "suppress_below": view.suppress_below,
        "rows": view.accounting.to_dict(),
        "closed_without_outcome_date": view.undated_closures,
        "months": view.table.to_dicts(),
        "year_end": view.year_end.to_dict(),
        "backlog_clearance": [c.to_dict() for c in view.clearance],
    }


def trend_bytes(view: TrendView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.table, "csv")
    return (json.dumps(trend_dict(view), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def clearance_words(clearance: tuple[Clearance, ...]) -> str:
    backlog = clearance[0].backlog if clearance else 0
    parts = [f"at the last {c.months} months' average ({_fall(c)}): {c.words}"
             for c in clearance]
    return f"Overdue backlog {backlog:,}; " + "; ".join(parts) + "."


def _fall(clearance: Clearance) -> str:
    fall = clearance.average_monthly_fall
    if fall is None:
        return "no average"
    return f"{'down' if fall >= 0 else 'up'} {abs(fall):.1f} a month"


# The terminal shows the columns as two tables that fit a 140-character line: the month's
# flows, then the snapshot at its end.
FLOW_COLUMNS = TREND_COLUMNS[1:8] + TREND_COLUMNS[12:15]
SNAPSHOT_COLUMNS = TREND_COLUMNS[8:12] + TREND_COLUMNS[15:]


def render_trend(view: TrendView) -> RenderableType:
    by = f", by {', '.join(header_of(c) for c in view.by)}" if view.by else ""
    keys = ["month", *view.by]
    parts: list[RenderableType] = [
        frame_table(view.table.select(*keys, *FLOW_COLUMNS),
                    f"In each month{by} (as of {view.as_of.isoformat()})", HEADINGS,
                    "Issued, ≤20 wks, %: new plans by DfE's method; Due: plans whose 20-week "
                    "date fell in the month; From backlog: issued already past it when the "
                    "month began."),
        frame_table(view.table.select(*keys, *SNAPSHOT_COLUMNS),
                    f"At each month end{by} (the as-of date for the as-of month)", HEADINGS),
        Text(view.year_end.sentence()),
        Text(clearance_words(view.clearance)),
    ]
    parts += [Text(note, style="yellow") for note in view.notes()]
    parts.append(Text(view.accounting.sentence(), style="dim"))
    return Group(*parts)
