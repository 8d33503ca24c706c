"""The one entity model every list format is parsed into.

Parsers (`app/lists/parsers/`) turn OFAC, UN, US CSL, FollowTheMoney, custom CSV and the curated
YAML lists into `ListEntry` objects; the matcher, the rules and the database only ever see this
model. Entries are immutable: a refresh builds new ones, it never edits old ones.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EntityKind(StrEnum):
    """What sort of party a list entry (or a query) describes."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class AliasStrength(StrEnum):
    """OFAC marks some aliases as weak ("low quality"); they count less in matching."""

    STRONG = "strong"
    WEAK = "weak"


class IdentifierType(StrEnum):
    """Identifier types the matcher compares exactly (ignoring spaces and punctuation)."""

    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    REGISTRATION_NUMBER = "registration_number"
    TAX_ID = "tax_id"
    BIC = "bic"
    IMO = "imo"
    MMSI = "mmsi"
    AIRCRAFT_TAIL = "aircraft_tail"
    AIRCRAFT_SERIAL = "aircraft_serial"
    LEI = "lei"
    OTHER = "other"


class ListAction(StrEnum):
    """What a confirmed match on a list obliges the bank to do."""

    BLOCK = "block"
    REVIEW = "review"
    INFO = "info"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Alias(_Frozen):
    name: str
    strength: AliasStrength = AliasStrength.STRONG
    # aka, fka (formerly known as), nka, translation, original_script
    kind: str = "aka"


class Identifier(_Frozen):
    type: IdentifierType
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2 of the issuer, when known
    note: str | None = None  # e.g. "expires 26 Jun 2026", the source's own label


class Address(_Frozen):
    text: str  # the full address on one line, as the source prints it
    city: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2


class ListEntry(_Frozen):
    """One listed party. `id` is `LIST_ID:SOURCE_ID` and stays stable across refreshes."""

    id: str
    list_id: str
    source_id: str
    kind: EntityKind
    name: str
    aliases: tuple[Alias, ...] = ()
    # Partial ISO dates: "1970", "1970-05", "1970-05-12". Ranges become their years.
    birth_dates: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    # Every country the entry is linked to (ISO alpha-2): nationality, citizenship, address,
    # registration, flag. `nationalities` is the subset the source states as nationality/citizenship.
    countries: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    legal_basis: str | None = None
    action: ListAction | None = None  # None: the list's default action applies
    listed_date: str | None = None
    remarks: str | None = None
    source_url: str | None = None
    linked_to: tuple[str, ...] = ()
    gender: str | None = None
    # Source-specific facts worth keeping (e.g. "batch_date", "vessel_flag", "title", "citation").
    properties: dict[str, str] = Field(default_factory=dict)

    def all_names(self) -> list[tuple[str, AliasStrength]]:
        """The primary name first, then every alias with its strength."""
        return [(self.name, AliasStrength.STRONG)] + [(a.name, a.strength) for a in self.aliases]

    def content_hash(self) -> str:
        """A stable fingerprint of the entry, used to tell changed entries apart in list diffs."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


class ListInfo(_Frozen):
    """What a list is: who publishes it, what a match on it means."""

    id: str
    name: str
    authority: str
    # sanctions | special_measure | high_risk | export_control | pep | internal
    category: str = "sanctions"
    default_action: ListAction = ListAction.BLOCK
    legal_basis: str | None = None
    source_url: str | None = None
    # Per-list default threshold; None means the global default.
    default_threshold: float | None = Field(default=None, ge=0, le=1)


def make_entry_id(list_id: str, source_id: str) -> str:
    return f"{list_id}:{source_id}"
