"""Webhook tables (hooks, deliveries) and their queries, shared by the monitoring store.

Every change an examiner may ask about (a hook registered or removed) is written to the audit
chain in the same transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from app.core.errors import UnknownEntity
from app.db.audit import append_record
from app.db.models import utcnow
from app.webhooks.delivery import Attempt
from app.webhooks.dispatcher import DueDelivery

TZ = sa.DateTime(timezone=True)


class WebhookRecord(SQLModel, table=True):
    __tablename__ = "webhook"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=sa.Text)
    events: str = Field(max_length=200)  # ",alert.created,list.updated,"
    secret: str = Field(max_length=100)  # needed in clear to sign; shown once at creation
    active: bool = Field(default=True)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class WebhookDeliveryRecord(SQLModel, table=True):
    __tablename__ = "webhook_delivery"

    id: str = Field(primary_key=True, max_length=36)
    webhook_id: int = Field(foreign_key="webhook.id", index=True)
    event: str = Field(max_length=40)
    body: str = Field(sa_type=sa.Text)
    status: str = Field(index=True, max_length=20)  # pending | delivered | failed
    attempt_count: int = 0
    next_attempt_at: datetime | None = Field(default=None, index=True, sa_type=TZ)
    attempts: str = Field(default="[]", sa_type=sa.Text)  # JSON list of Attempt.to_dict()
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class WebhookQueries:
    """Opens its own sessions, so the dispatcher never touches SQLModel."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def _writer(self) -> Session:
        # immediate: take SQLite's write lock before reading the audit chain head
        return Session(self.engine.execution_options(immediate=True))

    def _audit(self, session: Session, kind: str, actor: str, payload: dict[str, object],
               external_id: str | None = None) -> None:
        append_record(session, record_id=str(uuid.uuid4()), kind=kind, actor=actor, payload=payload,
                      external_id=external_id)

    # -- webhooks ----------------------------------------------------------------------------
    def create_webhook(self, *, url: str, events: Sequence[str], secret: str, actor: str) -> WebhookRecord:
        with self._writer() as session:
            row = WebhookRecord(url=url, events="," + ",".join(sorted(set(events))) + ",", secret=secret, created_by=actor)
            session.add(row)
            session.flush()
            self._audit(session, "webhook.created", actor, {"webhook_id": row.id, "url": url, "events": sorted(set(events))})
            session.commit()
            session.refresh(row)
            return row

    def list_webhooks(self) -> list[WebhookRecord]:
        with Session(self.engine) as session:
            return list(session.exec(select(WebhookRecord).where(col(WebhookRecord.active)).order_by(col(WebhookRecord.id))).all())

    def get_webhook(self, webhook_id: int) -> WebhookRecord:
        with Session(self.engine) as session:
            row = session.get(WebhookRecord, webhook_id)
            if row is None or not row.active:
                raise UnknownEntity(f"no webhook has id {webhook_id}")
            return row

    def delete_webhook(self, webhook_id: int, *, actor: str) -> None:
        with self._writer() as session:
            row = session.get(WebhookRecord, webhook_id)
            if row is None or not row.active:
                raise UnknownEntity(f"no webhook has id {webhook_id}")
            row.active = False
            session.add(row)
            # Nothing more goes out to a removed hook.
            session.execute(sa.update(WebhookDeliveryRecord).where(
                col(WebhookDeliveryRecord.webhook_id) == webhook_id, col(WebhookDeliveryRecord.status) == "pending",
            ).values(status="failed", next_attempt_at=None))
            self._audit(session, "webhook.deleted", actor, {"webhook_id": webhook_id, "url": row.url})
            session.commit()

    def enqueue_event(self, event: str, body: bytes) -> int:
        """One pending delivery per active hook subscribed to `event`; returns how many."""
        with self._writer() as session:  # read then write: take the write lock first
            hooks = session.exec(select(WebhookRecord).where(
                col(WebhookRecord.active), col(WebhookRecord.events).contains(f",{event},"))).all()
            now = utcnow()
            for hook in hooks:
                session.add(WebhookDeliveryRecord(id=str(uuid.uuid4()), webhook_id=hook.id or 0, event=event,
                                                  body=body.decode(), status="pending", next_attempt_at=now))
            session.commit()
            return len(hooks)

    def due_deliveries(self, now: datetime, limit: int) -> list[DueDelivery]:
        with Session(self.engine) as session:
            query = (select(WebhookDeliveryRecord, WebhookRecord)
                     .join(WebhookRecord, col(WebhookRecord.id) == col(WebhookDeliveryRecord.webhook_id))
                     .where(WebhookDeliveryRecord.status == "pending", col(WebhookDeliveryRecord.next_attempt_at) <= now)
                     .order_by(col(WebhookDeliveryRecord.next_attempt_at)).limit(limit))
            return [DueDelivery(d.id, h.url, h.secret, d.event, d.body.encode(), d.attempt_count)
                    for d, h in session.exec(query).all()]

    def record_attempt(self, delivery_id: str, attempt: Attempt, *, status: str, next_attempt_at: datetime | None) -> None:
        with self._writer() as session:  # read then write: take the write lock first
            row = session.get(WebhookDeliveryRecord, delivery_id)
            if row is None:
                return
            row.attempts = json.dumps([*json.loads(row.attempts), attempt.to_dict()])
            row.attempt_count, row.status = attempt.number, status
            row.next_attempt_at, row.updated_at = next_attempt_at, utcnow()
            session.add(row)
            session.commit()

    def deliveries_of(self, webhook_id: int, *, limit: int) -> list[WebhookDeliveryRecord]:
        with Session(self.engine) as session:
            query = (select(WebhookDeliveryRecord).where(WebhookDeliveryRecord.webhook_id == webhook_id)
                     .order_by(col(WebhookDeliveryRecord.created_at).desc()).limit(limit))
            return list(session.exec(query).all())
