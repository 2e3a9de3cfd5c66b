"""A header the export writes twice: the reader keeps both columns (io/csv_reader.py names the
later one `<header> (column N)`) and warns (`duplicate-header`); a mapping to it is refused here.
"""

from __future__ import annotations

from ehcp_timeliness.errors import ConfigError, InputFileError
from ehcp_timeliness.io.source import RawTable
from ehcp_timeliness.schema.headers import HeaderMap


def refuse_duplicated_mapping(raw: RawTable, headers: HeaderMap,
                              explicit: dict[str, str]) -> None:
    """A canonical column mapped (or recognised) to a header the export has twice is refused:
    which of the two columns holds it cannot be told."""
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
