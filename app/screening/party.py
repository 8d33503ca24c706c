"""Screen one party: match it against the loaded lists, apply the rules, decide.

The decision has two sources, combined by taking the strongest:
- the lists themselves (a match on a list whose action is `block` blocks when the score reaches
  the block threshold, any other match asks for review), so a bare name screening is never
  `clear` while it matches a listed party;
- the rule packs, which add context (currency, roles, ownership, corridors) and legal references.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.decision import Decision
from app.lists.models import ListAction, ListInfo
from app.matching.index import MatchIndex
from app.matching.types import Match, MatchConfig, MatchQuery
from app.rules.types import Reference, TriggeredRule
from app.screening.outcome import ListVersion, ScreenedParty, ScreeningOutcome

if TYPE_CHECKING:
    from app.rules.loader import RuleSet


@dataclass(frozen=True, slots=True)
class ScreeningPolicy:
    """What list matches mean before any rule: each list's action and the score that blocks."""

    lists: Mapping[str, ListInfo]
    block_threshold: float = 0.95


def screen_party(
    query: MatchQuery,
    index: MatchIndex,
    *,
    config: MatchConfig,
    policy: ScreeningPolicy,
    ruleset: RuleSet | None = None,
    list_versions: tuple[ListVersion, ...] = (),
) -> ScreeningOutcome:
    party = ScreenedParty(role="party", query=query, matches=tuple(index.search(query, config)))
    return decide((party,), policy=policy, ruleset=ruleset, list_versions=list_versions)


def decide(
    parties: Sequence[ScreenedParty],
    *,
    policy: ScreeningPolicy,
    ruleset: RuleSet | None,
    list_versions: tuple[ListVersion, ...],
    transaction: Any = None,
) -> ScreeningOutcome:
    """Combine the list baseline with the rule packs into one decision."""
    triggered = list_match_reasons(parties, policy)
    risk = max((t.score for t in triggered), default=0.0)
    ruleset_version = None
    if ruleset is not None:
        from app.rules.evaluate import evaluate

        outcome = evaluate(ruleset, parties, transaction)
        triggered.extend(outcome.triggered)
        risk = max(risk, outcome.risk_score)
        ruleset_version = outcome.ruleset_version
    decision = Decision.strongest([Decision(t.action) for t in triggered if t.action != "info"])
    return ScreeningOutcome(
        decision=decision,
        risk_score=round(min(risk, 1.0), 4),
        parties=tuple(parties),
        triggered_rules=tuple(triggered),
        list_versions=list_versions,
        ruleset_version=ruleset_version,
    )


def list_match_reasons(parties: Sequence[ScreenedParty], policy: ScreeningPolicy) -> list[TriggeredRule]:
    """One reason per party and list it matched, carrying that list's action and legal basis."""
    reasons: list[TriggeredRule] = []
    for party in parties:
        best_by_list: dict[str, Match] = {}
        for match in party.matches:
            if match.list_id not in best_by_list or match.score > best_by_list[match.list_id].score:
                best_by_list[match.list_id] = match
        reasons.extend(_list_reason(party.role, m, policy) for m in best_by_list.values())
    return reasons


def _list_reason(role: str, match: Match, policy: ScreeningPolicy) -> TriggeredRule:
    info = policy.lists.get(match.list_id)
    list_action = match.entry.action or (info.default_action if info else ListAction.REVIEW)
    action = _action_for(list_action, match.score, policy.block_threshold)
    list_name = info.name if info else match.list_id
    basis = match.entry.legal_basis or (info.legal_basis if info else None)
    refs = (Reference(title=list_name, citation=basis, url=match.entry.source_url),)
    who = f"{role}: " if role != "party" else ""
    reason = (
        f"{who}{match.matched_name!r} on {list_name} ({match.entity_id}) scored {match.score:.2f}; "
        f"list action {list_action.value}"
        + ("" if action == list_action.value else f", {action} below the {policy.block_threshold:.2f} block score")
    )
    return TriggeredRule(
        rule_id=f"list-match.{match.list_id}",
        title=f"Match on {list_name}",
        action=action,
        score=round(match.score, 4),
        reason=reason,
        roles=(role,),
        entity_ids=(match.entity_id,),
        references=refs,
        pack="lists",
    )


def _action_for(list_action: ListAction, score: float, block_threshold: float) -> str:
    # A fuzzy hit is a potential match: an officer confirms it before funds are blocked.
    if list_action is ListAction.BLOCK and score < block_threshold:
        return Decision.REVIEW.value
    return list_action.value
