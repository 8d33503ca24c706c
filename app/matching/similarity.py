"""Name similarity: align the tokens of two normalised names and weigh what matched.

Token similarity (`token_similarity`, in [0, 1]):
- same spelling 1.0; same phonetic key 0.95 (Mohammed/Muhammad, Hussein/Husayn, Qasim/Ghasem)
  when the spellings are at least 0.45 alike (equal keys of jiang/zheng are a coincidence);
- if either token came from a vowel-less script, skeletons are compared instead (0.95 if equal);
- "al"/"el" glued to a word (AlHuda ~ Huda) 0.95; an initial matches a word it starts 0.7;
- a Han syllable only matches a spelling with the same vowels (zhu is not zhou);
- a long word ending in the Greek nominative -os is also compared without it, at 0.95 of the
  result (Alexandros ~ Alexander);
- otherwise 1 - edit distance / length (OSA: a swap of neighbours is one edit) of the spellings
  (or of the phonetic keys, for long tokens), kept as is from 0.8 up and pushed down steeply
  below: typos in long words survive, different names do not (Hassan/Hussein 0.57 -> 0.0,
  Ali/Wali 0.75 -> 0.65).

Name score (`compare_names`): tokens are paired greedily, best pairs first, each token used once.
score = sum(sim * w) / (sum(w of pairs) + 0.8 * unmatched query weight + 0.5 * unmatched list
weight), with w the token weight (weights.py), so words missing on either side cost in proportion
to how much they identify (a missing query word at least 0.35: a bank is not a ship). Following
OFAC FAQ 5, if both names have two or more identifying parts and fewer than two of them match,
the score is capped at 0.5; so is a match made of generic words only ("Islamic Bank" against
"Islamic National Bank Company"). Split and joined words
(Al Huda/AlHuda, Li Ming/Liming) are handled by also comparing the names with spaces removed,
when their token counts differ; that comparison counts from 0.9 up, at 0.97 of its value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Indel

from app.matching.normalize import NormName, Token, token_variant

UNMATCHED_QUERY_COST = 0.8
UNMATCHED_LIST_COST = 0.5
# A missing query word costs at least this much, even a generic one ("Al Huda Bank" vs "HODA").
MIN_UNMATCHED_QUERY_WEIGHT = 0.35
KEY_MATCH = 0.95
INITIAL_MATCH = 0.7
FUZZY_KNEE = 0.8
MIN_PAIR = 0.35
STRONG_PAIR = 0.7  # an initial (0.7) counts as a matching part
SUBSTANTIVE_WEIGHT = 0.3
SINGLE_PART_CAP = 0.5
JOINED_MIN = 0.9
JOINED_FACTOR = 0.97
LONG_KEY = 7
KEY_MIN_SPELLING = 0.45
LONG_KEY_MIN_SPELLING = 0.6
NOMINATIVE_MIN_LENGTH = 6
NOMINATIVE_FACTOR = 0.95


@dataclass(frozen=True, slots=True)
class TokenPair:
    query: str
    candidate: str
    similarity: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairs: tuple[TokenPair, ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    joined: bool  # the score came from the space-less comparison


def _knee(ratio: float) -> float:
    return ratio if ratio >= FUZZY_KNEE else max(0.0, ratio - 2 * (FUZZY_KNEE - ratio))


def _glued_article(a: str, b: str) -> bool:
    return len(a) > len(b) + 1 and a[:2] in ("al", "el") and a[2:] == b


def _without_nominative(text: str) -> str:
    """Greek names carry the nominative -os (Alexandros, Nikolaos, Petros) that other languages
    drop or change (Alexander, Nikola, Peter): compare long words also without it."""
    return text[:-2] if len(text) >= NOMINATIVE_MIN_LENGTH and text.endswith("os") else text


def _vowels(text: str) -> str:
    return "".join(c for c in text if c in "aeiouy")


def _other_syllable(a: Token, b: Token) -> bool:
    """Pinyin of a Han character is exact: zhu and zhou, cheng and chong write different
    characters, although their phonetic keys agree."""
    return (a.syllabic or b.syllabic) and _vowels(a.text) != _vowels(b.text)


def _skeleton_similarity(a: Token, b: Token) -> float:
    """Either side came from an abjad: only consonants can be compared."""
    if a.skel == b.skel:
        return KEY_MATCH if len(a.skel) > 1 else 0.85
    return 0.95 * _knee(OSA.normalized_similarity(a.skel, b.skel))


def _spelling_similarity(a: Token, b: Token, ratio: float) -> float:
    stem_a, stem_b = _without_nominative(a.text), _without_nominative(b.text)
    if (stem_a, stem_b) != (a.text, b.text):
        ratio = max(ratio, NOMINATIVE_FACTOR * OSA.normalized_similarity(stem_a, stem_b))
    if min(len(a.key), len(b.key)) >= LONG_KEY and ratio >= LONG_KEY_MIN_SPELLING:
        # keys forgive vowel spellings in long words (Attiqullah/Atiqullah), but only of
        # spellings already alike: Saduddin and Tsitadel share a key shape, not a name
        ratio = max(ratio, KEY_MATCH * OSA.normalized_similarity(a.key, b.key))
    return _knee(ratio)


def token_similarity(a: Token, b: Token) -> float:
    if a.text == b.text:
        return 1.0
    if a.vowelless or b.vowelless:
        return _skeleton_similarity(a, b)
    if _glued_article(a.text, b.text) or _glued_article(b.text, a.text):
        return KEY_MATCH
    if len(a.text) == 1 or len(b.text) == 1:
        return INITIAL_MATCH if a.text[0] == b.text[0] else 0.0
    ratio = OSA.normalized_similarity(a.text, b.text)
    # Equal keys are transliteration variants (Qasim/Ghasem 0.5 alike in spelling) unless the
    # spellings share almost nothing: jiang/zheng, jinxiang/zhongseng, geo/kui have equal keys
    if a.key == b.key and ratio >= KEY_MIN_SPELLING and not _other_syllable(a, b):
        return KEY_MATCH
    return _spelling_similarity(a, b, ratio)


# candidate token text -> its similarity to each query token; lives for one search
SimilarityMemo = dict[str, list[float]]
Pair = tuple[float, int, int]  # similarity, query token index, candidate token index


def _similarities(query: NormName, token: Token, memo: SimilarityMemo) -> list[float]:
    memo_key = token_variant(token.text, token.vowelless, token.syllabic)
    sims = memo.get(memo_key)
    if sims is None:
        sims = memo[memo_key] = [token_similarity(q, token) for q in query.tokens]
    return sims


def _greedy_pairs(query: NormName, candidate: NormName, memo: SimilarityMemo) -> list[Pair]:
    scored = []
    for j, c in enumerate(candidate.tokens):
        for i, sim in enumerate(_similarities(query, c, memo)):
            if sim >= MIN_PAIR:
                scored.append((sim, i, j))
    scored.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for pair in scored:
        if pair[1] in used_q or pair[2] in used_c:
            continue
        used_q.add(pair[1])
        used_c.add(pair[2])
        pairs.append(pair)
    return pairs


def _joined_score(query: NormName, candidate: NormName) -> float:
    if len(query.tokens) == len(candidate.tokens) or not query.joined or not candidate.joined:
        return 0.0
    ratio = max(
        Indel.normalized_similarity(query.joined, candidate.joined),
        Indel.normalized_similarity(query.joined_sorted, candidate.joined_sorted),
    )
    return ratio * JOINED_FACTOR if ratio >= JOINED_MIN else 0.0


def _too_few_parts(pairs: list[Pair], wq: Sequence[float], wc: Sequence[float]) -> bool:
    """OFAC FAQ 5: one matching part out of several is not a match."""
    substantive_q = sum(1 for w in wq if w >= SUBSTANTIVE_WEIGHT)
    substantive_c = sum(1 for w in wc if w >= SUBSTANTIVE_WEIGHT)
    if substantive_q == 0 or substantive_c == 0:
        # Generic words alone ("Islamic Bank") identify nothing: only the full name matches.
        return len(pairs) < max(len(wq), len(wc))
    strong = sum(1 for sim, i, _ in pairs if sim >= STRONG_PAIR and wq[i] >= SUBSTANTIVE_WEIGHT)
    if strong == 0:
        return True  # generic words alone matched
    return substantive_q >= 2 and substantive_c >= 2 and strong < 2


def name_score(
    query: NormName,
    candidate: NormName,
    wq: Sequence[float],
    wc: Sequence[float],
    memo: SimilarityMemo,
) -> tuple[float, list[Pair], bool]:
    """The score alone (hot path): (score, token pairs, scored on joined names)."""
    if not query.tokens or not candidate.tokens:
        return 0.0, [], False
    pairs = _greedy_pairs(query, candidate, memo)
    numerator = denominator = 0.0
    for sim, i, j in pairs:
        pair_weight = (wq[i] + wc[j]) / 2
        numerator += sim * pair_weight
        denominator += pair_weight
    paired_q = {i for _, i, _ in pairs}
    paired_c = {j for _, _, j in pairs}
    missing_q = sum(
        max(w, MIN_UNMATCHED_QUERY_WEIGHT) for i, w in enumerate(wq) if i not in paired_q
    )
    missing_c = sum(w for j, w in enumerate(wc) if j not in paired_c)
    denominator += UNMATCHED_QUERY_COST * missing_q + UNMATCHED_LIST_COST * missing_c
    score = numerator / denominator if denominator else 0.0
    if score > SINGLE_PART_CAP and _too_few_parts(pairs, wq, wc):
        score = SINGLE_PART_CAP
    joined = _joined_score(query, candidate) if score < JOINED_MIN * JOINED_FACTOR else 0.0
    return max(score, joined), pairs, joined > score


def compare_names(
    query: NormName,
    candidate: NormName,
    wq: Sequence[float],
    wc: Sequence[float],
    memo: SimilarityMemo | None = None,
) -> NameComparison:
    """Score two normalised names and keep what matched; wq/wc are the token weights."""
    score, pairs, joined = name_score(query, candidate, wq, wc, {} if memo is None else memo)
    return comparison_of(query, candidate, score, pairs, joined)


def comparison_of(
    query: NormName, candidate: NormName, score: float, pairs: list[Pair], joined: bool
) -> NameComparison:
    """The readable form of a `name_score` result."""
    matched_q = {i for _, i, _ in pairs}
    matched_c = {j for _, _, j in pairs}
    return NameComparison(
        score=score,
        pairs=tuple(
            TokenPair(query.tokens[i].text, candidate.tokens[j].text, sim) for sim, i, j in pairs
        ),
        unmatched_query=tuple(t.text for i, t in enumerate(query.tokens) if i not in matched_q),
        unmatched_candidate=tuple(
            t.text for j, t in enumerate(candidate.tokens) if j not in matched_c
        ),
        joined=joined,
    )
