"""The analysis query streams, and a command that names the columns it reads (analyse's
COLUMNS) gets exactly the figures, issues and set-aside rows of the whole analysis."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ehcp_timeliness.columns import CLOSED_VALUES, ROW
from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.pipeline import analyse, build_query, columns_kept
from ehcp_timeliness.report.views import summary_columns

import oracle

SAMPLE = Path(__file__).parents[1] / "sample_data"
AS_OF = date(2025, 6, 30)
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


def assert_same_analysis(path: Path, config: Config, columns: tuple[str, ...]) -> None:
    whole = analyse(path, config, AS_OF, review_process=False)
    narrow = analyse(path, config, AS_OF, review_process=False, columns=columns)
    assert narrow.rows_in == whole.rows_in
    assert narrow.issues.equals(whole.issues)
    kept = [c for c in columns_kept(columns) if c in whole.cases.columns]
    assert narrow.cases.columns == kept
    # Statuses and outcomes are kept as pl.Enum in the narrow frame: the same values.
    enums = [c for c, t in narrow.cases.schema.items() if isinstance(t, pl.Enum)]
    assert set(enums) == {c for c in kept if c in CLOSED_VALUES}
    assert (narrow.cases.sort(ROW).with_columns(pl.col(enums).cast(pl.String)).select(kept)
            .equals(whole.cases.sort(ROW).select(kept)))


def test_the_sample_summary_reads_the_same_cases_either_way() -> None:
    assert_same_analysis(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"),
                         summary_columns(["Team"]))


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
def test_a_narrow_analysis_reads_what_the_oracle_reads(
        tmp_path: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Duplicates, blank rows, cells repair re-reads and rows set aside: every row is analysed
    or set aside, and each analysed row's dates and plan status are the plain-Python oracle's
    (tests/oracle.py). The sample is the first row alone, so most forms are read by repair."""
    headers = ["Case Ref", "Date Received", "Assessment Outcome", "Date Final EHCP Issued",
               "Last Annual Review Meeting"]
    path = tmp_path / "cases.csv"
    pl.DataFrame([list(r) for r in rows], schema=headers, orient="row").write_csv(path)
    config = Config.model_validate(
        {"columns": {"last_review_date": "Last Annual Review Meeting"}})
    columns = summary_columns([])
    narrow = analyse(path, config, AS_OF, review_process=False, columns=columns, sample_rows=1)
    assert narrow.cases.columns == [c for c in columns_kept(columns)
                                    if c in narrow.cases.columns]
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


def test_small_csv_chunks_only_while_the_query_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 4 MiB chunk setting (docs/performance.md) holds inside the analysis's query only:
    the process environment is as it was afterwards, and a user's own value is never
    replaced."""
    import os

    seen: list[str | None] = []
    collect_all = pl.collect_all

    def watching(*args: object, **kwargs: object) -> object:
        seen.append(os.environ.get("POLARS_CSV_CHUNK_SIZE"))
        return collect_all(*args, **kwargs)

    monkeypatch.setattr(pl, "collect_all", watching)
    monkeypatch.delenv("POLARS_CSV_CHUNK_SIZE", raising=False)
    analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), date(2025, 6, 30))
    assert seen and set(seen) == {str(4 * 2**20)}
    assert "POLARS_CSV_CHUNK_SIZE" not in os.environ
    seen.clear()
    monkeypatch.setenv("POLARS_CSV_CHUNK_SIZE", str(2**20))
    analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "mapping.toml"), date(2025, 6, 30))
    assert set(seen) == {str(2**20)} and os.environ["POLARS_CSV_CHUNK_SIZE"] == str(2**20)
