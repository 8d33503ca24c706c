"""Batch screening over HTTP with real worker processes and the real database."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.routes import batches
from app.batch.results import COLUMNS
from app.batch.worker import WorkerPool, start_workers
from app.core.settings import Settings
from app.db import batch as batch_db
from app.db.engine import create_db_engine
from app.main import create_app

REPO = Path(__file__).resolve().parents[2]
GOOD_AND_BAD = (
    "record_id,name,type,country,dob\n"
    "k1,Al Huda Bank,organization,IQ,\n"
    "k2,Northwind Dairy Cooperative,organization,,\n"
    "k3,,person,,\n"
    "k4,Jane Roe,person,,1970-13\n"
    "k5,مصرف الهدى,,,\n"
    "k6,too,few\n"
)


class ChunkedSettings(Settings):
    batch_chunk_rows: int = 25  # small chunks, so a job is many commits and can be killed between them


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> ChunkedSettings:
    return ChunkedSettings(database_url=database_url, lists_dir=REPO / "lists", rules_dir=REPO / "rules",
                           refresh_on_start=False, data_dir=tmp_path / "data", batch_workers=0, auth="off")


def make_client(settings: Settings) -> TestClient:
    app: FastAPI = create_app(settings)
    if not any(getattr(r, "path", "") == "/v1/batches" for r in app.routes):
        app.include_router(batches.router)
    return TestClient(app)


@pytest.fixture
def client(settings: ChunkedSettings) -> Iterator[TestClient]:
    with make_client(settings) as test_client:
        yield test_client


@pytest.fixture
def workers(client: TestClient, settings: ChunkedSettings) -> Iterator[WorkerPool]:
    pool = start_workers(settings, count=1)
    assert pool.wait_ready(timeout=120)  # the worker signals once its lists are indexed
    assert pool.wait_ready(timeout=0.1)  # and the signal stays for later callers
    yield pool
    pool.stop()


def upload(client: TestClient, text: str | bytes, **form: str) -> dict[str, object]:
    data = text.encode() if isinstance(text, str) else text
    response = client.post("/v1/batches", files={"file": ("customers.csv", data, "text/csv")}, data=form)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


def wait_for(client: TestClient, job_id: object, done: tuple[str, ...] = ("done", "failed", "cancelled"),
             min_rows: int = 0, timeout: float = 40) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/batches/{job_id}").json()
        if job["status"] in done or (min_rows and int(job["rows_read"]) >= min_rows):
            return job  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"batch {job_id} still {job['status']} after {timeout}s: {job}")


def test_template_lists_the_recognised_columns(client: TestClient) -> None:
    response = client.get("/v1/batches/template.csv")
    assert response.status_code == 200
    assert response.text.splitlines()[0].split(",")[:3] == ["record_id", "name", "type"]


def test_upload_is_screened_and_results_come_in_both_formats(client: TestClient, workers: WorkerPool) -> None:
    created = upload(client, GOOD_AND_BAD, threshold="0.8")
    assert created["rows_total"] == 6
    job = wait_for(client, created["id"])
    assert job["status"] == "done"
    assert (job["rows_read"], job["screened"], job["rejected"]) == (6, 3, 3)
    assert job["matched"] >= 2
    assert client.get("/v1/batches").json()[0]["id"] == job["id"]

    full = client.get(f"/v1/batches/{job['id']}/results", params={"format": "csv"})
    assert full.status_code == 200
    assert full.headers["content-type"].startswith("text/csv")
    lines = full.text.lstrip("\ufeff").splitlines()
    assert lines[0].split(",") == list(COLUMNS)
    assert [line.split(",")[2] for line in lines[1:]] == ["k1", "k2", "k3", "k4", "k5", ""]

    rows = [client.get(f"/v1/batches/{job['id']}/results", params={"format": "jsonl", "only": only}).text.splitlines()
            for only in ("all", "matches", "rejected")]
    everything, matches, rejected = ([json.loads(line) for line in part] for part in rows)
    assert len(everything) == 6
    by_id = {r["record_id"]: r for r in everything}
    assert by_id["k1"]["entity_id"]
    assert "list-match.fincen-311" in by_id["k1"]["triggered_rules"]
    assert by_id["k1"]["decision"] == "block"
    assert by_id["k1"]["list_versions"]
    assert "fincen-311@" in by_id["k1"]["list_versions"]
    assert by_id["k5"]["name"] == "مصرف الهدى"
    assert by_id["k5"]["matched"]
    assert by_id["k2"]["decision"] == "clear"
    assert {r["record_id"] for r in matches} >= {"k1", "k5"}
    assert "k2" not in {r["record_id"] for r in matches}
    assert [(r["row_number"], r["reason"]) for r in rejected] == [
        (3, "missing_name"), (4, "bad_date"), (6, "wrong_column_count")]


def test_cancelled_job_is_never_screened(client: TestClient, settings: ChunkedSettings) -> None:
    created = upload(client, GOOD_AND_BAD)
    assert created["status"] == "queued"
    assert client.get(f"/v1/batches/{created['id']}/results").status_code == 409
    cancelled = client.post(f"/v1/batches/{created['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(f"/v1/batches/{created['id']}/cancel")
    assert again.status_code == 409
    assert again.json()["error"] == "Conflict"
    pool = start_workers(settings, count=1, poll_seconds=0.1)
    try:
        time.sleep(3)
    finally:
        pool.stop()
    job = client.get(f"/v1/batches/{created['id']}").json()
    assert (job["status"], job["rows_read"]) == ("cancelled", 0)
    assert client.get(f"/v1/batches/{created['id']}/results").text.lstrip("\ufeff").count("\n") == 1


def test_killed_worker_resumes_without_losing_or_repeating_rows(
    client: TestClient, settings: ChunkedSettings
) -> None:
    total = 4000
    text = "record_id,name\n" + "".join(
        f"r{i},{'Al Huda Bank' if i % 500 == 0 else ('' if i % 333 == 0 else f'Customer {i} Trading')}\n"
        for i in range(1, total + 1))
    created = upload(client, text)
    pool = start_workers(settings, count=1, poll_seconds=0.05, lease_seconds=5)
    try:
        running = wait_for(client, created["id"], done=("done",), min_rows=100)
        assert running["status"] == "running", "the job finished before the worker could be killed"
        os.kill(pool.pids[0], signal.SIGKILL)
        pool.processes[0].join(5)
    finally:
        pool.stop()
    stopped = client.get(f"/v1/batches/{created['id']}").json()
    assert stopped["status"] == "running"
    assert 0 < stopped["rows_read"] < total

    restarted = start_workers(settings, count=2, poll_seconds=0.05, lease_seconds=5)
    try:
        assert restarted.released_leases in (0, 1)  # a chunk in hand when killed is redone at once
        job = wait_for(client, created["id"], timeout=60)
    finally:
        restarted.stop()
    assert job["status"] == "done"
    assert job["rows_read"] == total == job["screened"] + job["rejected"]
    assert job["rejected"] == len([i for i in range(1, total + 1) if i % 333 == 0 and i % 500])
    engine = create_db_engine(settings.database_url)
    with Session(engine) as session:
        assert batch_db.result_row_numbers(session, str(created["id"])) == list(range(1, total + 1))
    engine.dispose()


@pytest.mark.parametrize(("overrides", "body", "form", "status", "error", "words"), [
    ({"batch_max_bytes": 100}, "record_id,name\n" + "x,Some Name\n" * 20, {}, 413, "PayloadTooLarge", "larger than 100 bytes"),
    ({"batch_max_rows": 3}, "record_id,name\n" + "x,Some Name\n" * 4, {}, 413, "PayloadTooLarge", "more than 3 rows"),
    ({}, "id,name\n1,x\n", {}, 400, "InvalidQuery", "record_id is missing"),
    ({}, "record_id,name\n1,x\n", {"encoding": "ebcdic"}, 400, "InvalidQuery", "unsupported encoding"),
    ({}, "record_id,name\n1,x\n", {"columns": "{not json"}, 400, "InvalidQuery", "JSON object"),
    ({}, "record_id,name\n1,x\n", {"lists": "nope"}, 404, "UnknownList", "nope"),
    ({}, "record_id,name\n1,x\n", {"threshold": "1.5"}, 400, "InvalidQuery", "threshold"),
])
def test_limits_and_bad_uploads_get_a_clear_4xx(
    settings: ChunkedSettings, overrides: dict[str, int], body: str, form: dict[str, str], status: int, error: str, words: str,
) -> None:
    with make_client(settings.model_copy(update=overrides)) as client:
        response = client.post("/v1/batches", files={"file": ("c.csv", body.encode(), "text/csv")}, data=form)
        assert response.status_code == status, response.text
        assert response.json()["error"] == error
        assert words in str(response.json()["detail"])
        assert client.get("/v1/batches").json() == []
        assert not list((settings.data_dir / "batches").glob("*")) if (settings.data_dir / "batches").exists() else True


def test_concurrent_job_limit_and_unknown_batch(settings: ChunkedSettings) -> None:
    with make_client(settings.model_copy(update={"batch_max_concurrent_jobs": 1})) as client:
        upload(client, GOOD_AND_BAD)
        response = client.post("/v1/batches", files={"file": ("c.csv", GOOD_AND_BAD.encode(), "text/csv")})
        assert response.status_code == 429
        assert "already queued or running" in response.json()["detail"]
        assert client.get("/v1/batches/nope").status_code == 404


def test_idempotent_batch_upload_returns_the_first_job(client: TestClient) -> None:
    data = {"file": ("customers.csv", GOOD_AND_BAD.encode(), "text/csv")}
    headers = {"Idempotency-Key": "book-2026-11"}
    first = client.post("/v1/batches", files=data, headers=headers)
    again = client.post("/v1/batches", files={"file": ("customers.csv", GOOD_AND_BAD.encode(), "text/csv")}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert len(client.get("/v1/batches").json()) == 1
    other = client.post("/v1/batches", files={"file": ("other.csv", b"record_id,name\nz1,Someone Else\n", "text/csv")},
                        headers=headers)
    assert other.status_code == 409
