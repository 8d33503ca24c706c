"""Webhooks against a real local HTTP receiver: signatures, retries with backoff, history."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from app.monitoring.service import Monitor, MonitorOptions
from app.webhooks.delivery import Attempt, RetryPolicy
from app.webhooks.dispatcher import outcome_of
from app.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, verify
from tests.api.test_monitoring import CUSTOMERS, HEADER, ZAGROS, attach_monitor, close_as
from tests.support.webhook_receiver import webhook_receiver

FAST = MonitorOptions(retry=RetryPolicy(max_attempts=3, base_delay_seconds=0.05, max_delay_seconds=0.2,
                                        timeout_seconds=2.0), poll_seconds=0.05)


@pytest.fixture
def monitor(client: TestClient) -> Iterator[Monitor]:
    monitor = attach_monitor(client, FAST)
    yield monitor
    monitor.stop()


def register_hook(client: TestClient, url: str, events: list[str]) -> dict[str, object]:
    response = client.post("/v1/webhooks", json={"url": url, "events": events})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def settled_deliveries(client: TestClient, hook_id: object, count: int = 1, timeout: float = 10.0) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = client.get(f"/v1/webhooks/{hook_id}/deliveries").json()
        if len(found) >= count and all(d["status"] != "pending" for d in found):
            return found  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"deliveries still pending: {client.get(f'/v1/webhooks/{hook_id}/deliveries').json()}")


def upload_watch_list(client: TestClient, monitor: Monitor) -> None:
    response = client.put("/v1/lists/watch?format=csv&action=block", content=HEADER + ZAGROS)
    assert response.status_code == 200, response.text
    assert monitor.wait_idle()


def test_deliveries_are_signed_and_the_signature_verifies(client: TestClient, monitor: Monitor) -> None:
    with webhook_receiver() as receiver:
        hook = register_hook(client, receiver.url, ["list.updated", "alert.created"])
        assert str(hook["secret"]).startswith("whsec_")
        client.post("/v1/customers", json={"customers": CUSTOMERS})
        upload_watch_list(client, monitor)
        received = receiver.wait_for(2)
    secret = str(hook["secret"])
    by_event = {r.headers["X-Exposure-Event"]: r for r in received}
    assert set(by_event) == {"list.updated", "alert.created"}
    for delivery in received:
        assert verify(secret, delivery.headers, delivery.body)
        assert not verify("whsec_wrong", delivery.headers, delivery.body)
        assert not verify(secret, delivery.headers, delivery.body + b" ")
    created = json.loads(by_event["alert.created"].body)
    assert created["data"]["external_id"] == "C2"
    assert created["data"]["change"]["list_id"] == "watch"
    assert json.loads(by_event["list.updated"].body)["data"]["added"] == 1


def test_a_decision_is_announced(client: TestClient, monitor: Monitor) -> None:
    with webhook_receiver() as receiver:
        register_hook(client, receiver.url, ["alert.decided"])
        client.post("/v1/customers", json={"customers": CUSTOMERS})
        upload_watch_list(client, monitor)
        alert_id = client.get("/v1/alerts").json()[0]["id"]
        close_as(client, monitor, alert_id, "false_positive")
        [received] = receiver.wait_for(1)
    data = json.loads(received.body)["data"]
    assert (data["alert_id"], data["action"], data["disposition"]) == (alert_id, "approve", "false_positive")
    assert data["decided_by"] == "second-reviewer"
    assert data["suppression_id"] is not None


def test_a_replayed_delivery_is_refused_by_the_timestamp_check() -> None:
    body, old = b'{"event":"list.updated"}', int(time.time()) - 3600
    headers = {TIMESTAMP_HEADER: str(old), SIGNATURE_HEADER: signature("s3cret", old, body)}
    assert not verify("s3cret", headers, body)
    assert verify("s3cret", headers, body, now=old + 10)
    assert not verify("s3cret", {**headers, TIMESTAMP_HEADER: str(old + 1)}, body, now=old + 10)


def test_a_receiver_failing_twice_gets_three_attempts(client: TestClient, monitor: Monitor) -> None:
    with webhook_receiver(statuses=(500, 502, 204)) as receiver:
        hook = register_hook(client, receiver.url, ["list.updated"])
        upload_watch_list(client, monitor)
        [delivery] = settled_deliveries(client, hook["id"])
        assert len(receiver.received) == 3
    assert (delivery["status"], delivery["attempt_count"]) == ("delivered", 3)
    attempts = delivery["attempts"]
    assert isinstance(attempts, list)
    assert [a["status_code"] for a in attempts] == [500, 502, 204]
    assert attempts[0]["error"] == "HTTP 500"
    assert attempts[2]["error"] is None
    # each retry is signed afresh and still verifies
    assert all(verify(str(hook["secret"]), r.headers, r.body) for r in receiver.received)


def test_a_receiver_failing_for_good_ends_as_failed_after_the_retry_limit(client: TestClient, monitor: Monitor) -> None:
    with webhook_receiver(statuses=(503,)) as receiver:
        hook = register_hook(client, receiver.url, ["list.updated"])
        upload_watch_list(client, monitor)
        [delivery] = settled_deliveries(client, hook["id"])
        time.sleep(0.3)  # no attempt beyond the limit
        assert len(receiver.received) == 3
    assert (delivery["status"], delivery["attempt_count"], delivery["next_attempt_at"]) == ("failed", 3, None)


def test_an_unreachable_receiver_is_recorded_as_a_connection_error(client: TestClient, monitor: Monitor) -> None:
    with webhook_receiver() as receiver:
        url = receiver.url  # the server is gone once the block ends
    hook = register_hook(client, url, ["list.updated"])
    upload_watch_list(client, monitor)
    [delivery] = settled_deliveries(client, hook["id"])
    attempts = delivery["attempts"]
    assert isinstance(attempts, list)
    assert len(attempts) == 3
    assert attempts[0]["status_code"] is None
    assert "Connect" in str(attempts[0]["error"])


@pytest.mark.parametrize(("body", "problem"), [
    ({"url": "ftp://example.org/x", "events": ["list.updated"]}, "http"),
    ({"url": "http://127.0.0.1/x", "events": ["list.deleted"]}, "unknown event"),
    ({"url": "http://127.0.0.1/x", "events": []}, "at least 1"),
])
def test_bad_hooks_are_refused_with_the_reason(client: TestClient, monitor: Monitor, body: dict[str, object], problem: str) -> None:
    response = client.post("/v1/webhooks", json=body)
    assert response.status_code == 422
    assert problem in json.dumps(response.json())


def test_a_deleted_hook_gets_nothing_more(client: TestClient, monitor: Monitor) -> None:
    with webhook_receiver() as receiver:
        hook = register_hook(client, receiver.url, ["list.updated"])
        assert client.delete(f"/v1/webhooks/{hook['id']}").status_code == 204
        assert client.get(f"/v1/webhooks/{hook['id']}/deliveries").status_code == 404
        upload_watch_list(client, monitor)
        time.sleep(0.2)
        assert receiver.received == []
    assert client.get("/v1/webhooks").json() == []


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=5, base_delay_seconds=10, max_delay_seconds=30)
    assert [policy.delay_after(n) for n in (1, 2, 3, 4)] == [10, 20, 30, 30]
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert outcome_of(Attempt(1, at, 500, "HTTP 500", 3), policy)[0] == "pending"
    assert outcome_of(Attempt(5, at, 500, "HTTP 500", 3), policy) == ("failed", None)
    assert outcome_of(Attempt(2, at, 200, None, 3), policy) == ("delivered", None)


def test_a_finished_batch_is_announced(client: TestClient, monitor: Monitor) -> None:
    from app.batch.worker import start_workers

    with webhook_receiver() as receiver:
        hook = register_hook(client, receiver.url, ["batch.finished"])
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        pool = start_workers(runtime.settings, count=1, poll_seconds=0.05)
        try:
            job = client.post("/v1/batches", files={"file": ("book.csv", b"record_id,name\nb1,Al Huda Bank\nb2,Jane Roe\n",
                                                             "text/csv")}).json()
            [delivery] = receiver.wait_for(1, timeout=60)
        finally:
            pool.stop()
    body = json.loads(delivery.body)
    assert body["event"] == "batch.finished"
    assert body["data"]["batch_id"] == job["id"]
    assert (body["data"]["rows_read"], body["data"]["screened"]) == (2, 2)
    assert verify(str(hook["secret"]), delivery.headers, delivery.body)
