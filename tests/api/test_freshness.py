"""Stale lists: /readyz turns to a warning and every screening names them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from app.catalog.service import LoadRequest
from app.lists.models import ListAction, ListInfo

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalog"


def load_remote_list(client: TestClient, fetched_at: datetime) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    info = ListInfo(id="ofac-test", name="OFAC test feed", authority="OFAC", default_action=ListAction.BLOCK)
    report = runtime.catalog.load(LoadRequest(info=info, fmt="csv", path=FIXTURES / "internal_v1.csv", origin="remote",
                                              source="https://example.invalid/list.csv", freshness_hours=24,
                                              fetched_at=fetched_at))
    assert report.status == "loaded"


def test_fresh_lists_are_not_flagged(client: TestClient) -> None:
    load_remote_list(client, datetime.now(UTC) - timedelta(hours=1))
    assert client.get("/readyz").json()["status"] == "ok"
    assert client.post("/v1/screen", json={"name": "Zagros Horizon"}).json()["stale_lists"] == []


def test_a_list_past_its_freshness_limit_is_flagged_everywhere(client: TestClient) -> None:
    load_remote_list(client, datetime.now(UTC) - timedelta(hours=30))
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "warning"
    assert ready.json()["stale_lists"] == ["ofac-test"]
    body = client.post("/v1/screen", json={"name": "Zagros Horizon"}).json()
    assert body["stale_lists"] == ["ofac-test"]
    ages = {v["list_id"]: v["age_seconds"] for v in body["lists"]}
    assert ages["fincen-311"] >= 0
    listed = {item["id"]: item for item in client.get("/v1/lists").json()}
    assert listed["ofac-test"]["stale"] is True
    assert listed["fincen-311"]["stale"] is False  # curated lists change by hand, never "stale"
