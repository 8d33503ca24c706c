"""Turn a raw record into a row ready to screen, or a rejection with its reason.

Rows are validated by the same rules as a single screening request (ScreenRequest), so a batch
row and a POST /v1/screen body with the same values are accepted or refused alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import ValidationError

from app.api.schemas import IdentifierIn, ScreenRequest
from app.batch.reader import FileLayout, RawRecord
from app.lists.models import IdentifierType
from app.matching.types import MatchQuery

# Friendly spellings of entity types found in customer books.
TYPE_SYNONYMS = {"": "any", "individual": "person", "organisation": "organization", "company": "organization",
                 "entity": "organization", "bank": "organization", "ship": "vessel"}
IDENTIFIER_TYPES = ", ".join(t.value for t in IdentifierType)


class RejectReason(StrEnum):
    MISSING_RECORD_ID = "missing_record_id"
    MISSING_NAME = "missing_name"
    BAD_DATE = "bad_date"
    OVERLONG_FIELD = "overlong_field"
    UNDECODABLE = "undecodable_bytes"
    WRONG_COLUMN_COUNT = "wrong_column_count"
    UNBALANCED_QUOTES = "unbalanced_quotes"
    INVALID_VALUE = "invalid_value"


@dataclass(frozen=True, slots=True)
class ScreenableRow:
    row_number: int
    line_number: int
    record_id: str
    name: str
    query: MatchQuery
    address: str | None = None
    account: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)  # currency, amount


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row_number: int
    line_number: int
    record_id: str
    name: str
    reason: RejectReason
    detail: str


class RowRejected(Exception):
    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def validate_record(record: RawRecord, layout: FileLayout, *, max_field_length: int) -> ScreenableRow | RejectedRow:
    """One verdict per record: every record becomes exactly one screenable or rejected row."""
    values = _named_values(record, layout)
    record_id, name = values.get("record_id", ""), values.get("name", "")
    try:
        _check_shape(record, layout, max_field_length)
        return _screenable(record, values)
    except RowRejected as rejected:
        return RejectedRow(record.row_number, record.line_number, record_id[:max_field_length],
                           name[:max_field_length], rejected.reason, rejected.detail)


def _named_values(record: RawRecord, layout: FileLayout) -> dict[str, str]:
    if record.unbalanced or len(record.fields) != len(layout.columns):
        return {}
    return {c: v.strip() for c, v in zip(layout.columns, record.fields, strict=True) if c is not None}


def _check_shape(record: RawRecord, layout: FileLayout, max_field_length: int) -> None:
    if record.unbalanced:
        raise RowRejected(RejectReason.UNBALANCED_QUOTES, "a quoted field is never closed")
    if not record.decoded:
        raise RowRejected(RejectReason.UNDECODABLE, f"bytes that are not valid {layout.codec}")
    if len(record.fields) != len(layout.columns):
        raise RowRejected(RejectReason.WRONG_COLUMN_COUNT,
                          f"expected {len(layout.columns)} fields, found {len(record.fields)}")
    for column, value in zip(layout.columns, record.fields, strict=True):
        if len(value) > max_field_length:
            raise RowRejected(RejectReason.OVERLONG_FIELD,
                              f"{column or 'an ignored column'} has {len(value)} characters; the limit is {max_field_length}")


def _screenable(record: RawRecord, values: dict[str, str]) -> ScreenableRow:
    record_id = values.get("record_id", "")
    if not record_id:
        raise RowRejected(RejectReason.MISSING_RECORD_ID, "record_id is empty")
    identifiers = _identifiers(values.get("identifiers", ""), values.get("bic", ""))
    request = _screen_request(values, identifiers)
    _check_calendar(request.dob)
    if not request.name and not identifiers:
        raise RowRejected(RejectReason.MISSING_NAME, "name is empty and no identifiers or bic are given")
    return ScreenableRow(
        record.row_number, record.line_number, record_id, request.name, request.to_query(),
        address=values.get("address") or None, account=values.get("account") or None,
        attributes=_payment_attributes(values),
    )


def _screen_request(values: dict[str, str], identifiers: list[IdentifierIn]) -> ScreenRequest:
    kind = values.get("type", "").lower()
    countries = [c for c in values.get("country", "").split("|") if c.strip()]
    try:
        return ScreenRequest(name=values.get("name", ""), type=TYPE_SYNONYMS.get(kind, kind),  # type: ignore[arg-type]
                             countries=countries, dob=values.get("dob") or None, identifiers=identifiers)
    except ValidationError as exc:
        raise _rejection(exc) from exc


def _check_calendar(dob: str | None) -> None:
    # The request pattern admits 1970-99; a batch row with such a date is a data error worth naming.
    if not dob:
        return
    parts = [int(p) for p in dob.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise RowRejected(RejectReason.BAD_DATE, f"dob {dob!r} is not a calendar date") from exc


def _rejection(exc: ValidationError) -> RowRejected:
    error = exc.errors()[0]
    where = str(error["loc"][0]) if error["loc"] else "row"
    column = {"countries": "country", "identifiers": "identifiers"}.get(where, where)
    if column == "dob":
        return RowRejected(RejectReason.BAD_DATE, "dob must be YYYY, YYYY-MM or YYYY-MM-DD")
    if error["type"] == "string_too_long":
        return RowRejected(RejectReason.OVERLONG_FIELD, f"{column}: {error['msg']}")
    if column == "type":
        return RowRejected(RejectReason.INVALID_VALUE, "type must be person, organization, vessel, aircraft or any")
    return RowRejected(RejectReason.INVALID_VALUE, f"{column}: {error['msg'].removeprefix('Value error, ')}")


def _identifiers(identifiers: str, bic: str) -> list[IdentifierIn]:
    found = [IdentifierIn(type=IdentifierType.BIC, value=bic)] if bic else []
    for item in (part.strip() for part in identifiers.split("|")):
        if not item:
            continue
        kind, sep, value = item.partition(":")
        try:
            found.append(IdentifierIn(type=IdentifierType(kind.strip().lower()), value=value.strip()))
        except ValueError as exc:
            hint = "write type:value" if not sep else f"known types: {IDENTIFIER_TYPES}"
            raise RowRejected(RejectReason.INVALID_VALUE, f"identifiers: cannot read {item!r}; {hint}") from exc
    return found


def _payment_attributes(values: dict[str, str]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    if currency := values.get("currency", "").upper():
        if not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
            raise RowRejected(RejectReason.INVALID_VALUE, f"currency must be an ISO 4217 code such as USD, got {currency!r}")
        attributes["currency"] = currency
    if amount := values.get("amount", ""):
        try:
            number = Decimal(amount.replace(",", ""))
            if not number.is_finite():
                raise InvalidOperation(amount)
            attributes["amount"] = str(number)
        except InvalidOperation as exc:
            raise RowRejected(RejectReason.INVALID_VALUE, f"amount must be a number such as 1250.00, got {amount!r}") from exc
    return attributes
