"""Webhook signatures: HMAC-SHA256 with a per-hook secret over "<timestamp>.<raw body>".

Signing the timestamp with the body lets a receiver refuse replays: a captured delivery re-sent
later carries an old timestamp, and changing it breaks the signature.

    X-Exposure-Timestamp: 1795460000
    X-Exposure-Signature: sha256=<hex HMAC-SHA256(secret, b"1795460000." + body)>
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Exposure-Signature"
TIMESTAMP_HEADER = "X-Exposure-Timestamp"
EVENT_HEADER = "X-Exposure-Event"
DELIVERY_HEADER = "X-Exposure-Delivery"
SCHEME = "sha256="
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return SCHEME + mac.hexdigest()


def signed_headers(secret: str, body: bytes, *, event: str, delivery_id: str, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {
        "Content-Type": "application/json",
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS, now: float | None = None,
) -> bool:
    """True when the body was signed with `secret` recently enough; for receivers.

    `headers` may be any case-insensitive mapping (http.server, Starlette, requests).
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    given = lowered.get(SIGNATURE_HEADER.lower(), "")
    stamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    if not stamp.isdigit() or not given.startswith(SCHEME):
        return False
    current = now if now is not None else time.time()
    if abs(current - int(stamp)) > tolerance_seconds:
        return False
    return hmac.compare_digest(given, signature(secret, int(stamp), body))
