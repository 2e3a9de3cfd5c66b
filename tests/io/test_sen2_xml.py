"""SEN2 person-level XML: peer samples, the case_id rule, row-level issues, broken files, and
streaming with bounded memory.
"""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import Result

from ehcp_timeliness.columns import CANONICAL_COLUMNS, ROW
from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io import sen2_xml
from ehcp_timeliness.io.readers import read_table
from ehcp_timeliness.io.sen2_common import LINE, PASS_THROUGH, _either, person_key
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.schema.headers import map_headers

from conftest import SAMPLE_AS_OF as AS_OF
from conftest import read_yes_no

Run = Callable[..., Result]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sen2"


def rows(path: Path) -> list[dict]:
    return read_table(path).frame.collect().to_dicts()


def message(*persons: str, header: str = "") -> str:
    return ("<?xml version='1.0' encoding='UTF-8'?>\n<Message>\n" + header + "<Persons>\n"
            + "".join(persons) + "</Persons>\n</Message>\n")


def person(*requests: str, ids: str = "<UPN>A999000000001</UPN>") -> str:
    return f"<Person>\n<PersonBirthDate>2015-03-01</PersonBirthDate>{ids}\n" \
        + "".join(requests) + "</Person>\n"


def request(received: str | None = "2024-01-15", outcome: str = "Y", assessment: str = "") -> str:
    got = f"<ReceivedDate>{received}</ReceivedDate>" if received else ""
    return f"<Requests>\n{got}<RequestOutcome>{outcome}</RequestOutcome>\n{assessment}</Requests>\n"


def write(tmp_path: Path, text: str, name: str = "return.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "requests"), [
    ("sen2_sample_2023.xml", 4), ("sen2_sample_2024.xml", 3), ("sen2_sample_2025.xml", 3),
    ("bad_sen2_sample_2024.xml", 3),
])
def test_peer_samples_parse(name: str, requests: int) -> None:
    raw = read_table(FIXTURES / name)
    assert raw.file_format == "sen2-xml"
    frame = raw.frame.collect()
    assert frame.height == requests
    assert frame[ROW].to_list() == list(range(2, requests + 2))
    assert frame["la_code"].unique().to_list() == ["201"]


def test_items_are_carried_across_as_text() -> None:
    first, refused, pending = rows(FIXTURES / "sen2_sample_2024.xml")
    assert {k: first[k] for k in (
        "person_id", "date_of_birth", "received_date", "request_outcome", "request_outcome_date",
        "assessment_outcome", "assessment_outcome_date", "week20_exception", "mediation",
        "tribunal", "plan_start_date", "last_review_date", "review_decision_date", "cease_date",
        "review_outcome", "cease_reason", "sen_type", "la_code", "collection_year", LINE,
    )} == {
        "person_id": "X1234567898765", "date_of_birth": "2002-01-01",
        "received_date": "2023-11-30", "request_outcome": "Y",
        "request_outcome_date": "2023-12-01", "assessment_outcome": "Y",
        "assessment_outcome_date": "2023-12-25", "week20_exception": "0", "mediation": "1",
        "tribunal": "1", "plan_start_date": "2023-12-26", "last_review_date": "2024-01-09",
        "review_decision_date": "2024-01-08", "cease_date": "2023-12-31",
        "review_outcome": "M", "cease_reason": "4", "sen_type": "SEMH", "la_code": "201",
        "collection_year": "2024", LINE: "29",  # the line of its <Requests> in the file
    }
    assert refused["request_outcome"] == "N" and pending["request_outcome"] == "A"
    assert refused["person_id"] == pending["person_id"] == "X1234567898321"
    assert refused["case_id"].split("-")[0] == pending["case_id"].split("-")[0]
    assert refused["request_source"] is None  # a 2025 item, absent in 2024


def test_2025_items_and_plan_issue_date_derived() -> None:
    analysis = analyse(FIXTURES / "sen2_sample_2025.xml", Config(), AS_OF)
    first = analysis.cases.row(0, named=True)
    assert first["request_source"] == "1"
    # AssessmentOutcomeDate of a Y outcome is the plan issue date (rules.md §5).
    assert first["plan_issued_date"] == dt.date(2023, 12, 25)
    assert first["plan_status"] == "issued_on_time"


def test_invalid_codes_in_peer_sample_are_row_issues_naming_the_case() -> None:
    analysis = analyse(FIXTURES / "sen2_sample_2023.xml", Config(), AS_OF)
    issues = analysis.issues.filter(pl.col("row") == 5)
    case = rows(FIXTURES / "sen2_sample_2023.xml")[3]["case_id"]
    assert set(issues["case_id"]) == {case}
    assert set(zip(issues["column"], issues["code"], strict=True)) == {
        ("request_outcome", "unknown-outcome-code"),
        ("assessment_outcome", "unknown-outcome-code"),
        ("request_outcome_date", "unparseable-date"),
        # RequestMediation/RequestTribunal "X": neither yes nor no (counted as no, a warning).
        ("mediation", "unknown-boolean"),
        ("tribunal", "unknown-boolean"),
    }
    shapes = issues.filter(pl.col("code") == "unknown-boolean")["value"].to_list()
    assert shapes == ["1 character (letters)"] * 2  # its shape, never its text
    assert analysis.rows_set_aside == 1


def test_unknown_assessment_outcome_code(tmp_path: Path) -> None:
    odd = "<Assessment><AssessmentOutcome>Q</AssessmentOutcome></Assessment>"
    path = write(tmp_path, message(person(request("2024-02-01"), request(assessment=odd))))
    analysis = analyse(path, Config(), AS_OF)
    issue = analysis.issues.row(0, named=True)
    assert (issue["code"], issue["column"], issue["value"], issue["row"]) == (
        "unknown-outcome-code", "assessment_outcome", "1 character (letters)", 3)
    assert issue["case_id"] == f"{person_key('A999000000001', None, 1)}-2024-01-15"


def test_missing_received_date_is_a_row_issue_naming_the_case(tmp_path: Path) -> None:
    path = write(tmp_path, message(person(request(None), request())))
    issue = analyse(path, Config(), AS_OF).issues.row(0, named=True)
    assert issue["code"] == "missing-received-date"
    assert issue["case_id"].endswith("-undated")


def test_case_id_rule(tmp_path: Path) -> None:
    path = write(tmp_path, message(
        person(request(), request(), request("2024-03-01")),
        person(request(), ids="<UniqueLearnerNumber>9000000001</UniqueLearnerNumber>"),
        person(request(), ids="<UPNunknown>UN1</UPNunknown>"),
    ))
    ids = [r["case_id"] for r in rows(path)]
    upn_key, uln_key = person_key("A999000000001", None, 1), person_key(None, "9000000001", 2)
    assert ids == [f"{upn_key}-2024-01-15", f"{upn_key}-2024-01-15-2",
                   f"{upn_key}-2024-03-01", f"{uln_key}-2024-01-15", "n3-2024-01-15"]
    assert re.fullmatch(r"u[0-9a-f]{10}", upn_key) and uln_key.startswith("l")
    assert "A999000000001" not in "".join(ids)  # the UPN is never shown in a case id
    # Same child, later return, different position: same key.
    assert person_key(" a999000000001 ", "123", 57) == upn_key


def test_mediation_and_tribunal_from_request_or_assessment(tmp_path: Path) -> None:
    flags = ("<Assessment><AssessmentOutcome>A</AssessmentOutcome>"
             "<AssessmentMediation>1</AssessmentMediation>"
             "<AssessmentTribunal>0</AssessmentTribunal></Assessment>")
    path = write(tmp_path, message(person(request(assessment=flags))))
    case = analyse(path, Config(), AS_OF).cases.row(0, named=True)
    assert (case["mediation"], case["tribunal"]) == (True, False)


def test_either_flag_agrees_with_the_boolean_parser(tmp_path: Path) -> None:
    """RequestMediation/AssessmentMediation become one flag by the same words the normaliser
    reads (columns.py): true exactly when either item reads as true."""
    values = [None, "", " ", "0", "no", "N/A", "No exception", "No - later", "1", "Y", " yes ",
              "TRUE", "x"]
    pairs = [(a, b) for a in values for b in values]
    frame = pl.DataFrame({"first": [a for a, _ in pairs], "second": [b for _, b in pairs]},
                         schema={"first": pl.String, "second": pl.String})
    either = frame.select(_either("first", "second"))["first"].to_list()
    read = read_yes_no(tmp_path, week20_exception=frame["first"].to_list(),
                       mediation=frame["second"].to_list(), tribunal=either)
    expected = [a or b for a, b in zip(read["week20_exception"], read["mediation"], strict=True)]
    assert read["tribunal"] == expected
    assert any(expected)


def test_only_canonical_headers_are_recognised() -> None:
    raw = read_table(FIXTURES / "sen2_sample_2024.xml")
    mapped = map_headers(raw.headers, {}, "x").mapped
    assert mapped == {c.name: c.name for c in CANONICAL_COLUMNS if c.name in raw.headers}
    assert set(raw.headers) - set(mapped) == {*PASS_THROUGH, LINE}


def test_detected_with_bom_namespace_and_no_declaration(tmp_path: Path) -> None:
    body = message(person(request())).split("\n", 1)[1]
    namespaced = body.replace("<Message>", '<Message xmlns="urn:example:sen2">', 1)
    path = tmp_path / "export.csv"  # misnamed on purpose: detection is by content
    path.write_bytes(b"\xef\xbb\xbf" + namespaced.encode("utf-8"))
    assert rows(path)[0]["received_date"] == "2024-01-15"


def _truncated(text: str) -> tuple[str, int]:
    cut = text[: text.index("</Requests>") + 5]
    return cut, cut.count("\n") + 1  # the error is where the data ends


def _bad_end_tag(text: str) -> tuple[str, int]:
    at = text.index("</RequestOutcome>")
    return text.replace("</RequestOutcome>", "</RequestOutcom>"), text[:at].count("\n") + 1


@pytest.mark.parametrize("damage", [_truncated, _bad_end_tag])
def test_malformed_xml_names_the_line_without_traceback(run: Run, tmp_path: Path,
                                                        damage: Callable) -> None:
    text, line = damage(message(person(request()), person(request())))
    path = write(tmp_path, text)
    for command in ("cases", "validate", "summary"):
        result = run(command, path, "--as-of", "2025-06-30")
        assert result.exit_code == 1, result.stderr
        assert f"{path}: not well-formed XML at line {line}" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_xml_that_is_not_a_sen2_return(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "<?xml version='1.0'?>\n<Workbook><Person/></Workbook>\n")
    result = run("cases", path)
    assert result.exit_code == 1
    assert "not a SEN2 return (its top element is <Workbook>" in result.stderr


def test_message_without_requests(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="1 Person element"):
        read_table(write(tmp_path, message("<Person><UPN>A1</UPN></Person>\n")))


# --- streaming -----------------------------------------------------------------------------

_PERSON = ("<Person><PersonBirthDate>2015-01-01</PersonBirthDate><UPN>A{n:012d}</UPN>\n"
           "<Requests><ReceivedDate>2024-01-15</ReceivedDate><RequestOutcome>Y</RequestOutcome>"
           "\n<Assessment><AssessmentOutcome>A</AssessmentOutcome><Week20>0</Week20>"
           "</Assessment>\n</Requests></Person>\n")


def large_return(path: Path, people: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("<?xml version='1.0'?>\n<Message><Header/><Persons>\n")
        handle.writelines(_PERSON.format(n=i) for i in range(people))
        handle.write("</Persons></Message>\n")
    return path


def test_large_return_is_streamed_one_person_at_a_time(tmp_path: Path) -> None:
    path = large_return(tmp_path / "large.xml", 10_000)
    most = seen = 0
    with path.open("rb") as handle:
        for name, element in sen2_xml.iter_persons(handle, path):
            if name == "Person":
                seen += 1
                # Earlier people are detached, bar the one just before, already emptied.
                earlier = element.getprevious()
                assert earlier is None or (len(earlier) == 0 and earlier.getprevious() is None)
                # What remains is the parser's read-ahead (a buffer's worth), not the file.
                most = max(most, len(element.getparent()))
    assert seen == 10_000
    assert most < 1_000, most
    assert read_table(path).frame.select(pl.len()).collect().item() == 10_000


def test_python_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    peaks = []
    for people in (1_000, 5_000):
        path = large_return(tmp_path / f"r{people}.xml", people)
        tracemalloc.start()
        try:
            sen2_xml.read_sen2_xml(path, chunk=500)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    # Five times the requests, about the same peak: rows are held a chunk at a time.
    assert peaks[1] < 1.5 * peaks[0], peaks


def test_every_sen2_column_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "sen2.md").read_text(encoding="utf-8")
    headers = read_table(FIXTURES / "sen2_sample_2024.xml").headers
    assert [h for h in headers if f"| `{h}` |" not in doc] == []


# --- elements that would be read as blank ---------------------------------------------------


@pytest.mark.parametrize(("text", "says"), [
    (message(person("<Request>\n<ReceivedDate>2024-01-15</ReceivedDate></Request>\n")),
     "line 6: element <Request> is not a SEN2 element: SEN2 names it <Requests>"),
    (message(person("<requests>\n<ReceivedDate>2024-01-15</ReceivedDate></requests>\n")),
     "element <requests> is not a SEN2 element: SEN2 names it <Requests>"),
    (message(person(request(assessment="<assessment><Week20>1</Week20></assessment>"))),
     "element <assessment> is not a SEN2 element: SEN2 names it <Assessment>"),
    (message(person(request().replace("ReceivedDate", "receivedDate"))),
     "element <receivedDate> is not a SEN2 element: SEN2 names it <ReceivedDate>"),
    (message(person(request()), request()),  # a Requests beside the Persons
     "<Requests> is inside <Persons>: SEN2 puts it inside a <Person>"),
    (message(request(), person(request())),
     "<Requests> is inside <Persons>: SEN2 puts it inside a <Person>"),
    (message(person(request()), header=request()),
     "<Requests> is inside <Message>: SEN2 puts it inside a <Person>"),
    (message(person(request(), "<Assessment><Week20>1</Week20></Assessment>\n")),
     "<Assessment> is inside <Person>: SEN2 puts it inside a <Requests>"),
    (message(person("<Extra>" + request() + "</Extra>")),
     "<Requests> is inside <Extra>: SEN2 puts it inside a <Person>"),
])
def test_misspelt_and_misplaced_elements_are_reported(run: Run, tmp_path: Path, text: str,
                                                      says: str) -> None:
    result = run("cases", write(tmp_path, text), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1, result.stderr
    assert says in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_unknown_vendor_elements_are_still_skipped(tmp_path: Path) -> None:
    text = message(person(request().replace("</Requests>", "<VendorNote>x</VendorNote>"
                                            "</Requests>"), "<Surname>Smith</Surname>"))
    assert len(rows(write(tmp_path, text))) == 1


@pytest.mark.parametrize("item", ["<UPN>&who;</UPN>", "<UPN>A&who;B</UPN>"])
def test_an_entity_in_an_item_is_reported_not_read_as_blank(run: Run, tmp_path: Path,
                                                           item: str) -> None:
    text = message(person(request(), ids=item)).replace(
        "<Message>", "<!DOCTYPE Message [<!ENTITY who SYSTEM 'file:///etc/hostname'>]>\n"
                     "<Message>")
    result = run("cases", write(tmp_path, text), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1, result.stderr
    assert "<UPN> holds an entity reference (&name;), which is not expanded" in " ".join(
        result.stderr.split())
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in result.stdout + result.stderr


def test_a_text_over_libxml2s_bound_is_refused(tmp_path: Path) -> None:
    """libxml2 refuses a text node over 10 MB unless asked for huge trees, which we never do."""
    text = message(person(request(), ids=f"<UPN>{'A' * (11 * 2**20)}</UPN>"))
    with pytest.raises(InputFileError, match="Text node too long"):
        read_table(write(tmp_path, text))
