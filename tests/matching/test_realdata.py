"""Every primary name and strong alias of the real lists screens back to its own entity at 1.0.

All names of every list are checked (OFAC SDN 2024 + the 2025-12 alt/add files, OFAC
consolidated, UN, US CSL, the curated lists in lists/ and both FtM fixtures). A threshold of 1.0
lets `search_many` take its exact-name fast path, which is lossless there (index.py:
`_only_exact_can_pass`); a sample also goes through the full fuzzy pipeline at 0.99 to show both
paths agree.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.lists.models import AliasStrength, ListEntry
from app.lists.parsers import parse_list
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.types import Match, MatchConfig, MatchQuery
from bench.common import sdn_folder

REPO_ROOT = Path(__file__).resolve().parents[2]
FUZZY_SAMPLE_STRIDE = 97  # names also screened through the full pipeline


def _load(data: Path) -> dict[str, list[ListEntry]]:
    ftm = data / "opensanctions_ftm"
    with tempfile.TemporaryDirectory() as tmp:
        sdn = sdn_folder(data, Path(tmp))
        sources = {
            "ofac-sdn": ("ofac-csv", sdn),
            "ofac-cons": ("ofac-csv", data / "ofac_consolidated_nonsdn"),
            "un-sc": ("un-xml", data / "un/UN_consolidated.xml"),
            "us-csl": ("us-csl", data / "us_csl/consolidated.csv"),
            "ftm-zala": ("ftm", ftm / "yente_fixture_zala/entities.ftm.json"),
            "ftm-t1": ("ftm", ftm / "yente_fixture_t1/entities.ftm.json"),
        }
        for path in sorted((REPO_ROOT / "lists").glob("*.yaml")):
            if path.name != "sources.yaml":
                sources[path.stem] = ("yaml", path)
        return {
            list_id: list(parse_list(fmt, path, list_id=list_id))
            for list_id, (fmt, path) in sources.items()
        }


def _probes(index: MatchIndex) -> list[tuple[str, str]]:
    return [
        (entry.id, name)
        for list_id in sorted(index.list_ids())
        for entry in index.entries(list_id)
        for name, strength in entry.all_names()
        if strength == AliasStrength.STRONG and normalize_name(name).tokens
    ]


def _failures(
    probes: Sequence[tuple[str, str]], results: Sequence[list[Match]]
) -> list[tuple[str, str]]:
    """Probes whose own entity is not among the top-tied results at 1.0."""
    return [
        (own, name)
        for (own, name), matches in zip(probes, results, strict=True)
        if not any(m.entity_id == own and m.score == 1.0 for m in matches)
    ]


@pytest.fixture(scope="module")
def real_index(shared_data: Path) -> MatchIndex:
    return MatchIndex.build(_load(shared_data))


@pytest.mark.realdata
def test_every_listed_name_finds_its_own_entity(real_index: MatchIndex) -> None:
    probes = _probes(real_index)
    assert len(real_index.list_ids()) >= 8
    assert len(probes) > 70_000
    config = MatchConfig(threshold=1.0, limit=200)
    results = real_index.search_many((MatchQuery(name=name) for _, name in probes), config)
    failures = _failures(probes, results)
    assert not failures[:20], f"{len(failures)} of {len(probes)} names miss their entity"


@pytest.mark.realdata
def test_fast_path_agrees_with_the_fuzzy_pipeline(real_index: MatchIndex) -> None:
    probes = _probes(real_index)[::FUZZY_SAMPLE_STRIDE]
    queries = [MatchQuery(name=name) for _, name in probes]
    exact = real_index.search_many(queries, MatchConfig(threshold=1.0, limit=200))
    fuzzy = real_index.search_many(queries, MatchConfig(threshold=0.99, limit=200))
    assert not _failures(probes, fuzzy)[:20]
    for exact_matches, fuzzy_matches in zip(exact, fuzzy, strict=True):
        at_one = {m.entity_id for m in fuzzy_matches if m.score == 1.0}
        assert {m.entity_id for m in exact_matches} == at_one
