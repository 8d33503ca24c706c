"""SWIFT MT103 (single customer credit transfer) to `Transaction`.

Reads block 4 (or a bare list of `:tag:` fields) and, when present, the sender and receiver from
blocks 1 and 2. Ordering institution = 52a, else the sender; account-with institution = 57a, else
the receiver; 53a, 54a and 56a (and a sender or receiver not already in those roles) are the chain.
A customer given only by BIC (50A, 59A) is screened under its BIC as name. Errors name the field:
"field 32A: bad amount".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from app.core.errors import PaymentMessageError
from app.payments.models import Bank, Party, Transaction, check_bic

MAX_BYTES = 100_000
_BLOCK4 = re.compile(r"\{4:\s*(.*?)\r?\n-\}", re.S)
_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_AMOUNT = re.compile(r"^(\d{6})([A-Z]{3})(\d{1,15},\d{0,5})$")
CHAIN_TAGS = ("53", "54", "56")


def parse_mt103(text: str, *, max_bytes: int = MAX_BYTES) -> Transaction:
    """One MT103 message, with or without its SWIFT header blocks."""
    if len(text.encode("utf-8")) > max_bytes:
        raise PaymentMessageError(f"message larger than {max_bytes} bytes", field="message")
    fields = read_fields(text)
    _require(fields, "20")
    currency, amount, value_date = _amount(_require(fields, "32A"))
    sender, receiver = _header_banks(text)
    ordering_bank = _bank(fields, "52") or sender
    beneficiary_bank = _bank(fields, "57") or receiver
    known = {b.bic for b in (ordering_bank, beneficiary_bank) if b is not None and b.bic}
    try:
        return Transaction(
            currency=currency,
            amount=amount,
            value_date=value_date,
            reference=fields["20"].strip(),
            purpose=" | ".join(_free_text(fields)),
            originator=_customer(fields, "50", ordering_bank),
            beneficiary=_customer(fields, "59", beneficiary_bank),
            intermediaries=tuple(_chain(fields, (sender, receiver), known)),
        )
    except ValidationError as exc:
        raise PaymentMessageError(exc.errors()[0]["msg"], field="message") from exc


def read_fields(text: str) -> dict[str, str]:
    """Block 4 fields by tag ("32A", "50K"); a value keeps its line breaks. First one wins."""
    found = _BLOCK4.search(text)
    body = found.group(1) if found else text
    fields: dict[str, str] = {}
    tag = None
    for line in body.splitlines():
        if match := _TAG.match(line):
            tag = match.group(1)
            if tag in fields:
                tag = None  # a repeated tag (71F): keep the first, skip the rest
                continue
            fields[tag] = match.group(2)
        elif tag is not None and line.strip() != "-}":
            fields[tag] += "\n" + line
    if not fields:
        raise PaymentMessageError("no :tag: fields found", field="block 4")
    return fields


def _require(fields: dict[str, str], tag: str) -> str:
    if tag not in fields:
        raise PaymentMessageError("missing", field=f"field {tag}")
    return fields[tag]


def _amount(value: str) -> tuple[str, Decimal, str]:
    match = _AMOUNT.match(value.strip())
    if not match:
        raise PaymentMessageError(f"bad amount {value.strip()!r}", field="field 32A")
    raw_date, currency, raw_amount = match.groups()
    try:
        value_date = date(2000 + int(raw_date[:2]), int(raw_date[2:4]), int(raw_date[4:]))
        amount = Decimal(raw_amount.replace(",", "."))
    except (ValueError, InvalidOperation) as exc:
        raise PaymentMessageError(f"bad date {raw_date!r}", field="field 32A") from exc
    return currency, amount, value_date.isoformat()


def _option(fields: dict[str, str], base: str) -> tuple[str, list[str]] | None:
    """The tag present for a field letter option ("57A", "57D", "59") and its lines."""
    for tag in sorted(t for t in fields if t[:2] == base):
        return tag, [line.strip() for line in fields[tag].splitlines() if line.strip()]
    return None


def _bank(fields: dict[str, str], base: str) -> Bank | None:
    found = _option(fields, base)
    if found is None:
        return None
    tag, lines = found
    lines = [line for line in lines if not line.startswith("/")]  # party identifier / account
    try:
        if tag.endswith("A") and lines:
            return Bank(bic=lines[0], via=tag)
        if tag.endswith("D") and lines:
            return Bank(name=lines[0], via=tag)
    except ValidationError as exc:
        raise PaymentMessageError(f"bad BIC {lines[0]!r}", field=f"field {tag}") from exc
    return None  # options B and C carry a location or account only


def _customer(fields: dict[str, str], base: str, bank: Bank | None) -> Party:
    found = _option(fields, base)
    if found is None:
        raise PaymentMessageError("missing", field=f"field {base}a")
    tag, lines = found
    account = lines[0][1:] if lines and lines[0].startswith("/") else None
    rest = lines[1:] if account is not None else lines
    try:
        if tag.endswith("F"):
            return _structured_customer(tag, lines, bank)
        if not rest:
            raise PaymentMessageError("missing name", field=f"field {tag}")
        if tag.endswith("A"):
            bic = check_bic(rest[0])
            assert bic is not None
            return Party(
                name=bic, type="organization", country=bic[4:6], account=account, bank=bank
            )
        address = ", ".join(rest[1:]) or None
        return Party(name=rest[0], address=address, account=account, bank=bank)
    except (ValidationError, ValueError) as exc:
        raise PaymentMessageError(f"bad value: {exc}".split("\n")[0], field=f"field {tag}") from exc


def _structured_customer(tag: str, lines: list[str], bank: Bank | None) -> Party:
    """Option F: a party identifier line, then numbered lines 1/ name, 2/ address, 3/ CC/town."""
    account = lines[0][1:] if lines and lines[0].startswith("/") else None
    numbered: dict[str, list[str]] = {}
    for line in lines[1:]:
        if re.match(r"^\d/", line):
            numbered.setdefault(line[0], []).append(line[2:].strip())
    names = numbered.get("1", [])
    if not names:
        raise PaymentMessageError("missing 1/ name line", field=f"field {tag}")
    country, town = None, None
    if place := numbered.get("3"):
        country, _, town = place[0].partition("/")
    address = ", ".join([*numbered.get("2", []), *([town] if town else [])]) or None
    return Party(
        name=" ".join(names), country=country or None, address=address, account=account, bank=bank
    )


def _chain(
    fields: dict[str, str], header: tuple[Bank | None, Bank | None], known: set[str]
) -> Iterator[Bank]:
    seen = set(known)
    candidates = [_bank(fields, tag) for tag in CHAIN_TAGS] + list(header)
    for bank in candidates:
        if bank is None or (bank.bic and bank.bic in seen):
            continue
        if bank.bic:
            seen.add(bank.bic)
        yield bank


def _free_text(fields: dict[str, str]) -> Iterator[str]:
    for tag in ("70", "72"):
        if tag in fields and fields[tag].strip():
            yield " ".join(fields[tag].split())


def _header_banks(text: str) -> tuple[Bank | None, Bank | None]:
    """Sender and receiver BICs from blocks 1 and 2 (input or output message)."""
    block1 = re.search(r"\{1:F01([A-Z0-9]{12})", text)
    block2 = re.search(r"\{2:([IO])103([A-Z0-9]+)", text)
    if block1 is None or block2 is None:
        return None, None
    own = _lt_bic(block1.group(1))
    direction, rest = block2.groups()
    if direction == "I":  # we are reading what the sender typed: block 2 names the receiver
        return _header_bank(own, "sender"), _header_bank(_lt_bic(rest[:12]), "receiver")
    # output: block 1 is the receiver; the sender is inside the MIR (HHMM + YYMMDD + LT address)
    return _header_bank(_lt_bic(rest[10:22]), "sender"), _header_bank(own, "receiver")


def _lt_bic(address: str) -> str:
    """A 12-character logical terminal address to its BIC: drop the terminal letter, XXX branch."""
    branch = address[9:12]
    return address[:8] + ("" if branch in ("XXX", "") else branch)


def _header_bank(bic: str, via: str) -> Bank | None:
    try:
        return Bank(bic=bic, via=via)
    except ValidationError:
        return None  # a malformed header does not stop screening of the parties
