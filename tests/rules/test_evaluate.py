"""Evaluation mechanics: decision and score combination, failing rules, context facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.decision import Decision
from app.core.errors import RuleSetInvalid
from app.rules.context import build_context
from app.rules.evaluate import combine_scores, evaluate
from app.rules.loader import load_ruleset
from app.rules.text import business_types, find_mentions, names_iran, prepare_terms
from tests.rules.factories import AL_HUDA_311, MOUSSAWI, UNION_BANK, payment, screened

PACK = """
id: mech
title: Mechanics
rules:
  - id: bank-review
    title: Bank review
    action: review
    score: 0.5
    condition: party.is_bank
    reason: "{roles} {names}"
  - id: listed-info
    title: Listed info
    action: info
    score: 0.5
    scope: match
    condition: match.score > 0.0
  - id: boom
    title: Fails on odd data
    action: info
    score: 0.2
    condition: party.name == "Boom" && 1 / int(party.account) > 0
"""


@pytest.fixture
def ruleset(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "mech.yaml").write_text(PACK)
    return load_ruleset(tmp_path)


def test_scores_combine_as_independent_evidence() -> None:
    assert combine_scores([]) == 0.0
    assert combine_scores([0.5, 0.5]) == 0.75
    assert combine_scores([1.0, 0.2]) == 1.0
    assert combine_scores([2.0]) == 1.0


def test_strongest_action_wins_and_info_does_not_decide(ruleset) -> None:  # type: ignore[no-untyped-def]
    bank = screened(
        "beneficiary.bank", "Union Bank of Iraq", (UNION_BANK, 1.0), is_bank="true", bic="UBIQIQBA"
    )
    outcome = evaluate(ruleset, [bank])
    assert outcome.decision is Decision.REVIEW
    assert outcome.risk_score == 0.75
    by_id = {t.rule_id: t for t in outcome.triggered}
    assert by_id["bank-review"].reason == "beneficiary.bank Union Bank of Iraq"
    assert by_id["listed-info"].entity_ids == (UNION_BANK.id,)
    only_info = evaluate(ruleset, [screened("beneficiary", "X", (UNION_BANK, 1.0))])
    assert only_info.decision is Decision.CLEAR


def test_rule_failing_at_run_time_fires_as_review(ruleset) -> None:  # type: ignore[no-untyped-def]
    outcome = evaluate(ruleset, [screened("beneficiary", "Boom")])
    (failed,) = outcome.triggered
    assert failed.rule_id == "boom"
    assert failed.action == "review"
    assert "could not be evaluated" in failed.reason


def test_context_aggregates_listed_owners() -> None:
    parties = [
        screened("beneficiary", "Acme"),
        screened(
            "beneficiary.owners[0]", "Hamad", (MOUSSAWI, 0.97), owner_of="beneficiary", share="30"
        ),
        screened("beneficiary.owners[1]", "Hamad again", (MOUSSAWI, 0.95), owner_of="beneficiary"),
        screened(
            "beneficiary.owners[2]", "Weak", (MOUSSAWI, 0.82), owner_of="beneficiary", share="40"
        ),
    ]
    context = build_context(parties, payment())
    beneficiary = context["parties"][0]  # type: ignore[index]
    assert beneficiary["listed_owner_share"] == 30.0  # type: ignore[index]
    assert beneficiary["listed_owners_unknown_share"] == 1  # type: ignore[index]
    assert beneficiary["listed_owner_ids"] == [MOUSSAWI.id]  # type: ignore[index]


def test_context_match_fields() -> None:
    context = build_context(
        [screened("beneficiary.bank", "", (AL_HUDA_311, 1.0), bic="BHDAIQBA", is_bank="true")], None
    )
    party = context["parties"][0]  # type: ignore[index]
    match = party["matches"][0]  # type: ignore[index]
    assert party["country"] == "IQ"  # type: ignore[index]
    assert match["category"] == "special_measure"  # type: ignore[index]
    assert match["sdn"] is False  # type: ignore[index]
    assert match["properties"]["owner_listed_on"] == "ofac-sdn"  # type: ignore[index]
    assert context["transaction"] is None


def test_text_helpers() -> None:
    terms = prepare_terms([("IRGC", ("الحرس الثوري", "Islamic Revolutionary Guard Corps"))])
    assert find_mentions("funds for the Islamic Revolutionery Guard Corps", terms) == ["IRGC"]
    assert find_mentions("IRGCX holdings", terms) == []
    assert business_types("Zagros General Trading FZE") == ["trading_company", "free_zone_company"]
    assert business_types("صرافة النور") == ["exchange_house"]
    assert names_iran("Valiasr Ave, Tehran")
    assert not names_iran("Irani Street, Basra")


def test_rules_only_see_the_fields_they_name(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PACK)
    ruleset = load_ruleset(tmp_path)
    assert {"is_bank", "score", "matches", "name", "account"} <= ruleset.projection.fields
    assert "address" not in ruleset.projection.fields
    # Index syntax escapes the field scan, so the projected dry run refuses it at load.
    (tmp_path / "p.yaml").write_text(
        PACK.replace("condition: party.is_bank", 'condition: party["in_iran"]')
    )
    with pytest.raises(RuleSetInvalid) as raised:
        load_ruleset(tmp_path)
    assert "rule bank-review: fails on sample data" in raised.value.problems[0]


def test_quiet_contexts_are_remembered_and_firing_ones_are_not(ruleset) -> None:  # type: ignore[no-untyped-def]
    plain = [screened("party", "Someone")]
    first = evaluate(ruleset, plain)
    assert first.triggered == ()
    assert len(ruleset.quiet_contexts) == 1
    assert evaluate(ruleset, plain) == first  # answered from the remembered context
    bank = [screened("party", "Someone", is_bank="true")]
    assert [t.rule_id for t in evaluate(ruleset, bank).triggered] == ["bank-review"]
    assert len(ruleset.quiet_contexts) == 1  # a context that fired is never remembered
    assert [t.rule_id for t in evaluate(ruleset, bank).triggered] == ["bank-review"]
