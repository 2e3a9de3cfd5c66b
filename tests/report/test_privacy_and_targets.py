"""Pseudonymisation, suppression and progress against a trajectory."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ehcp_timeliness.config import KpiTarget, Milestone
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.report.disclosure import Cells, is_small, protect
from ehcp_timeliness.report.privacy import (
    KEY_ENV,
    pseudonym,
    pseudonymise,
    pseudonymise_key,
)
from ehcp_timeliness.report.targets import progress

KEY = b"0123456789abcdef-test"


def test_pseudonyms_are_keyed_stable_and_per_column() -> None:
    frame = pl.DataFrame({"case_id": ["A", "B", "A", None], "person_id": ["A", "x", "y", "z"]})
    once, again = pseudonymise(frame, KEY), pseudonymise(frame, KEY)
    assert once.equals(again)
    cases = once["case_id"].to_list()
    assert cases[0] == cases[2] != cases[1] and cases[3] is None
    assert cases[0].startswith("C-") and len(cases[0]) == 18
    assert once["person_id"][0] != cases[0]  # same text, different column: not linkable
    assert pseudonymise(frame, b"another key of 16+ chars")["case_id"][0] != cases[0]
    assert "A" not in once["case_id"].to_list()


def test_pseudonym_is_hmac_sha256() -> None:
    import hashlib
    import hmac

    digest = hmac.new(KEY, b"case_id\x1fREQ-1", hashlib.sha256).hexdigest()
    assert pseudonym(KEY, "case_id", "REQ-1") == "C-" + digest[:16]


def test_key_comes_from_the_environment_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "from env 12345678")
    assert pseudonymise_key("from config 1234567") == b"from env 12345678"
    monkeypatch.delenv(KEY_ENV)
    assert pseudonymise_key("from config 1234567") == b"from config 1234567"
    with pytest.raises(UsageError, match="needs a secret key"):
        pseudonymise_key(None)
    with pytest.raises(UsageError, match="shorter"):
        pseudonymise_key("short")


def test_suppression_hides_small_counts_and_what_is_built_on_them() -> None:
    frame = pl.DataFrame({"group": ["a", "b", "c"], "within": [3, 0, 40], "issued": [20, 0, 50],
                          "pct": [15.0, None, 80.0]})
    cells = Cells("t", frame, ("group",))
    rates = {"pct": ("within", "issued")}
    mask = cells.mask(protect(cells.values(), 5, []), rates)
    assert mask.rows() == [(False, True, False, True), (False, False, False, False),
                           (False, False, False, False)]
    nothing = cells.mask(protect(cells.values(), 0, []), rates)
    assert not any(any(row) for row in nothing.rows()) and nothing.height == 3
    assert [is_small(v, 5) for v in (None, 0, 1, 4, 5)] == [False, False, True, True, False]


TRAJECTORY = KpiTarget(baseline=38, baseline_date=date(2024, 6, 30), target=60,
                       target_date=date(2026, 6, 30),
                       milestones=(Milestone(date=date(2024, 12, 31), value=42),
                                   Milestone(date=date(2025, 6, 30), value=48)))


@pytest.mark.parametrize(("actual", "as_of", "status", "current", "gap"), [
    (44.8, date(2025, 6, 30), "slippage", 48, -3.2),       # milestone due that day
    (44.8, date(2025, 6, 29), "on track", 42, 2.8),        # the earlier one still in force
    (40.0, date(2024, 7, 1), "no milestone due yet", None, None),
    (61.0, date(2025, 1, 1), "target met", 42, 19.0),
    (None, date(2025, 6, 30), "no data", 48, None),
])
def test_progress_against_the_milestone_in_force(actual, as_of, status, current, gap) -> None:
    found = progress(TRAJECTORY, actual, as_of, lower_is_better=False)
    assert found.status == status
    assert (found.current.value if found.current else None) == current
    assert found.gap == gap


def test_progress_lower_is_better_and_hidden() -> None:
    trajectory = KpiTarget(target=20, milestones=(Milestone(date=date(2025, 3, 31), value=100),))
    assert progress(trajectory, 92, date(2025, 6, 30), lower_is_better=True).status == "on track"
    assert progress(trajectory, 120, date(2025, 6, 30), lower_is_better=True).status == "slippage"
    # A suppressed figure is there but not shown: no verdict, and not "no data" either.
    assert progress(trajectory, 120, date(2025, 6, 30), True, hidden=True).status == "suppressed"
    undated = KpiTarget(target=50)
    assert progress(undated, 40, date(2025, 6, 30), False).status == "slippage"


def test_milestones_must_be_in_order() -> None:
    with pytest.raises(ValueError, match="earliest first"):
        KpiTarget(target=1, milestones=(Milestone(date=date(2025, 6, 1), value=1),
                                        Milestone(date=date(2025, 1, 1), value=1)))
    with pytest.raises(ValueError, match="in order"):
        KpiTarget(target=1, target_date=date(2025, 1, 1),
                  milestones=(Milestone(date=date(2025, 6, 1), value=1),))
