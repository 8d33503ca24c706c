"""UN Security Council Consolidated List XML (CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL, ENTITIES / ENTITY).

Streamed with iterparse: each INDIVIDUAL or ENTITY is turned into an entry when its end tag is
read, then dropped from the tree so memory stays flat however long the list is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import ListFormatError
from app.lists.countries import to_country_code
from app.lists.models import (
    Address,
    Alias,
    AliasStrength,
    EntityKind,
    Identifier,
    IdentifierType,
    ListEntry,
    make_entry_id,
)
from app.lists.parsers.common import (
    IdRegistry,
    iterparse_safely,
    no_entries,
    parse_dates,
    parse_partial_date,
    text_of,
    unique,
)

_RECORDS = {"INDIVIDUAL": EntityKind.PERSON, "ENTITY": EntityKind.ORGANIZATION}
_CONTAINERS = {"INDIVIDUALS", "ENTITIES"}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# QUALITY -> (strength, alias kind). "Low" is the UN's low-quality alias; empty means unstated.
_QUALITIES = {
    "good": (AliasStrength.STRONG, "aka"),
    "a.k.a.": (AliasStrength.STRONG, "aka"),
    "f.k.a.": (AliasStrength.STRONG, "fka"),
    "low": (AliasStrength.WEAK, "aka"),
    "": (AliasStrength.STRONG, "aka"),
}
_DOCUMENT_TYPES = {
    "passport": IdentifierType.PASSPORT,
    "numéro de passeport": IdentifierType.PASSPORT,
    "número de pasaporte": IdentifierType.PASSPORT,
    "national identification number": IdentifierType.NATIONAL_ID,
}


def _values(record: ET.Element, tag: str) -> list[str]:
    """Texts of <TAG><VALUE>..</VALUE></TAG> groups (NATIONALITY, DESIGNATION, TITLE...)."""
    return [value for node in record.findall(f"{tag}/VALUE") if (value := text_of(node))]


def _aliases(record: ET.Element, name: str) -> list[Alias]:
    aliases = [
        Alias(name=original, kind="original_script")
        for node in record.findall("NAME_ORIGINAL_SCRIPT")
        if (original := text_of(node))
    ]
    for node in [*record.findall("INDIVIDUAL_ALIAS"), *record.findall("ENTITY_ALIAS")]:
        alias_name = text_of(node.find("ALIAS_NAME"))
        quality = (text_of(node.find("QUALITY")) or "").lower()
        if alias_name and alias_name.casefold() != name.casefold():
            strength, kind = _QUALITIES.get(quality, (AliasStrength.STRONG, "aka"))
            aliases.append(Alias(name=alias_name, strength=strength, kind=kind))
    return list(dict.fromkeys(aliases))


def _birth_dates(record: ET.Element) -> list[str]:
    dates: list[str] = []
    for node in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        exact = text_of(node.find("DATE"))
        year = text_of(node.find("YEAR"))
        start, end = text_of(node.find("FROM_YEAR")), text_of(node.find("TO_YEAR"))
        if exact and (parsed := parse_partial_date(exact)):
            dates.append(parsed)
        elif year:
            dates.extend(parse_dates(year))
        elif start and end:
            dates.extend(parse_dates(f"{start} to {end}"))
    return dates


def _places_of_birth(record: ET.Element) -> list[str]:
    places = []
    for node in record.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [text_of(node.find(tag)) for tag in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        if place := ", ".join(part for part in parts if part):
            places.append(place)
    return places


def _addresses(record: ET.Element) -> list[Address]:
    addresses = []
    for node in [*record.findall("INDIVIDUAL_ADDRESS"), *record.findall("ENTITY_ADDRESS")]:
        fields = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
        street, city, state, postcode, country = (text_of(node.find(tag)) for tag in fields)
        text = ", ".join(part for part in (street, city, state, postcode, country) if part)
        if text:
            addresses.append(Address(text=text, city=city, country=to_country_code(country)))
    return addresses


def _identifiers(record: ET.Element) -> list[Identifier]:
    identifiers = []
    for node in record.findall("INDIVIDUAL_DOCUMENT"):
        number = text_of(node.find("NUMBER"))
        if not number:
            continue
        label = text_of(node.find("TYPE_OF_DOCUMENT")) or ""
        kind = _DOCUMENT_TYPES.get(label.lower(), IdentifierType.OTHER)
        issuer = text_of(node.find("ISSUING_COUNTRY")) or text_of(node.find("COUNTRY_OF_ISSUE"))
        extras = ("TYPE_OF_DOCUMENT2", "DATE_OF_ISSUE", "CITY_OF_ISSUE", "NOTE")
        note = "; ".join(
            part for part in [label, *(text_of(node.find(tag)) for tag in extras)] if part
        )
        identifiers.append(
            Identifier(type=kind, value=number, country=to_country_code(issuer), note=note or None)
        )
    return identifiers


def _properties(record: ET.Element) -> dict[str, str]:
    properties = {
        "designation": "; ".join(_values(record, "DESIGNATION")),
        "title": "; ".join(_values(record, "TITLE")),
        "dataid": text_of(record.find("DATAID")) or "",
        "last_updated": max(_values(record, "LAST_DAY_UPDATED"), default=""),
    }
    return {key: value for key, value in properties.items() if value}


def _entry(record: ET.Element, kind: EntityKind, list_id: str, source: str) -> ListEntry:
    reference = text_of(record.find("REFERENCE_NUMBER"))
    name = " ".join(part for tag in _NAME_PARTS if (part := text_of(record.find(tag))))
    if not reference or not name:
        dataid = text_of(record.find("DATAID"))
        raise ListFormatError(
            "record without REFERENCE_NUMBER or name", source=source, position=f"DATAID {dataid}"
        )
    nationalities = unique(to_country_code(value) for value in _values(record, "NATIONALITY"))
    addresses = _addresses(record)
    program = text_of(record.find("UN_LIST_TYPE"))
    return ListEntry(
        id=make_entry_id(list_id, reference),
        list_id=list_id,
        source_id=reference,
        kind=kind,
        name=name,
        aliases=tuple(_aliases(record, name)),
        birth_dates=unique(_birth_dates(record)),
        places_of_birth=unique(_places_of_birth(record)),
        countries=unique([*nationalities, *(address.country for address in addresses)]),
        nationalities=nationalities,
        addresses=tuple(addresses),
        identifiers=tuple(_identifiers(record)),
        programs=(program,) if program else (),
        listed_date=parse_partial_date(text_of(record.find("LISTED_ON")) or ""),
        remarks=text_of(record.find("COMMENTS1")),
        gender=(text_of(record.find("GENDER")) or "").lower() or None,
        properties=_properties(record),
    )


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the individuals, then the entities, of a UN consolidated list file."""
    ids = IdRegistry(path.name)
    containers: list[ET.Element] = []
    root: ET.Element | None = None
    for event, element in iterparse_safely(path, events=("start", "end")):
        if event == "start":
            if root is None:
                root = element
                if element.tag != "CONSOLIDATED_LIST":
                    raise ListFormatError(
                        f"root is <{element.tag}>, not <CONSOLIDATED_LIST>", source=path.name
                    )
            elif element.tag in _CONTAINERS:
                containers.append(element)
            continue
        if element.tag not in _RECORDS or not containers:
            continue
        entry = _entry(element, _RECORDS[element.tag], list_id, path.name)
        ids.claim(entry.id, f"{element.tag} {entry.source_id}")
        containers[-1].remove(element)  # the record is done: free it
        yield entry
    if not len(ids):
        raise no_entries(path.name)
