"""A bank's integration engineer's view: a real server, a client built from /openapi.json."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from app.core.settings import Settings
from app.main import create_app


class OpenApiClient:
    """A minimal generated client: one method per operationId in the service's OpenAPI document."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)
        spec = self.http.get("/openapi.json").raise_for_status().json()
        self.version = spec["info"]["version"]
        self.operations: dict[str, tuple[str, str]] = {
            op["operationId"]: (method.upper(), path)
            for path, methods in spec["paths"].items()
            for method, op in methods.items()
        }

    def call(self, operation: str, *, path_params: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        method, path = self.operations[operation]
        return self.http.request(method, path.format(**(path_params or {})), **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_url(settings: Settings) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_generated_client_screens_against_a_running_server(live_url: str) -> None:
    client = OpenApiClient(live_url)
    assert client.version == "1.0.0"
    screen_op = next(op for op, (m, p) in client.operations.items() if (m, p) == ("POST", "/v1/screen"))
    read_op = next(op for op, (m, p) in client.operations.items() if (m, p) == ("GET", "/v1/screenings/{screening_id}"))
    screened = client.call(screen_op, json={"name": "Al Huda Bank", "external_id": "CUST-9"},
                           headers={"Idempotency-Key": "k-1"})
    assert screened.status_code == 200
    body = screened.json()
    assert body["decision"] == "block"
    record = client.call(read_op, path_params={"screening_id": body["screening_id"]})
    assert record.json()["external_id"] == "CUST-9"
    bad = client.call(screen_op, json={"name": ""})
    assert bad.status_code == 400
    assert bad.json()["error"] == "InvalidQuery"
