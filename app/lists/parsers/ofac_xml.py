"""OFAC "Enhanced XML" (SDN_ENHANCED.XML, CONS_ENHANCED.XML).

The file opens with referenceValues (countries with ISO codes, list and program names...) and
then lists every entity. Both are read in one streaming pass: reference values arrive first and
are kept (a few hundred), each entity is converted when its end tag is read and then dropped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import ListFormatError
from app.lists.countries import to_country_code
from app.lists.models import EntityKind, ListEntry, make_entry_id
from app.lists.parsers.common import IdRegistry, iterparse_safely, no_entries, text_of, unique
from app.lists.parsers.ofac_xml_entity import EntityFacts, read_entity

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}


def _local(tag: str) -> str:
    """The tag without its "{namespace}" prefix: the namespace URL has changed over the years."""
    return tag.rsplit("}", 1)[-1]


def _strip_namespaces(element: ET.Element) -> None:
    for node in element.iter():
        node.tag = _local(node.tag)


def _country_codes(reference: ET.Element) -> tuple[str, str | None]:
    """(refId, ISO alpha-2) of a COUNTRY reference value; OFAC leaves some isoCodes empty."""
    iso = text_of(reference.find("isoCode"))
    code = to_country_code(iso) if iso else to_country_code(text_of(reference.find("value")))
    return reference.get("refId", ""), code


def _entry(
    facts: EntityFacts, entity_id: str, kind_text: str, list_id: str, source: str
) -> ListEntry:
    kind = _KINDS.get(kind_text.lower())
    if kind is None:
        raise ListFormatError(
            f"unknown entityType {kind_text!r}", source=source, position=f"entity {entity_id}"
        )
    if not facts.name:
        raise ListFormatError(
            "entity without a primary name", source=source, position=f"entity {entity_id}"
        )
    return ListEntry(
        id=make_entry_id(list_id, entity_id),
        list_id=list_id,
        source_id=entity_id,
        kind=kind,
        name=facts.name,
        aliases=tuple(dict.fromkeys(facts.aliases)),
        birth_dates=unique(facts.birth_dates),
        places_of_birth=unique(facts.places_of_birth),
        countries=unique(
            [*facts.nationalities, *facts.countries, *(a.country for a in facts.addresses)]
        ),
        nationalities=unique(facts.nationalities),
        addresses=tuple(facts.addresses),
        identifiers=tuple(dict.fromkeys(facts.identifiers)),
        programs=unique(facts.programs),
        legal_basis="; ".join(unique(facts.legal_authorities)) or None,
        listed_date=min(facts.listed_dates, default=None),
        remarks=facts.remarks,
        linked_to=unique(facts.linked_to),
        gender=facts.gender,
        properties=facts.properties,
    )


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the entities of an OFAC Enhanced XML file."""
    ids = IdRegistry(path.name)
    countries: dict[str, str | None] = {}
    parents: list[ET.Element] = []  # the <entities> element, to drop finished entities from
    root_seen = False
    for event, element in iterparse_safely(path, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if not root_seen and tag != "sanctionsData":
                raise ListFormatError(f"root is <{tag}>, not <sanctionsData>", source=path.name)
            root_seen = True
            if tag == "entities":
                parents.append(element)
            continue
        if tag == "referenceValue":
            _strip_namespaces(element)
            if text_of(element.find("type")) == "COUNTRY":
                ref_id, code = _country_codes(element)
                countries[ref_id] = code
        elif tag == "entity" and parents:
            entity_id = element.get("id") or ""
            _strip_namespaces(element)
            kind_text = text_of(element.find("generalInfo/entityType")) or ""
            facts = read_entity(element, countries)
            entry = _entry(facts, entity_id, kind_text, list_id, path.name)
            ids.claim(entry.id, f"entity {entity_id}")
            parents[-1].remove(element)
            yield entry
    if not len(ids):
        raise no_entries(path.name)
