from __future__ import annotations

import sys

import pytest

from app.matching import translit
from app.matching.index import MatchIndex
from app.matching.translit import japanese_reading, to_latin_words
from app.matching.types import MatchConfig, MatchQuery
from tests.matching.conftest import make_entry


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


def test_incomplete_japanese_reading_is_none() -> None:
    # 张 (simplified Chinese) has no Japanese reading: "tama" alone would be half a name
    assert japanese_reading("玉 张") is None


def test_engine_works_without_pykakasi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pykakasi", None)  # import now raises ImportError
    monkeypatch.setattr(translit, "_KANJI_READER", None)
    assert japanese_reading("山田太郎") is None
    index = MatchIndex.build({"test": [make_entry("li", "Li Ming")]})
    assert index.search(MatchQuery("李明"), MatchConfig())[0].score >= 0.9


def test_no_japanese_reading_beside_another_script() -> None:
    # a Han character beside Arabic or Cyrillic letters is not Japanese writing
    assert japanese_reading("志偉 المهيدب") is None
    assert japanese_reading("舞 Лапина") is None
    assert japanese_reading("山田 Taro") is not None  # Latin letters do go with Japanese
