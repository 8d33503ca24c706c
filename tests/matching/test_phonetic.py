from __future__ import annotations

import pytest

from app.matching.phonetic import phonetic_key, skeleton


@pytest.mark.parametrize(
    "group",
    [
        ("muhammad", "mohammed", "mohamad", "mohamed"),
        ("hussein", "husayn", "hossein", "husain"),
        ("qasim", "qassem", "ghasem", "kasim"),
        ("hizballah", "hezbollah"),
        ("sulaymani", "soleimani"),
        ("moussawi", "musawi", "mousavi"),
    ],
)
def test_variants_share_a_key(group: tuple[str, ...]) -> None:
    assert len({phonetic_key(t) for t in group}) == 1


def test_hassan_and_hussein_differ() -> None:
    assert phonetic_key("hassan") != phonetic_key("hussein")


@pytest.mark.parametrize(
    ("latin", "abjad"),
    [("muhammad", "mhmd"), ("husayn", "hsyn"), ("ali", "ly"), ("khaled", "khld")],
)
def test_skeleton_bridges_vowelless_scripts(latin: str, abjad: str) -> None:
    assert skeleton(latin) == skeleton(abjad)
