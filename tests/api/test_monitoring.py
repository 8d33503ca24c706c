"""Ongoing monitoring over HTTP: customers, alerts from list changes, four-eyes, suppression."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.routes import alerts, customers, webhooks
from app.core.settings import Settings
from app.main import create_app
from app.monitoring import review
from app.monitoring.service import Monitor, MonitorOptions, install_monitoring

HEADER = "id,name,kind,aliases,countries,dob,identifiers,notes\n"
BORIS = "w-1,Boris Kaminsky Volodin,person,,RU,1961-02-03,,\n"
BORIS_CHANGED = "w-1,Boris Kaminsky Volodin,person,Boris Volodin,RU,1961-02-03,,\n"
BORIS_CHANGED_AGAIN = "w-1,Boris Kaminsky Volodin,person,Boris Volodin;B. K. Volodin,RU,1961-02-03,,\n"
ZAGROS = "w-2,Zagros Horizon Trading,organization,,AE,,,\n"
HELIOS = "w-3,Helios Maritime Carriers,organization,,GR,,,\n"
AURELIO = "w-4,Aurelio Marquez Fontana,person,,VE,,,\n"

CUSTOMERS = [
    {"external_id": "C1", "name": "Boris Kaminsky Volodin", "type": "person"},
    {"external_id": "C2", "name": "Zagros Horizon Trading LLC", "type": "organization"},
    {"external_id": "C3", "name": "Jane Quincy Example", "type": "person"},
    {"external_id": "C4", "name": "Aurelio Marquez Fontana", "type": "person"},
    {"external_id": "C5", "name": "Helios Maritime Carriers", "type": "organization"},
]


def attach_monitor(client: TestClient, options: MonitorOptions | None = None) -> Monitor:
    """The app's monitor, or one installed here until the service wires it in its lifespan."""
    app = client.app
    state = app.state  # type: ignore[attr-defined]
    paths = {getattr(r, "path", "") for r in app.routes}  # type: ignore[attr-defined]
    for module in (customers, alerts, webhooks):
        if module.router.prefix not in paths and not any(p.startswith(module.router.prefix) for p in paths):
            app.include_router(module.router)  # type: ignore[attr-defined]
    monitor: Monitor | None = getattr(state, "monitor", None)
    if monitor is None:
        monitor = install_monitoring(state.runtime, options)
        state.monitor = monitor
    elif options is not None:
        monitor.configure(options)
    return monitor


@pytest.fixture
def monitor(client: TestClient) -> Iterator[Monitor]:
    monitor = attach_monitor(client)
    yield monitor
    monitor.stop()


def upload(client: TestClient, monitor: Monitor, *rows: str) -> None:
    response = client.put("/v1/lists/watch?format=csv&action=block&name=Watch", content=HEADER + "".join(rows))
    assert response.status_code == 200, response.text
    assert monitor.wait_idle()


def pairs(client: TestClient, status: str | None = None) -> list[tuple[str, str]]:
    query = f"?status={status}" if status else ""
    return sorted((a["external_id"], a["entity_id"]) for a in client.get(f"/v1/alerts{query}").json())


def register(client: TestClient) -> None:
    response = client.post("/v1/customers", json={"customers": CUSTOMERS})
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 5


def test_a_list_change_raises_exactly_the_expected_alerts(client: TestClient, monitor: Monitor) -> None:
    register(client)
    upload(client, monitor, BORIS, ZAGROS, HELIOS)
    assert pairs(client) == [("C1", "watch:w-1"), ("C2", "watch:w-2"), ("C5", "watch:w-3")]

    # w-1 changes, w-4 is added, w-2 and w-3 stay: only C4 gets a new alert (C1's is still open).
    upload(client, monitor, BORIS_CHANGED, ZAGROS, HELIOS, AURELIO)
    assert pairs(client) == [("C1", "watch:w-1"), ("C2", "watch:w-2"), ("C4", "watch:w-4"), ("C5", "watch:w-3")]
    run = monitor.last_runs[-1]
    assert (run.screened_entries, run.already_open, len(run.alerts)) == (2, 1, 1)

    alert = client.get(f"/v1/alerts/{run.alerts[0]}").json()
    assert alert["change"] == {"list_id": "watch", "snapshot_id": alert["change"]["snapshot_id"], "version": 2, "change": "added"}
    assert alert["match"]["matched_name"] == "Aurelio Marquez Fontana"
    assert alert["match"]["explanation"]
    assert alert["match"]["features"]
    assert any(r["rule_id"] == "list-match.watch" for r in alert["triggered_rules"])
    assert alert["status"] == "open"
    assert alert["decision"] == "block"


def test_a_closed_alert_reopens_as_a_new_one_when_the_entry_changes_again(client: TestClient, monitor: Monitor) -> None:
    register(client)
    upload(client, monitor, BORIS, ZAGROS)
    first = next(a for a in client.get("/v1/alerts").json() if a["external_id"] == "C1")
    close_as(client, monitor, first["id"], "true_match")
    upload(client, monitor, BORIS_CHANGED, ZAGROS)
    c1 = list(client.get("/v1/alerts?external_id=C1").json())
    assert [a["status"] for a in c1] == ["open", "closed"]
    assert c1[0]["change"]["change"] == "changed"


def test_deleted_customers_are_no_longer_monitored(client: TestClient, monitor: Monitor) -> None:
    register(client)
    assert client.delete("/v1/customers/C4").status_code == 204
    assert client.delete("/v1/customers/C4").status_code == 404
    upload(client, monitor, AURELIO)
    assert pairs(client) == []


def test_bulk_registration_from_a_csv_book(client: TestClient, monitor: Monitor) -> None:
    book = "record_id,name,type,country\nK1,Aurelio Marquez Fontana,person,VE\n,No Id,person,\nK2,Helios Maritime Carriers,company,GR\n"
    response = client.post("/v1/customers", content=book, headers={"Content-Type": "text/csv"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["created"], body["monitored_total"]) == (2, 2)
    assert [(r["line_number"], r["reason"]) for r in body["rejected"]] == [(3, "missing_record_id")]
    assert client.get("/v1/customers/K2").json()["type"] == "organization"
    upload(client, monitor, AURELIO, HELIOS)
    assert pairs(client) == [("K1", "watch:w-4"), ("K2", "watch:w-3")]


@pytest.mark.parametrize(("body", "status"), [
    ({"name": "No Id"}, 422),
    ({"external_id": "X", "name": ""}, 422),
    ({"external_id": "X", "name": "A", "threshold": 0.5}, 422),
    ({"external_id": "X", "name": "A", "dob": "01/02/1990"}, 422),
])
def test_bad_customers_get_a_clear_4xx(client: TestClient, monitor: Monitor, body: dict[str, object], status: int) -> None:
    response = client.post("/v1/customers", json=body)
    assert response.status_code == status
    assert response.json()["detail"]


def test_malformed_requests_are_refused_with_a_reason(client: TestClient, monitor: Monitor) -> None:
    assert client.post("/v1/customers", content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/v1/customers", content=b"", headers={"Content-Type": "text/csv"}).status_code == 400
    assert client.get("/v1/alerts/999").status_code == 404
    assert client.get("/v1/alerts?status=nonsense").status_code == 422


# -- four eyes ---------------------------------------------------------------------------------

def close_as(client: TestClient, monitor: Monitor, alert_id: int, disposition: str) -> None:
    """Propose over HTTP (as "local", auth off), approve as a second person through the store."""
    proposal = client.post(f"/v1/alerts/{alert_id}/proposal",
                           json={"disposition": disposition, "reason": "different date of birth and nationality"})
    assert proposal.status_code == 200, proposal.text
    refused = client.post(f"/v1/alerts/{alert_id}/decision", json={"approve": True})
    assert refused.status_code == 403  # "local" proposed it
    monitor.review(alert_id, partial(review.approve, actor="second-reviewer"))


@pytest.fixture
def secured(database_url: str, settings: Settings) -> Iterator[tuple[TestClient, Monitor, dict[str, dict[str, str]]]]:
    """A service with auth on and keys for two reviewers, a screener and an admin."""
    secured_settings = settings.model_copy(update={"auth": "on"})
    with TestClient(create_app(secured_settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        headers = {}
        with Session(runtime.engine) as session:
            for name, role in (("alice", "reviewer"), ("bob", "reviewer"), ("sam", "screener"), ("root", "admin")):
                _, key = runtime.keys.create(session, name=name, role=role, created_by="test")
                headers[name] = {"Authorization": f"Bearer {key}"}
            session.commit()
        monitor = attach_monitor(client)
        yield client, monitor, headers
        monitor.stop()


def test_four_eyes_refuses_self_approval_and_accepts_a_second_reviewer(secured: tuple[TestClient, Monitor, dict[str, dict[str, str]]]) -> None:
    client, monitor, keys = secured
    assert client.post("/v1/customers", headers=keys["sam"], json={"customers": CUSTOMERS}).status_code == 201
    response = client.put("/v1/lists/watch?format=csv&action=block", headers=keys["root"], content=HEADER + ZAGROS)
    assert response.status_code == 200
    assert monitor.wait_idle()
    assert client.get("/v1/alerts", headers=keys["sam"]).status_code == 403  # screeners do not review
    alert_id = client.get("/v1/alerts", headers=keys["alice"]).json()[0]["id"]

    propose = {"disposition": "false_positive", "reason": "our client is a Greek shipping firm, not the listed one"}
    assert client.post(f"/v1/alerts/{alert_id}/proposal", headers=keys["alice"], json=propose).status_code == 200
    again = client.post(f"/v1/alerts/{alert_id}/proposal", headers=keys["bob"], json=propose)
    assert again.status_code == 409

    self_approval = client.post(f"/v1/alerts/{alert_id}/decision", headers=keys["alice"], json={"approve": True})
    assert self_approval.status_code == 403
    assert self_approval.json()["error"] == "Forbidden"
    assert "four-eyes" in self_approval.json()["detail"]

    rejected = client.post(f"/v1/alerts/{alert_id}/decision", headers=keys["bob"], json={"approve": False})
    assert rejected.status_code == 400  # a rejection needs a reason
    rejected = client.post(f"/v1/alerts/{alert_id}/decision", headers=keys["bob"],
                           json={"approve": False, "reason": "check the registration number first"})
    assert rejected.json()["status"] == "open"

    assert client.post(f"/v1/alerts/{alert_id}/proposal", headers=keys["bob"], json=propose).status_code == 200
    approved = client.post(f"/v1/alerts/{alert_id}/decision", headers=keys["alice"], json={"approve": True}).json()
    assert (approved["status"], approved["disposition"]) == ("closed", "false_positive")
    assert [(r["action"], r["actor"]) for r in approved["reviews"]] == [
        ("propose", "alice"), ("reject", "bob"), ("propose", "bob"), ("approve", "alice")]
    assert approved["suppression"]["approved_by"] == "alice"
    assert approved["suppression"]["proposed_by"] == "bob"


def test_every_review_step_is_audited(client: TestClient, monitor: Monitor) -> None:
    from app.db.audit import find_records

    register(client)
    upload(client, monitor, ZAGROS)
    alert_id = client.get("/v1/alerts").json()[0]["id"]
    close_as(client, monitor, alert_id, "true_match")
    with Session(monitor.runtime.engine) as session:
        kinds = [r.kind for r in find_records(session, kind="alert.")] + [r.kind for r in find_records(session, kind="customer.")]
        runs = find_records(session, kind="monitoring.run")
    assert kinds == ["alert.created", "alert.propose", "alert.approve", "customer.registered"]
    assert runs
    assert '"alerts":1' in runs[-1].payload.replace(" ", "")


# -- suppression (good-guy list) ---------------------------------------------------------------

def screen_as(client: TestClient, name: str, external_id: str) -> tuple[str, list[str]]:
    """POST /v1/screen for this party: the decision and the entity ids shown as suppressed."""
    body = client.post("/v1/screen", json={"name": name, **({"external_id": external_id} if external_id else {})}).json()
    suppressed = [m["entity_id"] for m in body["matches"] if m["suppressed"]]
    assert all(m["suppressed_by"]["approved_by"] for m in body["matches"] if m["suppressed"])
    return body["decision"], suppressed


def test_an_approved_false_positive_suppresses_that_pair_until_the_entry_changes(client: TestClient, monitor: Monitor) -> None:
    register(client)
    client.post("/v1/customers", json={"external_id": "C6", "name": "Zagros Horizon Trading LLC"})
    upload(client, monitor, ZAGROS, HELIOS)
    c2 = client.get("/v1/alerts?external_id=C2").json()[0]
    close_as(client, monitor, c2["id"], "false_positive")
    suppression = client.get(f"/v1/alerts/{c2['id']}").json()["suppression"]
    assert suppression["approved_by"] == "second-reviewer"
    assert suppression["expires_at"] is not None

    # A screening of C2 still shows the match, marked suppressed; the decision drops. C6 still blocks.
    assert screen_as(client, "Zagros Horizon Trading LLC", "C2") == ("clear", ["watch:w-2"])
    assert screen_as(client, "Zagros Horizon Trading LLC", "C6") == ("block", [])
    assert screen_as(client, "Zagros Horizon Trading LLC", "") == ("block", [])

    # w-2 leaves the list and comes back unchanged: C2 stays suppressed, C6's alert is still open.
    upload(client, monitor, HELIOS)
    upload(client, monitor, ZAGROS, HELIOS)
    assert monitor.last_runs[-1].suppressed == 1
    assert monitor.last_runs[-1].already_open == 1
    assert [a["status"] for a in client.get("/v1/alerts?external_id=C2").json()] == ["closed"]

    # The entry changes: the suppression no longer applies, in screening and in monitoring.
    upload(client, monitor, ZAGROS.replace(",AE,", ",AE;IR,"), HELIOS)
    assert screen_as(client, "Zagros Horizon Trading LLC", "C2") == ("block", [])
    assert [a["status"] for a in client.get("/v1/alerts?external_id=C2").json()] == ["open", "closed"]
