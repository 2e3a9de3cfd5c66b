"""The analysis query streams, and every row is analysed as the plain-Python oracle reads it
or set aside."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ehcp_timeliness.columns import ROW
from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.pipeline import analyse, build_query

import oracle
from conftest import SAMPLE
from conftest import SAMPLE_AS_OF as AS_OF

# Nodes that pass batches along one by one. A node outside these (Polars' columnar functions,
# a branch joined back by a zip) made the engine hold every column of the export until it was
# done: a million-case summary peaked at 5.7 times the file's size (docs/performance.md).
STREAMING_NODES = {"multi-scan[csv]", "multi-scan[parquet]", "with-row-index", "select",
                   "with-columns"}


def node_kinds(query: pl.LazyFrame) -> set[str]:
    dot = query.show_graph(engine="streaming", plan_stage="physical", raw_output=True)
    return set(re.findall(r'label="([a-z\[\]-]+)', str(dot)))


@pytest.mark.parametrize("review_process", [True, False])
def test_the_analysis_query_passes_batches_along(review_process: bool) -> None:
    query = build_query(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), AS_OF,
                       review_process=review_process)
    kinds = node_kinds(query.frame)
    assert "multi-scan[csv]" in kinds
    assert kinds <= STREAMING_NODES


def test_a_parquet_export_is_analysed_by_the_same_kind_of_query(tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    pl.read_csv(SAMPLE / "cases.csv", infer_schema=False).write_parquet(path)
    query = build_query(path, load_config(SAMPLE / "mapping.toml"), AS_OF)
    kinds = node_kinds(query.frame)
    assert "multi-scan[parquet]" in kinds
    assert kinds <= STREAMING_NODES


date_cells = st.sampled_from(["15/01/2024", "2024-02-03", "3 Mar 2024", "31/02/2024", "",
                              "N/A", " 04/04/2024 ", "soon", "01/07/2026", "1/5/2024 10:00"])
outcome_cells = st.sampled_from(["Y", "yes", "N", "", "pending", "maybe", " W "])
case_ids = st.sampled_from(["A1", "A2", "A3", "A4", "", "A5"])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(rows=[("A1", "15/01/2024", "Y", "3 Mar 2024", ""), ("", "", "", "", ""),
               ("A1", " 04/04/2024 ", "maybe", "15/01/2024", "31/02/2024"),
               ("A2", "01/07/2026", "pending", "", "1/5/2024 10:00")])
@given(rows=st.lists(st.tuples(case_ids, date_cells, outcome_cells, date_cells, date_cells),
                     min_size=1, max_size=30))
def test_the_analysis_reads_what_the_oracle_reads(
        tmp_path: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Duplicates, blank rows, cells the sample's forms miss and rows set aside: every row is
    analysed or set aside, and each analysed row's dates and plan status are the plain-Python
    oracle's (tests/oracle.py). The sample is the first row alone, so most forms are read by
    the closing parse."""
    headers = ["Case Ref", "Date Received", "Assessment Outcome", "Date Final EHCP Issued",
               "Last Annual Review Meeting"]
    path = tmp_path / "cases.csv"
    pl.DataFrame([list(r) for r in rows], schema=headers, orient="row").write_csv(path)
    config = Config.model_validate(
        {"columns": {"last_review_date": "Last Annual Review Meeting"}})
    narrow = analyse(path, config, AS_OF, review_process=False, sample_rows=1)
    aside = set(narrow.issues.filter(pl.col("severity").is_in(["error", "ignored"]))["row"])
    analysed = narrow.cases.sort(ROW)
    assert narrow.rows_in == len(rows)
    assert sorted([*analysed[ROW], *aside]) == [i + 2 for i in range(len(rows))]
    for got in analysed.iter_rows(named=True):
        _, received, outcome, issued, _ = rows[got[ROW] - 2]
        case = oracle.Case(received=oracle.parse_date(received),
                           issued=oracle.parse_date(issued),
                           assessment_outcome=oracle.outcome_code(outcome))
        assert got["received_date"] == case.received
        assert str(got["plan_status"]) == oracle.plan_status(case, AS_OF), (got, case)


def test_the_phase_transfer_year_is_read_once_for_checks_and_rules(tmp_path: Path) -> None:
    """schema.normalise.with_transfer_read: the checks (what could not be read) and the rules
    (deadline, kind) use one reading of the phase-transfer columns, not one each."""
    export = tmp_path / "transfers.csv"
    export.write_text("Case Ref,Date Request Received,Final EHCP Issued,Phase Transfer Year,"
                      "Transfer Type\nA1,01/09/2022,10/01/2023,2026/27,school\n",
                      encoding="utf-8")
    explained = build_query(export, Config(), AS_OF).frame.explain()
    assert explained.count("str.extract(") == 1
    cases = analyse(export, Config(), AS_OF).cases
    assert cases["phase_transfer_due_date"].to_list() == [date(2026, 2, 14)]


def test_an_outcome_contradicting_the_plan_date_is_shown_as_codes(tmp_path: Path) -> None:
    """The issue's detail names both outcomes as codes, `-` for one that could not be read:
    the codes are an Enum of their own values (columns.OUTCOME_CODE_TYPE), which `-` is not."""
    path = tmp_path / "cases.csv"
    path.write_text("Case Ref,Date Received,Decision to Assess?,Assessment Outcome,"
                    "Date Final EHCP Issued\n"
                    "C1,15/01/2024,maybe,N,01/05/2024\n"
                    "C2,15/01/2024,No,Yes,01/05/2024\n", encoding="utf-8")
    issues = analyse(path, Config(), AS_OF, review_process=False).issues
    found = issues.filter(pl.col("code") == "plan-date-contradicts-outcome")
    assert found.select("case_id", "value").rows() == [("C1", "-/N"), ("C2", "N/Y")]
