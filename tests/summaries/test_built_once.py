"""The board builds each table once: its grouped worklist from the urgency-ordered one, its
age profile from the grouped open-requests table. Each must equal what Python, ordering and
counting the analysed cases itself, gives."""

from __future__ import annotations

import polars as pl
import pytest

from ehcp_timeliness.columns import CASE_ID, PLAN_STATUS, RECEIVED_DATE
from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.summaries.figures import by_group, case_figures
from ehcp_timeliness.summaries.open_work import AGE_BANDS, age_profile
from ehcp_timeliness.summaries.worklist import in_groups, worklist

from conftest import SAMPLE
from conftest import SAMPLE_AS_OF as AS_OF


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), AS_OF)


@pytest.mark.parametrize("by", [[], ["Team"], ["Team", "School Phase"]])
def test_grouped_worklist_is_the_urgent_list_split_by_group(analysis: Analysis,
                                                            by: list[str]) -> None:
    urgent = worklist(analysis.cases, AS_OF, 28, by, True)
    grouped = in_groups(urgent, by)
    assert grouped.height == urgent.height > 0
    # Independent of Polars' sort: each group's rows in the urgency list's order, groups in
    # order of their names.
    keys = list(urgent.select(by).iter_rows()) if by else [()] * urgent.height
    order = [i for group in sorted(set(keys)) for i, key in enumerate(keys) if key == group]
    assert grouped.equals(urgent[order])
    # The grouped list the worklist command builds is in the same order: by its groups
    # (blank first), then by due date, kind of work and case, as Python sorts them.
    listed = grouped.rows(named=True)

    def place(row: dict[str, object]) -> tuple[object, ...]:
        groups = tuple((row[c] is not None, row[c]) for c in by)
        return (*groups, row["step_due_date"], row["work"], row[CASE_ID])

    assert len(listed) == urgent.height
    assert listed == sorted(listed, key=place)


@pytest.mark.parametrize("by", [["Team"], ["Team", "School Phase"]])
def test_age_profile_adds_up_the_groups(analysis: Analysis, by: list[str]) -> None:
    bands = [name for name, _, _ in AGE_BANDS]
    whole = case_figures(analysis.cases, AS_OF).open_requests().select(bands)
    grouped = by_group(analysis.cases, AS_OF, by)[0]
    # Counted in Python: each open request in the band of its whole weeks since the request.
    weeks = [(AS_OF - received).days // 7 for received, status in analysis.cases.select(
        RECEIVED_DATE, PLAN_STATUS).iter_rows() if status in ("overdue", "due_soon", "in_progress")]
    counted = tuple(sum(low <= w and (high is None or w < high) for w in weeks)
                    for _, low, high in AGE_BANDS)
    assert age_profile(grouped).row(0) == whole.row(0) == counted != (0,) * len(bands)
    empty = analysis.cases.clear()
    assert age_profile(by_group(empty, AS_OF, by)[0]).row(0) == (0,) * len(bands)
    assert set(age_profile(grouped).dtypes) == {pl.Int64}
