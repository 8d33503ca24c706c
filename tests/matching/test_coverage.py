"""Coverage (coverage.py) keeps every name that can reach the threshold: searching finds what
scoring every entry of a real list finds, for perturbed listed names and for names sharing one
word with a listed name."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.lists.models import EntityKind
from app.lists.parsers import parse_list
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.scoring import PreparedQuery, entry_score, score_entry
from app.matching.types import MatchConfig, MatchQuery
from bench.common import sdn_folder

WORDS = "ali hassan mohammed ahmad kamal rashid nasser karim huda ivan petrov li ming smith omar".split()


def _perturb(name: str, rng: random.Random) -> str:
    words = name.split()
    choice = rng.random()
    if choice < 0.3 and len(words) > 1:
        rng.shuffle(words)
    elif choice < 0.5 and len(words) > 2:
        words.pop(rng.randrange(len(words)))
    elif choice < 0.8:
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 3:
            j = rng.randrange(1, len(word) - 1)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]  # swap two letters
    return " ".join(words)


@pytest.mark.realdata
def test_search_finds_what_scoring_every_entry_finds(shared_data: Path) -> None:
    entries = list(parse_list("un-xml", shared_data / "un/UN_consolidated.xml", list_id="un"))
    index = MatchIndex.build({"un": entries})
    rng = random.Random(3)
    sample = rng.sample(entries, 60)
    queries = [MatchQuery(name=_perturb(e.name, rng)) for e in sample]
    queries += [MatchQuery(name=f"{rng.choice(WORDS)} {e.name.split()[0]}") for e in sample[:40]]
    config = MatchConfig(threshold=0.7, limit=1000)
    sub = index._lists["un"]  # noqa: SLF001 - the reference scores every entry of this list
    for query in queries:
        norm = normalize_name(query.name)
        prepared = PreparedQuery(query, norm, index._weights.weights(norm.tokens), None, {})  # noqa: SLF001
        expected = {
            sub.entries[i].id
            for i in range(len(sub.entries))
            if score_entry(prepared, sub, i, None, index._weights).score >= config.threshold  # noqa: SLF001
        }
        found = {m.entity_id for m in index.search(query, config)}
        assert expected <= found, (query.name, expected - found)


@pytest.mark.realdata
def test_score_without_explanation_equals_the_explained_score(shared_data: Path) -> None:
    entries = list(parse_list("un-xml", shared_data / "un/UN_consolidated.xml", list_id="un"))
    index = MatchIndex.build({"un": entries})
    sub = index._lists["un"]  # noqa: SLF001
    rng = random.Random(8)
    for entry in rng.sample(entries, 40):
        query = MatchQuery(name=_perturb(entry.name, rng), birth_date="1970", countries=("IQ",))
        norm = normalize_name(query.name)
        prepared = PreparedQuery(query, norm, index._weights.weights(norm.tokens), None, {})  # noqa: SLF001
        for i in range(0, len(sub.entries), 5):
            explained = score_entry(prepared, sub, i, None, index._weights).score  # noqa: SLF001
            assert entry_score(prepared, sub, i, None, index._weights) == explained  # noqa: SLF001


@pytest.mark.realdata
def test_budget_ranks_short_names_first(shared_data: Path, tmp_path: Path) -> None:
    # "Husayn Muhammadi" passes coverage with more SDN names than the scoring budget holds (both
    # words are common); ranked on coverage alone, the two-word names fell out of the budget
    sdn = sdn_folder(shared_data, tmp_path)
    index = MatchIndex.build({"ofac-sdn": list(parse_list("ofac-csv", sdn, list_id="ofac-sdn"))})
    query = MatchQuery(name="حسین محمدی", kind=EntityKind.PERSON)
    found = {m.entity_id for m in index.search(query, MatchConfig())}
    assert {"ofac-sdn:21977", "ofac-sdn:27156", "ofac-sdn:12915"} <= found
