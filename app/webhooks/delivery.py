"""One delivery attempt over HTTP, and the retry schedule between attempts.

Attempts are driven by the dispatcher (dispatcher.py) from stored state, not by a sleeping loop
here, so a restart resumes pending deliveries and the history shows every attempt.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from app.webhooks.signing import signed_headers

MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most `max_attempts` tries; the wait doubles after each failure, capped at max_delay."""

    max_attempts: int = 6
    base_delay_seconds: float = 10.0
    max_delay_seconds: float = 3600.0
    timeout_seconds: float = 10.0

    def delay_after(self, attempt: int) -> float:
        """Seconds to wait after the `attempt`-th failed try (1-based)."""
        return float(min(self.max_delay_seconds, self.base_delay_seconds * 2 ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "at": self.at.isoformat(), "status_code": self.status_code,
                "error": self.error, "duration_ms": self.duration_ms}


def attempt_delivery(
    client: httpx.Client, *, url: str, secret: str, event: str, delivery_id: str, body: bytes, number: int,
    timeout_seconds: float,
) -> Attempt:
    """POST the body once, signed afresh (new timestamp); any 2xx is success, anything else a failure."""
    headers = signed_headers(secret, body, event=event, delivery_id=delivery_id)
    started, at = time.perf_counter(), datetime.now(UTC)
    try:
        response = client.post(url, content=body, headers=headers, timeout=timeout_seconds)
    except httpx.HTTPError as exc:
        return Attempt(number, at, None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR], _ms(started))
    error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return Attempt(number, at, response.status_code, error, _ms(started))


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
