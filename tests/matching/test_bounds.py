"""The per-name bound (bounds.py) never falls below the real name score, so pruning with it
loses no match; checked on the formula directly and end to end against brute force."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.lists.parsers import parse_list
from app.matching.bounds import QueryShape, name_bound
from app.matching.index import MatchIndex
from app.matching.normalize import NormName, normalize_name
from app.matching.scoring import PreparedQuery, score_entry
from app.matching.similarity import MIN_PAIR, STRONG_PAIR, name_score, token_similarity
from app.matching.types import MatchConfig, MatchQuery

WORDS = (
    "ali hassan hussein mohammed muhammad ahmad ahmed kamal jamal rashid rasheed nasser nasir "
    "karim kareem abd rahman huda bank trading company islamic iraq baghdad kish al jaber "
    "ivan petrov petrova li ming liming zhang wei j m a smith smyth omar umar farouk"
).split()


def _reach(query: NormName, candidate: NormName) -> tuple[int, list[float]]:
    """What candidate generation reports for one name, computed exhaustively."""
    size = len(query.tokens)
    reach, ceilings = 0, [0.0] * size
    for i, q in enumerate(query.tokens):
        best = max((token_similarity(q, c) for c in candidate.tokens), default=0.0)
        ceilings[i] = best
        if best >= MIN_PAIR:
            reach |= 1 << i
        if best >= STRONG_PAIR:
            reach |= 1 << (size + i)
    return reach, ceilings


def _random_name(rng: random.Random) -> NormName:
    return normalize_name(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))))


def test_bound_is_never_below_the_name_score() -> None:
    rng = random.Random(11)
    checked = 0
    for _ in range(4000):
        query, candidate = _random_name(rng), _random_name(rng)
        if not query.tokens or not candidate.tokens:
            continue
        wq = [rng.choice((0.2, 0.3, 0.5, 0.8, 1.0)) for _ in query.tokens]
        wc = [rng.choice((0.2, 0.3, 0.5, 0.8, 1.0)) for _ in candidate.tokens]
        score = name_score(query, candidate, wq, wc, {})[0]
        reach, ceilings = _reach(query, candidate)
        initials = "".join(t.text for t in candidate.tokens if len(t.text) == 1)
        bound = name_bound(QueryShape.of(query, wq), candidate, wc, reach, ceilings, initials)
        assert bound >= score - 1e-9, (query.original, candidate.original, wq, wc, score, bound)
        checked += 1
    assert checked > 3500


def test_bound_prunes_a_name_sharing_one_word() -> None:
    # "Hassan" alone out of a five-word listed name cannot reach 0.8: it is bounded far below
    query, candidate = normalize_name("Omar Hassan"), normalize_name("Hassan Ali Kamal Jaber Rashid")
    wq, wc = [1.0, 1.0], [1.0] * 5
    reach, ceilings = _reach(query, candidate)
    assert name_bound(QueryShape.of(query, wq), candidate, wc, reach, ceilings) <= 0.5


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
