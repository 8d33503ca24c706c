"""One FollowTheMoney "thing" (Person, Company, Vessel...) plus its linked records -> ListEntry."""

from __future__ import annotations

from dataclasses import dataclass, field

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
from app.lists.parsers.common import parse_partial_date, unique

Props = dict[str, list[str]]

KINDS: dict[str, EntityKind] = {
    "Person": EntityKind.PERSON,
    "LegalEntity": EntityKind.UNKNOWN,
    "Organization": EntityKind.ORGANIZATION,
    "Company": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}
# Identifier properties of things. Airplane.registrationNumber is the tail number.
_ID_PROPS: dict[str, IdentifierType] = {
    "idNumber": IdentifierType.NATIONAL_ID,
    "passportNumber": IdentifierType.PASSPORT,
    "registrationNumber": IdentifierType.REGISTRATION_NUMBER,
    "ogrnCode": IdentifierType.REGISTRATION_NUMBER,
    "innCode": IdentifierType.TAX_ID,
    "taxNumber": IdentifierType.TAX_ID,
    "vatCode": IdentifierType.TAX_ID,
    "leiCode": IdentifierType.LEI,
    "swiftBic": IdentifierType.BIC,
    "imoNumber": IdentifierType.IMO,
    "mmsi": IdentifierType.MMSI,
    "serialNumber": IdentifierType.AIRCRAFT_SERIAL,
}
_ALIAS_PROPS = (
    ("alias", AliasStrength.STRONG, "aka"),
    ("weakAlias", AliasStrength.WEAK, "aka"),
    ("previousName", AliasStrength.STRONG, "fka"),
)
_COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry", "flag")
# Plain-text facts kept as properties (FtM name -> our key).
_TEXT_PROPS = {
    "topics": "topics",
    "position": "position",
    "title": "title",
    "email": "email",
    "website": "website",
    "legalForm": "legal_form",
    "status": "status",
    "incorporationDate": "incorporation_date",
    "flag": "vessel_flag",
    "type": "type",
}


@dataclass(slots=True)
class Links:
    """Linked records of one thing, gathered in the first pass."""

    sanctions: list[Props] = field(default_factory=list)
    documents: list[tuple[str, Props]] = field(default_factory=list)  # (schema, props)
    linked_ids: list[str] = field(default_factory=list)


def _first(props: Props, key: str) -> str | None:
    values = props.get(key)
    return values[0] if values else None


def _has_other_script(name: str) -> bool:
    """True for names written outside Latin script (Cyrillic, Arabic, CJK...)."""
    return any(char.isalpha() and ord(char) > 0x24F for char in name)


def _names(caption: str, props: Props) -> tuple[str, list[Alias]]:
    names = unique(props.get("name", []))
    primary = caption if caption in names or not names else names[0]
    aliases = [
        Alias(name=name, kind="original_script" if _has_other_script(name) else "aka")
        for name in names
        if name != primary
    ]
    for prop, strength, kind in _ALIAS_PROPS:
        aliases.extend(
            Alias(name=name, strength=strength, kind=kind) for name in props.get(prop, [])
        )
    seen = {primary.casefold()}
    unique_aliases = []
    for alias in aliases:
        if alias.name.casefold() not in seen:
            seen.add(alias.name.casefold())
            unique_aliases.append(alias)
    return primary, unique_aliases


def _identifiers(schema: str, props: Props, links: Links) -> list[Identifier]:
    identifiers: list[Identifier] = []
    for prop, id_type in _ID_PROPS.items():
        if schema == "Airplane" and prop == "registrationNumber":
            id_type = IdentifierType.AIRCRAFT_TAIL
        identifiers.extend(
            Identifier(type=id_type, value=v, note=prop) for v in props.get(prop, [])
        )
    for doc_schema, doc in links.documents:
        number = _first(doc, "number") or _first(doc, "passportNumber")
        if not number:
            continue
        label = _first(doc, "type") or doc_schema
        is_passport = doc_schema == "Passport" or "passport" in label.lower()
        id_type = IdentifierType.PASSPORT if is_passport else IdentifierType.OTHER
        country = to_country_code(_first(doc, "country"))
        identifiers.append(Identifier(type=id_type, value=number, country=country, note=label))
    return list(dict.fromkeys(identifiers))


def _addresses(props: Props, address_records: dict[str, Props]) -> list[Address]:
    addresses = [Address(text=text) for text in props.get("address", [])]
    for address_id in props.get("addressEntity", []):
        record = address_records.get(address_id)
        if record is None:
            continue
        parts = [_first(record, key) for key in ("street", "postalCode", "city", "region")]
        text = _first(record, "full") or ", ".join(part for part in parts if part)
        if text:
            country = to_country_code(_first(record, "country"))
            addresses.append(Address(text=text, city=_first(record, "city"), country=country))
    # An Address entity usually repeats the thing's own `address` text: keep the richer one.
    richer = {address.text for address in addresses if address.country}
    return list(dict.fromkeys(a for a in addresses if a.country or a.text not in richer))


def _sanction_facts(props: Props, links: Links) -> tuple[list[str], dict[str, str], list[str]]:
    """(programs, properties, listing dates) from the thing and its Sanction records."""
    programs = list(props.get("programId", []))
    details: dict[str, list[str]] = {
        "authority": [],
        "sanction_reason": [],
        "sanction_provisions": [],
    }
    dates = []
    for sanction in links.sanctions:
        # Prefer the short programme code; the `program` text can be a paragraph long.
        programs += sanction.get("programId") or sanction.get("program", [])
        details["authority"] += sanction.get("authority", [])
        details["sanction_reason"] += sanction.get("reason", [])
        details["sanction_provisions"] += sanction.get("provisions", [])
        dates += [
            d
            for value in sanction.get("listingDate", []) + sanction.get("startDate", [])
            if (d := parse_partial_date(value[:10]))
        ]
    properties = {key: "; ".join(unique(values)) for key, values in details.items() if values}
    return list(unique(programs)), properties, dates


def to_entry(
    record: dict[str, object],
    list_id: str,
    links: Links,
    address_records: dict[str, Props],
    captions: dict[str, str],
) -> ListEntry:
    """The entry for one thing record (already validated: id, schema, caption, props)."""
    entity_id, schema = str(record["id"]), str(record["schema"])
    props: Props = record["properties"]  # type: ignore[assignment]
    name, aliases = _names(str(record.get("caption") or ""), props)
    programs, properties, listing_dates = _sanction_facts(props, links)
    for prop, key in _TEXT_PROPS.items():
        if values := props.get(prop):
            properties[key] = "; ".join(unique(values))
    properties["schema"] = schema
    if datasets := record.get("datasets"):
        properties["datasets"] = "; ".join(str(d) for d in datasets)  # type: ignore[attr-defined]
    nationalities = unique(
        to_country_code(v) for p in ("nationality", "citizenship") for v in props.get(p, [])
    )
    addresses = _addresses(props, address_records)
    countries = [to_country_code(v) for p in _COUNTRY_PROPS for v in props.get(p, [])]
    source_urls = props.get("sourceUrl", []) + [
        u for s in links.sanctions for u in s.get("sourceUrl", [])
    ]
    return ListEntry(
        id=make_entry_id(list_id, entity_id),
        list_id=list_id,
        source_id=entity_id,
        kind=KINDS[schema],
        name=name,
        aliases=tuple(aliases),
        birth_dates=unique(parse_partial_date(value[:10]) for value in props.get("birthDate", [])),
        places_of_birth=unique(props.get("birthPlace", [])),
        countries=unique([*nationalities, *countries, *(a.country for a in addresses)]),
        nationalities=nationalities,
        addresses=tuple(addresses),
        identifiers=tuple(_identifiers(schema, props, links)),
        programs=tuple(programs),
        listed_date=min(listing_dates, default=None),
        remarks="\n".join(unique(props.get("notes", []))) or None,
        source_url=source_urls[0] if source_urls else None,
        linked_to=unique(captions.get(linked) for linked in links.linked_ids),
        gender=_first(props, "gender"),
        properties=properties,
    )
