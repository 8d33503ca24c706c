"""`exposure keys` and `exposure audit verify`, including tampering done directly in the database."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.core.settings import Settings
from app.db.engine import create_db_engine
from app.main import create_app

REPO = Path(__file__).resolve().parents[2]


def screen_a_few(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        for name in ("Al Huda Bank", "Hammurabi Commercial Bank", "Northwind Dairy"):
            assert client.post("/v1/screen", json={"name": name}).status_code == 200


def test_audit_verify_passes_on_an_untouched_trail(env: Settings) -> None:
    screen_a_few(env)
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.output


def test_audit_verify_finds_a_record_altered_in_the_database(env: Settings) -> None:
    screen_a_few(env)
    engine = create_db_engine(env.database_url)
    with engine.begin() as conn:
        seq, payload = conn.execute(sa.text("SELECT seq, payload FROM audit_record WHERE decision = 'block'")).first()
        doctored = json.loads(payload)
        doctored["decision"] = "clear"
        conn.execute(sa.text("UPDATE audit_record SET payload = :p WHERE seq = :s"),
                     {"p": json.dumps(doctored, sort_keys=True, separators=(",", ":")), "s": seq})
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"#{seq}" in result.output
    assert "altered" in result.output


def test_audit_verify_finds_a_deleted_record(env: Settings) -> None:
    screen_a_few(env)
    engine = create_db_engine(env.database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_record WHERE seq = 2"))
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert "#3" in result.output


def test_keys_create_list_revoke(env: Settings) -> None:
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--role", "screener", "--name", "onboarding"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("exp_")
    listed = runner.invoke(cli, ["keys", "list"])
    assert "onboarding" in listed.output
    assert key not in listed.output
    with TestClient(create_app(env.model_copy(update={"auth": "on"}))) as client:
        assert client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": key}).status_code == 200
    assert runner.invoke(cli, ["keys", "revoke", "onboarding"]).exit_code == 0
    with TestClient(create_app(env.model_copy(update={"auth": "on"}))) as client:
        assert client.post("/v1/screen", json={"name": "x"}, headers={"X-API-Key": key}).status_code == 401
    assert runner.invoke(cli, ["keys", "create", "--role", "boss", "--name", "x"]).exit_code != 0
