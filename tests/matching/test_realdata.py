"""Every primary name and strong alias of the real lists screens back to its own entity at 1.0.

The full check (all 71,000+ names) runs in bench/eval_quality.py; this test takes every tenth
name so that it stays within a few tens of seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from app.lists.models import AliasStrength, ListEntry
from app.lists.parsers import parse_list
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.types import MatchConfig, MatchQuery

STRIDE = 10


def _load(data: Path) -> dict[str, list[ListEntry]]:
    with tempfile.TemporaryDirectory() as tmp:
        sdn = Path(tmp) / "sdn"
        sdn.mkdir()
        (sdn / "sdn.csv").symlink_to(data / "ofac_sdn/2024-05-03_sdn_only/sdn.csv")
        for name in ("add.csv", "alt.csv", "sdn_comments.csv"):
            (sdn / name).symlink_to(data / "ofac_sdn/2025-12_add_alt_comments" / name)
        return {
            "ofac-sdn": list(parse_list("ofac-csv", sdn, list_id="ofac-sdn")),
            "ofac-cons": list(
                parse_list("ofac-csv", data / "ofac_consolidated_nonsdn", list_id="ofac-cons")
            ),
            "un-sc": list(parse_list("un-xml", data / "un/UN_consolidated.xml", list_id="un-sc")),
            "us-csl": list(
                parse_list("us-csl", data / "us_csl/consolidated.csv", list_id="us-csl")
            ),
        }


@pytest.mark.realdata
def test_every_listed_name_finds_its_own_entity(shared_data: Path) -> None:
    index = MatchIndex.build(_load(shared_data))
    probes = [
        (entry.id, name)
        for list_id in sorted(index.list_ids())
        for entry in index.entries(list_id)
        for name, strength in entry.all_names()
        if strength == AliasStrength.STRONG and normalize_name(name).tokens
    ][::STRIDE]
    config = MatchConfig(threshold=0.99, limit=200)
    results = index.search_many((MatchQuery(name=name) for _, name in probes), config)
    failures = [
        (own, name)
        for (own, name), matches in zip(probes, results, strict=True)
        if not any(m.entity_id == own and m.score == 1.0 for m in matches)
    ]
    assert not failures[:20], f"{len(failures)} of {len(probes)} names miss their entity"
