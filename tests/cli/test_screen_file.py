"""`exposure screen --file X --out Y`: offline batch with every screened row audited."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from app.core.settings import Settings
from app.db.engine import create_db_engine

REPO = Path(__file__).resolve().parents[2]


def test_screen_file_writes_one_result_per_row_and_audits_screened_rows(env: Settings, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "record_id,name,type,country\n"
        "C1,Al Huda Bank,organization,IQ\n"
        "C2,Northwind Dairy Cooperative,organization,US\n"
        "C3,,person,IQ\n"
        "C4,مصرف حمورابي التجاري,organization,IQ\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    result = CliRunner().invoke(cli, ["screen", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 rows: 3 screened, 1 rejected" in result.output
    rows = {r["record_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["C1"]["decision"] == "block"
    assert rows["C2"]["decision"] == "clear"
    assert rows["C3"]["status"] == "rejected"
    assert rows["C3"]["reason"] == "missing_name"
    assert rows["C4"]["list_id"] == "cbi-usd-ban"
    engine = create_db_engine(env.database_url)
    with engine.connect() as conn:
        audited = conn.execute(sa.text("SELECT external_id FROM audit_record WHERE kind = 'screening.batch_row'")).scalars().all()
    assert sorted(audited) == ["C1", "C2", "C4"]
    assert CliRunner().invoke(cli, ["audit", "verify"]).exit_code == 0


def test_screen_needs_a_name_or_a_file(env: Settings) -> None:
    assert CliRunner().invoke(cli, ["screen"]).exit_code != 0
