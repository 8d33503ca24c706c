"""The result of screening a party or a payment: what the API returns and the audit trail keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.core.decision import Decision
from app.matching.types import Match, MatchQuery
from app.rules.types import TriggeredRule


@dataclass(frozen=True, slots=True)
class ListVersion:
    list_id: str
    version: int  # snapshot sequence number, 1, 2, 3 ... per list
    content_hash: str
    loaded_at: datetime
    entry_count: int


@dataclass(frozen=True, slots=True)
class ScreenedParty:
    """One party of a screening with its role and what the matcher found for it."""

    role: str  # "party" for a single screening; "originator", "beneficiary.bank", ... for payments
    query: MatchQuery
    matches: tuple[Match, ...]
    address: str | None = None
    account: str | None = None
    # Extra facts a rule may test (e.g. "share" for owners, "bic" for banks).
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    decision: Decision
    risk_score: float
    parties: tuple[ScreenedParty, ...]
    triggered_rules: tuple[TriggeredRule, ...]
    list_versions: tuple[ListVersion, ...]
    ruleset_version: str | None

    @property
    def matches(self) -> list[tuple[str, Match]]:
        """Every match with the role of the party it belongs to, best first."""
        found = [(p.role, m) for p in self.parties for m in p.matches]
        return sorted(found, key=lambda rm: rm[1].score, reverse=True)
