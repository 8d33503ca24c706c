"""Monitoring tables (customers, alerts, reviews, suppressions) and their queries.

`MonitoringStore` opens its own sessions, so the monitoring service and the webhook dispatcher
never touch SQLModel. Every state change that an examiner may ask about is written to the audit
chain in the same transaction (customers, alerts, reviews, suppressions, webhooks).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from app.core.errors import Conflict, UnknownEntity
from app.db.models import utcnow
from app.db.repository import snapshot_changes
from app.db.webhooks import WebhookDeliveryRecord, WebhookQueries, WebhookRecord  # noqa: F401  (re-exported)
from app.lists.models import EntityKind, IdentifierType
from app.matching.types import MatchQuery, QueryIdentifier
from app.monitoring.alerts import OPEN_STATUSES, AlertDraft
from app.monitoring.delta import MonitoredParty
from app.monitoring.review import AlertState, AlertStatus, Disposition, ReviewAction, Transition
from app.monitoring.suppression import Suppression

T = TypeVar("T")
TZ = sa.DateTime(timezone=True)
PAGE = 5000
IN_CHUNK = 500  # values per IN (...) clause, well under SQLite's variable limit


def aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class CustomerRecord(SQLModel, table=True):
    __tablename__ = "monitored_customer"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(unique=True, max_length=200)
    name: str = Field(sa_type=sa.Text)
    kind: str | None = Field(default=None, max_length=20)
    countries: str = Field(default="", max_length=200)  # "IQ|AE"
    birth_date: str | None = Field(default=None, max_length=10)
    identifiers: str = Field(default="[]", sa_type=sa.Text)  # JSON [[type, value], ...]
    active: bool = Field(default=True, index=True)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class AlertRecord(SQLModel, table=True):
    __tablename__ = "monitoring_alert"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(index=True, max_length=200)
    party_name: str = Field(sa_type=sa.Text)
    entity_id: str = Field(index=True, max_length=300)
    list_id: str = Field(max_length=100)
    entry_hash: str = Field(max_length=64)
    score: float
    decision: str = Field(max_length=20)
    status: str = Field(index=True, max_length=20)
    disposition: str | None = Field(default=None, max_length=20)
    proposed_by: str | None = Field(default=None, max_length=100)
    snapshot_id: int = Field(index=True)
    match: str = Field(sa_type=sa.Text)  # JSON
    triggered_rules: str = Field(sa_type=sa.Text)  # JSON
    change: str = Field(sa_type=sa.Text)  # JSON: list_id, snapshot_id, version, change
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class AlertReviewRecord(SQLModel, table=True):
    __tablename__ = "monitoring_alert_review"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="monitoring_alert.id", index=True)
    action: str = Field(max_length=20)  # propose | approve | reject
    actor: str = Field(max_length=100)
    disposition: str | None = Field(default=None, max_length=20)
    reason: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class SuppressionRecord(SQLModel, table=True):
    __tablename__ = "monitoring_suppression"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(index=True, max_length=200)
    entity_id: str = Field(index=True, max_length=300)
    entry_hash: str = Field(max_length=64)
    alert_id: int = Field(foreign_key="monitoring_alert.id")
    review_id: int = Field(foreign_key="monitoring_alert_review.id")
    proposed_by: str = Field(max_length=100)
    approved_by: str = Field(max_length=100)
    reason: str = Field(sa_type=sa.Text)
    approved_at: datetime = Field(sa_type=TZ)
    expires_at: datetime | None = Field(default=None, sa_type=TZ)


@dataclass(frozen=True, slots=True)
class CustomerIn:
    external_id: str
    query: MatchQuery


def _party(external_id: str, name: str, kind: str | None, countries: str, birth_date: str | None,
           identifiers: str) -> MonitoredParty:
    idents = tuple(QueryIdentifier(IdentifierType(t), v) for t, v in json.loads(identifiers)) if identifiers != "[]" else ()
    query = MatchQuery(name=name, kind=EntityKind(kind) if kind else None, countries=tuple(c for c in countries.split("|") if c),
                       birth_date=birth_date, identifiers=idents)
    return MonitoredParty(external_id, query)


def suppression_of(row: SuppressionRecord) -> Suppression:
    return Suppression(
        external_id=row.external_id, entity_id=row.entity_id, entry_hash=row.entry_hash, alert_id=row.alert_id,
        review_id=row.review_id, proposed_by=row.proposed_by, approved_by=row.approved_by, reason=row.reason,
        approved_at=aware(row.approved_at) or utcnow(), expires_at=aware(row.expires_at),
    )


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


class MonitoringStore(WebhookQueries):
    """Customers, alerts, reviews and suppressions (webhooks: see app/db/webhooks.py)."""

    # -- customers ---------------------------------------------------------------------------
    def upsert_customers(self, customers: Sequence[CustomerIn], *, actor: str, source: str) -> tuple[int, int]:
        """Register or update parties by external id; (created, updated). One audit record per call."""
        created = updated = 0
        try:
            with self._writer() as session:
                for chunk in _chunks(customers):
                    new, changed = self._upsert_chunk(session, chunk, actor)
                    created, updated = created + new, updated + changed
                self._audit(session, "customer.registered", actor, {
                    "source": source, "created": created, "updated": updated,
                    "external_ids": [c.external_id for c in customers[:1000]], "truncated": len(customers) > 1000,
                }, external_id=customers[0].external_id if len(customers) == 1 else None)
                session.commit()
        except sa.exc.IntegrityError as exc:
            raise Conflict("another request registered some of these external ids at the same time; send it again") from exc
        return created, updated

    @staticmethod
    def _upsert_chunk(session: Session, chunk: Sequence[CustomerIn], actor: str) -> tuple[int, int]:
        ids = [c.external_id for c in chunk]
        existing = {r.external_id: r for r in session.exec(
            select(CustomerRecord).where(col(CustomerRecord.external_id).in_(ids))).all()}
        for customer in chunk:
            if customer.external_id in existing:
                row = existing[customer.external_id]
                _fill(row, customer.query)
                session.add(row)
        now = utcnow()
        # New parties go in as one multi-row insert: a whole book is registered in one request.
        fresh = [{**_columns(c.query), "external_id": c.external_id, "created_by": actor, "created_at": now,
                  "updated_at": now} for c in chunk if c.external_id not in existing]
        if fresh:
            session.execute(sa.insert(CustomerRecord), fresh)
        session.flush()
        return len(fresh), len(chunk) - len(fresh)

    def deactivate_customer(self, external_id: str, *, actor: str) -> None:
        with self._writer() as session:
            row = session.exec(select(CustomerRecord).where(CustomerRecord.external_id == external_id)).first()
            if row is None or not row.active:
                raise UnknownEntity(f"no monitored customer has external_id {external_id!r}")
            row.active, row.updated_at = False, utcnow()
            session.add(row)
            self._audit(session, "customer.removed", actor, {"external_id": external_id}, external_id=external_id)
            session.commit()

    def get_customer(self, external_id: str) -> CustomerRecord | None:
        with Session(self.engine) as session:
            query = select(CustomerRecord).where(CustomerRecord.external_id == external_id, col(CustomerRecord.active))
            return session.exec(query).first()

    def count_customers(self) -> int:
        with Session(self.engine) as session:
            query = select(sa.func.count()).select_from(CustomerRecord).where(col(CustomerRecord.active))
            return int(session.exec(query).one())

    def iter_parties(self, page: int = PAGE) -> Iterator[MonitoredParty]:
        """Every active party, read in pages by id so memory stays flat on a large book."""
        # Plain column tuples, not ORM objects: a run reads the whole book every time.
        c = CustomerRecord
        last = 0
        while True:
            query = (sa.select(col(c.id), col(c.external_id), col(c.name), col(c.kind), col(c.countries),
                               col(c.birth_date), col(c.identifiers)).where(col(CustomerRecord.active), col(CustomerRecord.id) > last)
                     .order_by(col(CustomerRecord.id)).limit(page))
            with self.engine.connect() as connection:
                rows = connection.execute(query).all()
            if not rows:
                return
            yield from (_party(*row[1:]) for row in rows)
            last = rows[-1][0] or 0

    # -- alerts ------------------------------------------------------------------------------
    def snapshot_changes(self, snapshot_id: int) -> list[tuple[str, str]]:
        with Session(self.engine) as session:
            return snapshot_changes(session, snapshot_id)

    def open_pairs(self, entity_ids: Sequence[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        with Session(self.engine) as session:
            for chunk in _chunks(entity_ids):
                query = select(AlertRecord.external_id, AlertRecord.entity_id).where(
                    col(AlertRecord.entity_id).in_(chunk), col(AlertRecord.status).in_(OPEN_STATUSES))
                found.update((e, i) for e, i in session.exec(query).all())
        return found

    def suppressions_on(self, entity_ids: Sequence[str]) -> dict[tuple[str, str], Suppression]:
        """The newest suppression per (party, entity) among these entities."""
        found: dict[tuple[str, str], Suppression] = {}
        with Session(self.engine) as session:
            for chunk in _chunks(entity_ids):
                query = select(SuppressionRecord).where(col(SuppressionRecord.entity_id).in_(chunk)).order_by(col(SuppressionRecord.id))
                found.update({(r.external_id, r.entity_id): suppression_of(r) for r in session.exec(query).all()})
        return found

    def suppressions_for(self, external_id: str) -> dict[str, list[Suppression]]:
        with Session(self.engine) as session:
            rows = session.exec(select(SuppressionRecord).where(SuppressionRecord.external_id == external_id)
                                .order_by(col(SuppressionRecord.id).desc())).all()
        by_entity: dict[str, list[Suppression]] = {}
        for row in rows:
            by_entity.setdefault(row.entity_id, []).append(suppression_of(row))
        return by_entity

    def insert_alerts(self, drafts: Sequence[AlertDraft], *, run: dict[str, object]) -> list[AlertRecord]:
        """Store a run's alerts and its audit records (one per alert, one for the run) atomically."""
        with self._writer() as session:
            rows = [_alert_row(d) for d in drafts]
            session.add_all(rows)
            session.flush()
            for row in rows:
                self._audit(session, "alert.created", "monitoring", {
                    "alert_id": row.id, "entity_id": row.entity_id, "score": row.score, "change": json.loads(row.change),
                }, external_id=row.external_id)
            self._audit(session, "monitoring.run", "monitoring", {**run, "alerts": len(rows)})
            session.commit()
            for row in rows:
                session.refresh(row)
            return rows

    def list_alerts(self, *, status: str | None, external_id: str | None, limit: int, offset: int) -> list[AlertRecord]:
        query = select(AlertRecord)
        if status:
            query = query.where(AlertRecord.status == status)
        if external_id:
            query = query.where(AlertRecord.external_id == external_id)
        with Session(self.engine) as session:
            return list(session.exec(query.order_by(col(AlertRecord.id).desc()).offset(offset).limit(limit)).all())

    def get_alert(self, alert_id: int) -> tuple[AlertRecord, list[AlertReviewRecord], SuppressionRecord | None]:
        with Session(self.engine) as session:
            row = session.get(AlertRecord, alert_id)
            if row is None:
                raise UnknownEntity(f"no alert has id {alert_id}")
            reviews = session.exec(select(AlertReviewRecord).where(AlertReviewRecord.alert_id == alert_id)
                                   .order_by(col(AlertReviewRecord.id))).all()
            suppression = session.exec(select(SuppressionRecord).where(SuppressionRecord.alert_id == alert_id)).first()
            return row, list(reviews), suppression

    def apply_review(
        self, alert_id: int, step: Callable[[AlertState], Transition], *, expires_at: Callable[[datetime], datetime | None],
    ) -> tuple[AlertRecord, AlertReviewRecord, SuppressionRecord | None]:
        """Run one four-eyes step on the locked alert; store the review, the suppression it makes, the audit."""
        with self._writer() as session:
            row = session.exec(select(AlertRecord).where(AlertRecord.id == alert_id).with_for_update()).first()
            if row is None:
                raise UnknownEntity(f"no alert has id {alert_id}")
            state = AlertState(AlertStatus(row.status),
                               Disposition(row.disposition) if row.disposition else None, row.proposed_by)
            transition = step(state)
            now = utcnow()
            review = AlertReviewRecord(alert_id=alert_id, action=transition.action.value, actor=transition.actor,
                                       disposition=transition.disposition.value if transition.disposition else None,
                                       reason=transition.reason, created_at=now)
            session.add(review)
            after = transition.after
            row.status = after.status.value
            row.disposition = after.proposed_disposition.value if after.proposed_disposition else None
            row.proposed_by, row.updated_at = after.proposed_by, now
            session.add(row)
            session.flush()
            suppression = None
            if transition.action is ReviewAction.APPROVE and transition.disposition is Disposition.FALSE_POSITIVE:
                proposal = session.exec(select(AlertReviewRecord).where(
                    AlertReviewRecord.alert_id == alert_id, AlertReviewRecord.action == ReviewAction.PROPOSE.value,
                ).order_by(col(AlertReviewRecord.id).desc())).first()
                reason = proposal.reason if proposal else transition.reason
                suppression = _suppression_row(row, review, transition, reason, now, expires_at(now))
                session.add(suppression)
                session.flush()
            self._audit(session, f"alert.{transition.action.value}", transition.actor, {
                "alert_id": alert_id, "entity_id": row.entity_id, "status": row.status,
                "disposition": review.disposition, "reason": review.reason, "review_id": review.id,
                "suppression_id": suppression.id if suppression else None,
            }, external_id=row.external_id)
            session.commit()
            for obj in (row, review, suppression):
                if obj is not None:
                    session.refresh(obj)
            return row, review, suppression


def _columns(query: MatchQuery) -> dict[str, object]:
    return {"name": query.name, "kind": query.kind.value if query.kind else None, "countries": "|".join(query.countries),
            "birth_date": query.birth_date, "active": True,
            "identifiers": json.dumps([[i.type.value, i.value] for i in query.identifiers])}


def _fill(row: CustomerRecord, query: MatchQuery) -> None:
    for name, value in _columns(query).items():
        setattr(row, name, value)
    row.updated_at = utcnow()


def _alert_row(draft: AlertDraft) -> AlertRecord:
    return AlertRecord(
        external_id=draft.external_id, party_name=draft.party_name, entity_id=draft.entity_id, list_id=draft.list_id,
        entry_hash=draft.entry_hash, score=draft.score, decision=draft.decision, status=AlertStatus.OPEN.value,
        snapshot_id=int(str(draft.change["snapshot_id"])), match=json.dumps(draft.match),
        triggered_rules=json.dumps(draft.triggered_rules), change=json.dumps(draft.change),
    )


def _suppression_row(alert: AlertRecord, review: AlertReviewRecord, transition: Transition, reason: str,
                     now: datetime, expires_at: datetime | None) -> SuppressionRecord:
    if transition.before.proposed_by is None:
        raise Conflict("an approved proposal must name its proposer")
    return SuppressionRecord(
        external_id=alert.external_id, entity_id=alert.entity_id, entry_hash=alert.entry_hash, alert_id=alert.id or 0,
        review_id=review.id or 0, proposed_by=transition.before.proposed_by, approved_by=transition.actor,
        reason=reason, approved_at=now, expires_at=expires_at,
    )
