"""The headline cards (headline.py) as the page's template context: each figure written out,
the change on the previous month and the same month last year, and a target's lines only where
a target is set. A status never says "on track" alone while the card's own trend is worse."""

from __future__ import annotations

from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_trend_html import change_lines
from ehcp_timeliness.report.headline import HeadlineCard, figure, gap_words
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.targets import Progress


def status_words(progress: Progress, changes: list[tuple[str, str, str]],
                 trend_unknown: str, gap: str = "") -> str:
    """The status (with its GAP to the milestone), qualified where the card's own trend is
    worse or cannot be seen: "on track" alone would hide it."""
    words = progress.status.capitalize() + gap
    if progress.status not in ("on track", "target met"):
        return words
    worse = [text.split(" (")[0] for _, text, css in changes if css == "worse"]
    if worse:
        return f"{words}, but {' and '.join(worse)}"
    if trend_unknown:
        return f"{words}; trend not known"
    return words


def card_context(view: BoardView, card: HeadlineCard) -> dict[str, object]:
    changes = change_lines(view, card.kpi, card.unit == "%") if card.kpi else []
    p = card.progress
    unit = card.progress_unit or card.unit
    lines: list[tuple[str, str]] = [(b.label, b.text) for b in card.beside]
    status = css = ""
    if p is not None:
        if p.baseline:
            when = f" ({p.baseline.when:%d %b %Y})" if p.baseline.when else ""
            lines.append(("Baseline", figure(p.baseline.value, unit) + when))
        if p.current:
            when = f" (due {p.current.when:%d %b %Y})" if p.current.when else ""
            lines.append(("Milestone now", figure(p.current.value, unit) + when))
        if p.upcoming and p.upcoming is not p.target:
            when = f" by {p.upcoming.when:%d %b %Y}" if p.upcoming.when else ""
            lines.append(("Next milestone", figure(p.upcoming.value, unit) + when))
        when = f" by {p.target.when:%d %b %Y}" if p.target.when else ""
        lines.append(("Target", figure(p.target.value, unit) + when))
        status = status_words(p, changes, card.trend_unknown,
                              gap_words(p, "" if card.progress_unit else card.unit))
        css = p.status.replace(" ", "-")
    return {
        "card": card,
        "value": SUPPRESSED if card.hidden else figure(card.value, card.unit).removesuffix(
            " weeks"),
        "unit": " weeks" if card.unit == " weeks" and not card.hidden else "",
        "changes": changes,
        "lines": lines,
        "status": status,
        "status_css": css,
        "slipped": p is not None and p.status == "slippage",
    }


def headline_context(view: BoardView) -> list[dict[str, object]]:
    return [card_context(view, c) for c in view.headline]
