"""Monitoring alerts and their four-eyes review (reviewer role)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.api.auth import Reviewer
from app.api.errors import ERROR_RESPONSES
from app.api.routes.customers import MonitorDep
from app.db.monitoring import AlertRecord, AlertReviewRecord, SuppressionRecord, aware
from app.monitoring import review
from app.monitoring.review import AlertStatus, Disposition
from app.monitoring.service import Monitor

router = APIRouter(prefix="/v1/alerts", tags=["monitoring"])
REVIEW_ERRORS = {**ERROR_RESPONSES, 403: ERROR_RESPONSES[400], 409: ERROR_RESPONSES[400]}


class ReviewOut(BaseModel):
    id: int
    action: str
    actor: str
    disposition: str | None
    reason: str
    created_at: datetime


class SuppressionOut(BaseModel):
    id: int
    entry_hash: str
    review_id: int
    proposed_by: str
    approved_by: str
    reason: str
    approved_at: datetime
    expires_at: datetime | None

    @classmethod
    def from_row(cls, row: SuppressionRecord) -> SuppressionOut:
        return cls(id=row.id or 0, entry_hash=row.entry_hash, review_id=row.review_id, proposed_by=row.proposed_by,
                   approved_by=row.approved_by, reason=row.reason, approved_at=aware(row.approved_at) or row.approved_at,
                   expires_at=aware(row.expires_at))


class AlertOut(BaseModel):
    id: int
    status: str = Field(description="open, proposed (waiting for a second reviewer) or closed")
    disposition: str | None = Field(description="Proposed or final: true_match or false_positive")
    proposed_by: str | None
    external_id: str
    party_name: str
    entity_id: str
    list_id: str
    score: float
    decision: str = Field(description="What a screening of this hit alone decides: review or block")
    match: dict[str, object] = Field(description="The match with its explanation and per-feature details")
    triggered_rules: list[dict[str, object]]
    change: dict[str, object] = Field(description="The list change that raised it: list, version, snapshot, added/changed")
    created_at: datetime
    updated_at: datetime
    reviews: list[ReviewOut] = Field(default_factory=list)
    suppression: SuppressionOut | None = None

    @classmethod
    def from_row(cls, row: AlertRecord, reviews: list[AlertReviewRecord] | None = None,
                 suppression: SuppressionRecord | None = None) -> AlertOut:
        return cls(
            id=row.id or 0, status=row.status, disposition=row.disposition, proposed_by=row.proposed_by,
            external_id=row.external_id, party_name=row.party_name, entity_id=row.entity_id, list_id=row.list_id,
            score=row.score, decision=row.decision, match=json.loads(row.match),
            triggered_rules=json.loads(row.triggered_rules), change=json.loads(row.change),
            created_at=aware(row.created_at) or row.created_at, updated_at=aware(row.updated_at) or row.updated_at,
            reviews=[ReviewOut(id=r.id or 0, action=r.action, actor=r.actor, disposition=r.disposition, reason=r.reason,
                               created_at=aware(r.created_at) or r.created_at) for r in reviews or []],
            suppression=SuppressionOut.from_row(suppression) if suppression else None,
        )


class ProposalIn(BaseModel):
    disposition: Disposition
    reason: str = Field(min_length=1, max_length=review.MAX_REASON)


class DecisionIn(BaseModel):
    approve: bool = Field(description="true approves the proposal; false rejects it and reopens the alert")
    reason: str = Field(default="", max_length=review.MAX_REASON, description="Required when rejecting")


@router.get("", responses=ERROR_RESPONSES)
def list_alerts(
    monitor: MonitorDep, who: Reviewer,
    status: AlertStatus | None = Query(default=None, description="open, proposed or closed"),
    external_id: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
) -> list[AlertOut]:
    """Alerts, newest first, optionally by status or party."""
    rows = monitor.store.list_alerts(status=status.value if status else None, external_id=external_id,
                                     limit=limit, offset=offset)
    return [AlertOut.from_row(r) for r in rows]


@router.get("/{alert_id}", responses=ERROR_RESPONSES)
def get_alert(alert_id: int, monitor: MonitorDep, who: Reviewer) -> AlertOut:
    """One alert with its match explanation, the rules triggered, the list change, and its review history."""
    return AlertOut.from_row(*monitor.store.get_alert(alert_id))


@router.post("/{alert_id}/proposal", responses=REVIEW_ERRORS)
def propose(alert_id: int, body: ProposalIn, monitor: MonitorDep, who: Reviewer) -> AlertOut:
    """First pair of eyes: propose true_match or false_positive, with a reason."""
    step = partial(review.propose, actor=who.name, disposition=body.disposition, reason=body.reason)
    return _apply(monitor, alert_id, step)


@router.post("/{alert_id}/decision", responses=REVIEW_ERRORS)
def decide(alert_id: int, body: DecisionIn, monitor: MonitorDep, who: Reviewer) -> AlertOut:
    """Second pair of eyes: approve or reject the proposal. The proposer cannot decide (403).

    An approved false_positive suppresses this party/list-entry pair until the entry changes or
    the suppression expires."""
    if body.approve:
        step = partial(review.approve, actor=who.name, reason=body.reason)
    else:
        step = partial(review.reject, actor=who.name, reason=body.reason)
    return _apply(monitor, alert_id, step)


def _apply(monitor: Monitor, alert_id: int, step: partial[review.Transition]) -> AlertOut:
    monitor.review(alert_id, step)
    return AlertOut.from_row(*monitor.store.get_alert(alert_id))
