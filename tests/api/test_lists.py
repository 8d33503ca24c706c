"""List endpoints: catalogue, browsing, entity lookup, upload of a custom list."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalog"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["lists"] >= 2


def test_lists_show_the_curated_lists_with_versions(client: TestClient) -> None:
    lists = {item["id"]: item for item in client.get("/v1/lists").json()}
    assert lists["fincen-311"]["version"] == 1
    assert lists["fincen-311"]["entry_count"] >= 1
    assert lists["cbi-usd-ban"]["entry_count"] >= 26
    assert lists["cbi-usd-ban"]["default_action"] == "review"
    assert len(lists["fincen-311"]["content_hash"]) == 64


def test_entries_can_be_browsed_and_fetched_by_id(client: TestClient) -> None:
    page = client.get("/v1/lists/cbi-usd-ban/entries", params={"q": "hammurabi"}).json()
    assert page["total"] == 1
    entity_id = page["entries"][0]["id"]
    entity = client.get(f"/v1/entities/{entity_id}").json()
    assert entity["list_id"] == "cbi-usd-ban"
    assert client.get("/v1/entities/nope:1").status_code == 404
    assert client.get("/v1/lists/nope/entries").status_code == 404


def test_upload_a_custom_list_and_screen_against_it(client: TestClient) -> None:
    body = (FIXTURES / "internal_v1.csv").read_bytes()
    response = client.put("/v1/lists/bank-internal", params={"format": "csv", "name": "Internal"}, content=body)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    hit = client.post("/v1/screen", json={"name": "Zagros Horizon Trading"}).json()
    assert any(m["entity_id"] == "bank-internal:c-001" for m in hit["matches"])


def test_bad_uploads_are_refused_and_keep_the_stored_version(client: TestClient) -> None:
    client.put("/v1/lists/bank-internal", params={"format": "csv"}, content=(FIXTURES / "internal_v1.csv").read_bytes())
    cases = [
        ({"format": "csv"}, (FIXTURES / "internal_broken.csv").read_bytes(), 400),
        ({"format": "csv"}, b"\xff\xfe\x00garbage\x00", 400),
        ({"format": "csv"}, b"", 400),
        ({"format": "pdf"}, b"x", 400),
        ({"format": "ofac-csv"}, b"x", 400),
        ({"format": "yaml"}, b"list: [unclosed", 400),
        ({"format": "ftm"}, b"{not json}\n", 400),
    ]
    for params, content, status in cases:
        response = client.put("/v1/lists/bank-internal", params=params, content=content)
        assert response.status_code == status, (params, response.text)
        assert response.json()["detail"]
    lists = {item["id"]: item for item in client.get("/v1/lists").json()}
    assert (lists["bank-internal"]["version"], lists["bank-internal"]["entry_count"]) == (1, 3)


def test_built_in_lists_cannot_be_replaced_by_upload(client: TestClient) -> None:
    response = client.put("/v1/lists/fincen-311", params={"format": "csv"}, content=(FIXTURES / "internal_v1.csv").read_bytes())
    assert response.status_code == 409


def test_oversized_upload_is_413(settings, database_url) -> None:  # type: ignore[no-untyped-def]
    from app.main import create_app

    small = settings.model_copy(update={"max_upload_bytes": 100})
    with TestClient(create_app(small)) as client:
        response = client.put("/v1/lists/big", params={"format": "csv"}, content=b"x" * 1000)
    assert response.status_code == 413
