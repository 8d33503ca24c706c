"""Every rule of rules/iran-usd-diversion.yaml: a payment that triggers it and a close one that must not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.core.decision import Decision
from app.matching.types import MatchConfig
from app.payments.models import Bank, Owner, Party
from app.rules.evaluate import evaluate
from app.rules.loader import RuleSet, load_ruleset
from app.screening.outcome import ScreeningOutcome
from app.screening.payment import screen_transaction
from tests.rules.factories import (
    AL_HUDA_311,
    KATAIB_HIZBALLAH,
    MOUSSAWI,
    RULES_DIR,
    fixture_index,
    payment,
    screened,
)


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset(RULES_DIR)


def screen(transaction, ruleset: RuleSet) -> ScreeningOutcome:  # type: ignore[no-untyped-def]
    return screen_transaction(transaction, fixture_index(), ruleset, MatchConfig())


def fired(outcome: ScreeningOutcome) -> dict[str, str]:
    return {t.rule_id: t.action for t in outcome.triggered_rules if t.pack == "iran-usd-diversion"}


def test_every_rule_cites_a_source(ruleset: RuleSet) -> None:
    assert len(ruleset.rules) >= 12
    for rule in ruleset.rules:
        assert rule.references, rule.id
        assert all(r.title for r in rule.references)


def test_fincen_311_intermediary_by_bic_blocks(ruleset: RuleSet) -> None:
    outcome = screen(payment(intermediaries=(Bank(bic="BHDAIQBA", via="IntrmyAgt1"),)), ruleset)
    rule = next(t for t in outcome.triggered_rules if t.rule_id == "fincen-311-match")
    assert outcome.decision is Decision.BLOCK
    assert rule.roles == ("intermediaries[0]",)
    assert rule.entity_ids == ("fincen-311:al-huda-bank",)
    assert {r.citation for r in rule.references} >= {"89 FR 55051", "31 U.S.C. 5318A"}


def test_fincen_311_not_for_another_iraqi_bank(ruleset: RuleSet) -> None:
    outcome = screen(payment(intermediaries=(Bank(name="Rafidain Bank", bic="RAFBIQBA"),)), ruleset)
    assert "fincen-311-match" not in fired(outcome)
    assert outcome.decision is Decision.CLEAR


def test_fincen_311_weak_match_is_review_not_block(ruleset: RuleSet) -> None:
    weak = evaluate(
        ruleset, [screened("beneficiary.bank", "Al Hadi Bank", (AL_HUDA_311, 0.84))], None
    )
    strong = evaluate(
        ruleset, [screened("beneficiary.bank", "Al Huda Bank", (AL_HUDA_311, 0.97))], None
    )
    assert {t.rule_id: t.action for t in weak.triggered}["fincen-311-potential-match"] == "review"
    assert weak.decision is Decision.REVIEW
    assert "fincen-311-potential-match" not in {t.rule_id for t in strong.triggered}
    assert strong.decision is Decision.BLOCK


def test_cbi_ban_bank_in_usd_is_review_naming_the_batch(ruleset: RuleSet) -> None:
    outcome = screen(payment(beneficiary_bank=Bank(name="Union Bank of Iraq")), ruleset)
    rule = next(t for t in outcome.triggered_rules if t.rule_id == "cbi-usd-ban-usd-payment")
    assert rule.action == "review"
    assert rule.roles == ("beneficiary.bank",)
    assert "2024-02" in rule.reason
    assert outcome.decision is Decision.REVIEW


def test_cbi_ban_bank_by_bic_in_chain(ruleset: RuleSet) -> None:
    outcome = screen(payment(intermediaries=(Bank(bic="AIBIIQBA"),)), ruleset)
    assert fired(outcome).get("cbi-usd-ban-usd-payment") == "review"


def test_cbi_ban_bank_in_eur_does_not_fire(ruleset: RuleSet) -> None:
    outcome = screen(payment("EUR", beneficiary_bank=Bank(name="Union Bank of Iraq")), ruleset)
    assert "cbi-usd-ban-usd-payment" not in fired(outcome)


def test_sdn_under_iran_terror_program_blocks(ruleset: RuleSet) -> None:
    originator = Party(name="Hamad al-Moussawi", type="person", country="IQ")
    outcome = screen(payment(originator=originator), ruleset)
    assert fired(outcome)["sdn-iran-terrorism-program"] == "block"
    assert outcome.decision is Decision.BLOCK


def test_csl_sdn_row_counts_as_sdn(ruleset: RuleSet) -> None:
    outcome = screen(payment(beneficiary_name="Al-Massal Land Travel and Tourism Company"), ruleset)
    assert fired(outcome)["sdn-iran-terrorism-program"] == "block"


def test_sdn_under_other_program_or_non_sdn_csl_row_does_not_fire(ruleset: RuleSet) -> None:
    russia = screen(payment(beneficiary_name="Volga River Shipping LLC"), ruleset)
    entity_list = screen(payment(beneficiary_name="Tehran Drone Parts Trading"), ruleset)
    assert "sdn-iran-terrorism-program" not in fired(russia)
    assert "sdn-iran-terrorism-program" not in fired(entity_list)


def test_sdn_weak_match_is_review(ruleset: RuleSet) -> None:
    outcome = evaluate(ruleset, [screened("originator", "Hamid Musawi", (MOUSSAWI, 0.83))], None)
    assert {t.rule_id: t.action for t in outcome.triggered} == {
        "sdn-iran-terrorism-potential-match": "review"
    }


@pytest.mark.parametrize(
    "beneficiary",
    [
        Party(name="Arya Petro", country="IR"),
        Party(name="Arya Petro", address="No 17 Valiasr Avenue, Tehran"),
        Party(name="Arya Petro", bank=Bank(bic="BMJIIRTH")),
    ],
    ids=["country", "address", "bank-bic"],
)
def test_iran_party_in_usd_blocks(ruleset: RuleSet, beneficiary: Party) -> None:
    outcome = screen(payment(beneficiary=beneficiary), ruleset)
    assert fired(outcome).get("iran-party-usd") == "block"
    assert outcome.decision is Decision.BLOCK


def test_iran_party_in_eur_is_review_not_block(ruleset: RuleSet) -> None:
    outcome = screen(payment("EUR", beneficiary=Party(name="Arya Petro", country="IR")), ruleset)
    assert "iran-party-usd" not in fired(outcome)
    assert fired(outcome)["iran-party-other-currency"] == "review"


def test_iranian_sounding_street_is_not_iran(ruleset: RuleSet) -> None:
    beneficiary = Party(name="Persia Carpets", country="TR", address="Iran Caddesi 5, Ankara")
    outcome = screen(payment(beneficiary=beneficiary), ruleset)
    # "Iran" as a street name still reads as Iran: an officer checks it. Documented trade-off.
    assert "iran-party-usd" in fired(outcome)
    plain = screen(
        payment(beneficiary=Party(name="Persia Carpets", country="TR", address="Ankara")), ruleset
    )
    assert "iran-party-usd" not in fired(plain)


@pytest.mark.parametrize(
    ("purpose", "mention"),
    [
        ("Donation for the families of كتائب حزب الله", "Kata'ib Hizballah"),
        ("support to Kataeb Hezbolah brigades", "Kata'ib Hizballah"),
        ("consulting fee - Asaib Ahl al-Haq office", "Asa'ib Ahl al-Haq"),
        ("equipment for Quds Force unit", "IRGC-Qods Force"),
        ("تحويل الى الحرس الثوري", "IRGC"),
        ("payment IRGC-QF", "IRGC"),
        ("rent حركة النجباء", "Harakat al-Nujaba"),
        ("كتائب سيد الشهداء", "Kata'ib Sayyid al-Shuhada"),
        ("عصائب اهل الحق", "Asa'ib Ahl al-Haq"),
    ],
)
def test_purpose_naming_designated_group_is_review(
    ruleset: RuleSet, purpose: str, mention: str
) -> None:
    outcome = screen(payment(purpose=purpose), ruleset)
    rule = next(t for t in outcome.triggered_rules if t.rule_id == "purpose-names-designated-group")
    assert rule.action == "review"
    assert mention in rule.reason


@pytest.mark.parametrize(
    "purpose",
    ["Rent for shop on Al Quds Street", "Imam Ali Hospital supplies", "INVOICE 77 FROZEN POULTRY",
     "Girder steel for Basra port", "شحنة أدوية"],
)  # fmt: skip
def test_ordinary_purpose_is_not_flagged(ruleset: RuleSet, purpose: str) -> None:
    assert "purpose-names-designated-group" not in fired(screen(payment(purpose=purpose), ruleset))


@pytest.mark.parametrize("name", ["Al Noor Exchange LLC", "Sarafi Al Amal", "Zagros General Trading FZE",
                                  "شركة النور للصرافة"])  # fmt: skip
def test_usd_from_iraq_to_exchange_house_in_hub_is_review(ruleset: RuleSet, name: str) -> None:
    outcome = screen(payment(beneficiary_name=name, beneficiary_country="AE"), ruleset)
    assert fired(outcome).get("iraq-usd-to-exchange-house-hub") == "review"


def test_exchange_house_corridor_needs_usd_iraq_and_a_hub(ruleset: RuleSet) -> None:
    eur = screen(payment("EUR", beneficiary_name="Al Noor Exchange LLC"), ruleset)
    germany = screen(payment(beneficiary_name="Al Noor Exchange GmbH", beneficiary_country="DE",
                             beneficiary_bank=Bank(name="Rhein Bank", bic="RHEIDEFF")), ruleset)  # fmt: skip
    not_exchange = screen(payment(beneficiary_name="Marina Foodstuff Supply"), ruleset)
    for outcome in (eur, germany, not_exchange):
        assert "iraq-usd-to-exchange-house-hub" not in fired(outcome)


def test_travel_agency_is_info_only(ruleset: RuleSet) -> None:
    outcome = screen(
        payment(beneficiary_name="Karbala Pilgrim Travel and Tourism", beneficiary_country="TR"),
        ruleset,
    )
    assert fired(outcome) == {"travel-agency-usd-from-iraq": "info"}
    assert outcome.decision is Decision.CLEAR
    eur = screen(payment("EUR", beneficiary_name="Karbala Pilgrim Travel and Tourism"), ruleset)
    assert fired(eur) == {}


def test_owners_aggregated_to_50_percent_block(ruleset: RuleSet) -> None:
    owners = (Owner(name="Hamad al-Moussawi", share=30), Owner(name="Kata'ib Hizballah", share=25),
              Owner(name="Ali Hassan", share=45))  # fmt: skip
    outcome = screen(payment(owners=owners), ruleset)
    rule = next(
        t for t in outcome.triggered_rules if t.rule_id == "owned-50-percent-by-blocked-persons"
    )
    assert rule.roles == ("beneficiary",)
    assert set(rule.entity_ids) == {MOUSSAWI.id, KATAIB_HIZBALLAH.id}
    assert "55" in rule.reason
    assert outcome.decision is Decision.BLOCK


def test_minority_listed_owner_is_review(ruleset: RuleSet) -> None:
    owners = (Owner(name="Hamad al-Moussawi", share=30), Owner(name="Ali Hassan", share=70))
    rules = fired(screen(payment(owners=owners), ruleset))
    assert rules.get("owned-minority-by-blocked-persons") == "review"
    assert "owned-50-percent-by-blocked-persons" not in rules


def test_unlisted_owners_do_not_fire(ruleset: RuleSet) -> None:
    owners = (Owner(name="Ali Hassan", share=60), Owner(name="Zainab Kareem"))
    rules = fired(screen(payment(owners=owners), ruleset))
    assert not {r for r in rules if r.startswith("owned")}


def test_sdn_owner_with_unknown_share_is_review(ruleset: RuleSet) -> None:
    outcome = screen(payment(owners=(Owner(name="Hamad al-Moussawi"),)), ruleset)
    rules = fired(outcome)
    assert rules.get("owned-by-sdn-share-unknown") == "review"
    assert "owned-50-percent-by-blocked-persons" not in rules


def test_al_huda_style_list_entry_with_sdn_owner_is_review(ruleset: RuleSet) -> None:
    outcome = evaluate(
        ruleset, [screened("beneficiary.bank", "Al-Huda Bank", (AL_HUDA_311, 1.0))], None
    )
    rule = next(t for t in outcome.triggered if t.rule_id == "owned-by-sdn-share-unknown")
    assert rule.entity_ids == (AL_HUDA_311.id,)


def test_clean_payment_is_clear(ruleset: RuleSet) -> None:
    outcome = screen(payment(), ruleset)
    assert outcome.decision is Decision.CLEAR
    assert outcome.triggered_rules == ()
    assert outcome.ruleset_version == ruleset.version


def test_amount_keeps_its_value_in_reasons(ruleset: RuleSet) -> None:
    transaction = payment(beneficiary_name="Al Noor Exchange LLC").model_copy(
        update={"amount": Decimal("1250000")}
    )
    rule = next(
        t
        for t in screen(transaction, ruleset).triggered_rules
        if t.rule_id == "iraq-usd-to-exchange-house-hub"
    )
    assert "1,250,000.00" in rule.reason
