from __future__ import annotations

from app.matching.candidates import ListIndex
from app.matching.normalize import normalize_name
from tests.matching.conftest import SAMPLE_ENTRIES, make_entry


def test_one_edit_skeletons_are_near() -> None:
    index = ListIndex("test", SAMPLE_ENTRIES)
    assert "hSPl" in index.near_keys("hSPl")
    assert index.near_keys("hSPlx") & {"hSPl"}  # one insertion away


def test_identifier_hits_on_bic_institution() -> None:
    index = ListIndex("test", SAMPLE_ENTRIES)
    hits = index.identifier_hits(["MELI-IR-TH-999"])
    assert [index.entries[i].source_id for i in hits] == ["melli"]


def test_short_words_reach_one_letter_changes() -> None:
    index = ListIndex("test", [make_entry("1", "Manan Agha"), make_entry("2", "Javier Gonzalez")])
    assert index.near_keys("~janan") & {"~manan"}
    assert index.near_keys("~xavier") & {"~javier"}


def test_exact_names_any_order() -> None:
    index = ListIndex("test", SAMPLE_ENTRIES)
    (name_id,) = index.exact_names(normalize_name("Hamad Al Moussawi"))
    assert index.entries[index.names[name_id].entry_index].source_id == "moussawi"
    assert not index.exact_names(normalize_name("Hamad Mousawi"))
