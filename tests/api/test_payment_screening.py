"""Payments through the HTTP API: JSON transactions and raw pacs.008 / MT103 messages."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

PAYMENTS = Path(__file__).parents[1] / "fixtures" / "payments"


def payment(currency: str) -> dict[str, object]:
    return {
        "currency": currency, "amount": 250000, "purpose": "Invoice 4471 construction steel",
        "originator": {"name": "Tigris Build Materials LLC", "type": "organization", "country": "IQ",
                       "bank": {"name": "Rafidain Bank", "bic": "RAFBIQBA", "country": "IQ"}},
        "beneficiary": {"name": "Gulf Steel Supply Co", "type": "organization", "country": "AE",
                        "bank": {"name": "Union Bank of Iraq", "country": "IQ"}},
    }


def test_usd_payment_to_a_dollar_banned_bank_is_review_with_the_ban_reason(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"transaction": payment("USD")}).json()
    assert body["decision"] == "review"
    roles = {m["role"] for m in body["matches"] if m["list_id"] == "cbi-usd-ban"}
    assert "beneficiary.bank" in roles
    assert any("cbi" in r["rule_id"].lower() or "ban" in r["rule_id"].lower() for r in body["triggered_rules"]
               if r["pack"] != "lists")


def test_same_payment_in_eur_does_not_fire_the_dollar_ban_rule(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"transaction": payment("EUR")}).json()
    fired = [r for r in body["triggered_rules"] if r["pack"] != "lists"]
    assert not any("ban" in r["rule_id"] for r in fired)


def test_pacs008_with_al_huda_as_intermediary_is_blocked_citing_fincen_311(client: TestClient) -> None:
    raw = (PAYMENTS / "pacs008_alhuda_intermediary.xml").read_bytes()
    response = client.post("/v1/screen/payment", content=raw, headers={"content-type": "application/xml"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decision"] == "block"
    assert body["message_format"] == "pacs008"
    screening = body["screenings"][0]
    assert any(m["role"].startswith("intermediaries") and m["list_id"] == "fincen-311" for m in screening["matches"])
    citations = " ".join(str(ref.get("citation")) for r in screening["triggered_rules"] for ref in r["references"])
    assert "5318A" in citations or "55051" in citations


def test_mt103_is_detected_and_screened(client: TestClient) -> None:
    raw = (PAYMENTS / "mt103_union_bank_usd.txt").read_bytes()
    body = client.post("/v1/screen/payment", content=raw).json()
    assert body["message_format"] == "mt103"
    assert body["decision"] in ("review", "block")


def test_malformed_messages_get_a_4xx_naming_the_field(client: TestClient) -> None:
    for name in ("pacs008_missing_ccy.xml", "pacs008_doctype.xml", "mt103_bad_amount.txt", "mt103_bad_bic.txt"):
        response = client.post("/v1/screen/payment", content=(PAYMENTS / name).read_bytes())
        assert response.status_code == 400, (name, response.text)
        assert response.json()["error"] == "PaymentMessageError"
    assert client.post("/v1/screen/payment", content=b"hello").status_code == 400
    assert client.post("/v1/screen/payment", content=b"").status_code == 400
    assert client.post("/v1/screen/payment", content=b"<Document>" * 300000).status_code == 413


def test_invalid_transaction_json_is_a_422(client: TestClient) -> None:
    bad = payment("USD")
    bad["currency"] = "DOLLARS"
    assert client.post("/v1/screen", json={"transaction": bad}).status_code == 422


def test_payment_screening_is_audited(client: TestClient) -> None:
    body = client.post("/v1/screen", json={"transaction": payment("USD"), "external_id": "PAY-1"}).json()
    record = client.get(f"/v1/screenings/{body['screening_id']}").json()
    assert record["kind"] == "screening.payment"
    assert record["record"]["request"]["transaction"]["currency"] == "USD"
