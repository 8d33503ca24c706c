from __future__ import annotations

from app.lists.models import AliasStrength, Identifier, IdentifierType
from app.lists.parsers.ofac_remarks import parse_identifier, parse_remarks


def test_person_remarks() -> None:
    facts = parse_remarks(
        "DOB 12 May 1970; alt. DOB 1968 to 1969; POB Baghdad, Iraq; nationality Iraq; "
        "citizen Iran; Gender Male; Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE."
    )
    assert facts.birth_dates == ["1970-05-12", "1968", "1969"]
    assert facts.places_of_birth == ["Baghdad, Iraq"]
    assert facts.nationalities == ["IQ", "IR"]
    assert facts.gender == "male"
    assert facts.linked_to == ["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"]


def test_weak_aliases_in_remarks() -> None:
    facts = parse_remarks("a.k.a. 'KATA'IB HIZBALLAH FI AL-IRAQ'; f.k.a. 'OLD NAME'.")
    assert [(a.name, a.kind, a.strength) for a in facts.aliases] == [
        ("KATA'IB HIZBALLAH FI AL-IRAQ", "aka", AliasStrength.WEAK),
        ("OLD NAME", "fka", AliasStrength.WEAK),
    ]


def test_identifiers() -> None:
    assert parse_identifier("Passport Al3624852 (Iraq) expires 26 Jun 2026") == Identifier(
        type=IdentifierType.PASSPORT,
        value="Al3624852",
        country="IQ",
        note="Passport expires 26 Jun 2026",
    )
    assert parse_identifier("Cedula No. 71987498 (Colombia)") == Identifier(
        type=IdentifierType.NATIONAL_ID, value="71987498", country="CO", note="Cedula No."
    )
    cases = {
        "Vessel Registration Identification IMO 9187629": (IdentifierType.IMO, "9187629"),
        "Identification Number IMO 5993126": (IdentifierType.IMO, "5993126"),
        "MMSI 518998562": (IdentifierType.MMSI, "518998562"),
        "SWIFT/BIC BHDAIQBA": (IdentifierType.BIC, "BHDAIQBA"),
        "Aircraft Tail Number YI-BAF": (IdentifierType.AIRCRAFT_TAIL, "YI-BAF"),
        "Aircraft Manufacturer's Serial Number (MSN) 32412": (IdentifierType.AIRCRAFT_SERIAL, "32412"),
        "Business Registration Number 100000108000042 (China)": (IdentifierType.REGISTRATION_NUMBER, "100000108000042"),
        "Tax ID No. 7708503727 (Russia)": (IdentifierType.TAX_ID, "7708503727"),
        "Legal Entity Number 253400XX5U3XALBF5728 (Russia)": (IdentifierType.LEI, "253400XX5U3XALBF5728"),
    }  # fmt: skip
    for clause, (id_type, value) in cases.items():
        identifier = parse_identifier(clause)
        assert identifier is not None, clause
        assert (identifier.type, identifier.value) == (id_type, value)
    # the last parenthesis naming a country is the issuer
    registration = parse_identifier("Registration Number HRA 736338 (Stuttgart) (Germany)")
    assert registration is not None
    assert (registration.value, registration.country) == ("HRA 736338", "DE")


def test_website_and_email_are_properties() -> None:
    facts = parse_remarks(
        "Website www.aleseb.com; Email Address info@example.test; alt. Email Address x@y.test"
    )
    assert facts.properties == {"website": "www.aleseb.com", "email": "info@example.test; x@y.test"}
    assert facts.identifiers == []
