"""Alerts: what a monitoring run found, built from delta hits, deduplicated and suppression-aware.

An alert carries everything an officer needs without looking elsewhere: the party, the match
with its per-feature explanation, the rules the hit triggers (the list baseline and any rule
pack), and the list change that caused it (list, version, snapshot, added or changed).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.matching.types import Match
from app.monitoring.delta import DeltaHit
from app.monitoring.suppression import Suppression, find_active
from app.rules.types import TriggeredRule
from app.screening.outcome import ScreenedParty
from app.screening.party import ScreeningPolicy, decide

if TYPE_CHECKING:
    from app.rules.loader import RuleSet

OPEN_STATUSES = ("open", "proposed")  # an alert still waiting for a disposition


@dataclass(frozen=True, slots=True)
class ListChange:
    """The list version whose diff a monitoring run screened."""

    list_id: str
    snapshot_id: int
    version: int
    changes: Mapping[str, str]  # entity id -> "added" | "changed"


@dataclass(frozen=True, slots=True)
class AlertDraft:
    external_id: str
    party_name: str
    entity_id: str
    list_id: str
    entry_hash: str
    score: float
    decision: str  # what a screening of this hit alone would decide: review or block
    match: dict[str, object]
    triggered_rules: list[dict[str, object]]
    change: dict[str, object]


@dataclass(frozen=True, slots=True)
class RunPlan:
    """What a monitoring run will store: new alerts, and the hits it deliberately did not raise."""

    alerts: list[AlertDraft]
    already_open: int  # hits on a pair that already has an open alert
    suppressed: int  # hits on a pair cleared as a false positive, still valid


def plan_alerts(
    hits: Iterable[DeltaHit],
    change: ListChange,
    entry_hashes: Mapping[str, str],
    *,
    open_pairs: Collection[tuple[str, str]],
    suppressions: Mapping[tuple[str, str], Suppression],
    now: datetime,
    policy: ScreeningPolicy,
    ruleset: RuleSet | None,
) -> RunPlan:
    """Turn hits into alert drafts: one per (party, entity); none while an alert on it is open."""
    alerts: list[AlertDraft] = []
    seen: set[tuple[str, str]] = set(open_pairs)
    already_open = suppressed = 0
    for hit in hits:
        pair = (hit.party.external_id, hit.match.entity_id)
        if pair in seen:
            already_open += pair in open_pairs
            continue
        entry_hash = entry_hashes.get(hit.match.entity_id, "")
        if find_active([suppressions[pair]] if pair in suppressions else [], entry_hash, now):
            suppressed += 1
            continue
        seen.add(pair)
        alerts.append(build_alert(hit, change, entry_hash, policy=policy, ruleset=ruleset))
    return RunPlan(alerts, already_open, suppressed)


def build_alert(
    hit: DeltaHit, change: ListChange, entry_hash: str, *, policy: ScreeningPolicy, ruleset: RuleSet | None
) -> AlertDraft:
    party = ScreenedParty(role="party", query=hit.party.query, matches=(hit.match,))
    outcome = decide((party,), policy=policy, ruleset=ruleset, list_versions=())
    return AlertDraft(
        external_id=hit.party.external_id,
        party_name=hit.party.query.name,
        entity_id=hit.match.entity_id,
        list_id=hit.match.list_id,
        entry_hash=entry_hash,
        score=round(hit.match.score, 4),
        decision=outcome.decision.value,
        match=match_document(hit.match),
        triggered_rules=[_rule_document(r) for r in outcome.triggered_rules],
        change={"list_id": change.list_id, "snapshot_id": change.snapshot_id, "version": change.version,
                "change": change.changes.get(hit.match.entity_id, "changed")},
    )


def match_document(match: Match) -> dict[str, object]:
    """The match as stored with the alert: the same fields a screening response shows."""
    entry = match.entry
    return {
        "list_id": entry.list_id, "entity_id": entry.id, "name": entry.name,
        "matched_name": match.matched_name, "name_strength": match.name_strength.value,
        "score": round(match.score, 4), "kind": entry.kind.value, "programs": list(entry.programs),
        "legal_basis": entry.legal_basis, "action": entry.action.value if entry.action else None,
        "explanation": match.explanation,
        "features": [{"name": f.name, "score": round(f.score, 4), "weight": f.weight, "detail": f.detail,
                      "query": f.query, "candidate": f.candidate} for f in match.features],
    }


def _rule_document(rule: TriggeredRule) -> dict[str, object]:
    return {
        "rule_id": rule.rule_id, "title": rule.title, "action": rule.action, "score": rule.score,
        "reason": rule.reason, "entity_ids": list(rule.entity_ids), "pack": rule.pack,
        "references": [{"title": r.title, "citation": r.citation, "url": r.url} for r in rule.references],
    }
