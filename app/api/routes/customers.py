"""Monitored customers: register (one, a JSON list, or a CSV book) and stop monitoring."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from app.api.auth import Screener
from app.api.bodies import save_body
from app.api.deps import RuntimeDep
from app.api.errors import ERROR_RESPONSES
from app.api.schemas import ScreenRequest
from app.batch.reader import inspect_file, iter_records
from app.batch.rows import RejectedRow, validate_record
from app.core.errors import IndexNotReady, InvalidQuery, UnknownEntity
from app.db.monitoring import CustomerIn, CustomerRecord
from app.monitoring.service import Monitor

router = APIRouter(prefix="/v1/customers", tags=["monitoring"])


def get_monitor(request: Request) -> Monitor:
    monitor = getattr(request.app.state, "monitor", None)
    if monitor is None:
        raise IndexNotReady("monitoring is not running in this service")
    return monitor  # type: ignore[no-any-return]


MonitorDep = Annotated[Monitor, Depends(get_monitor)]
MAX_JSON_CUSTOMERS = 10_000
CSV_TYPES = ("text/csv", "application/csv", "text/plain")


class CustomerCreate(ScreenRequest):
    """A party to monitor: the screening fields plus your own id for it (required)."""

    external_id: str = Field(min_length=1, max_length=200, description="Your customer id; re-posting it updates the party")

    @model_validator(mode="after")
    def _monitorable(self) -> CustomerCreate:
        unused = [f for f in ("lists", "threshold", "limit", "transaction") if getattr(self, f) is not None]
        if unused:
            raise ValueError(f"{', '.join(unused)} do not apply to a monitored customer")
        if not self.name and not self.identifiers:
            raise ValueError("give a name, identifiers, or both")
        return self

    def to_customer(self) -> CustomerIn:
        return CustomerIn(self.external_id.strip(), self.to_query())


class CustomerBatch(BaseModel):
    customers: list[CustomerCreate] = Field(min_length=1, max_length=MAX_JSON_CUSTOMERS)


class RejectedOut(BaseModel):
    row_number: int
    line_number: int
    record_id: str
    reason: str
    detail: str


class RegistrationOut(BaseModel):
    created: int
    updated: int
    rejected: list[RejectedOut] = Field(default_factory=list, description="CSV rows not registered, with why")
    monitored_total: int


class CustomerOut(BaseModel):
    external_id: str
    name: str
    type: str
    countries: list[str]
    dob: str | None
    active: bool

    @classmethod
    def from_row(cls, row: CustomerRecord) -> CustomerOut:
        return cls(external_id=row.external_id, name=row.name, type=row.kind or "any",
                   countries=[c for c in row.countries.split("|") if c], dob=row.birth_date, active=row.active)


@router.post("", status_code=201, responses={**ERROR_RESPONSES, 413: ERROR_RESPONSES[400]},
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": {"type": "object", "description": "a customer or {customers: [...]}"}},
                 "text/csv": {"schema": {"type": "string"}}}}})
async def register_customers(
    request: Request, monitor: MonitorDep, runtime: RuntimeDep, who: Screener,
) -> RegistrationOut:
    """Put parties under monitoring: a JSON customer, `{"customers": [...]}`, or a CSV book (Content-Type
    text/csv, the batch template columns with `record_id` as the external id). Each list change is then
    screened against them."""
    if _is_csv(request):
        customers, rejected = await _read_csv(request, runtime.settings.batch_max_bytes,
                                              runtime.settings.batch_max_field_length)
    else:
        customers, rejected = _read_json(await request.body()), []
    if not customers:
        raise InvalidQuery("no row could be registered: " + "; ".join(f"line {r.line_number}: {r.detail}" for r in rejected[:5]))
    created, updated = await run_in_threadpool(monitor.store.upsert_customers, customers, actor=who.name,
                                               source="csv" if rejected or _is_csv(request) else "json")
    return RegistrationOut(created=created, updated=updated, rejected=rejected,
                           monitored_total=monitor.store.count_customers())


@router.get("/{external_id}", responses=ERROR_RESPONSES)
def get_customer(external_id: str, monitor: MonitorDep, who: Screener) -> CustomerOut:
    """One monitored party."""
    row = monitor.store.get_customer(external_id)
    if row is None:
        raise UnknownEntity(f"no monitored customer has external_id {external_id!r}")
    return CustomerOut.from_row(row)


@router.delete("/{external_id}", status_code=204, responses=ERROR_RESPONSES)
def delete_customer(external_id: str, monitor: MonitorDep, who: Screener) -> None:
    """Stop monitoring a party. Its alerts and decisions are kept."""
    monitor.store.deactivate_customer(external_id, actor=who.name)


def _is_csv(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() in CSV_TYPES


async def _read_csv(request: Request, max_bytes: int, max_field: int) -> tuple[list[CustomerIn], list[RejectedOut]]:
    with tempfile.TemporaryDirectory(prefix="exposure-customers-") as tmp:
        path = Path(tmp) / "customers.csv"
        await save_body(request, path, max_bytes=max_bytes, what="the customer file")
        return await run_in_threadpool(_parse_csv, path, max_field)


def _parse_csv(path: Path, max_field: int) -> tuple[list[CustomerIn], list[RejectedOut]]:
    layout = inspect_file(path)
    customers: dict[str, CustomerIn] = {}
    rejected: list[RejectedOut] = []
    with path.open("rb") as stream:
        for record in iter_records(stream, layout):
            row = validate_record(record, layout, max_field_length=max_field)
            if isinstance(row, RejectedRow):
                rejected.append(RejectedOut(row_number=row.row_number, line_number=row.line_number,
                                            record_id=row.record_id, reason=row.reason.value, detail=row.detail))
            else:
                customers[row.record_id] = CustomerIn(row.record_id, row.query)  # a later row updates an earlier one
    return list(customers.values()), rejected


def _read_json(raw: bytes) -> list[CustomerIn]:
    if not raw.strip():
        raise InvalidQuery('send a JSON customer, {"customers": [...]}, or a CSV file with Content-Type text/csv')
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise InvalidQuery(f"the body is not valid JSON: {exc}") from exc
    try:
        if isinstance(data, dict) and "customers" in data:
            return [c.to_customer() for c in CustomerBatch.model_validate(data).customers]
        return [CustomerCreate.model_validate(data).to_customer()]
    except ValidationError as exc:
        # Same 422 shape as any other request body problem.
        raise RequestValidationError(exc.errors()) from exc
