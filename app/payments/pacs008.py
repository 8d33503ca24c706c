"""ISO 20022 pacs.008 (FI to FI customer credit transfer) to `Transaction`, one per CdtTrfTxInf.

Namespace-agnostic: elements are found by local name, so pacs.008.001.08 to .13 and CBPR+
envelopes all read the same. Refuses DOCTYPE and entity declarations (no entity expansion, no
external fetches) and input above `max_bytes`. Errors name the element path that failed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.core.errors import PaymentMessageError
from app.payments.models import Bank, Party, Transaction

M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 1_000_000
ROOT = "Document/FIToFICstmrCdtTrf"
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Banks other than the debtor's and creditor's, in the order they handle the payment.
CHAIN_AGENTS = (
    "PrvsInstgAgt1", "PrvsInstgAgt2", "PrvsInstgAgt3", "InstgAgt",
    "IntrmyAgt1", "IntrmyAgt2", "IntrmyAgt3", "InstdAgt",
)  # fmt: skip
# Where each model field comes from, to name the XML element when validation fails.
_PARTY_FIELDS = {"name": "Nm", "country": "PstlAdr/Ctry"}
_BANK_FIELDS = {
    "name": "FinInstnId/Nm",
    "bic": "FinInstnId/BICFI",
    "country": "FinInstnId/PstlAdr/Ctry",
}


def parse_pacs008(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> list[Transaction]:
    """Every credit transfer in a pacs.008 message."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise PaymentMessageError(
            f"message is {len(raw)} bytes, limit {max_bytes}", field="Document"
        )
    if _DECLARATION.search(raw):
        raise PaymentMessageError("DOCTYPE and ENTITY declarations are refused", field="Document")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise PaymentMessageError(f"not well-formed XML: {exc}", field="Document") from exc
    transfer = root if _local(root.tag) == "FIToFICstmrCdtTrf" else _find(root, "FIToFICstmrCdtTrf")
    if transfer is None:
        raise PaymentMessageError("missing FIToFICstmrCdtTrf: not a pacs.008", field="Document")
    header = _find(transfer, "GrpHdr")
    items = _children(transfer, "CdtTrfTxInf")
    if not items:
        raise PaymentMessageError("missing", field=f"{ROOT}/CdtTrfTxInf")
    many = len(items) > 1
    return [
        _transaction(tx, header, f"{ROOT}/CdtTrfTxInf" + (f"[{i}]" if many else ""))
        for i, tx in enumerate(items, start=1)
    ]


def _transaction(tx: ET.Element, header: ET.Element | None, path: str) -> Transaction:
    currency, amount = _amount(tx, path)
    debtor_bank = _bank(tx, "DbtrAgt", path)
    creditor_bank = _bank(tx, "CdtrAgt", path)
    known = {b.bic for b in (debtor_bank, creditor_bank) if b is not None and b.bic}
    return _build(
        Transaction,
        path,
        {"currency": "IntrBkSttlmAmt/@Ccy", "amount": "IntrBkSttlmAmt"},
        currency=currency,
        amount=amount,
        purpose=" | ".join(_purpose_texts(tx)),
        originator=_party(tx, "Dbtr", path, required=True, bank=debtor_bank, account="DbtrAcct"),
        beneficiary=_party(tx, "Cdtr", path, required=True, bank=creditor_bank, account="CdtrAcct"),
        intermediaries=tuple(_chain(tx, header, path, known)),
        reference=_text(tx, "PmtId/EndToEndId")
        or _text(tx, "PmtId/TxId")
        or _text(tx, "PmtId/UETR"),
        value_date=_text(tx, "IntrBkSttlmDt")
        or (_text(header, "IntrBkSttlmDt") if header is not None else None),
        ultimate_originator=_party(tx, "UltmtDbtr", path),
        ultimate_beneficiary=_party(tx, "UltmtCdtr", path),
        initiating_party=_party(tx, "InitgPty", path),
    )


def _amount(tx: ET.Element, path: str) -> tuple[str, Decimal]:
    field = f"{path}/IntrBkSttlmAmt"
    element = _find(tx, "IntrBkSttlmAmt")
    if element is None:
        raise PaymentMessageError("missing", field=field)
    currency = element.get("Ccy")
    if not currency:
        raise PaymentMessageError("missing Ccy", field=field)
    try:
        amount = Decimal((element.text or "").strip())
    except InvalidOperation as exc:
        raise PaymentMessageError(f"bad amount {element.text!r}", field=field) from exc
    if not amount.is_finite() or amount < 0:
        raise PaymentMessageError(f"bad amount {element.text!r}", field=field)
    return currency, amount


def _party(
    tx: ET.Element,
    tag: str,
    path: str,
    *,
    required: bool = False,
    bank: Bank | None = None,
    account: str = "",
) -> Party | None:
    element = _find(tx, tag)
    name = _text(element, "Nm") if element is not None else None
    if not name:
        if required:
            raise PaymentMessageError("missing", field=f"{path}/{tag}/Nm")
        return None
    assert element is not None
    return _build(
        Party,
        f"{path}/{tag}",
        _PARTY_FIELDS,
        name=name,
        type=_party_type(element),
        country=_text(element, "PstlAdr/Ctry") or _text(element, "CtryOfRes"),
        address=_address(_find(element, "PstlAdr")),
        account=_account(_find(tx, account)) if account else None,
        bank=bank,
    )


def _party_type(element: ET.Element) -> str:
    if _find(element, "Id/PrvtId") is not None:
        return "person"
    return "organization" if _find(element, "Id/OrgId") is not None else "unknown"


def _bank(tx: ET.Element | None, tag: str, path: str) -> Bank | None:
    element = _find(tx, tag) if tx is not None else None
    if element is None:
        return None
    name = _text(element, "FinInstnId/Nm")
    bic = _text(element, "FinInstnId/BICFI") or _text(element, "FinInstnId/BIC")
    if not name and not bic:
        return None  # a clearing-system id only: nothing the lists can match
    country = _text(element, "FinInstnId/PstlAdr/Ctry")
    return _build(Bank, f"{path}/{tag}", _BANK_FIELDS, name=name, bic=bic, country=country, via=tag)


def _chain(tx: ET.Element, header: ET.Element | None, path: str, known: set[str]) -> Iterator[Bank]:
    seen = set(known)
    for tag in CHAIN_AGENTS:
        bank = _bank(tx, tag, path) or _bank(header, tag, f"{ROOT}/GrpHdr")
        if bank is None or (bank.bic and bank.bic in seen):
            continue
        if bank.bic:
            seen.add(bank.bic)
        yield bank


def _purpose_texts(tx: ET.Element) -> Iterator[str]:
    """Every free-text field a payment's purpose can hide in."""
    for path in (
        "RmtInf/Ustrd",
        "RmtInf/Strd/AddtlRmtInf",
        "InstrForCdtrAgt/InstrInf",
        "InstrForNxtAgt/InstrInf",
    ):
        for element in _find_all(tx, path):
            if element.text and element.text.strip():
                yield " ".join(element.text.split())
    for code in ("Purp/Cd", "Purp/Prtry"):
        if text := _text(tx, code):
            yield f"purpose {text}"


def _address(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    parts = [" ".join(t.split()) for t in (e.text for e in element) if t and t.strip()]
    return ", ".join(parts) or None


def _account(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    return _text(element, "Id/IBAN") or _text(element, "Id/Othr/Id")


def _build(model: type[M], path: str, fields: dict[str, str], **values: object) -> M:
    """Validate into the model; a failure names the XML element the bad value came from."""
    try:
        return model(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = str(error["loc"][0]) if error["loc"] else ""
        field = f"{path}/{fields.get(loc, loc)}" if loc else path
        raise PaymentMessageError(error["msg"].removeprefix("Value error, "), field=field) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _find_all(element: ET.Element, path: str) -> list[ET.Element]:
    current = [element]
    for step in path.split("/"):
        current = [child for parent in current for child in _children(parent, step)]
    return current


def _find(element: ET.Element, path: str) -> ET.Element | None:
    if "/" in path:
        found = _find_all(element, path)
        return found[0] if found else None
    direct = _children(element, path)
    if direct:
        return direct[0]
    if path != "FIToFICstmrCdtTrf":
        return None
    # The message may sit in an envelope (AppHdr + Document); look for it at any depth.
    return next((e for e in element.iter() if _local(e.tag) == path), None)


def _text(element: ET.Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = _find(element, path)
    text = " ".join((found.text or "").split()) if found is not None else ""
    return text or None
