from __future__ import annotations

from app.matching.normalize import normalize_name
from app.matching.similarity import compare_names, token_similarity


def _score(a: str, b: str) -> float:
    left, right = normalize_name(a), normalize_name(b)
    return compare_names(left, right, [1.0] * len(left.tokens), [1.0] * len(right.tokens)).score


def _token(text: str):  # noqa: ANN202
    return normalize_name(text).tokens[0]


def test_identical_and_reordered_names_score_one() -> None:
    assert _score("Hamad Moussawi", "MOUSSAWI, Hamad") == 1.0


def test_one_part_of_several_is_capped() -> None:
    assert _score("Hamad Jones", "Hamad Moussawi") <= 0.5


def test_missing_query_word_costs_more_than_missing_list_word() -> None:
    assert _score("Hamad Moussawi", "Hamad Ali Moussawi") > _score(
        "Hamad Ali Moussawi", "Hamad Moussawi"
    )


def test_joined_words() -> None:
    assert _score("Liming", "Li Ming") >= 0.9


def test_token_similarity_knee() -> None:
    assert token_similarity(_token("attiqullah"), _token("attiiqullah")) >= 0.9
    assert token_similarity(_token("hassan"), _token("hussein")) < 0.3


def test_han_syllables_keep_their_vowels() -> None:
    assert token_similarity(_token("朱"), _token("zhou")) < 0.8  # zhu is another character
    assert token_similarity(_token("李"), _token("li")) == 1.0
    assert _score("成 朱", "Chong Zhou") < 0.8
    assert token_similarity(_token("zhu"), _token("zhou")) >= 0.9  # typed Latin keeps its leeway


def test_long_key_needs_alike_spellings() -> None:
    assert token_similarity(_token("saduddin"), _token("tsitadel")) < 0.35
    assert token_similarity(_token("mohammadreza"), _token("muhammedriza")) >= 0.9
