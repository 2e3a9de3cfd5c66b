"""Which header in the export is which canonical column: the mapping file first, then recognition.

Recognition ignores case, spaces and punctuation (`Date Request Received`, `ReceivedDate` and
`Request received date` are all `received_date`), so most exports need no mapping at all.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from ehcp_timeliness.columns import (
    BY_NAME,
    CANONICAL_COLUMNS,
    PLAN_REGISTER_DATES,
    RECEIVED_DATE,
    RECOMPUTED_OUTPUTS,
    REQUIRED,
)
from ehcp_timeliness.errors import ConfigError, InputFileError, MissingColumnError
from ehcp_timeliness.io.source import RawTable, normalise_header
from ehcp_timeliness.schema.cell_shape import describe_cell_shapes, looks_like_values
from ehcp_timeliness.schema.suggest import likely_by_words


def looks_like_data(headers: list[str]) -> bool:
    """A "header" holding a date (in any form: `15/01/2024`, `7th April 2011`, `April 7
    2011`), a number (`40275`, an Excel date serial) or a line break means the first line is
    data: a file exported without its header row, or a header cell whose quote never closes
    and swallows the rows. Such a line is never echoed: each "header" is described by its
    position and shape (cell_shape.py)."""
    return any(looks_like_values(headers))


_RECOGNISED: dict[str, str] = {}
for _col in CANONICAL_COLUMNS:
    for _text in (_col.name, _col.sen2_item.split(" ")[0], *_col.synonyms):
        if normalise_header(_text):  # columns with no SEN2 item: never match an empty header
            _RECOGNISED.setdefault(normalise_header(_text), _col.name)


# Title lines and notes above the header row are looked for in this many first lines.
HEADER_SEARCH_LINES = 20
# Headers the tool knows a line must hold to be taken for the header row at once: a title or
# group line above the headers can hold one ("Request" over the request's columns is a
# case id's header).
KNOWN_IN_A_HEADER_ROW = 2


def as_spelt(explicit: dict[str, str], headers: list[str]) -> dict[str, str]:
    """EXPLICIT ([columns]: canonical -> header) with each header as HEADERS spell it where the
    two differ only in Unicode normalisation: `Réf` typed in the config, its accent one
    character, and `Réf` in an export saved on a Mac, a letter and a combining mark. They
    look the same, so "no header 'Réf'; Headers found: 'Réf'" would be a riddle."""
    spelt = {unicodedata.normalize("NFC", h): h for h in reversed(headers)}
    return {c: h if h in headers else spelt.get(unicodedata.normalize("NFC", h), h)
            for c, h in explicit.items()}


def known_headers(cells: list[str], explicit: dict[str, str]) -> int:
    """How many of CELLS are headers the tool knows: recognised, or named in [columns]."""
    named = set(as_spelt(explicit, cells).values())
    return sum(1 for cell in cells if cell in named or normalise_header(cell) in _RECOGNISED)


def find_header_row(rows: list[list[str]], explicit: dict[str, str]) -> int:
    """How many of ROWS (an export's first lines) are title lines or notes above its header
    row: the first row holding two headers the tool knows; without one, the first row as wide
    as the table whose cells are all names, not values (a title line has one cell, a note a
    few). 0 when the first row is the header row or none is found."""
    rows = rows[:HEADER_SEARCH_LINES]
    for index, row in enumerate(rows):
        if known_headers(row, explicit) >= KNOWN_IN_A_HEADER_ROW:
            return index
    filled = [[cell for cell in row if cell.strip()] for row in rows]
    widest = max((len(cells) for cells in filled), default=0)
    for index, cells in enumerate(filled):
        if widest >= 2 and len(cells) == widest and not any(looks_like_values(cells)):
            return index
    return 0


@dataclass(frozen=True)
class HeaderMap:
    """canonical -> header found in the file, and which of them were recognised automatically."""

    mapped: dict[str, str]
    recognised: frozenset[str]

    def passthrough(self, headers: list[str]) -> list[str]:
        used = set(self.mapped.values())
        return [h for h in headers if h not in used]


def map_headers(headers: list[str], explicit: dict[str, str], source: str,
                other_sheets: str = "") -> HeaderMap:
    """Resolve the mapping; raise with the fix when a required column cannot be found.

    Messages list the headers found, unless the first line looks like data: then listing it
    would echo a child's details (names, dates of birth) into a terminal or a CI log. A
    header not found in a workbook read without --sheet may be on another sheet:
    OTHER_SHEETS (RawTable.other_sheets) says which sheet was read and which others there
    are.
    """
    elsewhere = f"\n{other_sheets}" if other_sheets else ""
    mapped: dict[str, str] = {}
    explicit = as_spelt(explicit, headers)
    _refuse_one_header_for_two_columns(explicit)
    for canonical, header in explicit.items():
        if header not in headers:
            close = difflib.get_close_matches(header, headers, n=3, cutoff=0.6)
            hint = f"Did you mean {' or '.join(map(repr, close))}? " if close else ""
            raise ConfigError(
                f'[columns] {canonical} = "{header}", but {source} has no header "{header}"',
                (f"{hint}Headers found: {_list(headers)}" if not looks_like_data(headers)
                 else f"{source}: {_DATA_FIRST}\n{_shapes(headers)}") + elsewhere,
            )
        mapped[canonical] = header

    recognised: set[str] = set()
    for canonical, found in _claims(headers, mapped).items():
        if len(found) > 1:
            raise InputFileError(
                f"{source}: several headers could be {canonical}: {_list(found)}",
                f'Say which one in the config file\'s [columns] section, e.g. '
                f'{canonical} = "{found[0]}"',
            )
        mapped[canonical] = found[0]
        recognised.add(canonical)

    missing = [c for c in REQUIRED if c not in mapped
               and not (c == RECEIVED_DATE and is_plan_register(mapped))]
    if missing and looks_like_data(headers):
        raise MissingColumnError(
            f"{source}: required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} not found: {_DATA_FIRST}\n{_shapes(headers)}",
            "Export the case list with its header row as the first line, or name the line it "
            "is on with --header-row N (and check no header cell opens a quote it does not "
            "close)." + elsewhere)
    if missing:
        used = set(mapped.values())
        lines = []
        for canonical in missing:
            # The unused header whose words say the column (by meaning, never by string
            # likeness) pre-fills the line; `validate` adds the values' evidence.
            header = likely_by_words(canonical, headers, used) or "Your header"
            used.add(header)
            lines.append(f'{canonical} = "{header}"')
        raise MissingColumnError(
            f"{source}: required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} not found ({BY_NAME[missing[0]].meaning}).\n"
            f"Headers found: {_list(headers)}",
            "Add to the [columns] section of your config file (--config), with your header:\n  "
            + "\n  ".join(lines) + "\n`ehcp-timeliness validate` on the export suggests a "
            "whole [columns] block, with the evidence for each line." + elsewhere,
        )
    return HeaderMap(mapped, frozenset(recognised))


def refuse_duplicated_mapping(raw: RawTable, headers: HeaderMap,
                              explicit: dict[str, str]) -> None:
    """A canonical column mapped (or recognised) to a header the export has twice is refused:
    which of the two columns holds it cannot be told. The reader keeps both columns (naming
    the later one `<header> (column N)`) and warns (`duplicate-header`)."""
    for header, first, this in raw.duplicate_headers:
        for canonical, mapped in headers.mapped.items():
            if mapped != header:
                continue
            where = (f"{raw.path.name} has two columns headed {header!r} (columns {first} and "
                     f"{this})")
            choose = (f'Rename one of the two in the export, or map {canonical} under '
                      f'[columns] to "{header} (column {this})" if the later one holds it.')
            if canonical in explicit:
                raise ConfigError(f'[columns] {canonical} = "{header}", but {where}', choose)
            raise InputFileError(f"{canonical}: {where}, so which holds it cannot be told",
                                 choose)


def mapping_found(headers: list[str], explicit: dict[str, str]) -> dict[str, str]:
    """What map_headers would map, without its refusals: the [columns] lines whose header
    is there, and each header recognised for one column no other header claims."""
    mapped = {c: h for c, h in as_spelt(explicit, headers).items() if h in headers}
    claims = _claims(headers, mapped)
    return {**mapped, **{c: found[0] for c, found in claims.items() if len(found) == 1}}


def _claims(headers: list[str], mapped: dict[str, str]) -> dict[str, list[str]]:
    """Each canonical column not in MAPPED -> the headers not in it that it is recognised by."""
    claims: dict[str, list[str]] = {}
    taken = set(mapped.values())
    for header in headers:
        if header in RECOMPUTED_OUTPUTS:
            continue  # a `cases` output fed back in ("exception_applies" is no Week20 input)
        canonical = _RECOGNISED.get(normalise_header(header))
        if canonical and canonical not in mapped and header not in taken:
            claims.setdefault(canonical, []).append(header)
    return claims


def is_plan_register(mapped: dict[str, str] | tuple[str, ...]) -> bool:
    """No request date column, but plan or review dates: a register of plans, analysed for
    its reviews (columns.PLAN_REGISTER_DATES)."""
    return RECEIVED_DATE not in mapped and any(c in mapped for c in PLAN_REGISTER_DATES)


_DATA_FIRST = ("the first line looks like a row of data, not column headers. Its cells by "
               "position and shape (their text is not shown: it may be personal data):")


def _shapes(headers: list[str]) -> str:
    """The first line's cells by position and shape, never their text."""
    shown = [f"  column {i}: {shape}"
             for i, shape in enumerate(describe_cell_shapes(headers[:40]), start=1)]
    more = [f"  … ({len(headers)} columns in all)"] if len(headers) > 40 else []
    return "\n".join(shown + more)


def _refuse_one_header_for_two_columns(explicit: dict[str, str]) -> None:
    """Two canonical columns mapped to one header: each needs its own column of the export
    (the table would otherwise hold one column under two names)."""
    claimed: dict[str, str] = {}
    for canonical, header in explicit.items():
        if header in claimed:
            raise ConfigError(
                f'[columns] {claimed[header]} and {canonical} both name the header "{header}"',
                "Each canonical column needs its own header: remove or correct one of the "
                "two lines.")
        claimed[header] = canonical


def _list(headers: list[str]) -> str:
    shown = ", ".join(repr(h) for h in headers[:40])
    return shown + (f", … ({len(headers)} in all)" if len(headers) > 40 else "")

