"""API key administration (admin role)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.access.keys import Role
from app.api.auth import Admin
from app.api.deps import RuntimeDep
from app.api.errors import ERROR_RESPONSES
from app.db.audit import ApiKey, append_record

router = APIRouter(prefix="/v1/keys", tags=["keys"])


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role


class KeyOut(BaseModel):
    name: str
    role: str
    prefix: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: ApiKey) -> KeyOut:
        return cls(name=row.name, role=row.role, prefix=row.prefix, created_at=row.created_at,
                   created_by=row.created_by, revoked_at=row.revoked_at)


class KeyCreated(KeyOut):
    key: str = Field(description="The key itself. Shown once: store it now, it cannot be read again.")


@router.post("", responses=ERROR_RESPONSES, status_code=201)
def create_key(body: KeyCreate, runtime: RuntimeDep, who: Admin) -> KeyCreated:
    """Create a key for a role; the response is the only time the key is shown."""
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        row, key = runtime.keys.create(session, name=body.name, role=body.role.value, created_by=who.name)
        append_record(session, record_id=str(uuid.uuid4()), kind="key.created", actor=who.name,
                      payload={"name": row.name, "role": row.role, "prefix": row.prefix})
        session.commit()
        session.refresh(row)
        return KeyCreated(**KeyOut.from_row(row).model_dump(), key=key)


@router.get("", responses=ERROR_RESPONSES)
def list_keys(runtime: RuntimeDep, who: Admin) -> list[KeyOut]:
    with Session(runtime.engine) as session:
        return [KeyOut.from_row(r) for r in runtime.keys.list_keys(session)]


@router.delete("/{name}", responses=ERROR_RESPONSES)
def revoke_key(name: str, runtime: RuntimeDep, who: Admin) -> KeyOut:
    """Revoke a key; it stops working within seconds in every process."""
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        row = runtime.keys.revoke(session, name)
        append_record(session, record_id=str(uuid.uuid4()), kind="key.revoked", actor=who.name,
                      payload={"name": row.name, "role": row.role})
        session.commit()
        session.refresh(row)
        return KeyOut.from_row(row)
