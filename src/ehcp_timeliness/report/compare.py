"""The `compare` command's view-model and renderings: Rich tables for the terminal, or the
whole list of findings as CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.columns import DATE_COLUMNS, PERSONAL_COLUMNS
from ehcp_timeliness.io.writers import json_bytes, table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.report.views import Accounting
from ehcp_timeliness.schema.issue_codes import RECEIVED_AFTER_AS_OF
from ehcp_timeliness.summaries.compare import (
    CLOSED,
    DATE_EDITED,
    DATE_FINDINGS,
    DATE_RECORDED_LATE,
    DATE_REMOVED,
    DISAPPEARED,
    FINDINGS,
    IDENTITY,
    NEEDS_ATTENTION,
    NEW,
    NEWLY_ISSUED,
    NEWLY_OVERDUE,
    PERSON_CHANGED,
    REOPENED,
    SET_ASIDE_IN_CURRENT,
    SET_ASIDE_IN_PREVIOUS,
    compare_exports,
    set_aside_ids,
)
from ehcp_timeliness.summaries.gate import error_rows
from ehcp_timeliness.summaries.grouping import finding_counts

if TYPE_CHECKING:
    from rich.console import RenderableType

FINDING_TEXT = {
    NEW: "in the current export only",
    DISAPPEARED: "in the previous export only: gone, not closed",
    SET_ASIDE_IN_PREVIOUS: "analysed now, its row set aside in the previous export",
    SET_ASIDE_IN_CURRENT: "analysed before, its row set aside in the current export",
    NEWLY_ISSUED: "final plan issued since (not issued before)",
    CLOSED: "open before, closed without a plan since",
    NEWLY_OVERDUE: "open before and not overdue, overdue now",
    REOPENED: "not open before (issued or closed), open now",
    PERSON_CHANGED: "the person id or date of birth is another now: id reused for another "
    "child?",
    DATE_EDITED: "a date changed to another date",
    DATE_REMOVED: "a date that was there is blank now",
    DATE_RECORDED_LATE: "a date on or before the previous as-of date, blank before",
}
# The columns each finding's terminal table shows (the files have them all).
_STATUS_CHANGE = ("case_id", "previous_plan_status", "current_plan_status")
_SHOWN = {
    **dict.fromkeys((NEWLY_ISSUED, CLOSED, NEWLY_OVERDUE, REOPENED), _STATUS_CHANGE),
    NEW: ("case_id", "current_plan_status"),
    DISAPPEARED: ("case_id", "previous_plan_status"),
    SET_ASIDE_IN_PREVIOUS: ("case_id", "current_plan_status", "set_aside_reasons"),
    SET_ASIDE_IN_CURRENT: ("case_id", "previous_plan_status", "set_aside_reasons"),
    **{f: ("case_id", "column", "previous_value", "current_value", "days_moved",
           "current_plan_status") for f in DATE_FINDINGS},
    PERSON_CHANGED: ("case_id", "column", "current_plan_status"),
}


@dataclass(frozen=True)
class Side:
    """One export: its file name, as-of date, row accounting and rows with errors."""

    source: str
    as_of: date
    accounting: Accounting
    error_rows: int

    @classmethod
    def of(cls, analysis: Analysis) -> Side:
        return cls(analysis.export.name, analysis.as_of, Accounting.of(analysis),
                   error_rows(analysis.issues).numerator)

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "as_of": self.as_of.isoformat(),
                "rows": self.accounting.to_dict(), "error_rows": self.error_rows}

    def too_late(self) -> str:
        """Of the previous export's rows with errors, those received after its as-of date
        (by default the month's end): usually requests made before the day it was taken, not
        faults in it."""
        late = self.accounting.reasons.get(RECEIVED_AFTER_AS_OF, 0)
        if not late:
            return ""
        return (f", {late:,} of them received after that date (give --previous-as-of the day "
                "the export was taken)")


@dataclass(frozen=True)
class CompareView:
    previous: Side
    current: Side
    findings: pl.DataFrame            # summaries.compare.COMPARE_COLUMNS
    counts: dict[str, int]
    dates_compared: tuple[str, ...]   # date columns both exports have
    previous_only: tuple[str, ...]    # date columns only one export has: not compared
    current_only: tuple[str, ...]
    pseudonymised: bool

    def attention(self) -> list[str]:
        """Why the run needs attention (exit 1), in words; empty when it does not."""
        reasons = [f"{self.counts[f]:,} {f}" for f in FINDINGS
                   if f in NEEDS_ATTENTION and self.counts[f]]
        reasons += [f"{side.error_rows:,} row{'s' if side.error_rows != 1 else ''} with errors "
                    f"in the {which} export ({side.source}) as of {side.as_of}"
                    f"{side.too_late() if which == 'previous' else ''}"
                    for which, side in (("previous", self.previous), ("current", self.current))
                    if side.error_rows]
        return reasons


def _dates(analysis: Analysis) -> tuple[str, ...]:
    return tuple(c for c in DATE_COLUMNS if analysis.export.supplies(c))


def build_compare(previous: Analysis, current: Analysis,
                  pseudonymised: bool = False) -> CompareView:
    """PSEUDONYMISED: both analyses are privacy.pseudonymise_analysis's, with one key, so the
    same case has the same pseudonym in both and still matches."""
    before, after = _dates(previous), _dates(current)
    shared = tuple(c for c in before if c in after)
    identity = tuple(c for c in IDENTITY
                     if previous.export.supplies(c) and current.export.supplies(c))
    findings = compare_exports(
        previous.cases, current.cases, set_aside_ids(previous.issues, previous.cases),
        set_aside_ids(current.issues, current.cases), shared, previous.as_of,
        PERSONAL_COLUMNS, identity)
    return CompareView(Side.of(previous), Side.of(current), findings,
                       finding_counts(findings, FINDINGS), shared,
                       tuple(c for c in before if c not in after),
                       tuple(c for c in after if c not in before), pseudonymised)


def compare_bytes(view: CompareView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.findings, "csv")
    return json_bytes({
        "previous": view.previous.to_dict(),
        "current": view.current.to_dict(),
        "dates_compared": list(view.dates_compared),
        "dates_not_compared": {"previous_only": list(view.previous_only),
                               "current_only": list(view.current_only)},
        "counts": view.counts,
        "needs_attention": view.attention(),
        "pseudonymised": view.pseudonymised,
        "findings": view.findings.to_dicts(),
    })


def render_compare(view: CompareView, limit: int) -> RenderableType:
    """The counts, then each finding's first LIMIT rows."""
    from rich.console import Group

    from ehcp_timeliness.report.terminal import frame_table, plain

    before, now = view.previous, view.current
    counts = pl.DataFrame({"finding": list(FINDINGS),
                           "cases": [view.counts[f] for f in FINDINGS],
                           "meaning": [FINDING_TEXT[f] for f in FINDINGS]})
    parts: list[RenderableType] = [frame_table(
        counts, f"{before.source} (as of {before.as_of:%d %b %Y}) → {now.source} (as of "
        f"{now.as_of:%d %b %Y})", wrap=("meaning",),
        headings={"finding": "Finding", "cases": "Rows", "meaning": "Meaning"})]
    for finding in FINDINGS:
        rows = view.findings.filter(pl.col("finding") == finding)
        if rows.height == 0:
            continue
        shown = min(limit, rows.height)
        more = (f"{rows.height - shown:,} more: --format csv lists them all"
                if shown < rows.height else None)
        parts.append(frame_table(rows.head(shown).select(_SHOWN[finding]),
                                 f"{finding}: {FINDING_TEXT[finding]}", more))
    compared = ", ".join(view.dates_compared) or "none"
    lonely = [*view.previous_only, *view.current_only]
    footer = plain(
        f"Dates compared: {compared}."
        + (f" In one export only, not compared: {', '.join(lonely)}." if lonely else "")
        + f" {before.source}: {before.accounting.sentence()} {now.source}: "
        f"{now.accounting.sentence()}"
        + (" Ids are keyed pseudonyms." if view.pseudonymised else ""), style="dim")
    parts.append(footer)
    return Group(*parts)
