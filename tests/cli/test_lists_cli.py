"""`exposure lists import` of every real list file, then served by the API with exact counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.core.settings import Settings
from app.main import create_app

REPO = Path(__file__).resolve().parents[2]

# (list id, format, path under ../shared/data, entries the file itself holds: see data/README.md)
REAL_LISTS = [
    ("ofac-sdn", "ofac-csv", "ofac_sdn/2024-05-03_sdn_only", 14965),
    ("ofac-sdn-2021", "ofac-csv", "ofac_sdn/2021-07_full_set", 8976),
    ("ofac-cons", "ofac-csv", "ofac_consolidated_nonsdn", 442),
    ("ofac-cons-xml", "ofac-xml", "ofac_consolidated_nonsdn/CONS_ENHANCED.XML", 443),
    ("un", "un-xml", "un/UN_consolidated.xml", 1003),
    ("us-csl", "us-csl", "us_csl/consolidated.csv", 14160),
    ("os-zala", "ftm", "opensanctions_ftm/yente_fixture_zala/entities.ftm.json", 17),
    ("os-eu-t1", "ftm", "opensanctions_ftm/yente_fixture_t1/entities.ftm.json", 6),
]


@pytest.mark.realdata
def test_import_every_real_list_and_serve_exact_counts(env: Settings, shared_data: Path) -> None:
    runner = CliRunner()
    for list_id, fmt, rel, _ in REAL_LISTS:
        result = runner.invoke(cli, ["lists", "import", "--list-id", list_id, "--format", fmt, str(shared_data / rel)])
        assert result.exit_code == 0, result.output
        assert "loaded" in result.output
    shown = runner.invoke(cli, ["lists", "show"])
    assert shown.exit_code == 0
    assert "ofac-sdn" in shown.output
    with TestClient(create_app(env)) as client:
        counts = {item["id"]: item["entry_count"] for item in client.get("/v1/lists").json()}
        for list_id, _, _, expected in REAL_LISTS:
            assert counts[list_id] == expected, list_id
        assert client.get("/v1/entities/ofac-sdn:36").status_code == 200
        body = client.post("/v1/screen", json={"name": "AL-MOUSSAWI, Hamad"}).json()
        assert body["matches"][0]["entity_id"] == "ofac-sdn:47348" if counts["ofac-sdn"] else True


def test_import_of_a_malformed_file_fails_loudly_and_stores_nothing(env: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["lists", "import", "--list-id", "un", "--format", "un-xml", str(bad)])
    assert result.exit_code == 1
    assert "failed" in result.output
    with TestClient(create_app(env)) as client:
        assert "un" not in {item["id"] for item in client.get("/v1/lists").json()}


def test_unknown_format_is_an_error_not_a_crash(env: Settings, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a", encoding="utf-8")
    result = CliRunner().invoke(cli, ["lists", "import", "--list-id", "x", "--format", "pdf", str(path)])
    assert result.exit_code != 0
    assert "pdf" in result.output


def test_screen_command_prints_a_readable_decision(env: Settings) -> None:
    result = CliRunner().invoke(cli, ["screen", "Al Huda Bank"])
    assert result.exit_code == 0, result.output
    assert "BLOCK" in result.output
    assert "fincen-311" in result.output
