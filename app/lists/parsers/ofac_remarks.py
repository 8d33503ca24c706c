"""Facts hidden in the OFAC legacy-CSV Remarks field.

OFAC's legacy CSV has no columns for dates of birth, documents or links: they are printed in the
Remarks field as "; "-separated clauses ("DOB 12 May 1970; POB Baghdad, Iraq; Passport A1 (Iraq)
expires 26 Jun 2026; Linked To: X."). Weak ("low quality") aliases appear there too, quoted
("a.k.a. 'BNC'"), while strong aliases live in alt.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.lists.countries import to_country_code
from app.lists.models import Alias, AliasStrength, Identifier, IdentifierType
from app.lists.parsers.common import parse_dates

# Clause label -> identifier type. The longest matching label wins ("Identification Number IMO"
# before "Identification Number"). Labels not listed stay in the remarks text only.
_ID_LABELS: dict[str, IdentifierType] = {
    "Passport": IdentifierType.PASSPORT,
    "Diplomatic Passport": IdentifierType.PASSPORT,
    "National ID No.": IdentifierType.NATIONAL_ID,
    "National Foreign ID Number": IdentifierType.NATIONAL_ID,
    "Identification Number": IdentifierType.NATIONAL_ID,
    "Personal ID Card": IdentifierType.NATIONAL_ID,
    "Turkish Identification Number": IdentifierType.NATIONAL_ID,
    "Cedula No.": IdentifierType.NATIONAL_ID,
    "C.U.R.P.": IdentifierType.NATIONAL_ID,
    "D.N.I.": IdentifierType.NATIONAL_ID,
    "SSN": IdentifierType.NATIONAL_ID,
    "Tax ID No.": IdentifierType.TAX_ID,
    "R.F.C.": IdentifierType.TAX_ID,
    "RFC": IdentifierType.TAX_ID,
    "NIT #": IdentifierType.TAX_ID,
    "RIF #": IdentifierType.TAX_ID,
    "RUC #": IdentifierType.TAX_ID,
    "V.A.T. Number": IdentifierType.TAX_ID,
    "US FEIN": IdentifierType.TAX_ID,
    "Italian Fiscal Code": IdentifierType.TAX_ID,
    "Registration Number": IdentifierType.REGISTRATION_NUMBER,
    "Registration ID": IdentifierType.REGISTRATION_NUMBER,
    "Business Registration Number": IdentifierType.REGISTRATION_NUMBER,
    "Business Registration Document #": IdentifierType.REGISTRATION_NUMBER,
    "Business Number": IdentifierType.REGISTRATION_NUMBER,
    "Company Number": IdentifierType.REGISTRATION_NUMBER,
    "UK Company Number": IdentifierType.REGISTRATION_NUMBER,
    "Commercial Registry Number": IdentifierType.REGISTRATION_NUMBER,
    "Public Registration Number": IdentifierType.REGISTRATION_NUMBER,
    "Government Gazette Number": IdentifierType.REGISTRATION_NUMBER,
    "Unified Social Credit Code (USCC)": IdentifierType.REGISTRATION_NUMBER,
    "Enterprise Number": IdentifierType.REGISTRATION_NUMBER,
    "Chamber of Commerce Number": IdentifierType.REGISTRATION_NUMBER,
    "Trade License No.": IdentifierType.REGISTRATION_NUMBER,
    "Certificate of Incorporation Number": IdentifierType.REGISTRATION_NUMBER,
    "Central Registration System Number": IdentifierType.REGISTRATION_NUMBER,
    "Economic Register Number (CBLS)": IdentifierType.REGISTRATION_NUMBER,
    "C.R. No.": IdentifierType.REGISTRATION_NUMBER,
    "Folio Mercantil No.": IdentifierType.REGISTRATION_NUMBER,
    "D-U-N-S Number": IdentifierType.REGISTRATION_NUMBER,
    "Legal Entity Number": IdentifierType.LEI,
    "SWIFT/BIC": IdentifierType.BIC,
    "Vessel Registration Identification IMO": IdentifierType.IMO,
    "Identification Number IMO": IdentifierType.IMO,
    "MMSI": IdentifierType.MMSI,
    "Aircraft Tail Number": IdentifierType.AIRCRAFT_TAIL,
    "Aircraft Manufacturer's Serial Number (MSN)": IdentifierType.AIRCRAFT_SERIAL,
    "Vessel Registration Identification": IdentifierType.IMO,  # Enhanced XML: "IMO 1234567"
    "BIK (RU)": IdentifierType.OTHER,
    "ISIN": IdentifierType.OTHER,
    "Driver's License No.": IdentifierType.OTHER,
}
_LABELS_LONGEST_FIRST = sorted(_ID_LABELS, key=len, reverse=True)

# Remark clauses kept as entry properties (label -> property name); repeated values are joined.
_PROPERTY_LABELS: dict[str, str] = {
    "Website": "website",
    "Email Address": "email",
    "Organization Established Date": "established",
    "Organization Type:": "organization_type",
    "Vessel Year of Build": "vessel_year_of_build",
    "Aircraft Model": "aircraft_model",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Manufacture Date": "aircraft_manufacture_date",
    "Title:": "title",
}

_QUOTED_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'\.?$")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


@dataclass(slots=True)
class RemarkFacts:
    """What one Remarks field states, in model terms."""

    birth_dates: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


def split_clauses(remarks: str) -> list[str]:
    """The "; "-separated clauses, without the "alt." prefix and the final full stop."""
    clauses = []
    for raw in remarks.split(";"):
        clause = raw.strip()
        if clause.lower().startswith("alt. "):
            clause = clause[5:].strip()
        if clause:
            clauses.append(clause)
    return clauses


def identifier_type_for(label: str) -> IdentifierType | None:
    """The identifier type of an OFAC document or feature label ("Passport", "SWIFT/BIC")."""
    return _ID_LABELS.get(" ".join(label.split()))


def parse_identifier(clause: str) -> Identifier | None:
    """`Passport A123 (Iraq) expires 26 Jun 2026` -> passport A123, IQ, note "expires ..."."""
    for label in _LABELS_LONGEST_FIRST:
        if clause.startswith(label + " "):
            return _identifier(_ID_LABELS[label], label, clause[len(label) :].strip())
    return None


def _identifier(kind: IdentifierType, label: str, rest: str) -> Identifier | None:
    rest = rest.rstrip(".").strip()
    value = rest.split("(", 1)[0].strip()
    country = None
    for group in _PARENTHESES.findall(rest):  # the last group naming a country is the issuer
        country = to_country_code(group) or country
    tail = _PARENTHESES.sub("", rest[len(value) :]).strip()
    if not value:
        return None
    for marker in (" issued ", " expires "):  # no parentheses: "Passport A1 expires 2026"
        if marker in value:
            value, extra = value.split(marker, 1)
            tail = f"{marker.strip()} {extra} {tail}".strip()
    note = f"{label} {tail}".strip()  # keep OFAC's own label: it says which document it is
    return Identifier(type=kind, value=value.strip(), country=country, note=note)


def _alias(clause: str) -> Alias | None:
    match = _QUOTED_ALIAS.match(clause)
    if match is None:
        return None
    kind = match.group(1).replace(".", "")
    return Alias(name=match.group(2).strip(), strength=AliasStrength.WEAK, kind=kind)


def _add_property(facts: RemarkFacts, name: str, value: str) -> None:
    old = facts.properties.get(name)
    facts.properties[name] = f"{old}; {value}" if old else value


def _apply_clause(facts: RemarkFacts, clause: str) -> None:
    head, _, rest = clause.partition(" ")
    rest = rest.strip().rstrip(".")
    if head == "DOB":
        facts.birth_dates.extend(parse_dates(rest))
    elif head == "POB":
        facts.places_of_birth.append(rest)
    elif head in ("nationality", "citizen"):
        code = to_country_code(rest)
        if code:
            facts.nationalities.append(code)
    elif head == "Gender":
        facts.gender = rest.lower() or None
    elif clause.startswith("Linked To:"):
        facts.linked_to.append(clause[len("Linked To:") :].strip().rstrip("."))
    elif alias := _alias(clause):
        facts.aliases.append(alias)
    elif identifier := parse_identifier(clause):
        facts.identifiers.append(identifier)
    else:
        for label, name in _PROPERTY_LABELS.items():
            if clause.startswith(label + " "):
                _add_property(facts, name, clause[len(label) :].strip().rstrip("."))
                break


def parse_remarks(remarks: str | None) -> RemarkFacts:
    """Every fact the matcher can use from one Remarks field; the rest stays in the text."""
    facts = RemarkFacts()
    if remarks:
        for clause in split_clauses(remarks):
            _apply_clause(facts, clause)
    return facts
