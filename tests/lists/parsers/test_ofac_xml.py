from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import AliasStrength, EntityKind, IdentifierType, ListEntry
from app.lists.parsers.ofac_xml import parse


def by_id(path: Path) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in parse(path, list_id="ofac")}


def test_individual(fixtures: Path) -> None:
    entry = by_id(fixtures / "ofac_xml" / "small.xml")["1001"]
    assert entry.id == "ofac:1001"
    assert entry.kind is EntityKind.PERSON
    assert entry.name == "AL-TEST, Hamad"
    assert [(a.name, a.kind, a.strength) for a in entry.aliases] == [
        ("حمد التست", "original_script", AliasStrength.STRONG),
        ("ABU TEST", "aka", AliasStrength.WEAK),
        ("TEST, Hamad Old", "fka", AliasStrength.STRONG),
    ]
    assert entry.birth_dates == ("1968", "1969", "1970", "1972-05-12")
    assert entry.places_of_birth == ("Baghdad, Iraq",)
    # Kosovo has no isoCode in OFAC's reference values: the name is mapped instead
    assert entry.nationalities == ("XK",)
    assert entry.countries == ("XK", "IR")
    assert entry.gender == "male"
    assert entry.programs == ("SDGT", "IFSR")
    assert entry.legal_basis == "Executive Order 13224 (Terrorism)"
    assert entry.listed_date == "2014-10-10"
    assert entry.properties["sanctions_lists"] == "SDN List; Consolidated List"
    assert entry.properties["sanctions_types"] == "Block"
    assert entry.properties["website"] == "www.test.example"
    assert entry.linked_to == ("SEA STAR",)
    assert entry.remarks == "Test remark."
    (address,) = entry.addresses
    assert (address.text, address.city, address.country) == (
        "1 Test Street, Tehran, Iran",
        "Tehran",
        "IR",
    )
    (passport,) = entry.identifiers
    assert (passport.type, passport.value, passport.country) == (
        IdentifierType.PASSPORT,
        "A1234567",
        "IR",
    )


def test_vessel(fixtures: Path) -> None:
    vessel = by_id(fixtures / "ofac_xml" / "small.xml")["1002"]
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.countries == ("PA",)
    assert vessel.properties["vessel_flag"] == "Panama"
    assert {(i.type, i.value) for i in vessel.identifiers} == {
        (IdentifierType.IMO, "9187629"),
        (IdentifierType.MMSI, "352001234"),
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.xml", "malformed XML"),
        ("wrong_root.xml", "not <sanctionsData>"),
        ("no_entries.xml", "no entries"),
        ("duplicate.xml", "duplicate entry id 'ofac:1002'"),
        ("bad_type.xml", "unknown entityType 'Spaceship'"),
    ],
)
def test_malformed_input(fixtures: Path, name: str, message: str) -> None:
    with pytest.raises(ListFormatError, match=message) as caught:
        list(parse(fixtures / "ofac_xml" / name, list_id="ofac"))
    assert caught.value.source == name


@pytest.mark.realdata
def test_real_consolidated_enhanced_xml(shared_data: Path) -> None:
    entries = by_id(shared_data / "ofac_consolidated_nonsdn" / "CONS_ENHANCED.XML")
    assert len(entries) == 443
    assert Counter(e.kind for e in entries.values()) == {
        EntityKind.ORGANIZATION: 363,
        EntityKind.PERSON: 80,
    }
    haniya = entries["9639"]
    assert haniya.name == "HANIYA, Ismail Abdul Salah"
    assert haniya.programs == ("NS-PLC",)
    assert haniya.birth_dates == ("1962",)
    assert "Non-SDN Palestinian Legislative Council List" in haniya.properties["sanctions_lists"]
    vtb = entries["17013"]
    assert vtb.name == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert "БАНК ВТБ ПАО" in {a.name for a in vtb.aliases if a.kind == "original_script"}
    assert any(i.type is IdentifierType.BIC and i.value == "VTBRRUMM" for i in vtb.identifiers)
    assert "Sectoral Sanctions Identifications List" in vtb.properties["sanctions_lists"]
    assert (
        sum(1 for e in entries.values() for a in e.aliases if a.strength is AliasStrength.WEAK)
        == 70
    )
