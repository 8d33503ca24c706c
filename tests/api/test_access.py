"""Roles on each endpoint group (401/403/200), rate limiting, idempotency, audit records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.settings import Settings
from app.main import create_app


@pytest.fixture
def secured(settings: Settings) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    """A service with auth on and one key per role."""
    with TestClient(create_app(settings.model_copy(update={"auth": "on"}))) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        headers = {}
        with Session(runtime.engine) as session:
            for role in ("screener", "reviewer", "admin"):
                _, key = runtime.keys.create(session, name=f"{role}-key", role=role, created_by="test")
                headers[role] = {"Authorization": f"Bearer {key}"}
            session.commit()
        yield client, headers


SCREEN = ("POST", "/v1/screen", {"name": "Al Huda Bank"})
READ_LISTS = ("GET", "/v1/lists", None)
UPLOAD = ("PUT", "/v1/lists/bank-internal?format=csv", None)
KEYS = ("GET", "/v1/keys", None)
SCREENINGS = ("GET", "/v1/screenings", None)
EXPORT = ("GET", "/v1/audit/export", None)
RULES_RELOAD = ("POST", "/v1/rules/reload", None)
RULES = ("GET", "/v1/rules", None)
BATCHES = ("GET", "/v1/batches", None)
ENTITY = ("GET", "/v1/entities/fincen-311:al-huda-bank", None)
REFRESH = ("POST", "/v1/lists/refresh?source=fincen-311", None)

# endpoint -> roles allowed
MATRIX = [
    (SCREEN, {"screener", "reviewer", "admin"}),
    (READ_LISTS, {"screener", "reviewer", "admin"}),
    (ENTITY, {"screener", "reviewer", "admin"}),
    (RULES, {"screener", "reviewer", "admin"}),
    (BATCHES, {"screener", "reviewer", "admin"}),
    (REFRESH, {"admin"}),
    (SCREENINGS, {"reviewer", "admin"}),
    (EXPORT, {"admin"}),
    (KEYS, {"admin"}),
    (RULES_RELOAD, {"admin"}),
]


@pytest.mark.parametrize(("endpoint", "allowed"), MATRIX, ids=[e[1] for e, _ in MATRIX])
def test_each_role_on_each_endpoint_group(secured, endpoint, allowed) -> None:  # type: ignore[no-untyped-def]
    client, headers = secured
    method, url, body = endpoint
    missing = client.request(method, url, json=body)
    assert missing.status_code == 401
    assert missing.json()["error"] == "Unauthorized"
    wrong = client.request(method, url, json=body, headers={"X-API-Key": "exp_not-a-key"})
    assert wrong.status_code == 401
    for role, hdrs in headers.items():
        response = client.request(method, url, json=body, headers=hdrs)
        if role in allowed:
            assert response.status_code == 200, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.json()["error"] == "Forbidden"


def test_health_and_docs_need_no_key(secured) -> None:  # type: ignore[no-untyped-def]
    client, _ = secured
    for url in ("/healthz", "/readyz", "/openapi.json", "/docs"):
        assert client.get(url).status_code == 200, url


def test_upload_by_a_screener_is_refused_and_changes_nothing(secured) -> None:  # type: ignore[no-untyped-def]
    client, headers = secured
    before = client.get("/v1/lists", headers=headers["admin"]).json()
    response = client.put("/v1/lists/bank-internal", params={"format": "csv"}, content=b"id,name\n1,x\n", headers=headers["screener"])
    assert response.status_code == 403
    assert client.get("/v1/lists", headers=headers["admin"]).json() == before


def test_revoked_key_stops_working(secured) -> None:  # type: ignore[no-untyped-def]
    client, headers = secured
    created = client.post("/v1/keys", json={"name": "temp", "role": "screener"}, headers=headers["admin"])
    assert created.status_code == 201
    key = created.json()["key"]
    assert client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": key}).status_code == 200
    assert client.delete("/v1/keys/temp", headers=headers["admin"]).status_code == 200
    assert "key" not in client.get("/v1/keys", headers=headers["admin"]).json()[0]
    client.app.state.runtime.keys._cache.clear()  # type: ignore[attr-defined]  (skip the 5 s cache)
    assert client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": key}).status_code == 401


def test_rate_limit_answers_429_with_retry_after(settings: Settings) -> None:
    limited = settings.model_copy(update={"auth": "on", "rate_limit_per_minute": 2})
    with TestClient(create_app(limited)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        with Session(runtime.engine) as session:
            _, key = runtime.keys.create(session, name="busy", role="screener", created_by="test")
            session.commit()
        codes = [client.get("/v1/lists", headers={"X-API-Key": key}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        response = client.get("/v1/lists", headers={"X-API-Key": key})
        assert int(response.headers["Retry-After"]) >= 1


def test_idempotent_retry_returns_the_first_result(client: TestClient) -> None:
    headers = {"Idempotency-Key": "pay-2026-0001"}
    first = client.post("/v1/screen", json={"name": "Al Huda Bank", "external_id": "CUST-1"}, headers=headers)
    again = client.post("/v1/screen", json={"name": "Al Huda Bank", "external_id": "CUST-1"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["screening_id"] == first.json()["screening_id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    page = client.get("/v1/screenings", params={"external_id": "CUST-1"}).json()
    assert len(page["items"]) == 1  # screened once
    conflict = client.post("/v1/screen", json={"name": "Another Name"}, headers=headers)
    assert conflict.status_code == 409


def test_screening_record_keeps_request_versions_matches_and_decision(client: TestClient) -> None:
    screened = client.post("/v1/screen", json={"name": "Al Huda Bank", "external_id": "ONB-77"}).json()
    record = client.get(f"/v1/screenings/{screened['screening_id']}").json()
    assert record["external_id"] == "ONB-77"
    assert record["decision"] == "block"
    body = record["record"]
    assert body["request"]["name"] == "Al Huda Bank"
    assert {v["list_id"] for v in body["list_versions"]} >= {"fincen-311"}
    assert body["matches"][0]["explanation"]
    assert body["matches"][0]["features"]
    assert "ruleset_version" in body
    by_list = client.get("/v1/screenings", params={"list_id": "fincen-311", "decision": "block"}).json()
    assert screened["screening_id"] in {i["screening_id"] for i in by_list["items"]}
    assert client.get("/v1/screenings/unknown-id").status_code == 404


def test_audit_export_streams_json_lines_including_list_changes(client: TestClient) -> None:
    client.post("/v1/screen", json={"name": "Hammurabi Commercial Bank"})
    lines = client.get("/v1/audit/export").text.strip().splitlines()
    kinds = [__import__("json").loads(line)["kind"] for line in lines]
    assert "screening" in kinds
    assert "list.loaded" in kinds  # the curated lists loaded at start-up
    assert "rules.loaded" in kinds
