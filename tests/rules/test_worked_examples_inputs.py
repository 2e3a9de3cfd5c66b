"""Worked examples E55–E59 (docs/worked-examples.md): what the export's words and columns
mean — yes/no cells, exceptions per case, the reg 5(4) exceptions, plan registers — one named
test each, through the real pipeline and commands; and two properties against tests/oracle.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp_timeliness.boolean_words import DEFAULT_TRUE_REASONS
from ehcp_timeliness.config import BooleansConfig, Config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.rules.deadlines import decision_due_date
from ehcp_timeliness.rules.exception_windows import advice_request_in_closure_window

import oracle

Run = Callable[..., Result]
D = date.fromisoformat
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- E55: the words for "no exception" are false ----------------------------------------------

E55_WORDS = ["No exception", "Not applicable", "No - parent asked to wait", "N/A", "None", "0",
             "", "school closure", "Yes", "Exceptional personal circumstances"]


def test_E55_no_exception_words_are_false_and_reasons_true(tmp_path: Path) -> None:
    """reg 13(3)/10(4): only a recorded exception takes a plan out of the excluding-exceptions
    rate. Ten plans, all received Mon 2024-01-15 and issued Mon 2024-07-01 (168 days: 4 weeks
    late); seven say "no exception" in one way or another."""
    rows = [f"C{i},2024-01-15,Y,2024-07-01,{word}" for i, word in enumerate(E55_WORDS, 1)]
    path = write_csv(tmp_path / "e55.csv", "Case Ref,Date Received,Request Outcome,"
                     "Final Plan Issued,Week20 Exception", rows)
    analysis = analyse(path, Config(), D("2024-12-31"))
    cases = analysis.cases.sort("__row")
    assert cases["week20_exception"].to_list() == [False] * 7 + [True] * 3
    assert cases["exception_applies"].to_list() == [False] * 7 + [True] * 3
    assert set(cases["plan_status"]) == {"issued_late"}  # the deadline never moves
    assert analysis.issues.height == 0  # every one of these words is known

    from ehcp_timeliness.summaries.rates import timeliness_rates

    row = timeliness_rates(analysis.cases, D("2024-12-31"), "year", []).row(0, named=True)
    assert (row["plans_issued"], row["plans_issued_ex"]) == (10, 7)
    assert (row["issued_within_20_weeks"], row["issued_within_20_weeks_ex"]) == (0, 0)


# --- E56: anything else is a warning, counted as false ----------------------------------------

def test_E56_unknown_wording_is_a_shape_only_warning_and_counts_as_false(
        run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e56.csv", "Case Ref,Date Received,Final Plan Issued,Week20",
                     ["C1,2024-01-15,2024-07-01,Parent request", "C2,2024-01-15,2024-07-01,Y"])
    analysis = analyse(path, Config(), D("2024-12-31"))
    [issue] = analysis.issues.to_dicts()
    assert (issue["row"], issue["case_id"], issue["column"], issue["code"],
            issue["severity"]) == (2, "C1", "week20_exception", "unknown-boolean", "warning")
    assert issue["value"] == "14 characters (letters, spaces)"  # shape, not text
    assert "[booleans]" in issue["message"] and "true_words" in issue["message"]
    assert analysis.cases.sort("__row")["week20_exception"].to_list() == [False, True]

    result = run("validate", path, "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.stderr  # a warning, not an error
    assert "unknown-boolean" in result.stdout
    assert "Parent request" not in result.stdout + result.stderr

    config = tmp_path / "words.toml"
    config.write_text('[booleans]\ntrue_words = ["parent request", "school closure"]\n',
                      encoding="utf-8")
    result = run("validate", path, "-c", config, "--as-of", "2024-12-31")
    assert "unknown-boolean" not in result.stdout
    settings_ = Config(booleans=BooleansConfig(true_words=("Parent request",)))
    again = analyse(path, settings_, D("2024-12-31"))
    assert again.cases.sort("__row")["week20_exception"].to_list() == [True, True]


def test_E56_a_true_word_that_already_means_no_is_refused(run: Run, tmp_path: Path,
                                                          small_csv: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[booleans]\ntrue_words = ["No exception"]\n', encoding="utf-8")
    result = run("summary", small_csv, "-c", config)
    assert result.exit_code == 2
    assert "booleans.true_words" in result.stderr and "already means no" in result.stderr


# --- E57: exception_applies, per case ---------------------------------------------------------

def test_E57_exception_applies_separates_excused_from_late(run: Run, tmp_path: Path) -> None:
    """Request Mon 2024-01-15: 20-week date Mon 2024-06-03. As of Mon 2024-07-01, C1 and C2
    are open and 28 days overdue, C3 and C4 were issued that day, 28 days late. C1 and C3
    record an exception: still overdue / late (the date does not move), but excused."""
    path = write_csv(tmp_path / "e57.csv", "Case Ref,Date Received,Final Plan Issued,Week20",
                     ["C1,2024-01-15,,exceptional personal circumstances",
                      "C2,2024-01-15,,No exception",
                      "C3,2024-01-15,2024-07-01,school closure",
                      "C4,2024-01-15,2024-07-01,No"])
    out = tmp_path / "cases.parquet"
    assert run("cases", path, "--as-of", "2024-07-01", "-o", out).exit_code == 0
    cases = pl.read_parquet(out)
    assert cases.columns[-1] == "exception_applies"
    assert cases["plan_status"].to_list() == ["overdue", "overdue", "issued_late",
                                              "issued_late"]
    assert cases["days_overdue"].to_list() == [28, 28, 28, 28]
    assert cases["exception_applies"].to_list() == [True, False, True, False]

    work = tmp_path / "work.csv"
    assert run("worklist", path, "--as-of", "2024-07-01", "-o", work).exit_code == 0
    listed = pl.read_csv(work)
    assert listed.columns[-1] == "exception_applies"
    assert listed.select("case_id", "urgency", "exception_applies").rows() == [
        ("C1", "overdue", True), ("C2", "overdue", False)]


# --- E58: reg 5(4), the exceptions to the 6-week decision -------------------------------------

def test_E58_reg_5_4_exceptions_never_move_the_six_week_date() -> None:
    """Request Wed 2024-07-10: decision due Wed 2024-08-21 (reg 5(1)). Advice asked of the school
    on Wed 2024-07-17, one week before it closed for the summer (2024-07-24 to 2024-09-04):
    reg 5(4)(a) may excuse a late decision, as reg 10(4)(a) does a late plan. A day earlier
    (2024-07-16) it cannot. Either way the date stays R + 42."""
    frame = pl.DataFrame({"r": [D("2024-07-10")] * 2,
                          "advice": [D("2024-07-17"), D("2024-07-16")],
                          "closes": [D("2024-07-24")] * 2, "reopens": [D("2024-09-04")] * 2})
    out = frame.select(
        decision_due_date(pl.col("r")).alias("due"),
        advice_request_in_closure_window(pl.col("advice"), pl.col("closes"),
                                         pl.col("reopens")).alias("window"))
    assert out["due"].to_list() == [D("2024-08-21")] * 2
    assert out["window"].to_list() == [True, False]


# --- E59: a plan register (Annex A) is analysed for reviews -----------------------------------

def test_E59_annex_a_list_is_analysed_for_reviews_without_a_mapping(run: Run) -> None:
    """The Ofsted/CQC Annex A List_1 layout (tests/fixtures/fake_sen.xlsx, MIT): no request
    date, so no 20-week figures, but every plan's 12-month review (CFA s44(1))."""
    result = run("summary", FIXTURES / "fake_sen.xlsx", "--as-of", "2025-06-30",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows"]["rows_set_aside"] == 0
    assert summary["timeliness"] is None and summary["open_requests"] is None
    assert "timeliness" in summary["not_in_this_export"]["figures"]
    assert summary["reviews"] == [{"plans_to_review": 2, "reviews_overdue": 2,
                                   "reviews_due_soon": 0, "reviews_not_due": 0,
                                   "reviews_not_known": 0,
                                   "reviews_overdue_is_lower_bound": False}]
    assert summary["kpis"]["reviews_overdue"]["value"] == 2
    assert summary["kpis"]["pct_within_20_weeks_ex_12_months"] is None
    assert "not in this export" in result.stderr


def test_E59_plan_register_review_dates(run: Run, tmp_path: Path) -> None:
    """Plan made Wed 2023-03-01, last reviewed Tue 2024-02-20: next review by Wed 2025-02-19
    (s44: 12 months starting with the review), overdue on 2025-06-30. Plan made 2024-09-10,
    never reviewed: due 2025-09-09. No plan date: nothing to review. None is set aside."""
    path = write_csv(tmp_path / "register.csv",
                     "Unique ID,Date initial EHC plan issued,Date EHC plan last reviewed",
                     ["P1,01/03/2023,20/02/2024", "P2,10/09/2024,", "P3,,"])
    out = tmp_path / "cases.csv"
    result = run("cases", path, "--as-of", "2025-06-30", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "3 rows in: 3 analysed, 0 set aside" in result.stderr
    cases = pl.read_csv(out, try_parse_dates=True)
    assert cases["review_due_date"].to_list() == [D("2025-02-19"), D("2025-09-09"), None]
    assert cases["review_status"].to_list() == ["overdue", "not_due", "not_applicable"]
    assert cases["plan_status"].null_count() == 3
    assert cases["exception_applies"].null_count() == 3
    listed = tmp_path / "work.csv"
    assert run("worklist", path, "--as-of", "2025-06-30", "-o", listed).exit_code == 0
    assert pl.read_csv(listed)["case_id"].to_list() == ["P1"]


def test_E59_an_export_with_a_request_date_column_still_sets_blank_dates_aside(
        tmp_path: Path) -> None:
    """The register reading is for a file with no request date column at all: in a case list
    a row with a blank request date is still set aside (missing-received-date)."""
    path = write_csv(tmp_path / "cases.csv", "Case Ref,Date Received,Final Plan Issued",
                     ["C1,2024-01-15,2024-05-01", "C2,,2024-05-01"])
    analysis = analyse(path, Config(), D("2024-12-31"))
    assert analysis.rows_set_aside == 1
    assert analysis.issues["code"].to_list() == ["missing-received-date"]


# --- Properties against the oracle -------------------------------------------------------------

WORDS = [*oracle.BOOLEAN_FALSE, *oracle.BOOLEAN_TRUE, *DEFAULT_TRUE_REASONS, "No - later",
         "no: see notes", "No(parent)", "Nobody", "none of these", "closure pending", "x"]


@st.composite
def spelt(draw: st.DrawFn) -> str:
    """A word as an export might write it: any case, words joined by spaces, '-' or '_',
    padded; or any text at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                            max_size=12))
    word = draw(st.sampled_from(WORDS))
    sep = draw(st.sampled_from([" ", "  ", "-", "_", " - "]))
    word = sep.join(word.split(" "))
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title, str.capitalize]))
    return draw(st.sampled_from(["", " "])) + case(word) + draw(st.sampled_from(["", " "]))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(spelt(), min_size=1, max_size=30),
       extra=st.lists(st.sampled_from(["parent request", "Pending_Panel", "awaiting advice"]),
                      max_size=2, unique=True))
def test_boolean_cells_read_as_the_oracle_says(cells: list[str], extra: list[str],
                                               tmp_path: Path) -> None:
    """Through the normaliser (look-up of the usual spellings, then the word-by-word reading of
    what it missed): true, false, or false with an unknown-boolean warning, as the oracle."""
    true_words = (*DEFAULT_TRUE_REASONS, *extra)
    frame = pl.DataFrame({"Case Ref": [f"C{i}" for i in range(len(cells))],
                          "Date Received": ["2024-01-15"] * len(cells), "Week20": cells})
    path = tmp_path / "cells.parquet"
    frame.write_parquet(path)
    settings_ = Config(booleans=BooleansConfig(true_words=true_words))
    analysis = analyse(path, settings_, D("2024-12-31"))
    read = analysis.cases.sort("__row")["week20_exception"].to_list()
    expected = [oracle.boolean(c, true_words) for c in cells]
    assert read == [bool(e) for e in expected]
    warned = set(analysis.issues.filter(pl.col("code") == "unknown-boolean")["row"])
    assert warned == {i + 2 for i, e in enumerate(expected) if e is None}


days = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(st.tuples(st.one_of(st.none(), days), st.integers(0, 900),
                                st.booleans()), min_size=1, max_size=20),
       as_of=days)
def test_plan_register_reviews_equal_the_oracle(plans: list[tuple[date | None, int, bool]],
                                                as_of: date, tmp_path: Path) -> None:
    """A register without request dates: review_due_date and review_status as the oracle
    computes them from the plan and last-review dates (CFA s44(1)); no row set aside."""
    cases = [oracle.Case(received=date(2000, 1, 1), issued=made,
                         last_review=made + timedelta(after) if made and reviewed else None)
             for made, after, reviewed in plans]
    path = write_csv(tmp_path / "register.csv", "Unique ID,Date initial EHC plan issued,"
                     "Date EHC plan last reviewed",
                     [f"P{i},{c.issued or ''},{c.last_review or ''}"
                      for i, c in enumerate(cases)])
    analysis = analyse(path, Config(), as_of)
    assert analysis.rows_set_aside == 0
    out = analysis.cases.sort("__row")
    assert out["review_due_date"].to_list() == [oracle.review_due(c, as_of) for c in cases]
    assert out["review_status"].to_list() == [oracle.review_status(c, as_of) for c in cases]


@pytest.mark.parametrize("word", ["No exception", "not applicable", "NONE", "n/a",
                                  "No - under review", "false", "0"])
def test_no_words_never_take_a_plan_out_of_the_excluding_rate(word: str,
                                                              tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", "Case Ref,Date Received,Final Plan Issued,Week20",
                     [f"C1,2024-01-15,2024-05-01,{word}"])
    assert analyse(path, Config(), D("2024-12-31")).cases["exception_applies"].item() is False


def test_E59_board_pack_of_a_plan_register_says_not_in_this_export(run: Run,
                                                                    tmp_path: Path) -> None:
    html, book = tmp_path / "board.html", tmp_path / "board.xlsx"
    for out in (html, book):
        result = run("report", FIXTURES / "fake_sen.xlsx", "--as-of", "2025-06-30", "-o", out)
        assert result.exit_code == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "Not in this export" in page and 'id="trend-h"' not in page
    # the headline has the one card a register can give: its reviews
    assert 'data-kpi="reviews_in_time"' in page and 'data-kpi="open_cases_overdue"' not in page
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(book)["Summary"].iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Measure", "Window"])
    status = rows[start].index("Status")
    statuses = {(r[0], r[1]): r[status] for r in rows[start + 1:] if r[0]}
    assert statuses[("New plans issued within 20 weeks, excluding exceptions",
                     "Jul 2024 – Jun 2025 (12 months)")] == "not in this export"
    assert statuses[("Annual reviews overdue", "on 30 Jun 2025")] == "no target set"


def test_E59_a_register_has_no_dfe_request_figures_and_nothing_to_gate(run: Run) -> None:
    """DfE's new-plan, 6-week and 16-week figures are counted from requests: for a register
    they are blank (not in the export), never counts of plans 'without a usable request date';
    the reviews still count. `check` measures nothing request-based on it, says so, and
    does not pass."""
    register = FIXTURES / "fake_sen.xlsx"
    result = run("dfe", register, "--as-of", "2025-06-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    dfe = json.loads(result.stdout)
    assert any("not in this export" in note for note in dfe["notes"])
    assert not any("no usable request date" in note for note in dfe["notes"])
    for year in dfe["figures"]:
        assert year["plans_issued_den"] is None and year["request_outcome_six_weeks"] is None
    result = run("check", register, "--as-of", "2025-06-30", "--max-overdue", "0",
                 "--format", "json")
    # A gate that measured nothing never passes: exit 1, the threshold shown as no data.
    assert result.exit_code == 1, result.stderr
    [overdue] = json.loads(result.stdout)["thresholds"]
    assert overdue["result"] == "no data"
    assert "none of the thresholds measured anything" in " ".join(result.stderr.split())
