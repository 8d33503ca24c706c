"""What rule evaluation returns. Kept apart from rule loading so screening can import it cheaply."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.decision import Decision


@dataclass(frozen=True, slots=True)
class Reference:
    """The legal basis or advisory a rule rests on."""

    title: str
    date: str | None = None  # ISO date of the instrument
    url: str | None = None
    citation: str | None = None  # e.g. "89 FR 55051", "31 CFR 560.427"


@dataclass(frozen=True, slots=True)
class TriggeredRule:
    rule_id: str
    title: str
    action: str  # block | review | info
    score: float  # contribution to the risk score
    reason: str  # why it fired, in words an officer can act on
    roles: tuple[str, ...] = ()  # the parties that triggered it: "beneficiary.bank", "intermediaries[0]"
    entity_ids: tuple[str, ...] = ()  # the list entries involved
    references: tuple[Reference, ...] = ()
    pack: str | None = None  # rule pack id


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    decision: Decision
    risk_score: float  # in [0, 1]
    triggered: tuple[TriggeredRule, ...]
    ruleset_version: str  # content hash of the loaded rule packs
