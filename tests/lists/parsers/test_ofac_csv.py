from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import AliasStrength, EntityKind, Identifier, IdentifierType, ListEntry
from app.lists.parsers import parse_list
from app.lists.parsers.ofac_csv import parse, split_programs


def by_source_id(folder: Path) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in parse(folder, list_id="ofac")}


def test_individual_with_remarks(fixtures: Path) -> None:
    entry = by_source_id(fixtures / "ofac_csv" / "sdn")["100"]
    assert entry.id == "ofac:100"
    assert entry.kind is EntityKind.PERSON
    assert entry.name == "AL-TEST, Hamad"  # kept as printed: the matcher reorders
    assert entry.programs == ("SDGT", "IFSR")
    assert entry.birth_dates == ("1970-05-12", "1968")
    assert entry.places_of_birth == ("Baghdad, Iraq",)
    assert entry.nationalities == ("IQ",)
    assert entry.gender == "male"
    assert entry.linked_to == ("TEST FORCE",)
    assert [(a.name, a.strength) for a in entry.aliases] == [("HAMMO", AliasStrength.WEAK)]
    assert (
        Identifier(
            type=IdentifierType.PASSPORT,
            value="A1234567",
            country="IQ",
            note="Passport expires 26 Jun 2026",
        )
        in entry.identifiers
    )
    assert {(i.type, i.value) for i in entry.identifiers} == {
        (IdentifierType.PASSPORT, "A1234567"),
        (IdentifierType.PASSPORT, "B7654321"),
        (IdentifierType.NATIONAL_ID, "00385065"),
    }
    assert entry.addresses[0].city == "Baghdad"
    assert entry.addresses[0].country == "IQ"


def test_entity_joins_aliases_addresses_and_comments(fixtures: Path) -> None:
    entry = by_source_id(fixtures / "ofac_csv" / "sdn")["200"]
    assert entry.kind is EntityKind.ORGANIZATION
    assert [(a.name, a.kind, a.strength) for a in entry.aliases] == [
        ("BANK OF TESTS", "aka", AliasStrength.STRONG),
        ("OLD TEST BANK", "fka", AliasStrength.STRONG),
    ]
    assert [a.country for a in entry.addresses] == ["IR", "AE"]
    assert entry.countries == ("IR", "AE")
    # sdn_comments.csv continues the cut-off remarks: "BETA " + "LTD."
    assert entry.linked_to == ("ALPHA LLC", "BETA LTD")
    assert entry.remarks is not None
    assert entry.remarks.endswith("BETA LTD.")
    types = {i.type: i.value for i in entry.identifiers}
    assert types[IdentifierType.BIC] == "TESTIRTH"
    assert types[IdentifierType.REGISTRATION_NUMBER] == "12345"
    assert types[IdentifierType.TAX_ID] == "999"
    assert entry.properties["website"] == "www.test.example"


def test_vessel_and_aircraft(fixtures: Path) -> None:
    entries = by_source_id(fixtures / "ofac_csv" / "sdn")
    vessel, aircraft = entries["300"], entries["400"]
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.countries == ("PA",)  # the flag
    assert vessel.properties["call_sign"] == "EPAB1"
    assert vessel.properties["vessel_owner"] == "NITC"
    assert aircraft.kind is EntityKind.AIRCRAFT
    assert {(i.type, i.value) for i in aircraft.identifiers} == {
        (IdentifierType.AIRCRAFT_SERIAL, "32412"),
        (IdentifierType.AIRCRAFT_TAIL, "YI-XYZ"),
    }


def test_side_rows_for_unknown_entries_are_ignored(fixtures: Path) -> None:
    entries = by_source_id(fixtures / "ofac_csv" / "sdn")
    assert sorted(entries) == ["100", "200", "300", "400"]


def test_consolidated_set_and_registry(fixtures: Path) -> None:
    entries = list(parse_list("ofac-csv", fixtures / "ofac_csv" / "cons", list_id="ofac_cons"))
    assert len(entries) == 1
    assert entries[0].programs == ("UKRAINE-EO13662", "RUSSIA-EO14024")
    assert entries[0].aliases[0].name == "CTC"
    assert entries[0].properties["ofac_set"] == "cons"


def test_accepts_the_primary_file_itself(fixtures: Path) -> None:
    assert len(list(parse(fixtures / "ofac_csv" / "sdn" / "sdn.csv", list_id="ofac"))) == 4


def test_split_programs() -> None:
    assert split_programs("SDGT] [IFSR") == ("SDGT", "IFSR")
    assert split_programs("CUBA") == ("CUBA",)
    assert split_programs(None) == ()


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("bad_quoting", "line 1"),
        ("bad_encoding", "not UTF-8"),
        ("wrong_columns", "line 2"),
        ("duplicate", "duplicate entry id"),
        ("bad_type", "unknown SDN_Type"),
        ("empty", "no entries"),
    ],
)
def test_malformed_input_raises_list_format_error(
    fixtures: Path, folder: str, message: str
) -> None:
    with pytest.raises(ListFormatError, match=message) as caught:
        list(parse(fixtures / "ofac_csv" / folder, list_id="ofac"))
    assert caught.value.source == "sdn.csv"


def test_folder_without_primary_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no sdn.csv"):
        list(parse(tmp_path, list_id="ofac"))


@pytest.mark.realdata
def test_real_sdn_2024(shared_data: Path) -> None:
    entries = by_source_id(shared_data / "ofac_sdn" / "2024-05-03_sdn_only")
    assert len(entries) == 14965
    assert Counter(e.kind for e in entries.values()) == {
        EntityKind.PERSON: 6854,
        EntityKind.ORGANIZATION: 6884,
        EntityKind.VESSEL: 851,
        EntityKind.AIRCRAFT: 376,
    }
    hamad = entries["47348"]
    assert hamad.name == "AL-MOUSSAWI, Hamad"
    assert hamad.programs == ("SDGT", "IFSR")
    assert hamad.birth_dates == ("1970-05-12",)
    assert {i.value for i in hamad.identifiers if i.type is IdentifierType.PASSPORT} == {
        "Al3624852",
        "All035307",
    }
    assert (
        Identifier(
            type=IdentifierType.NATIONAL_ID, value="00385065", country="IQ", note="National ID No."
        )
        in hamad.identifiers
    )
    assert hamad.linked_to == ("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE",)
    kataib = entries["11462"]
    assert kataib.programs == ("FTO", "SDGT", "IRAQ3")
    assert "ISLAMIC RESISTANCE IN IRAQ" in {
        a.name for a in kataib.aliases if a.strength is AliasStrength.WEAK
    }
    aircraft = entries["47169"]
    assert aircraft.name == "YI-BAF"
    assert aircraft.kind is EntityKind.AIRCRAFT
    assert any(
        i.type is IdentifierType.AIRCRAFT_TAIL and i.value == "YI-BAF" for i in aircraft.identifiers
    )


@pytest.mark.realdata
def test_real_sdn_2024_with_newer_side_files(shared_data: Path, tmp_path: Path) -> None:
    """The 2025-12 add/alt files cover entries added after May 2024: those rows are ignored."""
    (tmp_path / "sdn.csv").symlink_to(shared_data / "ofac_sdn" / "2024-05-03_sdn_only" / "sdn.csv")
    for name in ("add.csv", "alt.csv", "sdn_comments.csv"):
        (tmp_path / name).symlink_to(shared_data / "ofac_sdn" / "2025-12_add_alt_comments" / name)
    entries = by_source_id(tmp_path)
    assert len(entries) == 14965
    assert "KATA'IB HEZBOLLAH" in {a.name for a in entries["11462"].aliases}


@pytest.mark.realdata
def test_real_full_set_2021(shared_data: Path) -> None:
    entries = by_source_id(shared_data / "ofac_sdn" / "2021-07_full_set")
    assert len(entries) == 8976
    # every entry has add.csv rows, but 2,397 of them are all "-0-"
    assert sum(bool(e.addresses) for e in entries.values()) == 6579
    cuba_bank = entries["306"]
    assert cuba_bank.aliases[0].name == "NATIONAL BANK OF CUBA"
    assert cuba_bank.aliases[0].strength is AliasStrength.STRONG
    assert {a.country for a in cuba_bank.addresses} >= {"CH", "ES", "JP"}
    # 28263's remarks continue in sdn_comments.csv
    assert entries["28263"].linked_to == ("LAZARUS GROUP",)


@pytest.mark.realdata
def test_real_consolidated(shared_data: Path) -> None:
    entries = by_source_id(shared_data / "ofac_consolidated_nonsdn")
    assert len(entries) == 442
    assert Counter(e.kind for e in entries.values()) == {
        EntityKind.PERSON: 79,
        EntityKind.ORGANIZATION: 363,
    }
