"""E83: an export with no column for the review the 12 months run from cannot say whether any
plan was reviewed (CFA 2014 s44(1)): a review that had fallen due is not known, never overdue,
and every output says why (rules/status.py review_not_known, records_reviews).

A blank cell in a present last_review_date column records no review; an absent column
records nothing either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from conftest import kpi_card

Run = Callable[..., Result]
AS_OF = "2025-06-30"
MAPPING_LINE = '[columns] last_review_date = "Your header"'
# E83 (docs/worked-examples.md): P's first 12 months ran to 2025-02-28, so a review had fallen
# due; Q's run to 2026-01-14 and R's to 2025-07-19 (19 days after the as-of date); S ceased.
ROWS = [("P", "2023-10-02", "2024-03-01", ""), ("Q", "2024-08-26", "2025-01-15", ""),
        ("R", "2024-02-26", "2024-07-20", ""), ("S", "2023-06-05", "2023-10-23", "2025-01-01")]
STATUSES = {"P": "not_known", "Q": "not_due", "R": "due_soon", "S": "not_applicable"}


def _export(tmp_path: Path, review_column: bool) -> Path:
    header = "case_id,received_date,plan_issued_date,cease_date"
    rows = [",".join(r) for r in ROWS]
    if review_column:  # present, blank in every row: no review held
        header, rows = header + ",last_review_date", [r + "," for r in rows]
    path = tmp_path / ("with_column.csv" if review_column else "no_column.csv")
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _cases(run: Run, export: Path) -> dict[str, tuple[object, object]]:
    result = run("cases", export, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {r["case_id"]: (r["review_status"], r["review_due_date"])
            for r in json.loads(result.stdout)}


def test_E83_without_the_column_a_review_fallen_due_is_not_known(
        run: Run, tmp_path: Path) -> None:
    export = _export(tmp_path, review_column=False)
    cases = _cases(run, export)
    assert {k: v[0] for k, v in cases.items()} == STATUSES
    # Not known has no due date; a first review not yet due keeps its own.
    assert cases["P"][1] is None
    assert (cases["Q"][1], cases["R"][1]) == ("2026-01-14", "2025-07-19")
    # Every command says why, with the mapping line.
    result = run("cases", export, "--as-of", AS_OF, "--format", "json")
    said = " ".join(result.stderr.split())
    assert "no last_review_date column" in said and MAPPING_LINE in said


def test_E83_a_blank_cell_in_a_present_column_means_no_review_held(
        run: Run, tmp_path: Path) -> None:
    cases = _cases(run, _export(tmp_path, review_column=True))
    assert cases["P"] == ("overdue", "2025-02-28")
    assert {k: v[0] for k, v in cases.items() if k != "P"} == {
        k: v for k, v in STATUSES.items() if k != "P"}
    result = run("cases", _export(tmp_path, review_column=True), "--as-of", AS_OF)
    assert "no last_review_date column" not in " ".join(result.stderr.split())


def test_E83_summary_trend_and_check_agree_and_say_why(run: Run, tmp_path: Path) -> None:
    export = _export(tmp_path, review_column=False)
    summary = json.loads(run("summary", export, "--as-of", AS_OF, "--format", "json").stdout)
    assert summary["reviews"] == [{
        "plans_to_review": 3, "reviews_overdue": 0, "reviews_due_soon": 1,
        "reviews_not_due": 1, "reviews_not_known": 1, "reviews_overdue_is_lower_bound": True}]
    assert summary["kpis"]["reviews_overdue"]["is_lower_bound"] is True
    table = " ".join(run("summary", export, "--as-of", AS_OF).stdout.split())
    assert "≥ 0" in table
    assert "Not known: this export has no last_review_date column" in table
    assert MAPPING_LINE in table

    trend = json.loads(run("trend", export, "--as-of", AS_OF, "--format", "json").stdout)
    last = trend["months"][-1]
    assert (last["reviews_not_known_at_month_end"], last["reviews_overdue_at_month_end"]) == (
        1, 0)
    assert last["reviews_overdue_at_month_end_is_lower_bound"] is True
    # Every month end is a lower bound for the same reason: P was never known reviewed.
    by_month = {r["month"]: r["reviews_not_known_at_month_end"] for r in trend["months"]}
    assert (by_month["2025-02"], by_month["2025-03"]) == (0, 1)
    said = " ".join(run("trend", export, "--as-of", AS_OF).stdout.split())
    assert "This export has no last_review_date column" in said

    check = run("check", export, "--as-of", AS_OF, "--max-reviews-overdue-pct", "10")
    assert check.exit_code == 1  # nothing decided: a gate never passes on a lower bound
    assert "NOT KNOWN" in check.stdout
    assert "no last_review_date column" in " ".join(check.stderr.split())


def test_E83_the_board_leaves_the_reviewed_share_blank_and_says_why(
        run: Run, tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    result = run("report", _export(tmp_path, review_column=False), "--as-of", AS_OF,
                 "--suppress-below", "0", "-o", out)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    card = kpi_card(html, "reviews_in_time")
    assert '<span class="kpi-value">–' in card
    assert "Not known: this export has no last_review_date column" in card
    assert "only recorded review is dated after" not in html
    assert "Not known: this export has no last_review_date column, so it cannot say" in html


def test_E83_the_decision_clock_reads_the_decision_column(run: Run, tmp_path: Path) -> None:
    """review_clock = "decision": the 12 months run from the review decision, so an export
    with the meeting but no decision column cannot say either."""
    export = _export(tmp_path, review_column=True)
    config = tmp_path / "decision.toml"
    config.write_text('[rules]\nreview_clock = "decision"\n', encoding="utf-8")
    result = run("cases", export, "--config", config, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    statuses = {r["case_id"]: r["review_status"] for r in json.loads(result.stdout)}
    assert statuses == STATUSES
    assert "no review_decision_date column" in " ".join(result.stderr.split())

