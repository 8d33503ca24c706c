"""Tables. SQLModel lives only under app/db/; the domain never sees these classes."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class ListSourceRecord(SQLModel, table=True):
    """A list the service knows: where it comes from and what a match on it means."""

    __tablename__ = "list_source"

    list_id: str = Field(primary_key=True, max_length=100)
    name: str
    authority: str
    category: str = "sanctions"
    default_action: str = "block"
    legal_basis: str | None = None
    source_url: str | None = None
    format: str
    origin: str  # remote | curated | upload | import
    freshness_hours: float | None = None
    default_threshold: float | None = None
    # Last time the source was fetched and checked, whether or not its content changed.
    checked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class ListSnapshotRecord(SQLModel, table=True):
    """One version of a list. Exactly one snapshot per list is `active` at a time."""

    __tablename__ = "list_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    list_id: str = Field(foreign_key="list_source.list_id", index=True, max_length=100)
    version: int
    content_hash: str = Field(max_length=64)
    status: str = Field(index=True)  # active | superseded | rejected
    entry_count: int = 0
    source: str | None = None  # URL or path it was read from
    fetched_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    loaded_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    added_count: int = 0
    removed_count: int = 0
    changed_count: int = 0
    error: str | None = Field(default=None, sa_type=sa.Text)


class ListEntryRecord(SQLModel, table=True):
    """An entry of a snapshot, stored whole so the index can be rebuilt without the source file."""

    __tablename__ = "list_entry"
    __table_args__ = (sa.UniqueConstraint("snapshot_id", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="list_snapshot.id", index=True)
    entity_id: str = Field(index=True, max_length=300)
    name: str = Field(sa_type=sa.Text)
    entry_hash: str = Field(max_length=64)
    data: str = Field(sa_type=sa.Text)  # ListEntry as JSON


class ListChangeRecord(SQLModel, table=True):
    """What a snapshot changed against the one before it; monitoring re-screens these."""

    __tablename__ = "list_change"

    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="list_snapshot.id", index=True)
    entity_id: str = Field(max_length=300)
    change: str  # added | removed | changed
