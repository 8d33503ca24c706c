from __future__ import annotations

from app.matching.translit import japanese_reading, to_latin_words


def test_arabic_names_table_and_article() -> None:
    words = to_latin_words("محمد الهدى")
    assert [w.text for w in words] == ["muhammad", "al", "huda"]


def test_unknown_arabic_is_flagged_vowelless() -> None:
    (word,) = to_latin_words("بوشهر")
    assert word.vowelless


def test_han_and_hangul_split_by_syllable() -> None:
    assert [w.text.lower() for w in to_latin_words("李明")] == ["li", "ming"]
    assert [w.text.lower() for w in to_latin_words("김정은")] == ["kim", "jeong", "eun"]


def test_latin_untouched() -> None:
    assert [w.text for w in to_latin_words("Hamad Moussawi")] == ["Hamad", "Moussawi"]


def test_japanese_reading_only_for_han() -> None:
    assert japanese_reading("Hamad") is None
