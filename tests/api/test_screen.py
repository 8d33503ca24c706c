"""POST /v1/screen on the shipped curated lists."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_al_huda_bank_is_blocked_on_the_fincen_311_list(client: TestClient) -> None:
    response = client.post("/v1/screen", json={"name": "Al Huda Bank"})
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "block"
    fincen = [m for m in body["matches"] if m["list_id"] == "fincen-311"]
    assert fincen
    assert fincen[0]["score"] >= 0.95
    assert fincen[0]["explanation"]
    assert any(r["rule_id"].startswith("list-match.fincen-311") for r in body["triggered_rules"])
    assert {v["list_id"] for v in body["lists"]} >= {"fincen-311", "cbi-usd-ban"}
    assert body["screening_id"]


def test_hammurabi_commercial_bank_matches_the_dollar_ban_list(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"name": "Hammurabi Commercial Bank"}).json()
    assert any(m["list_id"] == "cbi-usd-ban" for m in body["matches"])
    assert body["decision"] in ("review", "block")


def test_arabic_name_finds_al_huda(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"name": "مصرف الهدى"}).json()
    assert any(m["entity_id"].startswith("fincen-311:") for m in body["matches"])


def test_bic_alone_finds_al_huda(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"identifiers": [{"type": "bic", "value": "BHDAIQBA"}]}).json()
    assert body["decision"] == "block"


def test_unrelated_name_is_clear(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"name": "Northwind Dairy Cooperative"}).json()
    assert body["decision"] == "clear"
    assert body["matches"] == []


def test_lists_filter_restricts_the_search(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"name": "Al Huda Bank", "lists": ["cbi-usd-ban"]}).json()
    assert {m["list_id"] for m in body["matches"]} == {"cbi-usd-ban"}
    assert [v["list_id"] for v in body["lists"]] == ["cbi-usd-ban"]


def test_bad_requests_get_clear_4xx_errors(client: TestClient) -> None:
    cases = [
        ({"name": ""}, 400, "InvalidQuery"),
        ({"name": "   "}, 400, "InvalidQuery"),
        ({"name": "x", "lists": ["nope"]}, 404, "UnknownList"),
        ({"name": "x", "threshold": 1.5}, 422, "InvalidRequest"),
        ({"name": "x", "dob": "12/05/1970"}, 422, "InvalidRequest"),
        ({"name": "x", "country": "Iraq"}, 422, "InvalidRequest"),
        ({"name": "x" * 501}, 422, "InvalidRequest"),
        ({"name": "x", "unknown_field": 1}, 422, "InvalidRequest"),
        ({"name": "x", "type": "dragon"}, 422, "InvalidRequest"),
    ]
    for payload, status, error in cases:
        response = client.post("/v1/screen", json=payload)
        assert (response.status_code, response.json()["error"]) == (status, error), payload


def test_invalid_json_is_a_422_naming_the_problem(client: TestClient) -> None:
    response = client.post("/v1/screen", content=b'{"name": "Al Huda', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"] == "InvalidRequest"
