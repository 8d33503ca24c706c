from __future__ import annotations

import pytest

from app.matching.normalize import normalize_name, reorder_surname_first


def _texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name).tokens]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AL-MOUSSAWI, Hamad", ["hamad", "moussawi"]),
        ("Kata'ib Hizballah", ["kataib", "hizballah"]),
        ("Bank Melli Iran P.J.S.C.", ["bank", "melli", "iran"]),
        ("Al Huda Bank for Investment and Finance", ["huda", "bank", "investment", "finance"]),
        ("Abd al-Rahman", ["abd", "rahman"]),
        ("Abdulrahman", ["abd", "rahman"]),
        ("Abdurrahman", ["abd", "rahman"]),
        ("Abdullah", ["abd", "lah"]),
        ("Abd Allah", ["abd", "lah"]),
        ("Shams ur-Rahman", ["shams", "rahman"]),
        ("Sheikh Hamad bin Ali", ["hamad", "ali"]),
        ("Société Générale S.A.", ["societe", "generale"]),
        ("LLC", ["llc"]),  # dropping every word would leave nothing: keep them
    ],
)
def test_normalised_tokens(raw: str, expected: list[str]) -> None:
    assert _texts(raw) == expected


def test_reorder_only_simple_surname_first() -> None:
    assert reorder_surname_first("AL-MOUSSAWI, Hamad") == "Hamad AL-MOUSSAWI"
    assert reorder_surname_first("A, B, C") == "A, B, C"


def test_original_kept_for_display() -> None:
    assert normalize_name("AL-MOUSSAWI, Hamad").original == "AL-MOUSSAWI, Hamad"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ADBUL BARI", ["abd", "bari"]),
        ("Abudl Salam", ["abd", "salam"]),
        ("Badullah", ["abd", "lah"]),
        ("Baddour", ["baddour"]),  # a swap giving abd + consonant is no Abdul
        ("Abud", ["abud"]),
    ],
)
def test_swapped_letters_in_abdul(raw: str, expected: list[str]) -> None:
    assert _texts(raw) == expected


def test_han_syllable_bin_is_not_the_arabic_particle() -> None:
    assert _texts("彬 麦") == ["bin", "mai"]
    assert _texts("Hamad bin Ali") == ["hamad", "ali"]
