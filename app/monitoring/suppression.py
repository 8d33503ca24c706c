"""The good-guy list: approved false positives that silence one (party, list entry) pair.

A suppression is scoped to the bank's party id and the list's entity id, and remembers the entry
content hash the reviewers looked at. It stops applying when the entry changes (new aliases,
identifiers or programmes deserve a fresh look), when it expires, or when it is revoked.
A suppressed match is never hidden: the screening still shows it, marked with the decision that
suppressed it, and only the overall decision is recomputed without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.lists.models import ListEntry
from app.matching.types import Match
from app.screening.outcome import ScreeningOutcome
from app.screening.party import ScreeningPolicy, decide

if TYPE_CHECKING:
    from app.rules.loader import RuleSet


@dataclass(frozen=True, slots=True)
class Suppression:
    external_id: str
    entity_id: str
    entry_hash: str  # content hash of the list entry when the false positive was approved
    alert_id: int
    review_id: int  # the approved review that created it
    proposed_by: str
    approved_by: str
    reason: str
    approved_at: datetime
    expires_at: datetime | None

    def applies_to(self, entry_hash: str, now: datetime) -> bool:
        if self.entry_hash != entry_hash:
            return False  # the entry changed since it was reviewed
        return self.expires_at is None or now < self.expires_at


def expiry(approved_at: datetime, days: int | None) -> datetime | None:
    """When a suppression approved now stops applying; None (never) when days is 0 or None."""
    return approved_at + timedelta(days=days) if days else None


def find_active(candidates: Iterable[Suppression], entry_hash: str, now: datetime) -> Suppression | None:
    return next((s for s in candidates if s.applies_to(entry_hash, now)), None)


@dataclass(frozen=True, slots=True)
class SuppressedMatch:
    role: str
    match: Match
    suppression: Suppression


@dataclass(frozen=True, slots=True)
class SuppressedScreening:
    """A screening outcome recomputed without suppressed matches, plus those matches."""

    outcome: ScreeningOutcome  # decision, rules and matches without the suppressed ones
    suppressed: tuple[SuppressedMatch, ...]

    def suppression_for(self, entity_id: str) -> Suppression | None:
        return next((s.suppression for s in self.suppressed if s.match.entity_id == entity_id), None)


def entry_hash_of(entry: ListEntry) -> str:
    return entry.content_hash()


def apply_suppressions(
    outcome: ScreeningOutcome,
    suppressions: Mapping[str, Iterable[Suppression]],
    *,
    now: datetime,
    policy: ScreeningPolicy,
    ruleset: RuleSet | None,
    transaction: Any = None,
) -> SuppressedScreening:
    """Take suppressed matches out of the decision; `suppressions` is keyed by entity id.

    Returns the outcome unchanged when nothing is suppressed (no second rule evaluation).
    """
    parties, suppressed = [], []
    for party in outcome.parties:
        kept = []
        for match in party.matches:
            found = find_active(suppressions.get(match.entity_id, ()), entry_hash_of(match.entry), now)
            if found is None:
                kept.append(match)
            else:
                suppressed.append(SuppressedMatch(party.role, match, found))
        parties.append(replace(party, matches=tuple(kept)))
    if not suppressed:
        return SuppressedScreening(outcome, ())
    recomputed = decide(parties, policy=policy, ruleset=ruleset, list_versions=outcome.list_versions,
                        transaction=transaction)
    return SuppressedScreening(recomputed, tuple(suppressed))


def suppression_document(suppression: Suppression) -> dict[str, object]:
    """What a screening response shows beside a suppressed match: the decision that suppressed it."""
    return {
        "review_id": suppression.review_id, "alert_id": suppression.alert_id,
        "proposed_by": suppression.proposed_by, "approved_by": suppression.approved_by,
        "reason": suppression.reason, "entry_hash": suppression.entry_hash,
        "approved_at": suppression.approved_at.isoformat(),
        "expires_at": suppression.expires_at.isoformat() if suppression.expires_at else None,
    }
