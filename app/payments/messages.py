"""Raw payment messages in, Transactions out: detects pacs.008 XML or MT103 text."""

from __future__ import annotations

from app.core.errors import PaymentMessageError
from app.payments.models import Transaction
from app.payments.mt103 import parse_mt103
from app.payments.pacs008 import parse_pacs008


def parse_payment_message(raw: bytes, fmt: str | None = None) -> tuple[str, list[Transaction]]:
    """(format, transactions) of a raw message; `fmt` is "pacs008", "mt103" or None to detect."""
    fmt = fmt or _detect(raw)
    if fmt == "pacs008":
        return fmt, parse_pacs008(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PaymentMessageError(f"not UTF-8 text (byte {exc.start})", field="message") from exc
    return fmt, [parse_mt103(text)]


def _detect(raw: bytes) -> str:
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<"):
        return "pacs008"
    if b"{4:" in raw[:4000] or head.startswith((b":20:", b"{1:")):
        return "mt103"
    raise PaymentMessageError("neither a pacs.008 XML document nor an MT103 message", field="message")
