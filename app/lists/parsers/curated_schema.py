"""The schema of the curated YAML lists in lists/ (`fincen-311.yaml`, `cbi-usd-ban.yaml`).

Every model forbids unknown fields, so a misspelt key (`aliasses:`) is refused at load time
instead of silently dropping the data it was meant to carry. `lists/README.md` documents the
format for people; this module is the one that decides.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from app.lists.models import AliasStrength, EntityKind, IdentifierType, ListAction

_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# Ids become part of `LIST_ID:ENTRY_ID` and of URLs, so keep them to a safe alphabet.
_SLUG = r"^[a-z0-9][a-z0-9._-]*$"
# Codes the ISO standard leaves user-assigned but list publishers use (Kosovo).
_EXTRA_COUNTRY_CODES = frozenset({"XK"})

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=_SLUG, max_length=120)]
# H: official text or several agreeing sources; M: one reputable secondary source; L: a lead.
Confidence = Literal["H", "M", "L"]
# Scalars a property may hold in YAML; all become text on the entry.
PropertyValue = str | bool | int | float | date


def _partial_date(value: object) -> object:
    """YAML reads an unquoted 2024-07-03 as a date; keep every date as partial ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 2999:  # an unquoted year: 2025
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if not _PARTIAL_DATE.fullmatch(text):
            raise ValueError(f"{value!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in text.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date: {exc}") from None
        return text
    raise ValueError(f"{value!r} is not a date")


def _full_date(value: str) -> str:
    if len(value) != 10:
        raise ValueError(f"{value!r} must be a full date YYYY-MM-DD")
    return value


def _country_code(value: object) -> object:
    # YAML 1.1 reads an unquoted NO (Norway) as false; say so rather than "not a string".
    if isinstance(value, bool):
        raise ValueError("country code read as a boolean by YAML; quote it, e.g. 'NO'")
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a country code")
    code = value.strip().upper()
    if code not in _EXTRA_COUNTRY_CODES and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _name_only(field: str) -> BeforeValidator:
    """Let a list item be a plain string where only its main field is needed."""

    def wrap(value: object) -> object:
        return {field: value} if isinstance(value, str) else value

    return BeforeValidator(wrap)


PartialDate = Annotated[str, BeforeValidator(_partial_date)]
FullDate = Annotated[str, BeforeValidator(_partial_date), AfterValidator(_full_date)]
CountryCode = Annotated[str, BeforeValidator(_country_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AliasSpec(_Strict):
    name: Text
    strength: AliasStrength = AliasStrength.STRONG
    # translation: a translated name ("South" for "Janoob"), which fuzzy matching cannot find;
    # original_script: the name in Arabic or another non-Latin script.
    kind: Literal["aka", "fka", "nka", "translation", "original_script"] = "aka"


AliasItem = Annotated[AliasSpec, _name_only("name")]


class IdentifierSpec(_Strict):
    type: IdentifierType
    value: Text
    country: CountryCode | None = None
    note: Text | None = None  # where the identifier comes from, how far to trust it


class AddressSpec(_Strict):
    text: Text
    city: Text | None = None
    country: CountryCode | None = None


AddressItem = Annotated[AddressSpec, _name_only("text")]


class SourceRef(_Strict):
    """One public source an entry rests on, with the confidence facts.md gives it."""

    title: Text
    url: Text | None = None  # None where the source is known only by its publisher
    date: PartialDate | None = None
    confidence: Confidence
    note: Text | None = None


class LinkSpec(_Strict):
    """A party the entry is linked to, e.g. its owner, and where that party is listed."""

    name: Text
    relation: Text  # owner, chairman, parent...
    listed_on: Text | None = None  # e.g. "OFAC SDN"
    programs: list[Text] = Field(default_factory=list)
    note: Text | None = None


class EntrySpec(_Strict):
    id: Slug
    kind: EntityKind
    name: Text
    aliases: list[AliasItem] = Field(default_factory=list)
    countries: list[CountryCode] = Field(default_factory=list)
    identifiers: list[IdentifierSpec] = Field(default_factory=list)
    addresses: list[AddressItem] = Field(default_factory=list)
    programs: list[Text] = Field(default_factory=list)
    legal_basis: Text | None = None
    action: ListAction | None = None  # None: the list's default_action applies
    listed_date: PartialDate | None = None
    remarks: Text | None = None
    linked_to: list[LinkSpec] = Field(default_factory=list)
    properties: dict[Slug, PropertyValue] = Field(default_factory=dict)
    # A curated entry without a source cannot be checked or defended, so one is required.
    sources: list[SourceRef] = Field(min_length=1)


class ListSpec(_Strict):
    """The `list:` block: what the list is and what a match on it means."""

    id: Slug
    name: Text
    authority: Text
    category: Literal[
        "sanctions", "special_measure", "high_risk", "export_control", "pep", "internal"
    ]
    default_action: ListAction
    legal_basis: Text | None = None
    source_url: Text | None = None
    description: Text | None = None
    updated: FullDate
    default_threshold: float | None = Field(default=None, ge=0, le=1)


class FileSpec(_Strict):
    """The top level of a curated list file. Entries are validated one by one (see curated_yaml)."""

    # `list` is the key in the file; the attribute avoids shadowing the builtin.
    info: ListSpec = Field(alias="list")
    entries: list[dict[str, object]] = Field(min_length=1)
