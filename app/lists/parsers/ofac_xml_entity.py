"""One OFAC Enhanced XML <entity> (namespaces already stripped) read into model terms."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from app.lists.countries import to_country_code
from app.lists.models import Address, Alias, AliasStrength, Identifier, IdentifierType
from app.lists.parsers.common import parse_dates, parse_partial_date, text_of
from app.lists.parsers.ofac_remarks import identifier_type_for

_ALIAS_KINDS = {"A.K.A.": "aka", "F.K.A.": "fka", "N.K.A.": "nka"}
_NATIONALITY_FEATURES = {"Nationality Country", "Citizenship Country"}
# Features that link the entity to a country without being a nationality.
_COUNTRY_FEATURES = {"Nationality of Registration", "Vessel Flag", "Location"}
_ADDRESS_PARTS = (
    "ADDRESS1",
    "ADDRESS2",
    "ADDRESS3",
    "CITY",
    "STATE/PROVINCE",
    "POSTAL CODE",
    "REGION",
)
_PROPERTY_KEY = re.compile(r"[^a-z0-9]+")

CountryTable = dict[str, str | None]  # COUNTRY reference refId -> ISO alpha-2


@dataclass(slots=True)
class EntityFacts:
    name: str | None = None
    aliases: list[Alias] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str | None] = field(default_factory=list)
    countries: list[str | None] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str | None] = field(default_factory=list)
    legal_authorities: list[str | None] = field(default_factory=list)
    listed_dates: list[str] = field(default_factory=list)
    linked_to: list[str | None] = field(default_factory=list)
    gender: str | None = None
    remarks: str | None = None
    properties: dict[str, str] = field(default_factory=dict)


def _country(
    node: ET.Element | None, countries: CountryTable, ref_attr: str = "refId"
) -> str | None:
    if node is None:
        return None
    ref_id = node.get(ref_attr)
    if ref_id and ref_id in countries:
        return countries[ref_id]
    return to_country_code(text_of(node))


def _add_property(facts: EntityFacts, label: str, value: str) -> None:
    key = _PROPERTY_KEY.sub("_", label.lower()).strip("_")
    old = facts.properties.get(key)
    facts.properties[key] = f"{old}; {value}" if old and value not in old.split("; ") else value


def _read_names(entity: ET.Element, facts: EntityFacts) -> None:
    for name in entity.findall("names/name"):
        primary = text_of(name.find("isPrimary")) == "true"
        weak = text_of(name.find("isLowQuality")) == "true"
        kind = _ALIAS_KINDS.get(text_of(name.find("aliasType")) or "", "aka")
        for translation in name.findall("translations/translation"):
            full = text_of(translation.find("formattedFullName"))
            if not full:
                continue
            latin = text_of(translation.find("isPrimary")) == "true"
            if primary and latin and facts.name is None:
                facts.name = full
            elif not latin:  # Cyrillic, Arabic, Chinese... renderings of the same name
                facts.aliases.append(Alias(name=full, kind="original_script"))
            else:
                strength = AliasStrength.WEAK if weak else AliasStrength.STRONG
                facts.aliases.append(Alias(name=full, strength=strength, kind=kind))


def _birth_dates(feature: ET.Element) -> list[str]:
    value_date = feature.find("valueDate")
    if value_date is not None and text_of(value_date.find("isDateRange")) == "true":
        start = text_of(value_date.find("fromDateBegin")) or ""
        end = text_of(value_date.find("toDateEnd")) or ""
        return parse_dates(f"{start[:4]} to {end[:4]}")
    dates = parse_dates(text_of(feature.find("value")) or "")
    if not dates and value_date is not None:
        begin = parse_partial_date(text_of(value_date.find("fromDateBegin")) or "")
        dates = [begin] if begin else []
    return dates


def _read_feature(feature: ET.Element, facts: EntityFacts, countries: CountryTable) -> None:
    label = text_of(feature.find("type")) or ""
    value = text_of(feature.find("value")) or ""
    value_node = feature.find("valueRefId")
    ref_id = text_of(value_node)
    country = countries.get(ref_id) if ref_id else None
    if label == "Birthdate":
        facts.birth_dates.extend(_birth_dates(feature))
    elif label == "Place of Birth":
        facts.places_of_birth.append(value)
    elif label in _NATIONALITY_FEATURES:
        facts.nationalities.append(country or to_country_code(value))
    elif label in _COUNTRY_FEATURES:
        facts.countries.append(country or to_country_code(value))
        _add_property(facts, label, value)
    elif label == "Gender":
        facts.gender = value.lower() or None
    elif (id_type := identifier_type_for(label)) is not None:
        facts.identifiers.append(_identifier(id_type, label, value, None))
    elif value:
        _add_property(facts, label, value)


def _identifier(
    id_type: IdentifierType, label: str, number: str, country: str | None
) -> Identifier:
    if id_type is IdentifierType.IMO:
        number = number.removeprefix("IMO").strip()
    return Identifier(type=id_type, value=number, country=country, note=label)


def _read_documents(entity: ET.Element, facts: EntityFacts, countries: CountryTable) -> None:
    for document in entity.findall("identityDocuments/identityDocument"):
        label = text_of(document.find("type")) or ""
        number = text_of(document.find("documentNumber"))
        if not number:
            continue
        id_type = identifier_type_for(label) or IdentifierType.OTHER
        country = _country(document.find("issuingCountry"), countries)
        facts.identifiers.append(_identifier(id_type, label, number, country))


def _read_addresses(entity: ET.Element, facts: EntityFacts, countries: CountryTable) -> None:
    for address in entity.findall("addresses/address"):
        parts: dict[str, str] = {}
        for translation in address.findall("translations/translation"):
            if text_of(translation.find("isPrimary")) != "true":
                continue
            for part in translation.findall("addressParts/addressPart"):
                part_type, value = text_of(part.find("type")), text_of(part.find("value"))
                if part_type and value:
                    parts[part_type] = value
        country_node = address.find("country")
        country_name = text_of(country_node)
        text = ", ".join(
            [*(parts[key] for key in _ADDRESS_PARTS if key in parts), *filter(None, [country_name])]
        )
        if text:
            country = _country(country_node, countries)
            facts.addresses.append(Address(text=text, city=parts.get("CITY"), country=country))


def _read_listing(entity: ET.Element, facts: EntityFacts) -> None:
    lists = entity.findall("sanctionsLists/sanctionsList")
    facts.listed_dates.extend(date for node in lists if (date := node.get("datePublished")))
    list_names = [name for node in lists if (name := text_of(node))]
    if list_names:
        facts.properties["sanctions_lists"] = "; ".join(list_names)
    facts.programs.extend(
        text_of(node) for node in entity.findall("sanctionsPrograms/sanctionsProgram")
    )
    facts.legal_authorities.extend(
        text_of(node) for node in entity.findall("legalAuthorities/legalAuthority")
    )
    types = [
        name for node in entity.findall("sanctionsTypes/sanctionsType") if (name := text_of(node))
    ]
    if types:
        facts.properties["sanctions_types"] = "; ".join(types)
    facts.linked_to.extend(
        text_of(node) for node in entity.findall("relationships/relationship/relatedEntity")
    )
    facts.remarks = text_of(entity.find("generalInfo/remarks"))


def read_entity(entity: ET.Element, countries: CountryTable) -> EntityFacts:
    """Everything the model holds about one entity."""
    facts = EntityFacts()
    _read_names(entity, facts)
    for feature in entity.findall("features/feature"):
        _read_feature(feature, facts, countries)
    _read_documents(entity, facts, countries)
    _read_addresses(entity, facts, countries)
    _read_listing(entity, facts)
    return facts
