"""Payment screening end to end, on the curated lists shipped in lists/ and the built-in pack."""

from __future__ import annotations

import pytest

from app.core.decision import Decision
from app.lists.parsers import parse_list
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig
from app.payments.models import Bank, Owner
from app.payments.mt103 import parse_mt103
from app.payments.pacs008 import parse_pacs008
from app.rules.loader import RuleSet, load_ruleset
from app.screening.outcome import ScreeningOutcome
from app.screening.payment import payment_queries, screen_transaction
from tests.rules.factories import LISTS_DIR, REPO_ROOT, RULES_DIR, payment

PAYMENTS = REPO_ROOT / "tests" / "fixtures" / "payments"


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    lists = {
        lid: list(parse_list("yaml", LISTS_DIR / f"{lid}.yaml", list_id=lid))
        for lid in ("fincen-311", "cbi-usd-ban")
    }
    return MatchIndex.build(lists)


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset(RULES_DIR)


def rule(outcome: ScreeningOutcome, rule_id: str):  # type: ignore[no-untyped-def]
    return next((t for t in outcome.triggered_rules if t.rule_id == rule_id), None)


def test_roles_cover_parties_banks_owners_and_chain() -> None:
    tx = payment(
        owners=(Owner(name="Ali Hassan", share=60),), intermediaries=(Bank(bic="BHDAIQBA"),)
    )
    roles = [role for role, *_ in payment_queries(tx)]
    assert roles == ["originator", "originator.bank", "beneficiary", "beneficiary.bank",
                     "beneficiary.owners[0]", "intermediaries[0]"]  # fmt: skip
    bic_only = next(q for role, q, *_ in payment_queries(tx) if role == "intermediaries[0]")
    assert bic_only.name == ""
    assert bic_only.identifiers[0].value == "BHDAIQBA"


def test_usd_to_union_bank_of_iraq_is_review_with_ban_reason(
    index: MatchIndex, ruleset: RuleSet
) -> None:
    outcome = screen_transaction(
        payment(beneficiary_bank=Bank(name="Union Bank of Iraq")), index, ruleset, MatchConfig()
    )
    triggered = rule(outcome, "cbi-usd-ban-usd-payment")
    assert outcome.decision is Decision.REVIEW
    assert triggered is not None
    assert triggered.roles == ("beneficiary.bank",)
    assert "CBI US-dollar ban list" in triggered.reason
    assert "2024-02" in triggered.reason


def test_same_payment_in_eur_is_clear_of_the_ban_rule(index: MatchIndex, ruleset: RuleSet) -> None:
    outcome = screen_transaction(
        payment("EUR", beneficiary_bank=Bank(name="Union Bank of Iraq")),
        index,
        ruleset,
        MatchConfig(),
    )
    assert rule(outcome, "cbi-usd-ban-usd-payment") is None
    # The list match itself still asks for a look (the list's own review action).
    assert {t.rule_id for t in outcome.triggered_rules} == {"list-match.cbi-usd-ban"}


def test_pacs008_with_al_huda_bic_as_intermediary_blocks_citing_311(
    index: MatchIndex, ruleset: RuleSet
) -> None:
    (tx,) = parse_pacs008((PAYMENTS / "pacs008_alhuda_intermediary.xml").read_bytes())
    outcome = screen_transaction(tx, index, ruleset, MatchConfig())
    triggered = rule(outcome, "fincen-311-match")
    assert outcome.decision is Decision.BLOCK
    assert triggered is not None
    assert triggered.roles == ("intermediaries[0]",)
    assert triggered.entity_ids == ("fincen-311:al-huda-bank",)
    citations = {r.citation for r in triggered.references}
    assert {"89 FR 55051", "31 U.S.C. 5318A"} <= citations
    assert outcome.ruleset_version == ruleset.version


def test_pacs008_union_bank_usd_and_eur(index: MatchIndex, ruleset: RuleSet) -> None:
    (usd,) = parse_pacs008((PAYMENTS / "pacs008_union_bank_usd.xml").read_bytes())
    (eur,) = parse_pacs008((PAYMENTS / "pacs008_union_bank_eur.xml").read_bytes())
    assert (
        rule(screen_transaction(usd, index, ruleset, MatchConfig()), "cbi-usd-ban-usd-payment")
        is not None
    )
    assert (
        rule(screen_transaction(eur, index, ruleset, MatchConfig()), "cbi-usd-ban-usd-payment")
        is None
    )


def test_mt103_to_iran_blocks(index: MatchIndex, ruleset: RuleSet) -> None:
    tx = parse_mt103((PAYMENTS / "mt103_iran_beneficiary.txt").read_text())
    outcome = screen_transaction(tx, index, ruleset, MatchConfig())
    assert outcome.decision is Decision.BLOCK
    assert rule(outcome, "iran-party-usd") is not None


def test_arabic_purpose_in_pacs008_is_review(index: MatchIndex, ruleset: RuleSet) -> None:
    first, second = parse_pacs008(
        (PAYMENTS / "pacs008_two_transfers_arabic_purpose.xml").read_bytes()
    )
    assert (
        rule(
            screen_transaction(first, index, ruleset, MatchConfig()),
            "purpose-names-designated-group",
        )
        is None
    )
    flagged = screen_transaction(second, index, ruleset, MatchConfig())
    assert flagged.decision is Decision.REVIEW
    assert rule(flagged, "purpose-names-designated-group") is not None


def test_without_rules_only_the_list_baseline_decides(index: MatchIndex) -> None:
    outcome = screen_transaction(
        payment(intermediaries=(Bank(bic="BHDAIQBA"),)), index, None, MatchConfig()
    )
    assert outcome.decision is Decision.BLOCK
    assert all(t.pack == "lists" for t in outcome.triggered_rules)
    assert outcome.ruleset_version is None
