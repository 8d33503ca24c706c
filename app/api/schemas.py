"""Wire schemas of the HTTP API, kept apart from domain types and tables; converters live here."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.lists.models import EntityKind, IdentifierType, ListEntry
from app.matching.types import Match, MatchQuery, QueryIdentifier
from app.payments.models import Transaction
from app.rules.types import TriggeredRule
from app.screening.outcome import ListVersion, ScreeningOutcome

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ErrorBody(BaseModel):
    error: str = Field(description="The error class, e.g. InvalidQuery, UnknownList")
    detail: str | list[dict[str, object]] = Field(description="What is wrong, in words")


class IdentifierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: IdentifierType
    value: str = Field(min_length=1, max_length=100)


class ScreenRequest(BaseModel):
    """One party to screen. Give a name, identifiers, or both."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=500, description="Name in any script")
    type: Literal["person", "organization", "vessel", "aircraft", "any"] = "any"
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2, e.g. IQ")
    countries: list[str] = Field(default_factory=list, max_length=20)
    dob: str | None = Field(default=None, description="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    lists: list[str] | None = Field(default=None, description="Only these list ids (default: all)")
    threshold: float | None = Field(default=None, ge=0, le=1, description="Minimum score (default: per list)")
    limit: int | None = Field(default=None, ge=1, le=500, description="Maximum matches returned")
    external_id: str | None = Field(default=None, max_length=200, description="Your customer or payment reference")
    transaction: Transaction | None = Field(
        default=None, description="A whole payment: every party, owner and bank in it is screened under its role"
    )

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str | None) -> str | None:
        return _check_country(value) if value else None

    @field_validator("countries")
    @classmethod
    def _country_codes(cls, values: list[str]) -> list[str]:
        return [_check_country(v) for v in values]

    @field_validator("dob")
    @classmethod
    def _partial_date(cls, value: str | None) -> str | None:
        if value and not PARTIAL_DATE.match(value):
            raise ValueError("dob must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value or None

    def to_query(self) -> MatchQuery:
        countries = tuple(dict.fromkeys(([self.country] if self.country else []) + self.countries))
        return MatchQuery(
            name=self.name,
            kind=None if self.type == "any" else EntityKind(self.type),
            countries=countries,
            birth_date=self.dob,
            identifiers=tuple(QueryIdentifier(i.type, i.value) for i in self.identifiers),
        )


def _check_country(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code such as IQ, got {value!r}")
    return code


class FeatureOut(BaseModel):
    name: str
    score: float
    weight: float
    detail: str
    query: str | None = None
    candidate: str | None = None


class MatchOut(BaseModel):
    list_id: str
    entity_id: str
    name: str = Field(description="The listed party's primary name")
    matched_name: str = Field(description="The list name or alias that matched")
    name_strength: str
    score: float
    kind: str
    programs: list[str]
    legal_basis: str | None
    action: str | None
    role: str = "party"
    explanation: str
    features: list[FeatureOut]
    suppressed: bool = Field(default=False, description="An approved false positive for this party: shown, not counted")
    suppressed_by: dict[str, object] | None = Field(default=None, description="The review decision that suppressed it")

    @classmethod
    def from_domain(cls, match: Match, role: str = "party") -> MatchOut:
        entry = match.entry
        return cls(
            list_id=entry.list_id, entity_id=entry.id, name=entry.name, matched_name=match.matched_name,
            name_strength=match.name_strength.value, score=round(match.score, 4), kind=entry.kind.value,
            programs=list(entry.programs), legal_basis=entry.legal_basis,
            action=entry.action.value if entry.action else None, role=role, explanation=match.explanation,
            features=[FeatureOut(name=f.name, score=round(f.score, 4), weight=f.weight, detail=f.detail,
                                 query=f.query, candidate=f.candidate) for f in match.features],
        )


class ReferenceOut(BaseModel):
    title: str
    citation: str | None = None
    date: str | None = None
    url: str | None = None


class TriggeredRuleOut(BaseModel):
    rule_id: str
    title: str
    action: str
    score: float
    reason: str
    roles: list[str]
    entity_ids: list[str]
    references: list[ReferenceOut]
    pack: str | None = None

    @classmethod
    def from_domain(cls, rule: TriggeredRule) -> TriggeredRuleOut:
        refs = [ReferenceOut(title=r.title, citation=r.citation, date=r.date, url=r.url) for r in rule.references]
        return cls(rule_id=rule.rule_id, title=rule.title, action=rule.action, score=rule.score, reason=rule.reason,
                   roles=list(rule.roles), entity_ids=list(rule.entity_ids), references=refs, pack=rule.pack)


class ListVersionOut(BaseModel):
    list_id: str
    version: int
    content_hash: str
    loaded_at: datetime
    entry_count: int
    age_seconds: int = Field(description="Seconds since this version was loaded")

    @classmethod
    def from_domain(cls, v: ListVersion) -> ListVersionOut:
        loaded = v.loaded_at if v.loaded_at.tzinfo else v.loaded_at.replace(tzinfo=UTC)
        return cls(list_id=v.list_id, version=v.version, content_hash=v.content_hash, loaded_at=loaded,
                   entry_count=v.entry_count, age_seconds=int((datetime.now(UTC) - loaded).total_seconds()))


class ScreenResponse(BaseModel):
    screening_id: str
    decision: Literal["clear", "review", "block"]
    risk_score: float
    matches: list[MatchOut]
    triggered_rules: list[TriggeredRuleOut]
    lists: list[ListVersionOut]
    ruleset_version: str | None
    external_id: str | None = None
    stale_lists: list[str] = Field(default_factory=list, description="Lists older than their freshness limit")

    @classmethod
    def from_domain(
        cls, screening_id: str, outcome: ScreeningOutcome, external_id: str | None = None, *,
        stale_lists: list[str] | None = None, suppressed: list[MatchOut] | None = None,
    ) -> ScreenResponse:
        return cls(
            screening_id=screening_id, decision=outcome.decision.value, risk_score=outcome.risk_score,
            matches=[MatchOut.from_domain(m, role) for role, m in outcome.matches] + (suppressed or []),
            triggered_rules=[TriggeredRuleOut.from_domain(t) for t in outcome.triggered_rules],
            lists=[ListVersionOut.from_domain(v) for v in outcome.list_versions],
            ruleset_version=outcome.ruleset_version, external_id=external_id, stale_lists=stale_lists or [],
        )


class ListOut(BaseModel):
    id: str
    name: str
    authority: str
    category: str
    default_action: str
    legal_basis: str | None
    version: int
    content_hash: str
    entry_count: int
    format: str
    origin: str
    source: str | None
    fetched_at: datetime
    loaded_at: datetime
    checked_at: datetime | None
    stale: bool


class EntryOut(BaseModel):
    """A list entry as stored (the full entity model)."""

    entry: ListEntry


class EntriesPage(BaseModel):
    list_id: str
    total: int
    offset: int
    limit: int
    entries: list[ListEntry]


class LoadReportOut(BaseModel):
    list_id: str
    status: str
    version: int | None = None
    entry_count: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    error: str | None = None


class PaymentScreenResponse(BaseModel):
    """One message may carry several payments (pacs.008 with several CdtTrfTxInf): each is screened."""

    decision: Literal["clear", "review", "block"] = Field(description="The strongest decision of all payments")
    message_format: str
    screenings: list[ScreenResponse]
