"""--by, --where and --show: the columns a command groups by, filters on or shows, matched
against the export's headers as header mapping matches them, and checked before the analysis
runs (personal columns under --pseudonymise, the number of groups) and after it (each one a
column of the `cases` output).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ehcp_timeliness.errors import UsageError

if TYPE_CHECKING:
    from ehcp_timeliness.config import Config
    from ehcp_timeliness.io.source import RawTable
    from ehcp_timeliness.pipeline import Export
    from ehcp_timeliness.schema.by_columns import ByColumn
    from ehcp_timeliness.summaries.where import Condition


def parse_where(given: list[str] | None) -> list[tuple[str, str]]:
    """--where COLUMN=VALUE, each split at its first =; a usage error before any work when
    one has no = or no column."""
    pairs = []
    for text in given or []:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise UsageError(f"--where {text}: not COLUMN=VALUE",
                             "Give a column and a value, e.g. --where Caseworker='Jo Smith'.")
        pairs.append((name.strip(), value.strip()))
    return pairs


def match_column(given: str, available: Sequence[str],
                 mapped: Mapping[str, str] | None = None, option: str = "") -> str | None:
    """The column of AVAILABLE (names inside the tool) GIVEN names: exactly, as the export
    spells a header (columns.input_name), else as header mapping compares headers (case,
    spaces and punctuation ignored: `caseworker` is `Case Worker`), the headers of MAPPED
    (canonical column -> the export's header: `DOB` is date_of_birth) too. None when none
    is; a usage error naming them when several are (`team` with both `Team` and `TEAM`):
    "no such column" would send the analyst looking for a column that is there."""
    from ehcp_timeliness.columns import header_of, input_name
    from ehcp_timeliness.schema.headers import normalise_header

    for exact in (given, input_name(given)):
        if exact in available:
            return exact
    key = normalise_header(given)
    mapped_alike = {c for c, header in (mapped or {}).items()
                    if key and normalise_header(header) == key}
    alike = [c for c in dict.fromkeys(available)
             if key and (normalise_header(header_of(c)) == key or c in mapped_alike)]
    if len(alike) > 1:
        raise UsageError(
            f"{option} {given}: several columns match: "
            + ", ".join(repr(header_of(c)) for c in alike),
            "Name the one you mean exactly as it is spelt (case, spaces and punctuation "
            "count then).")
    return alike[0] if alike else None


def export_columns(raw: RawTable, config: Config) -> tuple[list[str], dict[str, str]]:
    """The columns a command's --where and --by can name, from the export's headers alone
    (read before the analysis): mapped columns by canonical name, the others by header,
    and the case outputs; and the mapped ones' headers (canonical column -> header)."""
    from ehcp_timeliness.columns import (
        CASE_OUTPUT_COLUMNS,
        EXCEPTION_APPLIES,
        REVIEW_PROCESS_OUTPUT_COLUMNS,
        input_name,
    )
    from ehcp_timeliness.schema.headers import mapping_found

    mapped = mapping_found(raw.headers, config.column_mapping())
    taken = set(mapped.values())
    return [*mapped, *(input_name(h) for h in raw.headers if h not in taken),
            *CASE_OUTPUT_COLUMNS, *REVIEW_PROCESS_OUTPUT_COLUMNS, EXCEPTION_APPLIES], mapped


def checked_before_analysis(path: Path, config: Config, sheet: str | None, by: list[str],
                            show: list[str], where: list[str] | None, pseudonymised: bool
                            ) -> tuple[list[str], list[str], list[Condition], RawTable | None]:
    """(--by, --show, --where) resolved against the export's headers, read once, before the
    analysis runs, each name matched as header mapping matches (match_column), and every
    check that needs no analysis: a --where column that is none (a usage error listing the
    columns), with --pseudonymise a personal column under --by, --show or --where, and too
    many groups. A --by or --show name that matches nothing is left as given for
    check_columns to judge. Last, the export as read, for the analysis to go on from.
    Nothing is read when none is given (the export is None)."""
    pairs = parse_where(where)
    if not by and not show and not pairs:
        return [], [], [], None
    from ehcp_timeliness.columns import REVIEW_PROCESS_OUTPUT_COLUMNS, header_of
    from ehcp_timeliness.pipeline import read_export
    from ehcp_timeliness.schema.by_columns import locate
    from ehcp_timeliness.schema.headers import map_headers
    from ehcp_timeliness.summaries.where import Condition

    raw = read_export(path, config, sheet)  # below any title lines, as the analysis reads it
    available, mapped = export_columns(raw, config)
    conditions = []
    for name, value in pairs:
        found = match_column(name, available, mapped, "--where")
        if found is None:
            raise UsageError(f"--where {name}={value}: no such column",
                             "Columns you can filter on include: "
                             + ", ".join(header_of(c) for c in available
                                         if c not in REVIEW_PROCESS_OUTPUT_COLUMNS))
        conditions.append(Condition(found, value))
    by, show = ([match_column(n, available, mapped, option) or n for n in names]
                for option, names in (("--by", by), ("--show", show)))
    if by or pseudonymised:
        headers = map_headers(raw.headers, config.column_mapping(), raw.path.name,
                              raw.other_sheets)
        named = {option: [locate(name, raw.headers, headers) for name in names]
                 for option, names in (("--by", by), ("--show", show),
                                       ("--where", [c.column for c in conditions]))}
        if pseudonymised:
            for option, located in named.items():
                refuse_personal(located, config, option)
        refuse_too_many_groups(raw, named["--by"], config)
    return by, show, conditions, raw


def check_columns(option: str, names: list[str], available: list[str]) -> list[str]:
    """--by or --show (OPTION) names, each a column of the `cases` output; the error lists the
    ones there are. A header is named as the export spells it, even one the tool keeps under
    another name inside (columns.input_name: `__meeting` is `input:__meeting` there); returns
    the names inside the tool. A --by column given twice is refused (two columns of one name:
    a DuplicateError further on); a --show column is shown once."""
    from ehcp_timeliness.columns import header_of, input_name  # imports Polars: not at --help

    columns: list[str] = []
    for given in names:
        column = input_name(given) if input_name(given) in available else given
        if column not in available:
            raise UsageError(f"{option} {given}: no such column",
                             f"Columns you can {'group by' if option == '--by' else 'show'}: "
                             f"{', '.join(header_of(c) for c in available)}")
        if column in columns and option == "--by":
            raise UsageError(f"--by {given}: given twice", "Group by each column once.")
        if column not in columns:
            columns.append(column)
    return columns


def refuse_personal(located: list[ByColumn], config: Config, option: str) -> None:
    """With --pseudonymise: --by, --show or --where (OPTION) on a column whose values
    identify a child (a date of birth, a name, an address, [privacy] personal_columns) is
    refused, since each group's label (each row's cell) is a value. Case and person ids are
    allowed: their values are already pseudonyms."""
    from ehcp_timeliness.schema.by_columns import is_personal

    for by in located:
        if is_personal(by, config.privacy.personal_columns):
            raise UsageError(
                f"{option} {by.given}: its values identify a child, and with --pseudonymise no "
                "personal value may appear in the output",
                "Group by (or show) a column that is not personal (a team, a phase, a "
                "caseworker), or drop --pseudonymise for a report that stays with the team. "
                "[privacy] personal_columns lists more such headers.")


def personal_groups(by: list[str], export: Export, config: Config) -> list[str]:
    """The --by columns (BY: names inside the tool, as checked) whose values identify a child
    (schema/by_columns.is_personal), named as the export spells them. Allowed without
    --pseudonymise, but a board grouped by one shows those values: the report says so."""
    from ehcp_timeliness.columns import header_of
    from ehcp_timeliness.schema.by_columns import ByColumn, is_personal

    mapped = export.headers.mapped
    located = [ByColumn(header_of(name),
                        mapped.get(name) or (header_of(name) if name in export.input_columns
                                             else None),
                        name if name in mapped else None) for name in by]
    return [by.header or by.given for by in located
            if is_personal(by, config.privacy.personal_columns)]


def refuse_too_many_groups(raw: RawTable, located: list[ByColumn], config: Config) -> None:
    """--by making more groups than [output] max_groups is refused before the analysis: a
    group per case (--by case_id) costs memory and time per group and makes a table or a
    board nobody can read."""
    from ehcp_timeliness.schema.by_columns import estimated_groups

    limit = config.output.max_groups
    if not located:
        return
    groups = estimated_groups(raw, located)
    if groups > limit:
        names = " and ".join(b.given for b in located)
        raise UsageError(
            f"--by {names}: about {groups:,} groups, over the limit of {limit:,} "
            "([output] max_groups)",
            "Group by a column with fewer values (a team, a phase), or raise [output] "
            "max_groups in the config file if you need every group.")
