"""Rules in force over HTTP and the CLI: listing, reload, and broken files refused while the old rules serve."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.core.settings import Settings
from app.main import create_app

REPO = Path(__file__).resolve().parents[2]

BROKEN = {
    "bad-yaml.yaml": "id: broken\ntitle: [unclosed\n",
    "bad-expression.yaml": "id: p1\ntitle: P\nrules:\n  - id: r1\n    title: T\n    action: block\n    score: 1\n    condition: 'party.name =='\n",
    "unknown-field.yaml": "id: p2\ntitle: P\nrules:\n  - id: r2\n    title: T\n    action: block\n    score: 1\n    condition: 'true'\n    severity: high\n",
    "duplicate-id.yaml": "id: p3\ntitle: P\nrules:\n  - id: fincen-311-match\n    title: T\n    action: review\n    score: 0.5\n    condition: 'true'\n",
    "unknown-context.yaml": "id: p4\ntitle: P\nrules:\n  - id: r4\n    title: T\n    action: review\n    score: 0.5\n    condition: 'party.shoe_size > 3'\n",
}


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(REPO / "rules" / "iran-usd-diversion.yaml", folder)
    return folder


@pytest.fixture
def rules_client(settings: Settings, rules_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"rules_dir": rules_dir}))) as client:
        yield client


def test_rules_are_listed_with_their_pack_version(rules_client: TestClient) -> None:
    body = rules_client.get("/v1/rules").json()
    assert body["version"].startswith("sha256:")
    ids = {r["id"] for r in body["rules"]}
    assert {"fincen-311-match", "cbi-usd-ban-usd-payment", "iran-party-usd"} <= ids
    assert all(r["references"] for r in body["rules"])
    screened = rules_client.post("/v1/screen", json={"name": "Al Huda Bank"}).json()
    assert screened["ruleset_version"] == body["version"]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_rule_file_is_refused_and_the_previous_rules_keep_serving(
    rules_client: TestClient, rules_dir: Path, name: str
) -> None:
    before = rules_client.get("/v1/rules").json()["version"]
    (rules_dir / name).write_text(BROKEN[name], encoding="utf-8")
    response = rules_client.post("/v1/rules/reload")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "RuleSetInvalid"
    assert any(name in problem for problem in body["problems"]), body
    after = rules_client.get("/v1/rules").json()
    assert after["version"] == before
    assert name in after["error"] or after["error"]
    assert rules_client.post("/v1/screen", json={"name": "Al Huda Bank"}).json()["ruleset_version"] == before
    assert rules_client.get("/readyz").json()["status"] == "warning"
    (rules_dir / name).unlink()
    assert rules_client.post("/v1/rules/reload").status_code == 200
    assert rules_client.get("/v1/rules").json()["error"] is None


def test_rules_check_command(rules_dir: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["rules", "check", str(rules_dir)])
    assert ok.exit_code == 0, ok.output
    (rules_dir / "bad-expression.yaml").write_text(BROKEN["bad-expression.yaml"], encoding="utf-8")
    bad = runner.invoke(cli, ["rules", "check", str(rules_dir)])
    assert bad.exit_code == 1
