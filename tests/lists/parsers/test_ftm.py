from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import AliasStrength, EntityKind, IdentifierType, ListEntry
from app.lists.parsers.ftm import parse
from app.lists.parsers.ftm_entity import KINDS


def by_source_id(path: Path) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in parse(path, list_id="os")}


def test_only_things_become_entries(fixtures: Path) -> None:
    entries = by_source_id(fixtures / "ftm" / "small.ftm.json")
    assert list(entries) == ["co-1", "p-1", "v-1", "a-1"]


def test_company_joins_sanction_address_and_owner(fixtures: Path) -> None:
    company = by_source_id(fixtures / "ftm" / "small.ftm.json")["co-1"]
    assert company.id == "os:co-1"
    assert company.kind is EntityKind.ORGANIZATION
    assert company.name == "Test Drones LLC"
    assert [(a.name, a.kind, a.strength) for a in company.aliases] == [
        ("ООО Тест Дроны", "original_script", AliasStrength.STRONG),
        ("TD", "aka", AliasStrength.STRONG),
        ("Drones", "aka", AliasStrength.WEAK),
        ("Old Test Drones", "fka", AliasStrength.STRONG),
    ]
    assert company.programs == ("EU-UKR",)
    assert company.listed_date == "2022-06-03"
    assert company.source_url == "https://example.test/eu"
    assert company.properties["authority"] == "Council of the EU"
    assert company.properties["sanction_reason"] == "Drone maker"
    assert company.linked_to == ("Ivan Testov",)  # the owner, named although listed later
    assert company.addresses[0].text == "1 Test St, Moscow"
    assert company.addresses[0].country == "RU"
    assert company.countries == ("RU",)
    assert company.remarks == "Makes drones."
    assert {(i.type, i.value) for i in company.identifiers} == {
        (IdentifierType.REGISTRATION_NUMBER, "1027700000001"),
        (IdentifierType.TAX_ID, "7700000001"),
        (IdentifierType.LEI, "253400TEST00000000"),
        (IdentifierType.BIC, "TESTRUMM"),
    }


def test_person_with_passport_record(fixtures: Path) -> None:
    person = by_source_id(fixtures / "ftm" / "small.ftm.json")["p-1"]
    assert person.kind is EntityKind.PERSON
    assert person.birth_dates == ("1970-05-12", "1971")
    assert person.places_of_birth == ("Izhevsk",)
    assert person.nationalities == ("RU", "UA")  # "ua-cri" is Crimea
    assert person.gender == "male"
    assert person.programs == ("US-RUSHAR",)
    assert person.linked_to == ("Test Drones LLC",)  # the relative is not in the file
    assert {(i.type, i.value, i.country) for i in person.identifiers} == {
        (IdentifierType.NATIONAL_ID, "183100000001", None),
        (IdentifierType.PASSPORT, "750000001", "RU"),
    }


def test_vessel_and_airplane(fixtures: Path) -> None:
    entries = by_source_id(fixtures / "ftm" / "small.ftm.json")
    vessel, airplane = entries["v-1"], entries["a-1"]
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.countries == ("PA",)
    assert {(i.type, i.value) for i in vessel.identifiers} == {
        (IdentifierType.IMO, "9187629"),
        (IdentifierType.MMSI, "352001234"),
    }
    assert airplane.kind is EntityKind.AIRCRAFT
    assert {(i.type, i.value) for i in airplane.identifiers} == {
        (IdentifierType.AIRCRAFT_TAIL, "RA-12345"),
        (IdentifierType.AIRCRAFT_SERIAL, "32412"),
    }


@pytest.mark.parametrize(
    ("name", "message", "position"),
    [
        ("invalid_json.ftm.json", "invalid JSON", "line 3"),
        ("no_schema.ftm.json", "not a FollowTheMoney entity", "line 1"),
        ("bad_properties.ftm.json", "lists of strings", "line 1"),
        ("not_object.ftm.json", "not a JSON object", "line 1"),
        ("latin1.ftm.json", "not UTF-8", "line 1"),
        ("links_only.ftm.json", "no entries", None),
        ("empty.ftm.json", "no entries", None),
        ("duplicate.ftm.json", "duplicate entry id 'os:v-1'", "entity v-1"),
    ],
)
def test_malformed_input(fixtures: Path, name: str, message: str, position: str | None) -> None:
    with pytest.raises(ListFormatError, match=message) as caught:
        list(parse(fixtures / "ftm" / name, list_id="os"))
    assert caught.value.source == name
    assert caught.value.position == position


def count_things(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip() and json.loads(line)["schema"] in KINDS)


@pytest.mark.realdata
def test_real_zala_fixture(shared_data: Path) -> None:
    path = shared_data / "opensanctions_ftm" / "yente_fixture_zala" / "entities.ftm.json"
    entries = by_source_id(path)
    assert len(entries) == count_things(path) == 17  # 11 Company + 6 Person of 91 records
    assert Counter(e.kind for e in entries.values()) == {
        EntityKind.ORGANIZATION: 11,
        EntityKind.PERSON: 6,
    }
    maria = entries["NK-2Tbri3s6GgNtAwsSXh4qpL"]
    assert maria.birth_dates == ("1988-01-07",)
    assert maria.nationalities == ("RU",)
    assert "Мария Александровна Осетрова" in {
        a.name for a in maria.aliases if a.kind == "original_script"
    }
    assert "Alexander Vyacheslavovich ZAKHAROV" in maria.linked_to
    assert "GB-RUS" in maria.programs


@pytest.mark.realdata
def test_real_t1_fixture(shared_data: Path) -> None:
    path = shared_data / "opensanctions_ftm" / "yente_fixture_t1" / "entities.ftm.json"
    entries = by_source_id(path)
    assert len(entries) == count_things(path) == 6  # 4 Person + 2 Organization; 1 Address
    assert entries["NK-2Ka3UvopqbpZmVDFjWd4LA"].name == "Vitaly Yurievich KUZMENKO"


@pytest.mark.realdata
def test_senzing_json_is_not_ftm(shared_data: Path) -> None:
    path = shared_data / "opensanctions_ftm" / "watchman_us_congress_senzing.json"
    with pytest.raises(ListFormatError, match="not a FollowTheMoney entity") as caught:
        list(parse(path, list_id="os"))
    assert caught.value.position == "line 1"
