"""What a --by column is, known from the export's header row before any analysis: the header it
reads, whether its values identify a child, and about how many groups it makes.

Grouping is checked before the analysis runs (cli/column_options.py), so a run that would make
a group per case, or print children's dates of birth as group labels in a pseudonymised board,
is refused in a second, not after minutes of work.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ehcp_timeliness.columns import (
    CASE_ID,
    CLOSED_VALUES,
    PERSON_ID,
    PERSONAL_COLUMNS,
    column,
    input_name,
)
from ehcp_timeliness.io.readers import explain_read_failure
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.schema.headers import HeaderMap, normalise_header

# Headers whose values identify a child, as normalise_header spells them (case, spaces and
# punctuation ignored), besides the contract's personal columns. A header containing one of
# these is personal: "Child's Date of Birth", "Home Address Line 1", "NHS No.".
PERSONAL_HEADER_PARTS = (
    "dateofbirth", "birthdate", "dob", "nhsnumber", "nhsno", "address", "postcode",
    "forename", "surname", "firstname", "lastname", "fullname", "givenname", "familyname",
    "childname", "childsname", "pupilname", "personname", "youngpersonname", "upn", "uln",
    "email", "phone", "mobile",
)
# Exactly these, not as parts (a "Team Name" is no child's name).
PERSONAL_HEADERS = ("name", "names", "child", "pupil")
# Pseudonymised by --pseudonymise: grouping by them shows pseudonyms, not the ids.
PSEUDONYMISED = (CASE_ID, PERSON_ID)


@dataclass(frozen=True)
class ByColumn:
    given: str                # as typed after --by
    header: str | None        # the export's header it reads; None: a column the tool works out
    canonical: str | None     # the canonical column, when it is one


def locate(given: str, raw_headers: list[str], headers: HeaderMap) -> ByColumn:
    """Which header of the export a --by name reads: a canonical name (date_of_birth) reads
    the header mapped to it, a header reads itself; anything else is worked out (plan_status)
    or not a column at all (cli/column_options.check_columns says which)."""
    if given in headers.mapped:
        return ByColumn(given, headers.mapped[given], given)
    if given in raw_headers:
        canonical = next((c for c, h in headers.mapped.items() if h == given), None)
        return ByColumn(given, given, canonical)
    return ByColumn(given, None, None)


def is_personal(by: ByColumn, extra: tuple[str, ...] = ()) -> bool:
    """Whether BY's values identify a child and are not replaced by --pseudonymise: a personal
    column of the contract other than the ids, a header naming personal data, or a header
    the config lists ([privacy] personal_columns)."""
    if by.canonical in PSEUDONYMISED:
        return False
    if by.canonical in PERSONAL_COLUMNS:
        return True
    if by.header is None:
        return False
    name = normalise_header(by.header)
    listed = {normalise_header(h) for h in extra}
    return (name in listed or name in PERSONAL_HEADERS
            or any(part in name for part in PERSONAL_HEADER_PARTS))


def estimated_groups(raw: RawTable, columns: list[ByColumn]) -> int:
    """About how many groups COLUMNS make together: the distinct values (HyperLogLog, within
    a few per cent) of the raw cells, read as text from the one pass over those columns
    alone; a worked-out column with a closed set of values multiplies by its size."""
    read = [c.header for c in columns if c.header is not None]
    closed = 1
    for c in columns:
        if c.header is None and c.given in CLOSED_VALUES:
            closed *= len(CLOSED_VALUES[c.given])
    if not read:
        return closed
    key = pl.concat_str([column(input_name(h)).fill_null("\x00") for h in read],
                        separator="\x1f")
    try:
        counted = raw.frame.select(key.approx_n_unique()).collect(engine="streaming").item()
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        # A malformed export fails here first: the same message the analysis would give.
        raise explain_read_failure(raw, exc) from exc
    return int(counted) * closed
