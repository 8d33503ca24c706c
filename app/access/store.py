"""API key store over the database, with a short in-memory cache so a request costs no query."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.access.keys import Role, hash_key, new_key
from app.core.errors import Conflict, InvalidQuery, UnknownEntity
from app.db.audit import ApiKey

CACHE_SECONDS = 5.0  # how long a revoked key may still be honoured by this process


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: str


class KeyStore:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._cache: dict[str, tuple[Principal | None, float]] = {}
        self._lock = threading.Lock()

    def authenticate(self, key: str) -> Principal | None:
        digest = hash_key(key)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(digest)
        if cached and cached[1] > now:
            return cached[0]
        with Session(self._engine) as session:
            row = session.exec(select(ApiKey).where(ApiKey.key_hash == digest, col(ApiKey.revoked_at).is_(None))).first()
            principal = Principal(row.name, row.role) if row else None
        with self._lock:
            self._cache[digest] = (principal, now + CACHE_SECONDS)
        return principal

    def create(self, session: Session, *, name: str, role: str, created_by: str) -> tuple[ApiKey, str]:
        """Create a key; returns the row and the key itself, which is never stored."""
        _lock_for_write(session)
        if role not in {r.value for r in Role}:
            raise InvalidQuery(f"unknown role {role!r}; roles: {', '.join(r.value for r in Role)}")
        if not name.strip() or len(name) > 100:
            raise InvalidQuery("a key needs a name of 1 to 100 characters")
        if session.exec(select(ApiKey).where(ApiKey.name == name)).first():
            raise Conflict(f"a key named {name!r} already exists")
        key = new_key()
        row = ApiKey(name=name, role=role, key_hash=hash_key(key), prefix=key[:8], created_by=created_by)
        session.add(row)
        session.flush()
        return row, key

    def revoke(self, session: Session, name: str) -> ApiKey:
        _lock_for_write(session)
        row = session.exec(select(ApiKey).where(ApiKey.name == name)).first()
        if row is None:
            raise UnknownEntity(f"no key named {name!r}")
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
            session.add(row)
        with self._lock:
            self._cache.pop(row.key_hash, None)
        return row

    @staticmethod
    def list_keys(session: Session) -> list[ApiKey]:
        return list(session.exec(select(ApiKey).order_by(col(ApiKey.id))).all())


def _lock_for_write(session: Session) -> None:
    # These read, then write: on SQLite take the write lock up front (BEGIN IMMEDIATE), or a commit
    # by another writer in between (monitoring, audit) makes the write fail with "locked".
    if not session.in_transaction():  # callers that already hold the lock opened it themselves
        session.connection(execution_options={"immediate": True})
