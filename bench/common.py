"""Helpers shared by the matching bench scripts: loading the real lists, the labelled name-pair
rule, and the full-scorer reference for the candidate-loss measure.

The real list files live beside the repository (../shared/data by default); nothing here is
committed with them. OFAC's newest full sdn.csv (2024-05-03) is combined with the 2025-12
add/alt/comments files in a temporary folder, as the parser expects one folder per set.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from dataclasses import replace  # noqa: E402

from rapidfuzz import process  # noqa: E402
from rapidfuzz.distance import OSA, Indel  # noqa: E402

from app.lists.models import ListEntry  # noqa: E402
from app.lists.parsers import parse_list  # noqa: E402
from app.matching.index import MatchIndex  # noqa: E402
from app.matching.normalize import NormName, Token  # noqa: E402
from app.matching.scoring import kinds_compatible, score_entry  # noqa: E402
from app.matching.similarity import JOINED_MIN, MIN_PAIR, token_similarity  # noqa: E402
from app.matching.translit import japanese_reading  # noqa: E402
from app.matching.types import MatchConfig, MatchQuery  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"


def sdn_folder(data: Path, work: Path) -> Path:
    """The newest full OFAC sdn.csv with the 2025-12 add/alt/comments files, in one folder as the
    ofac-csv parser expects (links: the data stays in ../shared/data). The tests use it too."""
    folder = work / "ofac-sdn"
    folder.mkdir()
    (folder / "sdn.csv").symlink_to(data / "ofac_sdn/2024-05-03_sdn_only/sdn.csv")
    for name in ("add.csv", "alt.csv", "sdn_comments.csv"):
        (folder / name).symlink_to(data / "ofac_sdn/2025-12_add_alt_comments" / name)
    return folder


def load_lists(
    data: Path = DEFAULT_DATA, only: set[str] | None = None
) -> dict[str, list[ListEntry]]:
    """Every real list, keyed by list id; a format whose parser is missing is skipped with a note."""
    lists: dict[str, list[ListEntry]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sources = {
            "ofac-sdn": ("ofac-csv", lambda: sdn_folder(data, Path(tmp))),
            "ofac-cons": ("ofac-csv", lambda: data / "ofac_consolidated_nonsdn"),
            "un-sc": ("un-xml", lambda: data / "un/UN_consolidated.xml"),
            "us-csl": ("us-csl", lambda: data / "us_csl/consolidated.csv"),
        }
        for list_id, (fmt, locate) in sources.items():
            if only is not None and list_id not in only:
                continue
            try:
                lists[list_id] = list(parse_list(fmt, locate(), list_id=list_id))
            except (ImportError, ModuleNotFoundError) as error:
                print(  # noqa: T201
                    f"note: {list_id} not loaded ({fmt} parser unavailable: {error})",
                    file=sys.stderr,
                )
    return lists


def data_arg(argv: list[str]) -> Path:
    """The data folder: first command-line argument, else ../shared/data beside the repo."""
    folders = [a for a in argv[1:] if not a.startswith("--")]
    return Path(folders[0]) if folders else DEFAULT_DATA


# --- Labelled name pairs (eval_quality.py) ----------------------------------------------------
# The rule that says two names are spellings of the same name must not use our own scorer, or the
# evaluation would grade the engine with its own opinion. Name parts are folded ASCII words; two
# parts correspond when they share an American Soundex code (a published 1918 rule) or their
# Jaro-Winkler similarity is at least 0.9. Legal forms and joining words are not name parts.
NOT_NAME_PARTS = frozenset(
    "al el ul bin ibn the of and for de la le co inc ltd llc jsc ojsc cjsc pjsc ooo zao oao "
    "sa ag gmbh plc limited company corp corporation fze fzco fzc kg sarl srl spa bv nv sas "
    "ltda pte pvt est".split()
)
PART_JW = 0.9
_SOUNDEX_CODES = {
    c: str(d)
    for d, letters in enumerate(("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r"))
    for c in letters
}


def soundex(word: str) -> str:
    """American Soundex: first letter, then up to three consonant-class digits."""
    digits, previous = [], _SOUNDEX_CODES.get(word[0], "")
    for char in word[1:]:
        code = _SOUNDEX_CODES.get(char, "")
        if code and code != "0" and code != previous:
            digits.append(code)
        if char not in "hw":
            previous = code
    return (word[0] + "".join(digits) + "000")[:4]


def name_parts(name: str) -> list[str]:
    """Folded words of a name, without legal forms and joining words."""
    from anyascii import anyascii

    words = "".join(c if c.isalnum() else " " for c in anyascii(name).lower()).split()
    return [w for w in words if len(w) > 1 and w not in NOT_NAME_PARTS]


def shared_parts(left: list[str], right: list[str]) -> int:
    """Parts of `left` paired one-to-one with a corresponding part of `right`."""
    from rapidfuzz.distance import JaroWinkler

    free = list(right)
    count = 0
    for part in left:
        for other in free:
            if soundex(part) == soundex(other) or JaroWinkler.similarity(part, other) >= PART_JW:
                free.remove(other)
                count += 1
                break
    return count


def is_name_variant(left: str, right: str) -> bool:
    """At least half of the parts of the longer name correspond to parts of the other."""
    a, b = name_parts(left), name_parts(right)
    if not a or not b:
        return False
    return 2 * shared_parts(a, b) >= max(len(a), len(b))


def hard_negatives(
    entities: list[tuple[str, str, list[str]]], anchors: list[tuple[str, str]], seed: int = 7
) -> list[tuple[str, str]]:
    """One negative per anchor (entity id, name): a name of another entity of the same kind that
    shares as many parts as possible with the anchor, a name variant by `is_name_variant` when
    one exists, never the same name. `entities` are (id, kind, names)."""
    import random
    from collections import Counter

    rng = random.Random(seed)
    owners: list[tuple[str, str, str]] = []  # (entity id, kind, name)
    postings: dict[str, list[int]] = {}
    for entity_id, kind, names in entities:
        for name in names:
            for code in sorted({soundex(p) for p in name_parts(name)}):
                postings.setdefault(code, []).append(len(owners))
            owners.append((entity_id, kind, name))
    kind_of = {entity_id: kind for entity_id, kind, _ in entities}
    negatives = []
    for entity_id, anchor in anchors:
        counts: Counter[int] = Counter()
        for code in sorted({soundex(p) for p in name_parts(anchor)}):
            posting = postings.get(code, [])
            counts.update(posting if len(posting) <= 500 else rng.sample(posting, 500))
        pool = [
            i
            for i, _ in counts.most_common(60)
            if owners[i][0] != entity_id and owners[i][1] == kind_of[entity_id]
        ][:20]
        if not pool:
            continue
        # The same name on two entities (OFAC lists branches and namesakes) is no name-matching
        # error: no name-only scorer can or should tell them apart.
        parts = sorted(name_parts(anchor))
        pool = [i for i in pool if sorted(name_parts(owners[i][2])) != parts]
        if not pool:
            continue
        variants = [i for i in pool if is_name_variant(anchor, owners[i][2])]
        chosen = rng.choice(variants) if variants else pool[0]
        negatives.append((anchor, owners[chosen][2]))
    return negatives


def auc_and_best_f1(scored: list[tuple[float, int]]) -> tuple[float, float, float]:
    """ROC AUC (ties share their mean rank), best F1 and the score it is reached at."""
    scored = sorted(scored)
    positives = sum(label for _, label in scored)
    negatives = len(scored) - positives
    rank_sum, rank = 0.0, 0
    while rank < len(scored):  # average ranks over ties
        end = rank
        while end < len(scored) and scored[end][0] == scored[rank][0]:
            end += 1
        rank_sum += sum(label for _, label in scored[rank:end]) * (rank + end + 1) / 2
        rank = end
    auc = (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
    best_f1, best_t, tp, fp = 0.0, 1.0, positives, negatives
    for index, (score, label) in enumerate(scored):
        f1 = 2 * tp / (2 * tp + fp + (positives - tp))
        if f1 > best_f1 and (index == 0 or scored[index - 1][0] != score):
            best_f1, best_t = f1, score
        tp -= label
        fp -= 1 - label
    return auc, best_f1, best_t


# --- The full scorer over every entry, for the candidate-loss measure (match_bench.py) --------
class FullScorer:
    """What `score_entry` finds when run over every entry of every list, without candidate
    generation. Scoring all 30,000 entries costs ~1.5 s a query, so entries whose score is
    provably 0 are skipped: a name scores above 0 only if one of its tokens pairs with a query
    token (similarity >= MIN_PAIR) or its space-less form is within JOINED_MIN (similarity.py).
    Token pairs are found over the whole token vocabulary with rapidfuzz in C, loosely (edit
    similarity of spellings, keys or skeletons from 0.64, initials, glued articles), then
    confirmed with the engine's own token_similarity. `brute_force` checks this shortcut."""

    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self.lists = index._lists  # noqa: SLF001
        self.by_token: dict[Token, list[tuple[str, int]]] = {}
        self.joined: list[str] = []
        self.joined_sorted: list[str] = []
        self.owners: list[tuple[str, int]] = []
        for list_id, sub in self.lists.items():
            for name_id, indexed in enumerate(sub.names):
                for token in indexed.norm.tokens:
                    self.by_token.setdefault(token, []).append((list_id, name_id))
                self.joined.append(indexed.norm.joined)
                self.joined_sorted.append(indexed.norm.joined_sorted)
                self.owners.append((list_id, name_id))
        self.tokens = list(self.by_token)
        self.fields = [
            [t.text for t in self.tokens],
            [t.key for t in self.tokens],
            [t.skel for t in self.tokens],
        ]
        self.memo: dict[Token, set[tuple[str, int]]] = {}

    def _loose_partners(self, query: Token) -> set[int]:
        found: set[int] = set()
        for value, choices in zip((query.text, query.key, query.skel), self.fields, strict=True):
            hits = process.extract(
                value, choices, scorer=OSA.normalized_similarity, score_cutoff=0.64, limit=None
            )
            found.update(i for _, _, i in hits)
        for i, token in enumerate(self.tokens):
            short = len(token.text) == 1 or len(query.text) == 1
            if short and token.text[0] == query.text[0]:
                found.add(i)
            elif token.text[2:] == query.text or query.text[2:] == token.text:
                found.add(i)  # glued article (AlHuda ~ Huda)
        return found

    def _token_names(self, query: Token) -> set[tuple[str, int]]:
        names = self.memo.get(query)
        if names is None:
            names = set()
            for i in self._loose_partners(query):
                if token_similarity(query, self.tokens[i]) >= MIN_PAIR:
                    names.update(self.by_token[self.tokens[i]])
            self.memo[query] = names
        return names

    def _reachable(self, norm: NormName) -> set[tuple[str, int]]:
        names: set[tuple[str, int]] = set()
        for token in norm.tokens:
            names |= self._token_names(token)
        for value, choices in (
            (norm.joined, self.joined),
            (norm.joined_sorted, self.joined_sorted),
        ):
            if value:
                hits = process.extract(
                    value,
                    choices,
                    scorer=Indel.normalized_similarity,
                    score_cutoff=JOINED_MIN - 0.01,
                    limit=None,
                )
                names.update(self.owners[i] for _, _, i in hits)
        return names

    def matches(
        self, query: MatchQuery, config: MatchConfig, brute_force: bool = False
    ) -> dict[str, float]:
        """Entity id -> score, for every entry at or above its list's threshold."""
        found: dict[str, float] = {}
        reading = japanese_reading(query.name)
        for name in [query.name] + ([reading] if reading else []):
            prepared = self.index._prepare(replace(query, name=name), config, self.index._weights)  # noqa: SLF001
            if brute_force:
                entries = {(i, e) for i, sub in self.lists.items() for e in range(len(sub.entries))}
            else:
                entries = {
                    (i, self.lists[i].names[n].entry_index)
                    for i, n in self._reachable(prepared.norm)
                }
            for list_id, entry_index in entries:
                sub = self.lists[list_id]
                if not kinds_compatible(query.kind, sub.entries[entry_index].kind):
                    continue
                scored = score_entry(prepared, sub, entry_index, None, self.index._weights)  # noqa: SLF001
                if scored.score >= self.index._threshold(list_id, config) and scored.score > 0:  # noqa: SLF001
                    found[scored.entry.id] = max(found.get(scored.entry.id, 0.0), scored.score)
        return found
