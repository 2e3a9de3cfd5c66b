"""One literal case through the real rules, as the worked-example tests use it
(tests/rules/test_worked_examples*.py)."""

from __future__ import annotations

from datetime import date

import polars as pl

from ehcp_timeliness.calendar import england_bank_holidays
from ehcp_timeliness.config import Config, RulesConfig

from conftest import SAMPLE_AS_OF as AS_OF

D = date.fromisoformat


def analysed(rows: list[dict[str, object]], as_of: date = AS_OF,
             rules: RulesConfig | None = None) -> pl.DataFrame:
    """Canonical rows -> analysed cases, through the real rules."""
    from ehcp_timeliness.columns import BOOLEAN_COLUMNS, CANONICAL_COLUMNS, DATE_COLUMNS
    from ehcp_timeliness.rules import with_deadlines, with_status
    from ehcp_timeliness.schema.normalise import with_transfer_read

    schema = {c.name: (pl.Date if c.name in DATE_COLUMNS else
                       pl.Boolean if c.name in BOOLEAN_COLUMNS else pl.String)
              for c in CANONICAL_COLUMNS}
    frame = with_transfer_read(pl.DataFrame(rows, schema=schema).with_columns(
        pl.col(list(BOOLEAN_COLUMNS)).fill_null(False)))
    rules = rules or RulesConfig()
    return with_status(with_deadlines(frame, rules), as_of, rules)


def review_stage(as_of: str, config: Config | None = None,
                 **values: object) -> dict[str, object]:
    """One plan (issued 2022-05-20 unless overridden) through the rules and the review-process
    stage, as the pipeline runs them; the row as a dict, with transfer_at_risk as `at_risk`.
    """
    from ehcp_timeliness.columns import DATE_COLUMNS
    from ehcp_timeliness.rules.review_process import transfer_at_risk, with_review_process

    config = config or Config()
    row = {"received_date": D("2022-01-10"), "plan_issued_date": D("2022-05-20"),
           "request_outcome": "Y", "assessment_outcome": "Y",
           **{k: D(v) if isinstance(v, str) and k in DATE_COLUMNS else v
              for k, v in values.items()}}
    cases = with_review_process(analysed([row], D(as_of)), D(as_of), config,
                                england_bank_holidays())
    return cases.with_columns(transfer_at_risk(D(as_of)).alias("at_risk")).row(0, named=True)
