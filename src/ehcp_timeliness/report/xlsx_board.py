"""What the workbook's Summary and Benchmark sheets show, as the page shows it (xlsx.py writes
them): the headline cards in words (no KPI ids), every measure against its trajectory, and
what each column of those tables and the benchmark's means.
"""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.report.board import BoardView
from ehcp_timeliness.report.board_tables import Table, make_table
from ehcp_timeliness.report.headline import figure
from ehcp_timeliness.report.views import NOT_IN_EXPORT

SUMMARY_HEADINGS = (
    "Measure", "Window", "Actual", "Numerator", "Denominator", "England", "Baseline",
    "Milestone now", "Milestone date", "Next milestone", "Next date", "Target", "Target date",
    "Status", "Gap to milestone",
)
HEADLINE_HEADINGS = ("Measure", "What it counts", "Window", "Value", "Detail",
                     "Beside it", "Target", "Status")
HEADLINE_DEFINITIONS = (
    ("Measure", "The headline measure, DfE's first (plans within 20 weeks, excluding "
                "exceptions, over 12 months)."),
    ("What it counts", "The scope of the figure: which cases, by which date."),
    ("Window", "The period the figure covers; '(to 15 Jun)' marks a part month or year."),
    ("Value", "The figure: a percentage, weeks or a count; c = suppressed."),
    ("Detail", "Numerator and denominator, or the count it is taken over."),
    ("Beside it", "England's and the previous year's figures, and related counts."),
    ("Target", "The target and its date, where the config sets one."),
    ("Status", "Against the milestone in force on the as-of date, qualified where the "
               "measure's own trend is worse or not known."),
)
MEASURE_DEFINITIONS = (
    ("Measure", "Each 20-week window (with and without exceptions) and the two counts."),
    ("Window", "The calendar months the rate covers, ending with the as-of month."),
    ("Actual", "The rate (%) or count; c = suppressed."),
    ("Numerator / Denominator", "Plans within 20 weeks / plans issued in the window."),
    ("England", "England's latest published rate (DfE)."),
    ("Baseline … Target date", "The improvement board's trajectory from the config."),
    ("Status", "Against the milestone in force; 'no target set' where there is none."),
    ("Gap to milestone", "Actual minus the milestone (points for rates, a count otherwise)."),
)
BENCHMARK_DEFINITIONS = (
    ("Year", "Calendar year of issue; '(from 2 Jul)' or '(to 30 Jun)' marks a part year the "
             "export does not cover whole, never ranked."),
    ("Your plans (ex) / within 20 weeks (ex)", "New plans issued in the year in DfE's scope, "
                                               "excluding exceptions, from your export."),
    ("Your data %", "DfE's headline rate worked out from your export."),
    ("Your national rank", "Your figure's place among the local authorities' published "
                           "figures that year, 1 = highest."),
    ("Published % (your authority)", "DfE's published figure for your authority."),
    ("Region % / England %", "DfE's published figures for your region and England."),
    ("Neighbours' median % / range %", "Median and lowest–highest of your ten statistical "
                                       "neighbours' published figures."),
)

def headline_table(view: BoardView) -> Table:
    rows = []
    for card in view.headline:
        p = card.progress
        unit = card.progress_unit or card.unit
        rows.append({
            "measure": card.title, "scope": card.scope, "window": card.window,
            "value": "c" if card.hidden else figure(card.value, card.unit),
            "detail": card.detail,
            "beside": "; ".join(f"{b.label}: {b.text}" for b in card.beside) or None,
            "target": None if p is None else figure(p.target.value, unit) + (
                f" by {p.target.when:%d %b %Y}" if p.target.when else ""),
            "status": None if p is None else p.status,
        })
    return make_table(pl.DataFrame(rows, schema=dict.fromkeys(
        ("measure", "scope", "window", "value", "detail", "beside", "target", "status"),
        pl.String), orient="row"), 0)


def summary_table(view: BoardView) -> Table:
    """One row per KPI: actual against England and the trajectory."""
    rows, hidden = [], []
    for card in view.kpis:
        p = card.progress
        rows.append({
            "measure": card.title, "window": card.window,
            "actual": None if card.value is None else float(card.value),
            "numerator": card.numerator, "denominator": card.denominator,
            "england": card.england,
            "baseline": p.baseline.value if p and p.baseline else None,
            "milestone": p.current.value if p and p.current else None,
            "milestone_date": p.current.when if p and p.current else None,
            "next": p.upcoming.value if p and p.upcoming else None,
            "next_date": p.upcoming.when if p and p.upcoming else None,
            "target": p.target.value if p else None,
            "target_date": p.target.when if p else None,
            "status": (NOT_IN_EXPORT if card.not_in_export
                       else p.status if p else "no target set"),
            "gap": p.gap if p else None,
        })
        parts = card.parts_hidden
        hidden.append({"actual": card.hidden, "numerator": parts, "denominator": parts})
    schema = {"measure": pl.String, "window": pl.String,
              "actual": pl.Float64, "numerator": pl.Int64, "denominator": pl.Int64,
              "england": pl.Float64, "baseline": pl.Float64, "milestone": pl.Float64,
              "milestone_date": pl.Date, "next": pl.Float64, "next_date": pl.Date,
              "target": pl.Float64, "target_date": pl.Date, "status": pl.String,
              "gap": pl.Float64}
    mask = [{**dict.fromkeys(schema, False), **flags} for flags in hidden]
    return Table(pl.DataFrame(rows, schema=schema, orient="row"),
                 pl.DataFrame(mask, schema=dict.fromkeys(schema, pl.Boolean), orient="row"))
