from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import EntityKind, IdentifierType, ListEntry
from app.lists.parsers.us_csl import linked_names, parse, source_code


def by_source_id(path: Path) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in parse(path, list_id="csl")}


def test_sdn_individual(fixtures: Path) -> None:
    entry = by_source_id(fixtures / "us_csl" / "small.csv")["SDN-101"]
    assert entry.id == "csl:SDN-101"
    assert entry.kind is EntityKind.PERSON
    assert entry.name == "AL-TEST, Hamad"
    assert [a.name for a in entry.aliases] == ["AL TEST, Hamed", "ABU TEST"]
    assert entry.programs == ("SDN", "IFSR", "SDGT")
    assert entry.birth_dates == ("1970-05-12", "1968")
    assert entry.nationalities == ("IQ", "IR")
    assert entry.places_of_birth == ("Baghdad, Iraq",)
    assert entry.addresses[0].country == "IQ"
    assert entry.gender == "male"
    assert entry.legal_basis == "89 FR 1234"
    assert entry.listed_date == "2024-05-03"
    assert entry.source_url == "https://example.test/sdn"
    assert entry.linked_to == ("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE",)
    assert entry.properties["source_list"].startswith("Specially Designated Nationals")
    assert entry.properties["additional_sanctions_information"] == "Subject to Secondary Sanctions"
    (passport,) = entry.identifiers
    assert (passport.type, passport.value, passport.country) == (
        IdentifierType.PASSPORT,
        "A1234567",
        "IQ",
    )


def test_same_party_on_two_lists_gets_two_ids(fixtures: Path) -> None:
    entries = by_source_id(fixtures / "us_csl" / "small.csv")
    assert entries["SDN-202"].name == entries["SSI-202"].name
    assert entries["SSI-202"].programs == ("SSI", "UKRAINE-EO13662")
    assert {(i.type, i.value) for i in entries["SDN-202"].identifiers} == {
        (IdentifierType.BIC, "TESTRUMM"),
        (IdentifierType.REGISTRATION_NUMBER, "1027700000000"),
    }


def test_bis_row_without_type_and_vessel(fixtures: Path) -> None:
    entries = by_source_id(fixtures / "us_csl" / "small.csv")
    denied = entries["DPL-deadbeef"]
    assert denied.kind is EntityKind.UNKNOWN
    assert denied.addresses[0].country == "US"  # state + ZIP, no country printed
    assert denied.properties["end_date"] == "2056-06-29"
    vessel = entries["SDN-303"]
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.countries == ("KP",)
    assert vessel.properties["call_sign"] == "HMYU6"
    assert [(i.type, i.value) for i in vessel.identifiers] == [(IdentifierType.IMO, "8898831")]


def test_helpers() -> None:
    assert (
        source_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department")
        == "NS-MBS"
    )
    assert source_code("Entity List (EL) - Bureau of Industry and Security") == "EL"
    assert linked_names("(Linked To: A); (Linked To: B (X))") == ["A", "B (X)"]


@pytest.mark.parametrize(
    ("name", "message", "position"),
    [
        ("bad_quoting.csv", "malformed CSV", "line 2"),
        ("missing_column.csv", "missing header column.*alt_names", "line 1"),
        ("wrong_count.csv", "expected 29 fields, found 3", "line 3"),
        ("latin1.csv", "not UTF-8", "line 2"),
        ("bad_type.csv", "unknown type 'Spaceship'", "line 2"),
        ("empty.csv", "no entries", None),
        ("header_only.csv", "no entries", None),
    ],
)
def test_malformed_input(fixtures: Path, name: str, message: str, position: str | None) -> None:
    with pytest.raises(ListFormatError, match=message) as caught:
        list(parse(fixtures / "us_csl" / name, list_id="csl"))
    assert caught.value.source == name
    assert caught.value.position == position


@pytest.mark.realdata
def test_real_csl(shared_data: Path) -> None:
    entries = by_source_id(shared_data / "us_csl" / "consolidated.csv")
    assert len(entries) == 14160
    assert Counter(e.programs[0] for e in entries.values()) == {
        "SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163,
        "PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 53, "NS-MBS": 17, "FSE": 3,
    }  # fmt: skip
    # the same _id on SDN, SSI and CAP: three entries
    assert {"SDN-18725", "SSI-18725", "CAP-18725"} <= entries.keys()
    # the one _id CAP repeats within itself
    assert "CAP-15268-2" in entries
    makki = entries["SDN-26860"]
    assert makki.programs == ("SDN", "IFSR", "IRGC", "SDGT")
    assert makki.linked_to == ("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE",)
    assert makki.birth_dates == ("1957-10-10",)
    vessel = entries["SDN-23156"]
    assert vessel.kind is EntityKind.VESSEL
    assert any(i.type is IdentifierType.IMO and i.value == "8898831" for i in vessel.identifiers)
