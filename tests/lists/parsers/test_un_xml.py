from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import AliasStrength, EntityKind, IdentifierType, ListEntry
from app.lists.parsers.un_xml import parse


def by_id(path: Path) -> dict[str, ListEntry]:
    return {entry.id: entry for entry in parse(path, list_id="un")}


def test_individual(fixtures: Path) -> None:
    entry = by_id(fixtures / "un" / "small.xml")["un:IQi.901"]
    assert entry.kind is EntityKind.PERSON
    assert entry.name == "TARIQ TEST AL-EXAMPLE"
    assert [(a.name, a.kind, a.strength) for a in entry.aliases] == [
        ("طارق تست", "original_script", AliasStrength.STRONG),
        ("Tariq Mikhail Test", "aka", AliasStrength.STRONG),
        ("Abu Test", "aka", AliasStrength.WEAK),
    ]
    assert entry.birth_dates == ("1936-07-01", "1940", "1941", "1942")
    assert entry.places_of_birth == ("Mosul, Iraq",)
    assert entry.nationalities == ("IQ",)
    assert entry.countries == ("IQ", "JO")
    assert entry.addresses[0].city == "Amman"
    assert entry.programs == ("Iraq",)
    assert entry.listed_date == "2003-06-27"
    assert entry.gender == "male"
    assert entry.remarks == "Former official."
    assert entry.properties["designation"] == "Deputy Minister"
    (passport,) = entry.identifiers
    assert (passport.type, passport.value, passport.country) == (
        IdentifierType.PASSPORT,
        "No34409/129",
        "IQ",
    )


def test_year_only_and_entity(fixtures: Path) -> None:
    entries = by_id(fixtures / "un" / "small.xml")
    assert list(entries) == ["un:IQi.901", "un:KPi.901", "un:CDe.901"]
    assert entries["un:KPi.901"].birth_dates == ("1970",)
    assert entries["un:KPi.901"].nationalities == ("KP",)
    entity = entries["un:CDe.901"]
    assert entity.kind is EntityKind.ORGANIZATION
    assert [(a.name, a.kind) for a in entity.aliases] == [
        ("Mouvement du test", "aka"),
        ("Old Test Movement", "fka"),
    ]
    assert entity.addresses[0].country == "CD"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.xml", "malformed XML"),
        ("empty.xml", "malformed XML"),
        ("latin1.xml", "malformed XML"),
        ("no_entries.xml", "no entries"),
        ("wrong_root.xml", "not <CONSOLIDATED_LIST>"),
        ("duplicate.xml", "duplicate entry id 'un:CDe.901'"),
    ],
)
def test_malformed_input(fixtures: Path, name: str, message: str) -> None:
    with pytest.raises(ListFormatError, match=message) as caught:
        list(parse(fixtures / "un" / name, list_id="un"))
    assert caught.value.source == name


def test_truncated_file_names_the_line(fixtures: Path) -> None:
    with pytest.raises(ListFormatError) as caught:
        list(parse(fixtures / "un" / "truncated.xml", list_id="un"))
    assert caught.value.position is not None
    assert caught.value.position.startswith("line ")


@pytest.mark.realdata
def test_real_un_list(shared_data: Path) -> None:
    entries = by_id(shared_data / "un" / "UN_consolidated.xml")
    assert len(entries) == 1003
    kinds = Counter(entry.kind for entry in entries.values())
    assert kinds == {EntityKind.PERSON: 730, EntityKind.ORGANIZATION: 273}
    tariq = entries["un:IQi.025"]
    assert tariq.name == "TARIQ AZIZ"
    assert ("طارق عزيز", "original_script") in {(a.name, a.kind) for a in tariq.aliases}
    assert tariq.birth_dates == ("1936-07-01",)
    assert tariq.nationalities == ("IQ",)
    assert tariq.identifiers[0].value == "No34409/129"
    zidane = entries["un:QDi.001"]
    assert zidane.programs == ("Al-Qaida",)
    assert {a.name for a in zidane.aliases if a.strength is AliasStrength.WEAK} >= {"Seif al Adel"}
    assert sum(1 for e in entries.values() for a in e.aliases if a.kind == "original_script") == 378
