"""Rich renderings. Each render_* returns renderables; only cli/ prints them."""

from __future__ import annotations

import polars as pl
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ehcp_timeliness.columns import IS_PART_PERIOD, header_of
from ehcp_timeliness.printable import printable
from ehcp_timeliness.report.headings import heading
from ehcp_timeliness.report.periods import PART_PERIOD_NOTE, PartPeriods
from ehcp_timeliness.report.trend_notes import not_split_note
from ehcp_timeliness.report.views import (
    NOT_IN_EXPORT,
    Accounting,
    ReviewProcessView,
    SummaryView,
)
from ehcp_timeliness.summaries.data_quality import issues_by_code
from ehcp_timeliness.summaries.figures import REVIEWS_OVERDUE_IS_LOWER_BOUND


def plain(text: object, style: str = "") -> Text:
    """Text from outside (a cell, a header, a file name) as Rich shows it: never read as
    markup, control characters escaped (printable). Every renderer builds its cells, headings,
    titles and captions with this."""
    return Text(printable(str(text)), style=style)


def titled(text: str | None, caption: bool = False) -> Text | None:
    """A table's title or caption (which may quote a --by header) as plain Text."""
    return None if text is None else plain(text, "table.caption" if caption else "table.title")


def cell_text(value: object) -> str:
    """A figure as every terminal table writes it: counts with thousands separators,
    percentages and means to one decimal, a blank as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def marked_lower_bounds(table: pl.DataFrame, bounds: dict[str, str]) -> pl.DataFrame:
    """TABLE with each figure of BOUNDS (figure -> its `…_is_lower_bound` flag) written as
    text, "≥ 12" where the flag says it is a lower bound (a figure only: a suppressed `c`, text
    already, or a blank stays as it is), and the flags dropped: the mark is in its own cell."""
    def shown(value: object, bound: bool) -> str | None:
        if value is None:
            return None
        text = cell_text(value)
        return f"≥ {text}" if bound and not isinstance(value, str) else text

    return table.with_columns(
        pl.Series(figure, [shown(v, b) for v, b in zip(table[figure], table[flag],
                                                        strict=True)], dtype=pl.String)
        for figure, flag in bounds.items()).drop(bounds.values())


# Columns a terminal table never narrows below their widest cell (others wrap or fold).
KEPT_WHOLE = ("row", "case_id", "person_id")


def frame_table(frame: pl.DataFrame, title: str, caption: str | None = None,
                wrap: tuple[str, ...] = (), right: tuple[str, ...] = (),
                headings: dict[str, str] | None = None) -> Table:
    """A Rich table of a frame, each column under its heading (headings.py) unless HEADINGS
    names it otherwise. Headings, cells, title and caption are plain Text: data can never be
    read as markup nor reach the terminal as control characters."""
    table = Table(title=titled(title), caption=titled(caption, caption=True),
                  title_justify="left", caption_justify="left")
    rows = [[plain(cell_text(v)) for v in row] for row in frame.iter_rows()]
    for index, name in enumerate(frame.columns):
        numeric = frame.schema[name].is_numeric() or name in right  # RIGHT: figures as text
        title_text = plain((headings or {}).get(name) or heading(name))
        # A case id or row number cut short points at the wrong case: never shrunk.
        whole = (max([title_text.cell_len, *(row[index].cell_len for row in rows)])
                 if name in KEPT_WHOLE else None)
        table.add_column(title_text, justify="right" if numeric else "left",
                         no_wrap=name not in wrap, overflow="fold", min_width=whole)
    for row in rows:
        table.add_row(*row)
    return table


def labelled_part_periods(table: pl.DataFrame, column: str, kind: str,
                          periods: PartPeriods | None) -> pl.DataFrame:
    """TABLE as the terminal shows it: a part period's COLUMN written "2022 (from 2 Jul)", as
    the board pack labels it, and IS_PART_PERIOD (for machine outputs) dropped."""
    shown = table.with_columns(pl.col(column).cast(pl.String))
    if periods is not None:
        labels = {p: periods.label(kind, p) for p in shown[column].unique().to_list() if p}
        shown = shown.with_columns(pl.col(column).replace(labels))
    return shown.drop(IS_PART_PERIOD, strict=False)


def render_summary(view: SummaryView) -> RenderableType:
    by = f" and {', '.join(header_of(c) for c in view.by)}" if view.by else ""
    parts: list[RenderableType] = []
    if not view.request_dates:
        parts.append(Text(f"New EHC plans within 20 weeks and open requests: {NOT_IN_EXPORT} "
                          "(it has no request received dates: a register of plans).",
                          style="yellow"))
    elif view.timeliness.height:
        parts.append(frame_table(
            labelled_part_periods(view.timeliness, "period", view.period, view.periods),
            f"New EHC plans issued within 20 weeks, by {view.period} of issue{by}",
            "(ex) = excluding reg 10(4) exceptions (DfE's headline). Out of scope as DfE: "
            "mediation, tribunal, transferred-in (H) and other-LA (S) plans.",
            headings={"period": view.period.capitalize()}))
        if view.timeliness[IS_PART_PERIOD].any():
            parts.append(Text(PART_PERIOD_NOTE, style="dim"))
    else:
        parts.append(Text("No in-scope plans issued by the as-of date.", style="yellow"))
    if view.year_end is not None:
        parts.append(Text(view.year_end.sentence()))
        if view.by:
            parts.append(plain(not_split_note([header_of(c) for c in view.by], False),
                               style="dim"))
    if view.request_dates:
        parts.append(frame_table(view.open_requests,
                                 f"Open requests on {view.as_of:%d %b %Y}, by weeks since "
                                 f"request{by}"))
    bound = view.reviews[REVIEWS_OVERDUE_IS_LOWER_BOUND].any()
    parts.append(frame_table(
        marked_lower_bounds(view.reviews, {"reviews_overdue": REVIEWS_OVERDUE_IS_LOWER_BOUND}),
        f"Annual reviews on {view.as_of:%d %b %Y}{by}", view.reviews_note if bound else None,
        right=("reviews_overdue",)))
    if view.review_process is not None:
        parts += render_review_process(view.review_process, view.as_of)
    conventions = view.conventions + (view.review_process.conventions
                                      if view.review_process is not None else ())
    parts.append(render_footer(view.accounting, conventions, view.source, view.as_of,
                               view.notes))
    return Group(*parts)


def render_review_process(part: ReviewProcessView[pl.DataFrame], as_of: object
                          ) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if part.decisions is not None and part.awaiting is not None:
        parts.append(frame_table(
            part.decisions.with_columns(pl.col("time_period").cast(pl.String)),
            "Annual review decisions within 4 weeks of the meeting, by year "
            "of decision (DfE measure)",
            "reg 20(10): the decision to maintain, amend or cease within 4 weeks."))
        parts.append(frame_table(
            part.awaiting, f"Review meetings without a decision on {as_of:%d %b %Y}",
            "Months after the meeting; each count includes the longer waits."))
    if part.transfers is not None:
        frame = part.transfers.with_columns(pl.col("deadline").dt.strftime("%d %b %Y"))
        parts.append(frame_table(
            frame, "Phase transfers next September: review and amendment (reg 18)",
            "At risk: not complete, and the usual 12-week chain (meeting, decision at 4 "
            "weeks, amended plan 8 weeks later) cannot end by the deadline."))
    return parts


def render_footer(accounting: Accounting, conventions: tuple[tuple[str, str], ...],
                  source: str, as_of: object, notes: tuple[str, ...] = ()) -> RenderableType:
    lines = Text()
    lines.append(printable(f"Source: {source}. As of {as_of}. "), style="bold")
    lines.append(accounting.sentence() + "\n")
    for note in notes:  # where DfE's method and the case analysis part (views.analysis_notes)
        lines.append(f"DfE's method: {note}\n")
    if accounting.warnings:
        lines.append(f"{accounting.warnings:,} warnings kept in the analysis; "
                     "run `validate` to list them.\n")
    lines.append(printable("Conventions: " + "; ".join(v for _, v in conventions) + "."),
                 style="dim")
    return lines


def render_issues(issues: pl.DataFrame, limit: int) -> RenderableType:
    shown = issues.head(limit)
    return frame_table(shown.select("row", "case_id", "column", "value", "code", "severity"),
                       f"Row-level issues ({issues.height:,})",
                       None if issues.height <= limit else
                       f"First {limit:,} of {issues.height:,}; --limit N shows more, "
                       "--issues-out FILE exports them all.",
                       wrap=("column", "value", "code"))


def render_issue_counts(issues: pl.DataFrame) -> RenderableType:
    return frame_table(issues_by_code(issues), "Issues by code", wrap=("message",))


def render_mapping(mapped: dict[str, str], recognised: frozenset[str]) -> RenderableType:
    table = Table(title="Columns used", title_justify="left")
    table.add_column("canonical column")
    table.add_column("header in the file")
    table.add_column("how")
    for canonical, header in mapped.items():
        table.add_row(plain(canonical), plain(header),
                      "recognised" if canonical in recognised else "config")
    return table
