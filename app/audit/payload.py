"""What an audit record keeps of a screening: enough to show an examiner, years later, what was
screened, against which list versions and rules, and why the decision came out as it did."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from app.matching.types import Match
from app.screening.outcome import ListVersion, ScreeningOutcome


def screening_payload(request: dict[str, Any], outcome: ScreeningOutcome) -> dict[str, Any]:
    return {
        "request": request,
        "decision": outcome.decision.value,
        "risk_score": outcome.risk_score,
        "list_versions": _versions(outcome.list_versions),
        "ruleset_version": outcome.ruleset_version,
        "matches": [_match(role, m) for role, m in outcome.matches],
        "triggered_rules": [
            {"rule_id": t.rule_id, "title": t.title, "action": t.action, "score": t.score, "reason": t.reason,
             "roles": list(t.roles), "entity_ids": list(t.entity_ids), "pack": t.pack,
             "references": [{"title": r.title, "citation": r.citation, "date": r.date, "url": r.url} for r in t.references]}
            for t in outcome.triggered_rules
        ],
    }


@lru_cache(maxsize=16)
def _versions(list_versions: tuple[ListVersion, ...]) -> list[dict[str, Any]]:
    # Every row of a batch chunk was screened against the same versions: described once.
    # Callers only serialise the payload, never change it, so sharing the list is safe.
    return [
        {"list_id": v.list_id, "version": v.version, "content_hash": v.content_hash,
         "loaded_at": v.loaded_at.isoformat(), "entry_count": v.entry_count}
        for v in list_versions
    ]


def matched_list_ids(outcome: ScreeningOutcome) -> list[str]:
    return sorted({m.list_id for _, m in outcome.matches})


def _match(role: str, match: Match) -> dict[str, Any]:
    return {
        "role": role,
        "list_id": match.list_id,
        "entity_id": match.entity_id,
        "name": match.entry.name,
        "matched_name": match.matched_name,
        "name_strength": match.name_strength.value,
        "score": round(match.score, 4),
        "explanation": match.explanation,
        "features": [
            {"name": f.name, "score": round(f.score, 4), "weight": f.weight, "detail": f.detail,
             "query": f.query, "candidate": f.candidate}
            for f in match.features
        ],
    }
