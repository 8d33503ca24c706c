"""The evaluation context rules see: plain maps and lists built from the screened parties.

Top-level variables
-------------------
``parties``      list of party maps, one per screened party (payment roles, or "party").
``transaction``  transaction map, or ``null`` when a single party is screened.
Rules in ``party`` scope also see ``party`` (the party under test); in ``match`` scope, ``party``
and ``match`` (one of that party's matches).

Party map
---------
role (string)            "party", "originator", "originator.bank", "beneficiary",
                         "beneficiary.bank", "beneficiary.owners[0]", "intermediaries[0]", ...
name (string)            as screened; "" for a bank known by BIC only
kind (string)            person | organization | vessel | aircraft | unknown
country (string)         ISO alpha-2; the first given country, else the BIC's country, else ""
countries (list)         every country known for the party, BIC country included
address (string)         free-text address, "" when unknown
account (string)         account number or IBAN, "" when unknown
bic (string)             BIC of a bank, "" otherwise
is_bank (bool)           a financial institution in the payment chain
is_owner (bool)          an owner of another party; `owner_of` names that party's role
owner_of (string)        role of the owned party, "" when not an owner
share (double)           owner's share in percent; 0.0 when unknown (see share_known)
share_known (bool)       whether `share` was given
in_iran (bool)           country IR, BIC country IR, or an address naming Iran or an Iranian city
business_types (list)    from name words: exchange_house, trading_company, free_zone_company,
                         travel_agency
matches (list)           match maps, best first
listed_owner_share (double)   summed known shares of this party's owners that match a blocked
                              person (score >= OWNER_MATCH_FLOOR), capped at 100
listed_owners_unknown_share (int)  how many such listed owners have no known share
listed_owner_ids (list)  entity ids of those owners' blocked-person matches
listed_owner_names (list) names of those owners, as screened

Match map
---------
list_id, entity_id, name (the list name or alias that matched), entry_name (primary name),
score (double, 0-1), kind, programs (list, upper case, brackets stripped), legal_basis (string),
category (sanctions | special_measure | high_risk | ... or ""), action (the entry's own action
or ""), sdn (bool: an OFAC SDN row, from ofac-sdn or an SDN row of us-csl), blocked (bool: a
blocked person for the 50 Percent Rule: an SDN row or a sanctions entry whose action is block),
batch_date (string, from the entry's properties, "" when absent), source (the entry's
"source_list" or "source" property, e.g. the us-csl source list), linked_to (list), properties
(map of strings: curated lists carry e.g. batch_date, owner_listed_on, owner_ownership_share).

Transaction map
---------------
currency (string, ISO 4217), amount (double), purpose (string: remittance, purpose code and
instructions, joined), purpose_mentions (list of watched names found in `purpose`, fuzzy, Latin or
Arabic; the names come from the packs' `context.purpose_terms`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.lists.models import ListAction
from app.matching.types import Match
from app.rules.text import WatchTerm, business_types, find_mentions, names_iran
from app.screening.outcome import ScreenedParty

if TYPE_CHECKING:
    from app.payments.models import Transaction

# CEL values: the context is plain data, so these aliases stay honest without `Any`.
Value = str | float | int | bool | None | list["Value"] | dict[str, "Value"]
Map = dict[str, Value]

# An owner counts towards the 50 Percent Rule only on a strong match: a fuzzy 0.8 hit on a
# common name must not block a company by operation of law (the list baseline reviews it anyway).
OWNER_MATCH_FLOOR = 0.90
SDN_LIST_IDS = frozenset({"ofac-sdn"})
# Where the list id alone tells the category; entries may also carry a "category" property.
LIST_CATEGORIES = {
    "fincen-311": "special_measure",
    "cbi-usd-ban": "high_risk",
    "ofac-sdn": "sanctions",
    "ofac-cons": "sanctions",
    "un-sc": "sanctions",
}


def build_context(
    parties: Sequence[ScreenedParty],
    transaction: Transaction | None,
    terms: Sequence[WatchTerm] = (),
) -> Map:
    """The documented context for one evaluation."""
    owners = listed_owners_by_role(parties)
    party_maps: list[Value] = [party_map(p, owners.get(p.role)) for p in parties]
    return {
        "parties": party_maps,
        "transaction": transaction_map(transaction, terms) if transaction else None,
    }


@dataclass(slots=True)
class ListedOwners:
    """Owners of one party that match a blocked person (the 50 Percent Rule inputs)."""

    share: float = 0.0  # summed known shares, percent
    unknown_share: int = 0  # listed owners whose share was not given
    entity_ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def listed_owners_by_role(parties: Sequence[ScreenedParty]) -> dict[str, ListedOwners]:
    """Aggregate listed owners onto the role of the party they own."""
    found: dict[str, ListedOwners] = {}
    for owner in parties:
        owned_role = owner.attributes.get("owner_of")
        ids = [m.entity_id for m in owner.matches if is_blocked_person(m)]
        if not owned_role or not ids:
            continue
        acc = found.setdefault(owned_role, ListedOwners())
        share = owner.attributes.get("share")
        if share:
            acc.share = min(100.0, round(acc.share + float(share), 4))
        else:
            acc.unknown_share += 1
        acc.entity_ids.extend(i for i in ids if i not in acc.entity_ids)
        acc.names.append(owner.query.name)
    return found


def is_blocked_person(match: Match) -> bool:
    """A strong match on a person blocked by OFAC: an SDN row, or a sanctions entry marked block."""
    entry = match.entry
    if match.score < OWNER_MATCH_FLOOR:
        return False
    category = _category(entry.list_id, entry.properties)
    return is_sdn_row(entry.list_id, entry.properties) or (
        entry.action is ListAction.BLOCK and category in ("", "sanctions")
    )


def party_map(party: ScreenedParty, owners: ListedOwners | None = None) -> Map:
    attrs = party.attributes
    owners = owners or ListedOwners()
    bic = attrs.get("bic", "")
    bic_country = bic[4:6] if len(bic) >= 6 else ""
    countries = list(
        dict.fromkeys([*party.query.countries, *([bic_country] if bic_country else [])])
    )
    address = party.address or ""
    share_text = attrs.get("share", "")
    return {
        "role": party.role,
        "name": party.query.name,
        "kind": party.query.kind.value if party.query.kind else "unknown",
        "country": countries[0] if countries else "",
        "countries": list[Value](countries),
        "address": address,
        "account": party.account or "",
        "bic": bic,
        "is_bank": attrs.get("is_bank") == "true",
        "is_owner": bool(attrs.get("owner_of")),
        "owner_of": attrs.get("owner_of", ""),
        "share": float(share_text) if share_text else 0.0,
        "share_known": bool(share_text),
        "in_iran": "IR" in countries or names_iran(address),
        "business_types": list[Value](business_types(party.query.name)),
        "matches": [match_map(m) for m in party.matches],
        "listed_owner_share": owners.share,
        "listed_owners_unknown_share": owners.unknown_share,
        "listed_owner_ids": list[Value](owners.entity_ids),
        "listed_owner_names": list[Value](owners.names),
    }


def match_map(match: Match) -> Map:
    entry = match.entry
    props = entry.properties
    category = _category(entry.list_id, props)
    sdn = is_sdn_row(entry.list_id, props)
    return {
        "list_id": entry.list_id,
        "entity_id": entry.id,
        "name": match.matched_name or entry.name,  # an identifier-only hit has no matched name
        "entry_name": entry.name,
        "score": float(match.score),
        "kind": entry.kind.value,
        "programs": [p.strip(" []").upper() for p in entry.programs],
        "legal_basis": entry.legal_basis or "",
        "category": category,
        "action": entry.action.value if entry.action else "",
        "sdn": sdn,
        "blocked": sdn or (entry.action is ListAction.BLOCK and category in ("", "sanctions")),
        "batch_date": props.get("batch_date", ""),
        "source": props.get("source_list") or props.get("source", ""),
        "linked_to": list[Value](entry.linked_to),
        "properties": dict[str, Value](props),
    }


def _category(list_id: str, properties: dict[str, str]) -> str:
    return properties.get("category") or LIST_CATEGORIES.get(list_id, "")


def is_sdn_row(list_id: str, properties: dict[str, str]) -> bool:
    """OFAC SDN entries, whether loaded as the SDN list or as SDN rows of the trade.gov CSL."""
    if list_id in SDN_LIST_IDS or properties.get("sdn") == "true":
        return True
    # us-csl keeps the CSL "source" column as `source_list`
    source = (properties.get("source_list") or properties.get("source") or "").upper()
    return "SPECIALLY DESIGNATED NATIONALS" in source or source == "SDN"


@dataclass(frozen=True, slots=True)
class Projection:
    """The context fields a ruleset reads. CEL converts every value it is given, and that
    conversion is most of an evaluation's cost, so rules only get the fields they name."""

    fields: frozenset[str] = frozenset()
    property_keys: frozenset[str] | None = frozenset()  # None: every entry property

    def union(self, other: Projection) -> Projection:
        keys = None if None in (self.property_keys, other.property_keys) else (
            (self.property_keys or frozenset()) | (other.property_keys or frozenset())
        )  # fmt: skip
        return Projection(self.fields | other.fields, keys)


def project(context: Map, projection: Projection) -> Map:
    """The context restricted to the projection's fields (top-level variables always stay)."""
    fields = projection.fields
    transaction = context["transaction"]
    return {
        "parties": [_project_party(p, projection) for p in _maps(context["parties"])],
        "transaction": {k: v for k, v in transaction.items() if k in fields}
        if isinstance(transaction, dict)
        else None,
    }


def _project_party(party: Map, projection: Projection) -> Map:
    kept: Map = {k: v for k, v in party.items() if k in projection.fields and k != "matches"}
    if "matches" in projection.fields:
        kept["matches"] = [_project_match(m, projection) for m in _maps(party["matches"])]
    return kept


def _project_match(match: Map, projection: Projection) -> Map:
    kept: Map = {k: v for k, v in match.items() if k in projection.fields and k != "properties"}
    props = match["properties"]
    if "properties" in projection.fields and isinstance(props, dict):
        keys = projection.property_keys
        kept["properties"] = (
            props if keys is None else {k: v for k, v in props.items() if k in keys}
        )
    return kept


def _maps(value: Value) -> list[Map]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def transaction_map(transaction: Transaction, terms: Sequence[WatchTerm]) -> Map:
    purpose = transaction.purpose or ""
    return {
        "currency": transaction.currency,
        "amount": float(transaction.amount),
        "purpose": purpose,
        "purpose_mentions": list[Value](find_mentions(purpose, terms)),
    }
