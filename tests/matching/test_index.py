from __future__ import annotations

from app.matching.index import MatchIndex
from app.matching.types import MatchConfig, MatchQuery
from tests.matching.conftest import SAMPLE_ENTRIES, make_entry


def test_interface_and_atomic_list_swap(sample_index: MatchIndex) -> None:
    other = [make_entry("1", "Hamad Moussawi", list_id="other")]
    bigger = sample_index.with_list("other", other)
    assert bigger.list_ids() == {"test", "other"}
    assert sample_index.list_ids() == {"test"}  # the old index keeps serving
    assert bigger.entity_count == len(SAMPLE_ENTRIES) + 1
    assert bigger.get("other:1") is not None
    assert bigger.entries("other")[0].name == "Hamad Moussawi"
    assert bigger.without_list("other").list_ids() == {"test"}
    assert bigger.name_count > sample_index.name_count


def test_threshold_sources_limit_and_list_filter(sample_index: MatchIndex) -> None:
    bigger = sample_index.with_list("other", [make_entry("1", "Hamad Mousawi", list_id="other")])
    query = MatchQuery("Hamad Moussawi")
    assert {m.list_id for m in bigger.search(query, MatchConfig())} == {"test", "other"}
    strict = MatchConfig(list_thresholds={"other": 0.99})
    assert {m.list_id for m in bigger.search(query, strict)} == {"test"}
    from_request = MatchConfig(
        threshold=0.5, threshold_from_request=True, list_thresholds={"other": 0.99}
    )
    assert {m.list_id for m in bigger.search(query, from_request)} == {"test", "other"}
    assert len(bigger.search(query, MatchConfig(limit=1))) == 1
    assert {m.list_id for m in bigger.search(query, MatchConfig(lists=frozenset({"other"})))} == {
        "other"
    }


def test_match_explains_itself(sample_index: MatchIndex) -> None:
    (match, *_) = sample_index.search(MatchQuery("Hamad Mousawi", birth_date="1970"), MatchConfig())
    assert match.matched_name == "AL-MOUSSAWI, Hamad"
    assert {"name", "dob_year_match"} <= {f.name for f in match.features}
    assert "AL-MOUSSAWI, Hamad" in match.explanation
    assert f"{match.score:.2f}" in match.explanation
    assert all(0.0 <= f.score <= 1.0 and f.detail for f in match.features)


def test_results_sorted_and_search_many(sample_index: MatchIndex) -> None:
    results = sample_index.search_many(
        [MatchQuery("Soleimani"), MatchQuery("Bank Melli")], MatchConfig(threshold=0.3)
    )
    assert len(results) == 2
    for matches in results:
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_empty_index() -> None:
    assert MatchIndex.build({}).search(MatchQuery("Anyone"), MatchConfig()) == []


def test_exact_fast_path_only_where_nothing_else_can_pass(sample_index: MatchIndex) -> None:
    at_one = MatchConfig(threshold=1.0)
    (match,) = sample_index.search(MatchQuery("Moussawi Hamad"), at_one)
    assert match.entity_id == "test:moussawi"
    assert match.score == 1.0
    assert sample_index.search(MatchQuery("Hamad Mousawi"), at_one) == []
    # a birth date could lift a 0.95 name to 1.0: the full pipeline runs
    lifted = sample_index.search(MatchQuery("Hamad Mousawi", birth_date="1970-05-01"), at_one)
    assert [m.entity_id for m in lifted] == ["test:moussawi"]
