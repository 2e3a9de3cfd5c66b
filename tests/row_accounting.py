"""Every input row is accounted for: analysed or set aside with a reason, never both, none
lost or invented (the fuzz tests of the readers and of SEN2 archives assert it of whatever
they generate)."""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.columns import ROW
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.schema.issue_codes import SET_ASIDE


def assert_every_row_accounted_for(analysis: Analysis) -> None:
    """rows in = analysed + set aside; each set-aside row has an error or ignored issue."""
    analysed = set(analysis.cases[ROW].to_list())
    aside_issues = analysis.issues.filter(pl.col("severity").is_in([s.value for s in SET_ASIDE]))
    aside = set(aside_issues["row"].to_list())
    assert not analysed & aside, "a row both analysed and set aside"
    assert analysed | aside == set(range(2, analysis.rows_in + 2)), "a row lost or invented"
    assert analysis.rows_analysed + analysis.rows_set_aside == analysis.rows_in
    assert analysis.rows_set_aside == len(aside)
    reasons = analysis.set_aside_reasons()
    assert reasons["rows"].sum() >= analysis.rows_set_aside  # a row may have several reasons
    assert not analysis.issues["code"].is_null().any()
