"""Random cases for `trend` and the year-end range: month ends and undated closures drawn
often; as the pipeline leaves them (deadlines and statuses as of a date)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import strategies as st

import trend_oracle
from ehcp_timeliness.columns import BOOLEAN_COLUMNS, CANONICAL_COLUMNS, DATE_COLUMNS
from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.rules import with_deadlines, with_status
from ehcp_timeliness.rules.status import review_clock_column

START = date(2023, 1, 1)
MONTH_ENDS = [date(2023, m, 28) for m in range(1, 13)] + [date(2024, 2, 29), date(2023, 12, 31)]
a_day = st.one_of(st.sampled_from(MONTH_ENDS),
                  st.integers(0, 900).map(lambda n: START + timedelta(n)))


def maybe_after(start: date, max_days: int = 600) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.integers(0, max_days).map(lambda n: start + timedelta(n)))


@st.composite
def trend_cases(draw: st.DrawFn) -> trend_oracle.TrendCase:
    received = draw(a_day)
    outcome = draw(st.sampled_from([None, "Y", "N", "W", "H"]))
    issued = draw(maybe_after(received, 500)) if outcome in (None, "Y", "H") else None
    start = draw(maybe_after(received - timedelta(400), 500)) if outcome == "H" else None
    made = issued or start or received
    return trend_oracle.TrendCase(
        received=received, issued=issued,
        request_outcome=draw(st.sampled_from([None, "Y", "N", "W"])) if not issued else "Y",
        request_outcome_date=draw(maybe_after(received, 90)),
        assessment_outcome=outcome,
        # Undated no-plan outcomes often: they count as open until the last known date.
        assessment_outcome_date=draw(maybe_after(received, 200)) if outcome in ("N", "W")
        else None,
        plan_start=start,
        last_review=draw(maybe_after(made, 900)),
        review_decision=draw(maybe_after(made, 900)),
        cease=draw(maybe_after(made, 1200)),
        transfer_in=draw(st.one_of(st.none(), st.none(), maybe_after(made - timedelta(30)))),
        mediation=draw(st.booleans()),
    )


def to_frame(batch: list[trend_oracle.TrendCase]) -> pl.DataFrame:
    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    rows = [{
        "case_id": f"C{i}", "received_date": c.received, "plan_issued_date": c.issued,
        "request_outcome": c.request_outcome, "request_outcome_date": c.request_outcome_date,
        "assessment_outcome": c.assessment_outcome,
        "assessment_outcome_date": c.assessment_outcome_date,
        "plan_start_date": c.plan_start, "last_review_date": c.last_review,
        "review_decision_date": c.review_decision, "cease_date": c.cease,
        "transfer_in_date": c.transfer_in, "mediation": c.mediation,
        "team": "North" if i % 2 else "South",
    } for i, c in enumerate(batch)]
    return pl.DataFrame(rows, schema={**schema, "team": pl.String}).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False))


rules_configs = st.builds(
    RulesConfig, anchor_is_day_one=st.booleans(),
    review_convention=st.sampled_from(["s44", "anniversary"]),
    review_clock=st.sampled_from(["meeting", "decision"]))


def analysed(batch: list[trend_oracle.TrendCase], as_of: date,
             rules: RulesConfig, reviews_recorded: bool = True) -> pl.DataFrame:
    """As the pipeline leaves them: rows received after the as-of date are set aside.
    REVIEWS_RECORDED False: an export without the review clock's column (blank in every
    row, as the pipeline reads an absent column)."""
    frame = to_frame([c for c in batch if c.received <= as_of])
    if not reviews_recorded:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias(
            review_clock_column(rules)))
    return with_status(with_deadlines(frame, rules), as_of, rules,  # type: ignore[return-value]
                       reviews_recorded)


