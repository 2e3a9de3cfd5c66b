"""End to end: cases built to match a published DfE row, written as a SEN2 XML return, read by
the `dfe` command, give exactly that row back (issue 3: XML -> canonical -> DfE figures).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.summaries.dfe import DFE_COLUMNS
from ehcp_timeliness.synthetic_sen2 import write_sen2_xml

from published_rows import cases_for_published_row, census_day, published_figures, published_row


@pytest.mark.parametrize(("area", "year"), [("Bexley", 2024), ("Redbridge", 2024)])
def test_published_row_through_a_sen2_return(run: Callable[..., Result], tmp_path: Path,
                                             area: str, year: int) -> None:
    row = published_row(area, year)
    cases = cases_for_published_row(row)
    xml = tmp_path / "return.xml"
    write_sen2_xml(cases, xml)
    result = run("dfe", xml, "--as-of", census_day(year).isoformat(), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rows"]["rows_set_aside"] == 0, data["rows"]
    assert data["rows"]["rows_in"] == cases.height
    (got,) = [r for r in data["figures"] if r["time_period"] == year]
    want = published_figures(row, DFE_COLUMNS[1:])
    assert want, "the published row has figures to compare"
    assert {c: got[c] for c in want} == want
