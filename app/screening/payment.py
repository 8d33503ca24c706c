"""Screen a payment: every party, owner and bank of the chain, each under its role, then decide.

Roles: originator, originator.bank, originator.owners[i], beneficiary, beneficiary.bank,
beneficiary.owners[i], ultimate_originator, ultimate_beneficiary, initiating_party (each with
.bank and .owners[i] when given) and intermediaries[i]. Banks are screened by name and BIC; a bank
known only by its BIC is screened by the BIC alone (the query name stays empty).

The decision combines the list baseline with the rule packs (`party.decide`), as for one party.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.lists.models import EntityKind, IdentifierType
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig, MatchQuery, QueryIdentifier
from app.payments.models import Bank, Party, Transaction
from app.screening.outcome import ListVersion, ScreenedParty, ScreeningOutcome
from app.screening.party import ScreeningPolicy, decide

if TYPE_CHECKING:
    from app.rules.loader import RuleSet

_KINDS = {"person": EntityKind.PERSON, "organization": EntityKind.ORGANIZATION}
# Customer parties in message order; each brings its bank and owners along.
CUSTOMER_ROLES = (
    "originator",
    "beneficiary",
    "ultimate_originator",
    "ultimate_beneficiary",
    "initiating_party",
)
# Without list metadata the baseline still applies each entry's own action (review by default).
NO_LIST_POLICY = ScreeningPolicy(lists={})


def screen_transaction(
    transaction: Transaction,
    index: MatchIndex,
    ruleset: RuleSet | None,
    config: MatchConfig,
    *,
    policy: ScreeningPolicy = NO_LIST_POLICY,
    list_versions: tuple[ListVersion, ...] = (),
) -> ScreeningOutcome:
    """Screen every party of the payment and decide with the list baseline plus the rules."""
    parties = tuple(
        ScreenedParty(role, query, tuple(index.search(query, config)), address, account, attrs)
        for role, query, address, account, attrs in payment_queries(transaction)
    )
    return decide(parties, policy=policy, ruleset=ruleset, list_versions=list_versions,
                  transaction=transaction)  # fmt: skip


# (role, query, address, account, attributes) for each party to screen
PartyQuery = tuple[str, MatchQuery, str | None, str | None, dict[str, str]]


def payment_queries(transaction: Transaction) -> Iterator[PartyQuery]:
    """What to screen, in message order: customers with their banks and owners, then intermediaries."""
    for role in CUSTOMER_ROLES:
        party: Party | None = getattr(transaction, role)
        if party is None:
            continue
        yield role, party_query(party), party.address, party.account, {}
        if party.bank is not None:
            yield bank_entry(f"{role}.bank", party.bank)
        for i, owner in enumerate(party.owners):
            attrs = {"owner_of": role}
            if owner.share is not None:
                attrs["share"] = f"{owner.share:g}"
            yield f"{role}.owners[{i}]", MatchQuery(owner.name), None, None, attrs
    for i, bank in enumerate(transaction.intermediaries):
        yield bank_entry(f"intermediaries[{i}]", bank)


def party_query(party: Party) -> MatchQuery:
    countries = (party.country,) if party.country else ()
    return MatchQuery(party.name, kind=_KINDS.get(party.type), countries=countries)


def bank_entry(role: str, bank: Bank) -> PartyQuery:
    identifiers = (QueryIdentifier(IdentifierType.BIC, bank.bic),) if bank.bic else ()
    countries = (bank.country,) if bank.country else ()
    query = MatchQuery(bank.name or "", kind=EntityKind.ORGANIZATION, countries=countries,
                       identifiers=identifiers)  # fmt: skip
    attrs = {"is_bank": "true"}
    if bank.bic:
        attrs["bic"] = bank.bic
    if bank.via:
        attrs["via"] = bank.via
    return role, query, None, None, attrs
