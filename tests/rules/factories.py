"""Small list fixtures and payment builders shared by the rules, payments and screening tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.lists.models import (
    Alias,
    AliasStrength,
    EntityKind,
    Identifier,
    IdentifierType,
    ListAction,
    ListEntry,
)
from app.matching.index import MatchIndex
from app.matching.types import Match, MatchQuery
from app.payments.models import Bank, Owner, Party, Transaction
from app.screening.outcome import ScreenedParty

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = REPO_ROOT / "rules"
LISTS_DIR = REPO_ROOT / "lists"


def entry(
    list_id: str,
    source_id: str,
    name: str,
    *,
    kind: EntityKind = EntityKind.ORGANIZATION,
    programs: tuple[str, ...] = (),
    properties: dict[str, str] | None = None,
    action: ListAction | None = None,
    bic: str | None = None,
    aliases: tuple[str, ...] = (),
) -> ListEntry:
    identifiers = (Identifier(type=IdentifierType.BIC, value=bic),) if bic else ()
    return ListEntry(
        id=f"{list_id}:{source_id}", list_id=list_id, source_id=source_id, kind=kind, name=name,
        aliases=tuple(Alias(name=a) for a in aliases), programs=programs, action=action,
        identifiers=identifiers, properties=properties or {},
    )  # fmt: skip


AL_HUDA_311 = entry(
    "fincen-311", "al-huda-bank", "Al-Huda Bank", bic="BHDAIQBA", action=ListAction.BLOCK,
    aliases=("Al Huda Bank", "مصرف الهدى"),
    properties={"owner_listed_on": "ofac-sdn", "owner_ownership_share": "unknown"},
)  # fmt: skip
UNION_BANK = entry("cbi-usd-ban", "union-bank-of-iraq", "Union Bank of Iraq",
                   aliases=("Iraqi Union Bank",), properties={"batch_date": "2024-02"})  # fmt: skip
ASHUR_BANK = entry("cbi-usd-ban", "ashur", "Ashur International Bank for Investment", bic="AIBIIQBA",
                   properties={"batch_date": "2024-02"})  # fmt: skip
MOUSSAWI = entry("ofac-sdn", "47348", "AL-MOUSSAWI, Hamad", kind=EntityKind.PERSON,
                 programs=("SDGT", "IFSR"))  # fmt: skip
KATAIB_HIZBALLAH = entry("ofac-sdn", "11462", "KATA'IB HIZBALLAH", programs=("SDGT", "FTO"))
RUSSIA_SDN = entry("ofac-sdn", "90001", "VOLGA RIVER SHIPPING LLC", programs=("RUSSIA-EO14024",))
CSL_SDN = entry("us-csl", "SDN-47180", "AL-MASSAL LAND TRAVEL AND TOURISM COMPANY",
                programs=("SDN", "SDGT"),
                properties={"source_list": "Specially Designated Nationals (SDN) - Treasury Department"})  # fmt: skip
CSL_ENTITY_LIST = entry("us-csl", "EL-1", "TEHRAN DRONE PARTS TRADING", programs=("EL",),
                        properties={"source_list": "Entity List (EL) - Bureau of Industry and Security"})  # fmt: skip

FIXTURE_LISTS: dict[str, list[ListEntry]] = {
    "fincen-311": [AL_HUDA_311],
    "cbi-usd-ban": [UNION_BANK, ASHUR_BANK],
    "ofac-sdn": [MOUSSAWI, KATAIB_HIZBALLAH, RUSSIA_SDN],
    "us-csl": [CSL_SDN, CSL_ENTITY_LIST],
}


def fixture_index() -> MatchIndex:
    return MatchIndex.build(FIXTURE_LISTS)


def payment(
    currency: str = "USD",
    *,
    purpose: str = "INVOICE 2025-0417 FROZEN POULTRY",
    originator: Party | None = None,
    beneficiary: Party | None = None,
    beneficiary_bank: Bank | None = None,
    intermediaries: tuple[Bank, ...] = (),
    owners: tuple[Owner, ...] = (),
    beneficiary_country: str = "AE",
    beneficiary_name: str = "Marina Foodstuff Supply",
) -> Transaction:
    """A plain Baghdad-to-Dubai import payment; override the part a test is about."""
    bank = beneficiary_bank or Bank(name="Gulf Coast Bank", bic="GULFAEAD")
    return Transaction(
        currency=currency,
        amount=Decimal("184500.00"),
        purpose=purpose,
        originator=originator
        or Party(name="Dijla Food Import Company", type="organization", country="IQ",
                 bank=Bank(name="Tigris Commercial Bank", bic="TGRSIQBA")),
        beneficiary=beneficiary
        or Party(name=beneficiary_name, type="organization", country=beneficiary_country,
                 bank=bank, owners=owners),
        intermediaries=intermediaries,
    )  # fmt: skip


def screened(
    role: str, name: str, *hits: tuple[ListEntry, float], **attributes: str
) -> ScreenedParty:
    """A screened party with hand-set match scores, for rules that depend on the score."""
    matches = tuple(Match(e, s, e.name, AliasStrength.STRONG, (), f"name {s:.2f}") for e, s in hits)
    return ScreenedParty(role, MatchQuery(name), matches, attributes=dict(attributes))
