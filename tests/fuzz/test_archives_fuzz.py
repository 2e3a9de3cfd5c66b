"""Fuzzing the inputs that hold other inputs: zips (COLLECT exports, workbooks, anything),
COLLECT tables whose rows point at missing parents, and SEN2 XML with its elements misspelt,
moved or holding entities. Each is read with every row accounted for, or refused with an
EhcpError: never an internal error, never a row dropped silently, never read without bound.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import polars as pl
from hypothesis import event, given
from hypothesis import strategies as st

from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import EhcpError
from ehcp_timeliness.io.sen2_collect import CHILD_TABLES, PARENT, UNMATCHED
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_sen2 import write_sen2_xml
from fuzz.generators import AS_OF, fuzz
from row_accounting import assert_every_row_accounted_for

from conftest import load_script

sen2_sample = load_script("make_sen2_sample")
CASES = sen2_sample.share_persons(generate_cases(rows=12, seed=13, as_of=AS_OF), count=3, gap=4)
TABLES = sen2_sample.collect_tables(CASES)
TABLE_BYTES = {f"{name}.csv": frame.write_csv().encode() for name, frame in TABLES.items()}


def analysed_or_refused(path: Path) -> Analysis | None:
    try:
        analysis = analyse(path, Config(), AS_OF)
    except EhcpError as exc:
        assert str(exc).strip(), "an error with no message"
        event(f"refused: {exc.message.split(':')[-1][:40]}")
        return None
    event("analysed")
    assert_every_row_accounted_for(analysis)
    return analysis


def dated(name: str) -> zipfile.ZipInfo:
    """A member dated 1980-01-01: a generated zip's bytes never depend on the clock, so a
    draw that depends on its length (where to damage it) is the same on every replay."""
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def small_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(dated(name), data)
    return buffer.getvalue()


member_data = st.one_of(
    st.sampled_from(list(TABLE_BYTES.values())),
    st.binary(max_size=300),
    st.builds(lambda n: b"0" * n, st.sampled_from([10, 2 * 2**20])),  # 2 MB: a ratio bomb
    st.builds(lambda t: small_zip({"requests.csv": t}),
              st.sampled_from(list(TABLE_BYTES.values()))),
    st.just(b"<?xml version='1.0'?><Message/>"),
)
member_names = st.one_of(st.sampled_from(list(TABLE_BYTES)),
                         st.sampled_from(["notes.csv", "a.zip", "x.pdf", "return.xml",
                                          "xl/workbook.xml", "[Content_Types].xml",
                                          "__MACOSX/._person.csv", "dir/requests.csv"]))


@st.composite
def zips(draw: st.DrawFn) -> bytes:
    members = draw(st.dictionaries(member_names, member_data, max_size=8))
    if draw(st.booleans()):
        members = TABLE_BYTES | members  # most of a COLLECT export
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                                   zipfile.ZIP_LZMA]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(dated(name), data, compress_type=method)
    data = bytearray(buffer.getvalue())
    damage = draw(st.sampled_from(["none", "none", "none", "flip", "truncate", "encrypt",
                                   "method"]))
    if damage == "flip" and data:
        for at in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=4)):
            data[at] ^= draw(st.integers(1, 255))
    elif damage == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    elif damage in ("encrypt", "method"):
        # The flag bits (offset 8 in the directory entry) or the method (offset 10).
        offset, value = (8, 1) if damage == "encrypt" else (10, draw(st.integers(13, 99)))
        for match in re.finditer(rb"PK\x01\x02", bytes(data)):
            data[match.start() + offset:match.start() + offset + 2] = value.to_bytes(2, "little")
    return bytes(data)


@fuzz(60)
@given(zips())
def test_any_zip_is_read_with_every_row_accounted_for_or_refused(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.zip"
        path.write_bytes(data)
        analysed_or_refused(path)


@st.composite
def collect_exports(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    """The COLLECT tables with some child rows' parent ids changed to ids that match nothing
    (or to blanks), and rows dropped from the parent tables."""
    tables = dict(TABLES)
    for table in CHILD_TABLES:
        if table not in tables:
            continue
        parent_id = f"{PARENT[table]}tableid"
        frame = tables[table]
        broken = draw(st.sets(st.integers(0, max(frame.height - 1, 0)), max_size=3))
        new_id = draw(st.sampled_from([None, "", "no-such-id", "0", "-1"]))
        tables[table] = frame.with_columns(
            pl.when(pl.int_range(pl.len()).is_in(sorted(broken))).then(pl.lit(new_id))
            .otherwise(pl.col(parent_id)).alias(parent_id))
    for table in ("assessment", "activeplans"):  # a parent row gone: its children unmatched
        if draw(st.booleans()):
            tables[table] = tables[table].slice(1)
    return tables


@fuzz(30)
@given(collect_exports())
def test_collect_rows_with_no_parent_are_issues_never_dropped(
        tables: dict[str, pl.DataFrame]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, frame in tables.items():
            frame.write_csv(Path(folder) / f"{name}.csv")
        analysis = analysed_or_refused(Path(folder))
    assert analysis is not None  # the tables themselves are sound
    expected = 0
    for table in (t for t in CHILD_TABLES if t in tables):
        parent_id = f"{PARENT[table]}tableid"
        parents = tables[PARENT[table]][parent_id].drop_nulls()
        expected += tables[table].filter(~pl.col(parent_id).is_in(parents.implode())
                                         | pl.col(parent_id).is_null()).height
    unmatched = analysis.issues.filter(pl.col("code") == UNMATCHED)
    assert unmatched.height == expected
    assert analysis.rows_in == TABLES["requests"].height + expected


XML = (lambda path: (write_sen2_xml(CASES, path), path.read_text(encoding="utf-8"))[1])(
    Path(tempfile.mkdtemp()) / "return.xml")
MODULES = ("Person", "Requests", "Assessment", "NamedPlan", "ActivePlans", "ReceivedDate",
           "UPN", "AssessmentOutcome")


@st.composite
def sen2_returns(draw: st.DrawFn) -> str:
    """The synthetic return with elements renamed (case, singular/plural), moved out of their
    parent, or given an entity in place of their text."""
    text = XML
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(MODULES))
        change = draw(st.sampled_from(["lower", "upper", "singular", "plural", "swap case"]))
        new = {"lower": name.lower(), "upper": name.upper(), "singular": name.removesuffix("s"),
               "plural": name + "s", "swap case": name.swapcase()}[change]
        nth = draw(st.integers(0, 5))
        text = _rename_nth(text, name, new, nth)
    if draw(st.booleans()):  # a Requests lifted out to sit between two Persons
        text = text.replace("</Person>\n", "</Person>\n<Requests><ReceivedDate>2024-01-01"
                            "</ReceivedDate></Requests>\n", 1)
    if draw(st.booleans()):
        text = text.replace("<Message", "<!DOCTYPE Message [<!ENTITY e 'x'>]>\n<Message", 1)
        text = re.sub(r"<UPN>[^<]*</UPN>", "<UPN>&e;</UPN>", text, count=1)
    return text


def _rename_nth(text: str, name: str, new: str, nth: int) -> str:
    opens = [m.start() for m in re.finditer(rf"<{name}>", text)]
    if not opens:
        return text
    start = opens[nth % len(opens)]
    end = text.index(f"</{name}>", start)
    inner = text[start + len(name) + 2:end]
    return f"{text[:start]}<{new}>{inner}</{new}>{text[end + len(name) + 3:]}"


@fuzz(40)
@given(sen2_returns())
def test_sen2_xml_elements_are_read_or_reported_never_blank(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.xml"
        path.write_text(text, encoding="utf-8")
        analysis = analysed_or_refused(path)
    if analysis is not None:
        # Read: then nothing was renamed or moved, and every request became a row.
        assert analysis.rows_in == text.count("<Requests>") == CASES.height
