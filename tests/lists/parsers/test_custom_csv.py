from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import EntityKind, Identifier, IdentifierType
from app.lists.parsers import parse_list
from app.lists.parsers.custom_csv import parse


@pytest.mark.parametrize("name", ["good.csv", "good_bom.csv"])
def test_good_file_with_or_without_bom(fixtures: Path, name: str) -> None:
    entries = list(parse_list("csv", fixtures / "custom_csv" / name, list_id="bank"))
    assert [e.id for e in entries] == ["bank:C-001", "bank:C-002", "bank:C-003", "bank:C-004"]
    person, company, vessel, unknown = entries
    assert person.kind is EntityKind.PERSON
    assert person.name == "AL-TEST, Hamad"
    assert [a.name for a in person.aliases] == ["Hamad Al Test", "Abu Test"]
    assert person.countries == ("IQ", "IR")
    assert person.birth_dates == ("1970-05-12", "1968")
    assert person.identifiers == (
        Identifier(type=IdentifierType.PASSPORT, value="A1234567"),
        Identifier(type=IdentifierType.NATIONAL_ID, value="00385065"),
    )
    assert person.remarks == "Internal hit, 2024"
    assert company.kind is EntityKind.ORGANIZATION
    assert company.remarks == "Multi-line\nnote"
    assert {i.type for i in company.identifiers} == {
        IdentifierType.BIC,
        IdentifierType.REGISTRATION_NUMBER,
    }
    assert vessel.identifiers == (Identifier(type=IdentifierType.IMO, value="9187629"),)
    assert unknown.kind is EntityKind.UNKNOWN


def test_optional_columns_may_be_left_out(fixtures: Path) -> None:
    (entry,) = parse(fixtures / "custom_csv" / "minimal_columns.csv", list_id="bank")
    assert (entry.id, entry.name, entry.kind) == ("bank:X-1", "Jane Example", EntityKind.UNKNOWN)


@pytest.mark.parametrize(
    ("name", "message", "position"),
    [
        ("missing_column.csv", "missing header column.*name", "line 1"),
        ("unknown_column.csv", "unknown header column.*alias", "line 1"),
        ("empty_id.csv", "empty id", "line 3"),
        ("empty_name.csv", "empty name for id 'C-1'", "line 2"),
        ("duplicate_id.csv", r"duplicate id 'C-1' \(first on line 2\)", "line 4"),
        ("bad_kind.csv", "bad kind 'human'", "line 2"),
        ("unknown_identifier.csv", "unknown identifier type 'ssn'", "line 2"),
        ("bad_identifier.csv", "expected type:value", "line 2"),
        ("bad_date.csv", "bad date '12/05/1970'", "line 2"),
        ("impossible_date.csv", "bad date '1970-02-30'", "line 2"),
        ("bad_country.csv", "unknown country 'Atlantis'", "line 2"),
        ("wrong_column_count.csv", "expected 8 fields, found 3", "line 3"),
        ("bad_quoting.csv", "malformed CSV", "line 2"),
        ("unterminated_quote.csv", "malformed CSV", "line 2"),
        ("latin1.csv", "not UTF-8", "line 3"),
        ("empty.csv", "no entries", None),
        ("header_only.csv", "no entries", None),
    ],
)
def test_malformed_input_is_refused_with_its_line(
    fixtures: Path, name: str, message: str, position: str | None
) -> None:
    with pytest.raises(ListFormatError, match=message) as caught:
        list(parse(fixtures / "custom_csv" / name, list_id="bank"))
    assert caught.value.source == name
    assert caught.value.position == position
