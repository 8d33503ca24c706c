"""The delivery loop: a background thread that sends due deliveries and schedules retries.

Deliveries live in the database (pending, delivered, failed) with their attempts, so the loop
keeps no state of its own: it wakes when an event is queued (or every poll interval), sends what
is due, and writes the outcome back. A failed attempt is retried after the policy's backoff until
the attempt limit, then the delivery ends as failed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import httpx

from app.webhooks.delivery import Attempt, RetryPolicy, attempt_delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DueDelivery:
    delivery_id: str
    url: str
    secret: str
    event: str
    body: bytes
    attempts_made: int


class DeliveryStore(Protocol):
    def due_deliveries(self, now: datetime, limit: int) -> list[DueDelivery]: ...

    def record_attempt(self, delivery_id: str, attempt: Attempt, *, status: str, next_attempt_at: datetime | None) -> None: ...


def outcome_of(attempt: Attempt, policy: RetryPolicy) -> tuple[str, datetime | None]:
    """(status, next attempt time) after an attempt: delivered, pending with a retry time, or failed."""
    if attempt.succeeded:
        return "delivered", None
    if attempt.number >= policy.max_attempts:
        return "failed", None
    return "pending", attempt.at + timedelta(seconds=policy.delay_after(attempt.number))


class Dispatcher:
    def __init__(self, store: DeliveryStore, policy: RetryPolicy, *, poll_seconds: float = 1.0) -> None:
        self._store = store
        self._policy = policy
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client = httpx.Client(follow_redirects=False)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="webhook-dispatcher", daemon=True)
        self._thread.start()

    def configure(self, policy: RetryPolicy, poll_seconds: float) -> None:
        """Change the retry policy for the next attempts (settings reload, tests)."""
        self._policy, self._poll = policy, poll_seconds
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self._policy.timeout_seconds + 5)
        self._client.close()

    def run_due(self) -> int:
        """Send every delivery due now; returns how many attempts were made."""
        due = self._store.due_deliveries(datetime.now(UTC), 50)
        for item in due:
            attempt = attempt_delivery(
                self._client, url=item.url, secret=item.secret, event=item.event, delivery_id=item.delivery_id,
                body=item.body, number=item.attempts_made + 1, timeout_seconds=self._policy.timeout_seconds,
            )
            status, next_at = outcome_of(attempt, self._policy)
            self._store.record_attempt(item.delivery_id, attempt, status=status, next_attempt_at=next_at)
        return len(due)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.run_due()
            except Exception:  # a broken hook or a database hiccup must not end the loop
                log.exception("webhook delivery round failed")
                sent = 0
            if sent == 0:
                self._wake.wait(self._poll)
                self._wake.clear()
