"""summary, check, dfe, benchmark and validate skip the review-process stage when the export
lacks its inputs (pipeline.analyse(review_process=False)): nothing they show may change.
"""

from __future__ import annotations

from pathlib import Path

from ehcp_timeliness.columns import REVIEW_DECISION_STATUS
from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.tabular import summary_bytes
from ehcp_timeliness.report.views import build_summary

from conftest import SAMPLE_AS_OF as AS_OF


def test_summary_is_the_same_with_the_stage_skipped(small_csv: Path) -> None:
    full = analyse(small_csv, Config(), AS_OF)
    lean = analyse(small_csv, Config(), AS_OF, review_process=False)
    assert REVIEW_DECISION_STATUS in full.cases.columns
    assert REVIEW_DECISION_STATUS not in lean.cases.columns  # the stage did not run
    assert lean.issues.equals(full.issues)
    assert lean.cases.equals(full.cases.select(lean.cases.columns))
    for fmt in ("json", "csv"):
        assert (summary_bytes(build_summary(lean, "year", ["Team"]), fmt)
                == summary_bytes(build_summary(full, "year", ["Team"]), fmt))


def test_the_stage_runs_when_the_export_has_its_inputs(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("Case Ref,Date Request Received,Final EHCP Issued,Last Annual Review Meeting,"
                    "Review Decision Date\nC1,15/01/2024,03/06/2024,01/05/2025,\n",
                    encoding="utf-8")
    assert "review_decision_date" in analyse(path, Config(), AS_OF).export.present
    lean = analyse(path, Config(), AS_OF, review_process=False)
    assert lean.cases.equals(analyse(path, Config(), AS_OF).cases)
