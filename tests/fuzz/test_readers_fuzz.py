"""Fuzzing the readers and the pipeline: whatever the file, analyse() either returns with every
row accounted for, or raises an EhcpError (a message and a documented exit code). Never
anything else: an unexpected exception is what users would see as "internal error".
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import tempfile
from pathlib import Path

import polars as pl
import xlsxwriter
from hypothesis import event, given
from hypothesis import strategies as st

from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import EhcpError
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.report.views import build_summary, case_table
from fuzz.generators import (
    AS_OF,
    KNOWN_HEADERS,
    ODD_HEADERS,
    csv_files,
    date_text,
    fuzz,
    nasty_text,
    random_files,
    tables,
)
from row_accounting import assert_every_row_accounted_for


def analyse_bytes(data: bytes, name: str = "export.csv") -> Analysis | None:
    """analyse() on a file holding DATA; None when it was refused with an EhcpError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            analysis = analyse(path, Config(), AS_OF)
        except EhcpError as exc:
            assert str(exc).strip(), "an error with no message"
            event(f"refused: {type(exc).__name__}")
            return None
        event("analysed" if analysis.rows_analysed else "read, every row set aside")
        # The outputs are built too: a crash there is as bad as one in the reader.
        build_summary(analysis, "year", [])
        case_table(analysis)
        return analysis


@fuzz(250)
@given(random_files)
def test_random_bytes_are_read_or_refused_with_a_message(data: bytes) -> None:
    analysis = analyse_bytes(data)
    if analysis is not None:
        assert analysis.rows_analysed + analysis.rows_set_aside == analysis.rows_in


@fuzz(150)
@given(csv_files())
def test_any_csv_shape_is_read_with_every_row_accounted_for_or_refused(data: bytes) -> None:
    """Ragged rows, quoted and bare line breaks, duplicate/blank/pattern-like headers, every
    delimiter and line ending, UTF-8/BOM/UTF-16/Windows-1252 and lines of mixed encodings."""
    analysis = analyse_bytes(data)
    if analysis is not None:
        assert_every_row_accounted_for(analysis)


def csv_record_count(data: bytes) -> int:
    """Data records in a well-formed UTF-8 CSV, as the csv module (and Excel) sees them."""
    text = data.decode("utf-8")
    header = text.splitlines()[0]
    delimiter = max(",;\t|", key=header.count)  # the known headers hold none of these
    return len(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))) - 1


@fuzz(75)
@given(csv_files(hostile=False))
def test_a_well_formed_csv_loses_no_row(data: bytes) -> None:
    """Every record the file holds is a row in: the reader drops nothing silently."""
    analysis = analyse_bytes(data)
    assert analysis is not None, "a well-formed export with the required columns was refused"
    assert analysis.rows_in == csv_record_count(data)
    assert_every_row_accounted_for(analysis)


# Parquet: every column type Polars can write, including ones no case export should hold.
_PARQUET_VALUES = {
    "text": (pl.String, nasty_text),
    "int": (pl.Int64, st.integers(-(2**63), 2**63 - 1)),
    "uint": (pl.UInt64, st.integers(0, 2**64 - 1)),
    "float": (pl.Float64, st.floats(allow_nan=True, allow_infinity=True)),
    "bool": (pl.Boolean, st.booleans()),
    "date": (pl.Date, st.dates()),
    "datetime": (pl.Datetime("us"), st.datetimes()),
    "time": (pl.Time, st.times()),
    "duration": (pl.Duration("us"), st.timedeltas(min_value=dt.timedelta(days=-10**5),
                                                  max_value=dt.timedelta(days=10**5))),
    "decimal": (pl.Decimal(20, 4), st.decimals(min_value=-10**6, max_value=10**6, places=4,
                                               allow_nan=False)),
    "list": (pl.List(pl.Int64), st.lists(st.integers(-5, 5), max_size=3)),
    "binary": (pl.Binary, st.binary(max_size=8)),
    "null": (pl.Null, st.none()),
    "date text": (pl.String, date_text()),
}


@st.composite
def parquet_files(draw: st.DrawFn) -> bytes:
    n_rows = draw(st.integers(0, 8))
    # The required columns by their canonical names, so other headers never compete for them.
    others = [h for h in KNOWN_HEADERS + ODD_HEADERS
              if h not in ("Case Ref", "Date Request Received", "case_id", "received_date")]
    names = draw(st.lists(st.sampled_from(others), max_size=5))
    names = list(dict.fromkeys(["case_id", "received_date", *names]))
    columns = {}
    kinds = [k for k in sorted(_PARQUET_VALUES) if k not in ("list", "binary")]
    for name in names:
        usual = {"case_id": ["text", "int"], "received_date": ["date", "datetime", "date text"]}
        if name in usual and draw(st.integers(0, 4)):
            kind = draw(st.sampled_from(usual[name]))
        elif draw(st.integers(0, 29)) == 0:
            # Types no export should hold are refused whole: kept rare.
            kind = draw(st.sampled_from(["list", "binary"]))
        else:
            kind = draw(st.sampled_from(kinds))
        dtype, values = _PARQUET_VALUES[kind]
        cells = draw(st.lists(st.one_of(st.none(), values), min_size=n_rows, max_size=n_rows))
        # Named after construction: Polars itself selects an empty datetime Series by name,
        # so one built as "^Team$" fails inside Polars (the wildcard trap, one level down).
        columns[name] = pl.Series("", cells, dtype=dtype).alias(name)
    buffer = io.BytesIO()
    pl.DataFrame(columns).write_parquet(buffer)
    return buffer.getvalue()


@fuzz(60)
@given(parquet_files())
def test_any_parquet_columns_are_read_or_refused_by_name(data: bytes) -> None:
    analysis = analyse_bytes(data, "export.parquet")
    if analysis is not None:
        assert_every_row_accounted_for(analysis)


_EXCEL_CELLS = st.one_of(
    nasty_text.map(lambda t: t.replace("\x00", "")),  # xlsx cannot hold NUL
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 12, 31)),
    st.sampled_from(["=1/0", "=NA()", '="15/01/2024"', "=TODAY()"]),
    st.none(),
)


@st.composite
def excel_files(draw: st.DrawFn) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": True,
                                        "nan_inf_to_errors": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet()
    table = draw(tables(max_rows=8))
    for c, header in enumerate(table.headers):
        sheet.write(0, c, header.replace("\x00", ""))
    for r in range(len(table.rows)):
        for c in range(draw(st.integers(0, len(table.headers) + 1))):
            value = draw(_EXCEL_CELLS)
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r + 1, c, value, date_format)
            elif value is not None:
                sheet.write(r + 1, c, value)
    book.close()
    return buffer.getvalue()


@fuzz(40)
@given(excel_files())
def test_any_workbook_is_read_with_every_row_accounted_for_or_refused(data: bytes) -> None:
    analysis = analyse_bytes(data, "export.xlsx")
    if analysis is not None:
        assert_every_row_accounted_for(analysis)


def test_decimal_and_time_parquet_columns_read_as_text(tmp_path: Path) -> None:
    """Two types fuzzing showed failing mid-read before the Parquet reader learnt them."""
    path = tmp_path / "x.parquet"
    pl.DataFrame({"case_id": ["A"], "received_date": [dt.date(2024, 1, 15)],
                  "t": [dt.time(9, 30)], "d": [dt.timedelta(days=1)],
                  "m": [decimal.Decimal("1.50")]}).write_parquet(path)
    analysis = analyse(path, Config(), AS_OF)
    row = case_table(analysis).row(0, named=True)
    assert (row["t"], row["m"]) == ("09:30:00", "1.50")
    assert row["d"].startswith("P1D")
