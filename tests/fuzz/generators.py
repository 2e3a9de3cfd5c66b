"""Hypothesis strategies for hostile exports: random bytes, CSV shapes, dates and near-misses.

Shared by the fuzz tests. Sizes are kept small so each example costs milliseconds; the wide,
huge and empty extremes are separate example-based tests (test_extremes.py).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from conftest import SAMPLE_AS_OF as AS_OF

MIN_DATE, MAX_DATE = date(1950, 1, 1), date(2100, 12, 31)

# Documented exit codes (docs/commands.md): anything else, or a traceback, fails a fuzz test.
DOCUMENTED_EXIT_CODES = {0, 1, 2, 3}


# A fuzz test's budget is EXAMPLES (docs/reliability.md's tables): `make test` tries a third
# of it, at least 10, the same ones every run; `make fuzz` FUZZ_SCALE times it, random ones.
TEST_SHARE = 3
FUZZ_SCALE = 20


def budget(examples: int) -> int:
    """max_examples for a fuzz test of budget EXAMPLES under the current profile."""
    if settings.get_current_profile_name() == "fuzz":
        return examples * FUZZ_SCALE
    return max(examples // TEST_SHARE, 10)


def fuzz(examples: int) -> settings:
    """Settings of a fuzz test: its budget; no deadline (Polars' first call in a process is
    slow, and timing belongs in benchmarks); big generated files are the point, not a fault.
    """
    return settings(max_examples=budget(examples), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# Every date form the data contract accepts, as a function of the date.
CONTRACT_DATE_FORMS = {
    "iso": lambda d: d.strftime("%Y-%m-%d"),
    "uk slash": lambda d: d.strftime("%d/%m/%Y"),
    "uk dash": lambda d: d.strftime("%d-%m-%Y"),
    "uk dot": lambda d: d.strftime("%d.%m.%Y"),
    "uk unpadded": lambda d: f"{d.day}/{d.month}/{d.year}",
    "day mon year": lambda d: d.strftime("%d %b %Y"),
    "day-mon-year": lambda d: d.strftime("%d-%b-%Y"),
    "day month year": lambda d: d.strftime("%d %B %Y"),
    "sen2 collect": lambda d: d.strftime("%Y-%b-%d"),  # " 00:00:00" is in TIME_SUFFIXES
    "year/month/day": lambda d: d.strftime("%Y/%m/%d"),
}
# Datetimes in any of the forms: the time is dropped.
TIME_SUFFIXES = ("", " 00:00:00", "T10:30:00", " 10:30", " 10:30:15", " 9:05", "T23:59:59.123",
                 " 10:30:00Z", "T10:30:00+01:00", " 10:30 AM", " 10:30pm")

# Forms that are *not* in the contract but are one slip away from it. Each must be read either
# as the intended date or not at all (an unparseable-date issue) -- never as another date.
NEAR_MISS_FORMS = {
    "upper month": lambda d: d.strftime("%d %b %Y").upper(),
    "lower month": lambda d: d.strftime("%d-%b-%Y").lower(),
    "ordinal": lambda d: f"{d.day}th {d:%b %Y}",
    "month first words": lambda d: d.strftime("%b %d %Y"),
    "us words": lambda d: d.strftime("%B %d, %Y"),
    "compact": lambda d: d.strftime("%Y%m%d"),
    "mixed separators": lambda d: d.strftime("%d/%m-%Y"),
    "double separator": lambda d: d.strftime("%d//%m/%Y"),
    "trailing junk": lambda d: d.strftime("%d/%m/%Y") + "x",
    "leading junk": lambda d: "c." + d.strftime("%d/%m/%Y"),
    "dash unpadded": lambda d: f"{d.day}-{d.month}-{d.year}",
    "hour only": lambda d: d.strftime("%d/%m/%Y") + " 10",
    "dangling T": lambda d: d.strftime("%Y-%m-%d") + "T",
    "excel serial": lambda d: str((d - date(1899, 12, 30)).days),
    "spaces inside": lambda d: d.strftime("%d / %m / %Y"),
    "full-width digits": lambda d: d.strftime("%d/%m/%Y").translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
}


def must_not_parse(d: date) -> list[str]:
    """Forms the contract says are reported, not read: two-digit years, impossible dates."""
    forms = [d.strftime("%d/%m/%y"), d.strftime("%d-%b-%y")]
    if d.day > 12:  # month first is only detectable when the day cannot be a month
        forms += [f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.year}-{d.day:02d}-{d.month:02d}"]
    forms += [f"{d.day:02d}/{d.month:02d}/{year}" for year in (1949, 1900, 2101, 9999)]
    forms += [f"32/{d.month:02d}/{d.year}", f"00/{d.month:02d}/{d.year}",
              f"{d.day:02d}/13/{d.year}", f"{d.day:02d}/00/{d.year}", f"31/04/{d.year}",
              f"30/02/{d.year}"]
    if not (d.year % 4 == 0 and (d.year % 100 != 0 or d.year % 400 == 0)):
        forms.append(f"29/02/{d.year}")
    return forms


contract_dates = st.dates(MIN_DATE, MAX_DATE)
recent_dates = st.dates(AS_OF - timedelta(days=900), AS_OF + timedelta(days=30))


@st.composite
def date_text(draw: st.DrawFn, around: st.SearchStrategy[date] = recent_dates) -> str:
    """A date cell as exports write them: any contract form, sometimes a near-miss or blank."""
    d = draw(around)
    kind = draw(st.sampled_from(["contract"] * 6 + ["near miss", "bad", "blank"]))
    if kind == "contract":
        text = CONTRACT_DATE_FORMS[draw(st.sampled_from(sorted(CONTRACT_DATE_FORMS)))](d)
        return text + draw(st.sampled_from(TIME_SUFFIXES))
    if kind == "near miss":
        return NEAR_MISS_FORMS[draw(st.sampled_from(sorted(NEAR_MISS_FORMS)))](d)
    if kind == "bad":
        return draw(st.sampled_from(must_not_parse(d)))
    return draw(st.sampled_from(["", " ", "N/A", "NULL", "-", "none"]))


# Text with the characters that break CSVs and terminals: delimiters, quotes, line breaks, tabs,
# control characters, markup-like brackets, formula starts and non-Latin scripts.
_NASTY = ",;|\t\"'\n\r =+-@[]/\\\x00\x1b\u00a3\u00e9\u201c\u201d\u2028\ufeff\U0001f600"
# Surrogates cannot be encoded at all; invalid byte sequences come from random_files instead.
nasty_text = st.text(
    alphabet=st.sampled_from(list(_NASTY)) | st.characters(blacklist_categories=["Cs"]),
    max_size=30)

OUTCOME_WORDS = ("Y", "N", "A", "W", "H", "S", "yes", "No", "assess", "Issued", "not issue",
                 "refused", "declined", "awaiting", "pending", "withdrawn", "ceased",
                 "transferred in", "historical", "maybe", "")
BOOLEAN_WORDS = ("", "1", "0", "Y", "N", "yes", "no", "TRUE", "false", "school_closure", "?")

# Headers an export might really use (recognised without a mapping), then hostile ones.
KNOWN_HEADERS = ("Case Ref", "Child ID", "DOB", "Date Request Received", "Request Outcome",
                 "Date of Decision to Assess", "Assessment Outcome",
                 "Date Assessment Outcome Notified", "Final EHCP Issued", "20 Week Exception",
                 "Mediation", "Tribunal", "Plan Start Date", "Last Annual Review Meeting",
                 "Review Decision Date", "Plan Ceased On", "Team", "Caseworker")
ODD_HEADERS = ("", " ", "*", "^.*$", "^Team$", "__foo", "__index_level_0__", "period",
               "plan_status", "case_id", "received_date", "Case Ref", "a,b", 'q"uote',
               "new\nline", "Ω≈ç", "=SUM(A1)", "len", "Team", "team", "#", "1")

_CELL_BY_HEADER = {
    "Case Ref": st.text(alphabet="ABC123-", min_size=0, max_size=4),
    "Child ID": st.sampled_from(["P1", "P2", "", "P3"]),
    "Request Outcome": st.sampled_from(OUTCOME_WORDS),
    "Assessment Outcome": st.sampled_from(OUTCOME_WORDS),
    "20 Week Exception": st.sampled_from(BOOLEAN_WORDS),
    "Mediation": st.sampled_from(BOOLEAN_WORDS),
    "Tribunal": st.sampled_from(BOOLEAN_WORDS),
    "Team": st.sampled_from(["North", "South", "", "north ", "=1+1"]),
}


def cell_for(header: str) -> st.SearchStrategy[str]:
    if header in _CELL_BY_HEADER:
        return _CELL_BY_HEADER[header]
    if "Date" in header or header in ("DOB", "Plan Ceased On", "Last Annual Review Meeting"):
        return date_text()
    return nasty_text


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@st.composite
def tables(draw: st.DrawFn, hostile: bool = True, max_rows: int = 25) -> Table:
    """A case table: the required columns usually present, others drawn, rows maybe ragged."""
    pool = st.sampled_from(KNOWN_HEADERS + ODD_HEADERS) if hostile \
        else st.sampled_from(KNOWN_HEADERS)
    extra = draw(st.lists(pool, max_size=8, unique=not hostile))
    # Mostly present, so most examples get past the header check to the rows.
    required = [h for h in ("Case Ref", "Date Request Received")
                if draw(st.integers(0, 9)) or not hostile]
    headers = list(dict.fromkeys(required)) + [h for h in extra if h not in required or hostile]
    if not headers:
        headers = ["Case Ref"]
    n_rows = draw(st.integers(0 if hostile else 1, max_rows))
    rows = []
    for _ in range(n_rows):
        row = [draw(cell_for(h)) for h in headers]
        if hostile and draw(st.integers(0, 9)) == 0:  # one row in ten ragged
            delta = draw(st.integers(-2, 2))
            row = row[:len(row) + delta] if delta < 0 else row + ["extra"] * delta
        rows.append(row)
    return Table(headers, rows)


ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "mixed")


def encode_lines(lines: list[str], encoding: str, mixed_choices: list[bool]) -> bytes:
    """Encode text lines; "mixed" alternates UTF-8 and Windows-1252 line by line."""
    if encoding == "mixed":
        return b"".join(
            line.encode("cp1252", errors="replace") if legacy else line.encode("utf-8")
            for line, legacy in zip(lines, mixed_choices, strict=False))
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + "".join(lines).encode("utf-8")
    return "".join(lines).encode(encoding, errors="replace")


def csv_text_lines(table: Table, delimiter: str, quoted: bool,
                   line_ends: list[str]) -> list[str]:
    """Serialise with the csv module (quoted) or by joining cells as they are (malformed);
    record i (the header is 0) ends with LINE_ENDS[i]."""
    records = [table.headers, *table.rows]
    if quoted:
        # The csv module quotes a cell holding \r or \n only when its line terminator has
        # that character, so each record is written with \r\n and given its ending after.
        lines = []
        for row, end in zip(records, line_ends, strict=True):
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(row)
            lines.append(buffer.getvalue().removesuffix("\r\n") + end)
        return lines
    return [delimiter.join(row) + end for row, end in zip(records, line_ends, strict=True)]


LINE_ENDINGS = ("\n", "\r\n", "\r")


@st.composite
def line_endings(draw: st.DrawFn, records: int) -> list[str]:
    """How each record ends: one ending throughout (LF, CRLF, old Mac CR), a mix record by
    record, or a header row ended by a lone CR with LF or CRLF after (a header written by
    one program, the rows by another)."""
    style = draw(st.sampled_from([*LINE_ENDINGS, "mixed", "header cr"]))
    if style == "mixed":
        return draw(st.lists(st.sampled_from(LINE_ENDINGS), min_size=records,
                             max_size=records))
    if style == "header cr":
        return ["\r"] + [draw(st.sampled_from(["\n", "\r\n"]))] * (records - 1)
    return [style] * records


@st.composite
def csv_files(draw: st.DrawFn, hostile: bool = True) -> bytes:
    """Bytes of a CSV export of any shape, delimiter, quoting, line ending and encoding."""
    table = draw(tables(hostile=hostile))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoted = draw(st.booleans()) if hostile else True
    ends = draw(line_endings(len(table.rows) + 1))
    lines = csv_text_lines(table, delimiter, quoted, ends)
    if lines and draw(st.booleans()):
        lines = [*lines[:-1], lines[-1].rstrip("\r\n")]  # no final line break
    encoding = draw(st.sampled_from(ENCODINGS)) if hostile else "utf-8"
    mixed = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    return encode_lines(lines, encoding, mixed)


MAGIC_PREFIXES = (b"", b"PK\x03\x04", b"PAR1", b"\xd0\xcf\x11\xe0", codecs.BOM_UTF8,
                  codecs.BOM_UTF16_LE, b"<?xml version='1.0'?>", b"\x00")

random_files = st.builds(lambda prefix, tail: prefix + tail,
                         st.sampled_from(MAGIC_PREFIXES), st.binary(max_size=2048))


# --- Options and config values, as a user (or a script with a bug) might give them ---------

# Numbers as typed: negative, zero, huge, not finite, not numbers at all.
_ODD_NUMBERS = ("-1", "0", "-0", "nan", "inf", "-inf", "1e309", "99999999999999999999999",
                "1.5", "0x10", "", " 7", "seven")
numbers = st.one_of(st.integers(-(10**20), 10**20).map(str), st.integers(-3, 400).map(str),
                    st.floats().map(repr), st.sampled_from(_ODD_NUMBERS))
# Any date from year 1 to 9999, as given or in forms the option does not take.
any_dates = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["0001-01-01", "9999-12-31", "1949-12-31", "2101-01-01", "2025-02-30",
                     " 2025-06-30 ", "", "today", "2025-06-30T10:00"]),
    nasty_text)

OPTION_VALUES: dict[str, str] = {
    "--as-of": "date",
    "--limit": "number", "--within": "number", "--max-overdue": "number",
    "--max-error-rows": "number", "--suppress-below": "number", "--window-months": "number",
    "--min-pct-within-20-weeks": "number", "--max-reviews-overdue-pct": "number",
    "--seed": "number", "--rows": "rows",
    "--by": "header", "--sheet": "text", "--la": "text", "--compare": "text",
    "--period": "choice", "--format": "choice",
    "--config": "config", "--output": "output", "--issues-out": "output",
    "--previous-as-of": "date",
    "--from": "month",
    "--header-row": "number", "--show": "header", "--where": "where",
}
_CHOICES = ("year", "quarter", "month", "table", "csv", "json", "parquet", "xlsx", "html",
            "sen2", "week", "XLSX", "")
_SUFFIXES = (".csv", ".json", ".parquet", ".xlsx", ".html", ".xml", ".txt", "", ".CSV")


def option_values(name: str, folder: object) -> st.SearchStrategy[str]:
    """A value for option NAME; paths are inside FOLDER (a pathlib.Path), which holds
    export.csv and config.toml."""
    kind = OPTION_VALUES[name]
    if kind == "date":
        return any_dates
    if kind == "number":
        return numbers
    if kind == "month":  # `trend --from YYYY-MM`, and what else gets typed there
        return st.one_of(st.dates().map(lambda d: d.strftime("%Y-%m")), any_dates,
                         st.sampled_from(["2025-13", "2025-00", "2025-6", "June", "0001-01",
                                          "2101-01", " 2025-01 "]))
    if kind == "rows":  # `sample --rows`: small, so each example stays quick
        return st.one_of(st.integers(-3, 60).map(str), st.sampled_from(_ODD_NUMBERS))
    if kind == "header":
        return st.sampled_from(KNOWN_HEADERS + ODD_HEADERS + ("received_date", "plan_status"))
    if kind == "where":  # COLUMN=VALUE, or what gets typed instead
        headers = st.sampled_from(KNOWN_HEADERS + ODD_HEADERS + ("plan_status", "team", ""))
        return st.one_of(st.builds(lambda h, v: f"{h}={v}", headers, nasty_text),
                         headers, nasty_text)
    if kind == "text":
        return st.one_of(nasty_text, st.sampled_from(["Redbridge", "E09000026", "Sheet1"]))
    if kind == "choice":
        return st.sampled_from(_CHOICES)
    if kind == "config":
        return st.sampled_from(["config.toml", "config.toml", "missing.toml", "export.csv",
                                "empty.toml", "."]).map(lambda n: _config_path(folder, n))
    stem = st.sampled_from(["out", "o u t", "café", "-dash", ".hidden", "missing/out"])
    return st.builds(lambda s, x: str(folder / f"{s}{x}"), stem,  # type: ignore[operator]
                     st.sampled_from(_SUFFIXES))


def _config_path(folder: object, name: str) -> str:
    path = folder / name  # type: ignore[operator]
    if name == "empty.toml":
        path.write_text("", encoding="utf-8")
    return str(path)


def _toml_float() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["nan", "inf", "-inf", "+inf", "1e309", "-1", "0", "50",
                                      "100", "100.5"]),
                     st.floats(allow_nan=False, allow_infinity=False).map(repr))


@st.composite
def config_files(draw: st.DrawFn) -> str:
    """A config whose values go to the extremes: dates from year 1 to 9999 (closures spanning
    all of them), numbers not finite or out of range, canonical columns sharing a header,
    secrets of the wrong type."""
    from ehcp_timeliness.columns import CANONICAL_COLUMNS, KPI_IDS

    lines = []
    if draw(st.booleans()):
        lines += ["[rules]", f"due_soon_days = {draw(st.integers(-5, 10**7))}"]
    if draw(st.booleans()):
        lines.append("[check]")
        for key in ("min_pct_within_20_weeks", "max_reviews_overdue_pct"):
            lines.append(f"{key} = {draw(_toml_float())}")
        lines.append(f"max_overdue = {draw(st.sampled_from(['0', '-1', '5', 'nan', '1e309']))}")
    if draw(st.booleans()):
        closures = draw(st.lists(st.tuples(st.dates(), st.dates()), max_size=3))
        if draw(st.booleans()):
            closures.append((date(1, 1, 1), date(9999, 12, 31)))
        shown = ", ".join(f"{{ closes = {a.isoformat()}, reopens = {b.isoformat()} }}"
                          for a, b in closures)
        lines += ["[term_dates]", f"closures = [{shown}]"]
    if draw(st.booleans()):
        lines += [f"[targets.{draw(st.sampled_from(KPI_IDS))}]",
                  f"target = {draw(_toml_float())}",
                  f"target_date = {draw(st.dates()).isoformat()}"]
    if draw(st.booleans()):
        lines.append("[columns]")
        names = draw(st.lists(st.sampled_from([c.name for c in CANONICAL_COLUMNS]),
                              unique=True, max_size=3))
        for name in names:
            lines.append(f'{name} = "{draw(st.sampled_from(KNOWN_HEADERS))}"')
    if draw(st.booleans()):
        key = draw(st.sampled_from(["1234", '"a secret"', "nan"]))
        lines += ["[privacy]", f"pseudonymise_key = {key}"]
    return "\n".join(lines) + "\n"
