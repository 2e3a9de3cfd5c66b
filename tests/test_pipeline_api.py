"""The Analysis API the reports read: what the export held, never the reader's frames."""

from __future__ import annotations

import dataclasses
from datetime import date

from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import Analysis, Export, analyse
from ehcp_timeliness.report.views import case_columns

from conftest import SAMPLE


def test_analysis_holds_no_lazy_frame_of_the_reader() -> None:
    """A report built from an Analysis cannot reach the file again (a LazyFrame would re-read
    it): every field is a result, or the Export's plain description of the input."""
    names = {f.name for f in dataclasses.fields(Analysis)}
    assert names == {"export", "config", "as_of", "rows_in", "cases", "issues",
                     "undated_plans", "rows_left_out"}
    assert {f.name for f in dataclasses.fields(Export)} == {
        "path", "description", "headers", "present", "input_columns", "skipped"}


def test_export_says_what_the_sample_supplied() -> None:
    analysis = analyse(SAMPLE / "cases.csv", Config(), date(2025, 6, 30))
    export = analysis.export
    assert export.name == "cases.csv"
    assert export.description.startswith("cases.csv (")
    assert export.supplies("case_id", "received_date")
    assert not export.supplies("case_id", "no_such_column")
    assert set(export.headers.mapped) >= {"case_id", "received_date"}
    # `cases` writes the input columns, then the outputs: the Export's list is the input's.
    assert case_columns(analysis)[:len(export.input_columns)] == list(export.input_columns)



def test_review_process_shown_follows_the_config_and_the_export() -> None:
    """One definition (pipeline.review_process_shown) decides both whether the pipeline runs
    the review-process stage and whether `cases` writes its columns."""
    sample, as_of = SAMPLE / "cases.csv", date(2025, 6, 30)
    auto = analyse(sample, Config(), as_of, review_process=False)
    assert auto.review_process_shown is auto.export.supplies("review_decision_date")
    for mode, shown in (("all", True), ("core", False)):
        config = Config.model_validate({"review_process": {"case_columns": mode}})
        analysis = analyse(sample, config, as_of)
        assert analysis.review_process_shown is shown
        assert ("review_decision_status" in case_columns(analysis)) is shown
