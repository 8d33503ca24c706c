"""trade.gov Consolidated Screening List (CSL) CSV: one row per listing on one source list.

The same party appears once per list it is on (an SDN row, an SSI row, a CAP row...), all with
the same `_id`, so `_id` alone is not unique. The source id is the list's short code plus `_id`
("SDN-18725", "SSI-18725"), which is unique and stable across downloads; should one list still
repeat an `_id`, the repeat gets "-2", "-3"... in file order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import ListFormatError
from app.lists.countries import country_of_address, to_country_code
from app.lists.models import (
    Address,
    Alias,
    EntityKind,
    Identifier,
    IdentifierType,
    ListEntry,
    make_entry_id,
)
from app.lists.parsers.common import IdRegistry, no_entries, parse_dates, parse_partial_date, unique
from app.lists.parsers.csv_rows import read_records
from app.lists.parsers.ofac_remarks import identifier_type_for

REQUIRED_COLUMNS = ("_id", "source", "type", "programs", "name", "alt_names", "addresses", "ids")
_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    "": EntityKind.UNKNOWN,  # BIS and State lists leave the type empty
}
_PROPERTY_COLUMNS = (
    "title", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "end_date", "standard_order", "license_requirement",
    "license_policy", "source_information_url", "entity_number",
)  # fmt: skip
_SOURCE_CODE = re.compile(r"\(([^)]+)\)")
_LINKED_TO = "Linked To: "
# BIS prints US addresses without a country: "..., ROCKY RIVER, OH, 44116".
_US_STATE_ZIP = re.compile(r",\s*[A-Z]{2},?\s+\d{5}(?:-\d{4})?$")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def split_values(text: str) -> list[str]:
    """CSL joins multiple values with "; "."""
    return [part.strip() for part in text.split(";") if part.strip()]


def source_code(source: str) -> str:
    """ "Sectoral Sanctions Identifications List (SSI) - Treasury Department" -> "SSI"."""
    match = _SOURCE_CODE.search(source)
    code = match.group(1) if match else source
    return code.removesuffix(" List").strip()


def linked_names(remarks: str) -> list[str]:
    """Names in "(Linked To: X)" remarks; X may hold its own parentheses, e.g. "(IRGC)-QODS FORCE"."""
    names = []
    for chunk in remarks.split(_LINKED_TO)[1:]:
        depth = 1  # inside the "(" that opened "(Linked To: "
        for index, char in enumerate(chunk):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                chunk = chunk[:index]
                break
        names.append(chunk.strip().rstrip(".;"))
    return names


def _address_country(address: str) -> str | None:
    last = address.rsplit(",", 1)[-1].strip()
    if len(last) == 2:  # CSL ends most addresses with an ISO code ("..., Moscow, RU")
        return to_country_code(last)
    if _US_STATE_ZIP.search(address):
        return "US"
    return country_of_address(address)


def _addresses(text: str) -> list[Address]:
    addresses = []
    for part in split_values(text):
        country = _address_country(part)
        addresses.append(Address(text=part, country=country))
    return addresses


def _read_ids(text: str, properties: dict[str, str]) -> tuple[list[Identifier], str | None]:
    """`ids` holds "[COUNTRY, ][dates, ]NUMBER, TYPE" items, and facts like "Male, Gender"."""
    identifiers, gender = [], None
    for item in split_values(text):
        parts = [part.strip() for part in item.split(",")]
        label = parts[-1]
        if label == "Gender":
            gender = parts[0].lower()
        elif (kind := identifier_type_for(label)) is not None and len(parts) >= 2:
            country = to_country_code(parts[0]) if len(parts) >= 3 and len(parts[0]) == 2 else None
            dates = [part for part in parts[:-2] if _ISO_DATE.fullmatch(part)]
            note = f"{label}; dates {', '.join(dates)}" if dates else label
            value = parts[-2]
            if kind is IdentifierType.IMO:  # "IMO 8898831, Vessel Registration Identification"
                value = value.removeprefix("IMO").strip()
            identifiers.append(Identifier(type=kind, value=value, country=country, note=note))
        else:
            key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "other"
            value = ", ".join(parts[:-1])
            properties[key] = f"{properties[key]}; {value}" if key in properties else value
    return identifiers, gender


def _entry(
    row: dict[str, str], source_id: str, list_id: str, code: str, line: int, path: Path
) -> ListEntry:
    kind = _KINDS.get(row["type"].strip().lower())
    if kind is None:
        raise ListFormatError(
            f"unknown type {row['type']!r}", source=path.name, position=f"line {line}"
        )
    properties = {
        column: value for column in _PROPERTY_COLUMNS if (value := row.get(column, "").strip())
    }
    properties["source_list"] = row["source"].strip()
    identifiers, gender = _read_ids(row["ids"], properties)
    addresses = _addresses(row["addresses"])
    stated = split_values(row.get("nationalities", "")) + split_values(row.get("citizenships", ""))
    nationalities = unique(to_country_code(value) for value in stated)
    remarks = row.get("remarks", "").strip() or None
    flag = to_country_code(row.get("vessel_flag", ""))
    return ListEntry(
        id=make_entry_id(list_id, source_id),
        list_id=list_id,
        source_id=source_id,
        kind=kind,
        name=row["name"].strip(),
        aliases=tuple(Alias(name=alias) for alias in unique(split_values(row["alt_names"]))),
        birth_dates=unique(
            date
            for text in split_values(row.get("dates_of_birth", ""))
            for date in parse_dates(text)
        ),
        places_of_birth=unique(split_values(row.get("places_of_birth", ""))),
        countries=unique([*nationalities, *(a.country for a in addresses), flag]),
        nationalities=nationalities,
        addresses=tuple(addresses),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=unique([code, *split_values(row["programs"])]),
        legal_basis=row.get("federal_register_notice", "").strip() or None,
        listed_date=parse_partial_date(row.get("start_date", "")),
        remarks=remarks,
        source_url=row.get("source_list_url", "").strip() or None,
        linked_to=unique(linked_names(remarks or "")),
        gender=gender,
        properties=properties,
    )


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the rows of a CSL CSV file as entries."""
    ids = IdRegistry(path.name)
    repeats: dict[str, int] = {}
    for line, row in read_records(path, required=REQUIRED_COLUMNS):
        raw_id, name = row["_id"].strip(), row["name"].strip()
        if not raw_id or not name:
            raise ListFormatError("empty _id or name", source=path.name, position=f"line {line}")
        code = source_code(row["source"])
        source_id = f"{code}-{raw_id}"
        repeats[source_id] = repeats.get(source_id, 0) + 1
        if repeats[source_id] > 1:
            source_id = f"{source_id}-{repeats[source_id]}"
        entry = _entry(row, source_id, list_id, code, line, path)
        ids.claim(entry.id, f"line {line}")
        yield entry
    if not len(ids):
        raise no_entries(path.name)
