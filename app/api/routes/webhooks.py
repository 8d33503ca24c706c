"""Webhook registration and delivery history (admin role)."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlsplit

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, field_validator

from app.api.auth import Admin
from app.api.errors import ERROR_RESPONSES
from app.api.routes.customers import MonitorDep
from app.db.monitoring import WebhookDeliveryRecord, WebhookRecord, aware
from app.monitoring.service import EVENTS
from app.webhooks.signing import new_secret

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class WebhookCreate(BaseModel):
    url: str = Field(max_length=2000, description="http(s) URL that receives POSTed events")
    events: list[str] = Field(min_length=1, description=f"Any of: {', '.join(EVENTS)}")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("url must be an absolute http:// or https:// URL")
        return value.strip()

    @field_validator("events")
    @classmethod
    def _known_events(cls, values: list[str]) -> list[str]:
        unknown = sorted(set(values) - set(EVENTS))
        if unknown:
            raise ValueError(f"unknown event(s) {', '.join(unknown)}; known: {', '.join(EVENTS)}")
        return sorted(set(values))


class WebhookOut(BaseModel):
    id: int
    url: str
    events: list[str]
    created_by: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: WebhookRecord) -> WebhookOut:
        return cls(id=row.id or 0, url=row.url, events=[e for e in row.events.split(",") if e],
                   created_by=row.created_by, created_at=aware(row.created_at) or row.created_at)


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signing secret. Shown once: verify X-Exposure-Signature with it.")


class DeliveryOut(BaseModel):
    id: str
    event: str
    status: str = Field(description="pending, delivered or failed")
    attempt_count: int
    next_attempt_at: datetime | None
    attempts: list[dict[str, object]] = Field(description="Every try: time, HTTP status or error, duration")
    body: dict[str, object]
    created_at: datetime

    @classmethod
    def from_row(cls, row: WebhookDeliveryRecord) -> DeliveryOut:
        return cls(id=row.id, event=row.event, status=row.status, attempt_count=row.attempt_count,
                   next_attempt_at=aware(row.next_attempt_at), attempts=json.loads(row.attempts),
                   body=json.loads(row.body), created_at=aware(row.created_at) or row.created_at)


@router.post("", status_code=201, responses=ERROR_RESPONSES)
def create_webhook(body: WebhookCreate, monitor: MonitorDep, who: Admin) -> WebhookCreated:
    """Register a URL for events; the response carries the signing secret, shown only this once."""
    secret = new_secret()
    row = monitor.store.create_webhook(url=body.url, events=body.events, secret=secret, actor=who.name)
    return WebhookCreated(**WebhookOut.from_row(row).model_dump(), secret=secret)


@router.get("", responses=ERROR_RESPONSES)
def list_webhooks(monitor: MonitorDep, who: Admin) -> list[WebhookOut]:
    return [WebhookOut.from_row(r) for r in monitor.store.list_webhooks()]


@router.delete("/{webhook_id}", status_code=204, responses=ERROR_RESPONSES)
def delete_webhook(webhook_id: int, monitor: MonitorDep, who: Admin) -> None:
    """Stop sending to this hook; pending deliveries end as failed."""
    monitor.store.delete_webhook(webhook_id, actor=who.name)


@router.get("/{webhook_id}/deliveries", responses=ERROR_RESPONSES)
def list_deliveries(
    webhook_id: int, monitor: MonitorDep, who: Admin, limit: int = Query(default=100, ge=1, le=1000),
) -> list[DeliveryOut]:
    """Delivery history of one hook, newest first, with every attempt."""
    monitor.store.get_webhook(webhook_id)
    return [DeliveryOut.from_row(r) for r in monitor.store.deliveries_of(webhook_id, limit=limit)]
