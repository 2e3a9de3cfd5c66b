"""The figures DfE publishes, worked out from an authority's own cases, under DfE's column names.

One row per calendar year (`time_period`), so a row can be laid beside DfE's published row for
the same year (docs/benchmarking.md says where each column comes from and which readings we took):

- new EHC plans (timeliness_20_week.csv): plans issued in the year, in DfE's scope (rules.md §3),
  within 20 weeks / 20 weeks–1 year / over 1 year by DfE's method (rules/dfe_method.py, not
  the local conventions), including and excluding reg 10(4) exceptions; a plan without a usable
  request date counts in the denominators and in no bucket, as in DfE's files;
- requests (requests.csv): decisions whether to assess (Y or N) notified in the year, within
  6 weeks (reg 5(1)) or after — counted in the year of the decision, not of the request;
- assessments (assessments.csv): decisions not to issue a plan (N) notified in the year, within
  16 weeks (reg 10(1)) or after;
- annual reviews (annual_reviews.csv): review decisions notified in the year with a recorded
  meeting, within 4 weeks of the meeting (reg 20(10)) or after. Every plan counts, whatever its
  outcome code or any mediation/tribunal about the original request.

The three decision measures count rules/dfe_method.py's named expressions: DfE's day counts,
whatever `rules.anchor_is_day_one` says. A measure whose columns the export lacks is blank,
never 0 (DECISION_MEASURES). Events dated after the as-of date had not happened on it and are
not counted. Percentages to one decimal place, halves up, blank when the denominator is 0
(DfE shows `x`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    LAST_REVIEW_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
)
from ehcp_timeliness.rules.dfe_method import (
    OverAYear,
    decided_not_to_issue,
    decided_whether_to_assess,
    decided_within_6_weeks,
    decided_within_16_weeks,
    review_decided,
    review_decided_within_4_weeks,
)
from ehcp_timeliness.rules.status import known_by
from ehcp_timeliness.summaries.grouping import percentage, period_key
from ehcp_timeliness.summaries.rates import BETWEEN, EXCLUDING, ISSUE_DATE, OVER, WITHIN, dfe_plans

TIME_PERIOD = "time_period"

# timeliness_20_week.csv, in DfE's column order: (count including, count excluding exceptions).
PLAN_BUCKETS = {
    "within_20_weeks": ("plans_issued_within_20_weeks", "plans_issued_20_weeks_ex"),
    "gt20weeks_ltYear": ("plans_issued_gt20weeks_ltYear", "plans_issued_gt20weeks_ltYear_ex"),
    "gt_1_year": ("plans_issued_gt_1_year", "plans_issued_gt_1_year_ex"),
}
# count -> DfE's percentage column: pc_ before it, PC_ before a count excluding exceptions
# (DfE's own case).
PLAN_PERCENTAGES = {count: ("PC_" if count.endswith("_ex") else "pc_") + count
                    for pair in PLAN_BUCKETS.values() for count in pair}
# The denominators, then each bucket's two counts and their two percentages.
PLAN_COLUMNS = ("plans_issued_den", "plans_issued_den_ex",
                *(c for pair in PLAN_BUCKETS.values()
                  for c in (*pair, *(PLAN_PERCENTAGES[count] for count in pair))))
# (within, over, within %, over %) for the three decision measures, DfE's names and spellings.
REQUEST_COLUMNS = ("request_outcome_six_weeks", "request_outcome_over_6_weeks",
                   "request_outcome_six_weeks_pc", "request_outcome_over_6_weeks_pc")
ASSESSMENT_COLUMNS = ("outcome_decision_within_time", "outcome_decision_over_time",
                      "outcome_decision_within_time_pc", "outcome_decision_over_time_pc")
REVIEW_COLUMNS = ("number_decsion_4weeks", "number_decision_gt_4weeks",
                  "pc_decsion_4weeks", "pc_decision_gt_4weeks")
DFE_COLUMNS = (TIME_PERIOD, *PLAN_COLUMNS, *REQUEST_COLUMNS, *ASSESSMENT_COLUMNS,
               *REVIEW_COLUMNS)
PERCENTAGE_COLUMNS = frozenset(
    (*PLAN_PERCENTAGES.values(), *REQUEST_COLUMNS[2:], *ASSESSMENT_COLUMNS[2:],
     *REVIEW_COLUMNS[2:]))
COUNT_COLUMNS = tuple(c for c in DFE_COLUMNS[1:] if c not in PERCENTAGE_COLUMNS)


@dataclass(frozen=True)
class DecisionMeasure:
    """One of DfE's decision measures and the export columns it is counted from."""

    name: str                     # what it counts, for the note
    columns: tuple[str, ...]      # its DfE columns
    inputs: tuple[str, ...]       # canonical columns it reads


# Without any of its inputs a measure is not in the export: its figures are blank, never 0
# (0 is a figure DfE would publish: no decision made, or none in time).
REVIEW_DECISIONS = DecisionMeasure(
    "Annual-review decisions within 4 weeks of the meeting", REVIEW_COLUMNS,
    (LAST_REVIEW_DATE, REVIEW_DECISION_DATE))
DECISION_MEASURES = (
    DecisionMeasure("Decisions whether to assess within 6 weeks", REQUEST_COLUMNS,
                    (RECEIVED_DATE, REQUEST_OUTCOME, REQUEST_OUTCOME_DATE)),
    DecisionMeasure("Decisions not to issue a plan within 16 weeks", ASSESSMENT_COLUMNS,
                    (RECEIVED_DATE, ASSESSMENT_OUTCOME, ASSESSMENT_OUTCOME_DATE)),
    REVIEW_DECISIONS,
)


def measures_not_in_export(present: tuple[str, ...]) -> tuple[DecisionMeasure, ...]:
    """The decision measures the export cannot give: it lacks a column one of them reads."""
    return tuple(m for m in DECISION_MEASURES if not all(c in present for c in m.inputs))


def not_in_export_note(measure: DecisionMeasure, present: tuple[str, ...]) -> str:
    """`<measure>: not in this export (no <column> column), so shown blank, not 0. ...`"""
    missing = [c for c in measure.inputs if c not in present]
    named = (f"no {missing[0]} column" if len(missing) == 1
             else f"no {', '.join(missing[:-1])} or {missing[-1]} columns")
    return (f"{measure.name}: not in this export ({named}), so shown blank, not 0. If the "
            "export holds them under other headers, map them in the config file's [columns].")


def _year(column: pl.Expr) -> pl.Expr:
    return period_key(column, "year").cast(pl.Int64).alias(TIME_PERIOD)


def _plan_figures(cases: pl.DataFrame, as_of: date, undated: pl.DataFrame | None = None,
                 over_a_year_reading: OverAYear = "52_weeks") -> pl.LazyFrame:
    """timeliness_20_week.csv: in-scope plans issued by the as-of date, by year of issue.

    DfE's method (rules/dfe_method.py), whatever the local conventions: within 20 weeks =
    ≤ 140 days from the request, over a year = more than 52 weeks (364 days), the rest 20
    weeks–1 year. UNDATED (plans set aside for their request date alone, rates.issued_plans)
    count in the denominators only, so the buckets can add up to less, as in DfE's files.
    OVER_A_YEAR_READING: config dfe.over_a_year.
    """
    bucket = {"within_20_weeks": WITHIN, "gt20weeks_ltYear": BETWEEN, "gt_1_year": OVER}
    ex = pl.col(EXCLUDING)
    aggs = [pl.len().alias("plans_issued_den"), ex.sum().alias("plans_issued_den_ex")]
    for key, (name, name_ex) in PLAN_BUCKETS.items():
        aggs += [pl.col(bucket[key]).sum().alias(name),
                 (pl.col(bucket[key]) & ex).sum().alias(name_ex)]
    table = (dfe_plans(cases, as_of, undated, over_a_year_reading)
             .group_by(_year(pl.col(ISSUE_DATE))).agg(aggs)
             .with_columns(pl.exclude(TIME_PERIOD).cast(pl.Int64)))
    return table.with_columns(
        percentage(pl.col(count), pl.col("plans_issued_den_ex" if count.endswith("_ex")
                                         else "plans_issued_den")).alias(pc)
        for count, pc in PLAN_PERCENTAGES.items()
    ).select(TIME_PERIOD, *PLAN_COLUMNS)


def _timed_decisions(cases: pl.DataFrame, counted: pl.Expr, decided_on: pl.Expr,
                     within: pl.Expr, names: tuple[str, ...]) -> pl.LazyFrame:
    """Decisions by year made, split within/over the limit, with both percentages."""
    n_within, n_over, pc_within, pc_over = names
    table = (cases.lazy().filter(counted).group_by(_year(decided_on))
             .agg(within.sum().cast(pl.Int64).alias(n_within),
                  (~within).sum().cast(pl.Int64).alias(n_over)))
    total = pl.col(n_within) + pl.col(n_over)
    return table.with_columns(percentage(pl.col(n_within), total).alias(pc_within),
                              percentage(pl.col(n_over), total).alias(pc_over))


def review_figures(cases: pl.DataFrame, as_of: date) -> pl.LazyFrame:
    """annual_reviews.csv: review decisions by year of the decision, within 4 weeks of the
    meeting (rules/dfe_method.py::review_decided: a decision dated before its meeting is
    counted neither within nor over 4 weeks)."""
    return _timed_decisions(cases, review_decided(as_of), known_by(REVIEW_DECISION_DATE, as_of),
                            review_decided_within_4_weeks(), REVIEW_COLUMNS)


def dfe_figures(cases: pl.DataFrame, as_of: date, undated: pl.DataFrame | None = None,
                over_a_year_reading: OverAYear = "52_weeks") -> pl.DataFrame:
    """Every year with any counted event: DFE_COLUMNS, counts 0 where nothing happened, the
    four tables worked out in one query. UNDATED, OVER_A_YEAR_READING: _plan_figures."""
    parts = [_plan_figures(cases, as_of, undated, over_a_year_reading),
             # requests.csv: decisions whether to assess, within 6 weeks.
             _timed_decisions(cases, decided_whether_to_assess(as_of),
                              known_by(REQUEST_OUTCOME_DATE, as_of), decided_within_6_weeks(),
                              REQUEST_COLUMNS),
             # assessments.csv: decisions not to issue a plan, within 16 weeks.
             _timed_decisions(cases, decided_not_to_issue(as_of),
                              known_by(ASSESSMENT_OUTCOME_DATE, as_of),
                              decided_within_16_weeks(), ASSESSMENT_COLUMNS),
             review_figures(cases, as_of)]
    table = parts[0]
    for part in parts[1:]:
        table = table.join(part, on=TIME_PERIOD, how="full", coalesce=True)
    return (table.with_columns(pl.col(COUNT_COLUMNS).fill_null(0))
            .select(DFE_COLUMNS).sort(TIME_PERIOD).collect(engine="in-memory"))
