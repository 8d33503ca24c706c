"""A bank's own list as CSV: `id,name,kind,aliases,countries,dob,identifiers,notes`.

Banks upload these through the API, so every mistake is reported with the file and line and a
message a compliance officer can act on; nothing is guessed or silently dropped. Multi-values
are separated by ";", identifiers are `type:value` (e.g. `passport:A1234567;bic:BHDAIQBA`),
dates are ISO ("1970", "1970-05", "1970-05-12"), countries are names or ISO codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import ListFormatError
from app.lists.countries import to_country_code
from app.lists.models import Alias, EntityKind, Identifier, IdentifierType, ListEntry, make_entry_id
from app.lists.parsers.common import no_entries, parse_partial_date, unique
from app.lists.parsers.csv_rows import read_records

REQUIRED_COLUMNS = ("id", "name")
OPTIONAL_COLUMNS = ("kind", "aliases", "countries", "dob", "identifiers", "notes")
_ISO_PARTIAL = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_KINDS = {kind.value: kind for kind in EntityKind}
_ID_TYPES = {id_type.value: id_type for id_type in IdentifierType}


class _RowError(Exception):
    """A problem in one row; `parse` adds the file and line."""


def split_values(text: str) -> list[str]:
    return [value.strip() for value in text.split(";") if value.strip()]


def _kind(text: str) -> EntityKind:
    value = text.strip().lower()
    if not value:
        return EntityKind.UNKNOWN
    if value not in _KINDS:
        raise _RowError(f"bad kind {text.strip()!r}; expected one of {', '.join(_KINDS)}")
    return _KINDS[value]


def _countries(text: str) -> tuple[str, ...]:
    codes = []
    for value in split_values(text):
        code = to_country_code(value)
        if code is None:
            raise _RowError(f"unknown country {value!r}")
        codes.append(code)
    return unique(codes)


def _dates(text: str) -> tuple[str, ...]:
    dates = []
    for value in split_values(text):
        parsed = parse_partial_date(value) if _ISO_PARTIAL.fullmatch(value) else None
        if parsed is None:
            raise _RowError(f"bad date {value!r}; expected YYYY, YYYY-MM or YYYY-MM-DD")
        dates.append(parsed)
    return unique(dates)


def _identifiers(text: str) -> tuple[Identifier, ...]:
    identifiers = []
    for item in split_values(text):
        id_type, sep, value = item.partition(":")
        if not sep or not value.strip():
            raise _RowError(f"bad identifier {item!r}; expected type:value, e.g. passport:A1234567")
        known = _ID_TYPES.get(id_type.strip().lower())
        if known is None:
            raise _RowError(
                f"unknown identifier type {id_type.strip()!r}; known: {', '.join(_ID_TYPES)}"
            )
        identifiers.append(Identifier(type=known, value=value.strip()))
    return tuple(dict.fromkeys(identifiers))


def _entry(row: dict[str, str], list_id: str) -> ListEntry:
    source_id, name = row["id"].strip(), " ".join(row["name"].split())
    if not source_id:
        raise _RowError("empty id")
    if not name:
        raise _RowError(f"empty name for id {source_id!r}")
    countries = _countries(row.get("countries", ""))
    aliases = [alias for alias in unique(split_values(row.get("aliases", ""))) if alias != name]
    return ListEntry(
        id=make_entry_id(list_id, source_id),
        list_id=list_id,
        source_id=source_id,
        kind=_kind(row.get("kind", "")),
        name=name,
        aliases=tuple(Alias(name=alias) for alias in aliases),
        birth_dates=_dates(row.get("dob", "")),
        countries=countries,
        identifiers=_identifiers(row.get("identifiers", "")),
        remarks=row.get("notes", "").strip() or None,
    )


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the entries of a bank's CSV list, refusing the file at its first bad line."""
    first_line_of: dict[str, int] = {}
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    for line, row in read_records(path, required=REQUIRED_COLUMNS, allowed=columns):
        try:
            entry = _entry(row, list_id)
        except _RowError as exc:
            raise ListFormatError(str(exc), source=path.name, position=f"line {line}") from exc
        if entry.source_id in first_line_of:
            raise ListFormatError(
                f"duplicate id {entry.source_id!r} (first on line {first_line_of[entry.source_id]})",
                source=path.name,
                position=f"line {line}",
            )
        first_line_of[entry.source_id] = line
        yield entry
    if not first_line_of:
        raise no_entries(path.name)
