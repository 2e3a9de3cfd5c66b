"""Each board headline card says what its figure counts, so it can be laid beside the others:
the open-overdue card how many of its requests the year-end outlook counts (DfE's headline
basis) and why the rest are left out, the parts adding up to its value; the median card that
its plans include those with an exception, unlike the headline rate's."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.board import build_board

from conftest import SAMPLE

_SPLIT = re.compile(r"the year-end outlook, on DfE's headline basis, counts ([\d,]+): it "
                    r"leaves out ([\d,]+) outside DfE's scope .* and ([\d,]+) with a reg "
                    r"10\(4\) exception\.$")


def _board_and_overdue_card(threshold: int, config: Config | None = None):  # type: ignore[no-untyped-def]
    analysis = analyse(SAMPLE / "cases.csv", config or load_config(SAMPLE / "board.toml"),
                       date(2025, 6, 30))
    view = build_board(analysis, [], threshold)
    card = next(c for c in view.headline if c.key == "open_cases_overdue")
    return view, card


def test_the_overdue_card_names_the_outlooks_own_count() -> None:
    view, card = _board_and_overdue_card(0)
    assert view.over_time is not None
    outlook = view.over_time.year_end
    found = _SPLIT.search(card.scope)
    assert found, card.scope
    counted, outside, excepted = (int(g.replace(",", "")) for g in found.groups())
    assert counted == outlook.open_overdue
    assert f"without an exception: {counted:,} already overdue" in outlook.sentence()
    # The sample: 92 overdue, 3 outside DfE's scope, 13 with an exception, 76 in the outlook.
    assert (card.value, outside, excepted, counted) == (92, 3, 13, 76)
    assert counted + outside + excepted == card.value


def test_the_split_is_left_out_when_a_part_is_a_small_number() -> None:
    _, card = _board_and_overdue_card(5)  # 3 outside DfE's scope: suppressed
    assert card.value == 92
    assert card.scope == "Every open request past its 20-week date, whatever its route."


def test_with_day_one_the_requests_on_day_140_are_named_too(tmp_path: Path) -> None:
    """Receipt as day 1: a request is overdue on day 140, late by DfE's rule a day later."""
    config = tmp_path / "day_one.toml"
    config.write_text((SAMPLE / "board.toml").read_text(encoding="utf-8")
                      + "\n[rules]\nanchor_is_day_one = true\n", encoding="utf-8")
    view, card = _board_and_overdue_card(0, load_config(config))
    assert view.over_time is not None
    assert card.value == 94 and view.over_time.year_end.open_overdue == 76
    assert card.scope.endswith(
        "counts 76: it leaves out 3 outside DfE's scope (mediation, a tribunal appeal or from "
        "another authority), 13 with a reg 10(4) exception and 2 on day 140, overdue by your "
        "day-counting convention but not yet late by DfE's.")


def test_the_median_card_says_its_plans_include_the_exceptions() -> None:
    view, _ = _board_and_overdue_card(0)
    card = next(c for c in view.headline if c.key == "median_weeks_to_issue")
    rates = {c.kpi: c for c in view.kpis}
    # Over the 12 months' plans including exceptions (469), not the headline's 413.
    assert card.detail == f"over {rates['pct_within_20_weeks_12_months'].denominator:,} plans"
    assert rates["pct_within_20_weeks_ex_12_months"].denominator == 413
    assert "with or without a reg 10(4) exception" in card.scope
