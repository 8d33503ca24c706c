from __future__ import annotations

from app.matching.candidates import ListIndex
from tests.matching.conftest import SAMPLE_ENTRIES


def test_one_edit_skeletons_are_near() -> None:
    index = ListIndex("test", SAMPLE_ENTRIES)
    assert "hSPl" in index.near_keys("hSPl")
    assert index.near_keys("hSPlx") & {"hSPl"}  # one insertion away


def test_identifier_hits_on_bic_institution() -> None:
    index = ListIndex("test", SAMPLE_ENTRIES)
    hits = index.identifier_hits(["MELI-IR-TH-999"])
    assert [index.entries[i].source_id for i in hits] == ["melli"]
