from __future__ import annotations

from app.lists.models import IdentifierType
from app.matching.features import country_features, dob_features, identifier_feature, identifier_key
from app.matching.types import MatchQuery, QueryIdentifier
from tests.matching.conftest import make_entry

ENTRY = make_entry(
    "x",
    "Hamad",
    birth_dates=["1970-05-01"],
    countries=["IQ"],
    identifiers=[(IdentifierType.BIC, "MELIIRTH"), (IdentifierType.PASSPORT, "K-1234 567")],
)


def test_identifier_key_ignores_punctuation_and_imo_prefix() -> None:
    assert identifier_key("ab-12 345") == "AB12345"
    assert identifier_key("IMO 9187629") == "9187629"


def test_bic_on_8_and_11_characters() -> None:
    full = identifier_feature(
        MatchQuery("", identifiers=(QueryIdentifier(IdentifierType.BIC, "MELIIRTHXXX"),)),
        ENTRY,
        None,
    )
    branch = identifier_feature(
        MatchQuery("", identifiers=(QueryIdentifier(IdentifierType.BIC, "MELIIRTH123"),)),
        ENTRY,
        None,
    )
    assert full is not None
    assert full.score == 1.0
    assert branch is not None
    assert 0.9 <= branch.score < 1.0


def test_year_only_dob_compares_on_year() -> None:
    (same,) = dob_features(MatchQuery("Hamad", birth_date="1970"), ENTRY, None)
    (other,) = dob_features(MatchQuery("Hamad", birth_date="1971-05-01"), ENTRY, None)
    assert same.name == "dob_year_match"
    assert same.contribution > 0
    assert other.name == "dob_mismatch"
    assert other.contribution < 0
    assert "1970-05-01" in other.detail


def test_country_match_and_mismatch() -> None:
    (match,) = country_features(MatchQuery("Hamad", countries=("iq",)), ENTRY, None)
    (mismatch,) = country_features(MatchQuery("Hamad", countries=("FR",)), ENTRY, None)
    assert match.contribution > 0 > mismatch.contribution
    assert not country_features(MatchQuery("Hamad"), ENTRY, None)
