"""Matching quality on the dev sets; writes bench/results/matching-quality.md.

    python bench/eval_quality.py [DATA_FOLDER]     (default: ../shared/data beside the repo)

1. Recall: the 683 perturbed UN persons (yente candidate-generation benchmark) screened against the
   UN list must find their own entity (row i of the clean file names it) at the default threshold.
2. False positives: the 2,000 yente validation negatives screened against every list.
3. Cross-script: the 22 watchman pairs; the Latin names are added as a list to the full index.
4. Exact self-screen: every primary name and strong alias of every list finds its own entity at
   1.0 (identical names on other entities tie at 1.0 too).
5. ROC AUC and best F1 on labelled OFAC alias pairs (PAIR_RULE below): all alias pairs, and the
   name-variant pairs against hard negatives, for the engine, Jaro-Winkler and token-set ratio.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    REPO_ROOT,
    auc_and_best_f1,
    data_arg,
    hard_negatives,
    is_name_variant,
    load_lists,
)
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.utils import default_process

from app.lists.countries import to_country_code
from app.lists.models import EntityKind, ListEntry
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.types import MatchConfig, MatchQuery

CONFIG = MatchConfig()
EVAL = "eval"
PAIR_RULE = (
    "True pairs: an OFAC SDN primary name and one of its strong a.k.a. aliases. Name-variant "
    "pairs: the true pairs whose names are spellings of the same name, by a rule independent of "
    "the engine (bench/common.py `is_name_variant`): at least half of the parts of the longer "
    "name pair one-to-one with parts of the other, two parts pairing when they share an American "
    "Soundex code or have Jaro-Winkler >= 0.9 (legal forms and al/bin/of... are not parts). Hard "
    "negatives: for each true pair's primary name, a strong name of another entity of the same "
    "kind sharing the most Soundex-coded parts with it, a name variant by the same rule whenever "
    "one exists, never the same name (equal parts: OFAC lists namesakes and branches, which no "
    "name-only scorer can or should separate). The engine is never tuned on these pairs."
)


def _rows(path: Path, fieldnames: list[str] | None = None) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, fieldnames=fieldnames))


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(sorted(t.text for t in normalize_name(name).tokens))


def recall_un(data: Path, un: list[ListEntry]) -> tuple[str, list[str]]:
    folder = data / EVAL / "yente_candidate_generation_benchmark"
    clean = _rows(folder / "positives_un_untreated.csv")
    treated = _rows(folder / "positives_un_treated.csv")
    by_name: dict[tuple[str, ...], set[str]] = {}
    for entry in un:
        for name, _ in entry.all_names():
            by_name.setdefault(_name_key(name), set()).add(entry.id)
    index = MatchIndex.build({"un-sc": un})
    found = mapped = with_facts = 0
    misses: list[str] = []
    for row_clean, row in zip(clean, treated, strict=True):
        own = by_name.get(_name_key(row_clean["full_name"]))
        if not own:
            continue
        mapped += 1
        ids = {m.entity_id for m in index.search(MatchQuery(name=row["full_name"]), CONFIG)}
        found += bool(ids & own)
        if not ids & own:
            misses.append(f"{row['full_name']} (clean: {row_clean['full_name']})")
        query = MatchQuery(name=row["full_name"], birth_date=row["date_of_birth"] or None)
        with_facts += bool({m.entity_id for m in index.search(query, CONFIG)} & own)
    line = (
        f"| UN recall (name only) | {found}/{mapped} = {found / mapped:.2%} | >= 99% |\n"
        f"| UN recall (name + DOB) | {with_facts}/{mapped} = {with_facts / mapped:.2%} | |\n"
        f"| UN rows mapped to an entity | {mapped}/{len(clean)} | |"
    )
    return line, misses


def false_positives(data: Path, index: MatchIndex) -> tuple[str, list[str]]:
    folder = data / EVAL / "yente_validation_report"
    rows = _rows(folder / "negatives_global.csv") + _rows(folder / "negatives_us.csv")
    name_hits = fact_hits = 0
    examples: list[str] = []
    for row in rows:
        matches = index.search(MatchQuery(name=row["full_name"], kind=EntityKind.PERSON), CONFIG)
        name_hits += bool(matches)
        if matches:
            examples.append(f"{row['full_name']} -> {matches[0].explanation}")
        country = to_country_code(row["nationality"])
        query = MatchQuery(
            name=row["full_name"],
            kind=EntityKind.PERSON,
            birth_date=row["date_of_birth"] or None,
            countries=(country,) if country else (),
        )
        fact_hits += bool(index.search(query, CONFIG))
    total = len(rows)
    line = (
        f"| Negatives raising a match (name, kind person) | {name_hits}/{total} = {name_hits / total:.2%} | <= 1% |\n"
        f"| Negatives raising a match (+ DOB, nationality) | {fact_hits}/{total} = {fact_hits / total:.2%} | |"
    )
    return line, examples


def cross_script(data: Path, index: MatchIndex) -> tuple[str, list[str]]:
    columns = ["Query", "Expected Match", "Min Score", "Description"]
    pairs = _rows(data / EVAL / "watchman_cross_script_pairs" / "cross_script_pairs.csv", columns)
    entries = [
        ListEntry(
            id=f"xs:{i}",
            list_id="xs",
            source_id=str(i),
            kind=EntityKind.PERSON,
            name=p["Expected Match"],
        )
        for i, p in enumerate(pairs)
    ]
    combined = index.with_list("xs", entries)
    found = 0
    lines = []
    for i, pair in enumerate(pairs):
        matches = combined.search(MatchQuery(name=pair["Query"]), MatchConfig(limit=50))
        own = [m for m in matches if m.entity_id == f"xs:{i}"]
        found += bool(own)
        score = f"{own[0].score:.2f}" if own else "-"
        lines.append(f"| {pair['Query']} | {pair['Expected Match']} | {score} |")
    return f"| Cross-script pairs found | {found}/{len(pairs)} | >= 20 |", lines


def self_screen(index: MatchIndex) -> tuple[str, list[str]]:
    """Every strong name finds its own entity at 1.0 (search_many's exact fast path at 1.0)."""
    probes = [
        (entry.id, name)
        for list_id in sorted(index.list_ids())
        for entry in index.entries(list_id)
        for name, strength in entry.all_names()
        if strength == "strong" and normalize_name(name).tokens
    ]
    config = MatchConfig(limit=200, threshold=1.0)
    results = index.search_many((MatchQuery(name=name) for _, name in probes), config)
    failures = [
        f"{own} '{name}'"
        for (own, name), matches in zip(probes, results, strict=True)
        if not any(m.entity_id == own for m in matches)
    ]
    ok, total = len(probes) - len(failures), len(probes)
    return (
        f"| Self-screen (primary + strong aliases, own entity at 1.0) | {ok}/{total} = {ok / total:.3%} | 100% |",
        failures[:30],
    )


def _token_sharing_negatives(
    sdn: list[ListEntry], count: int, seed: int = 7
) -> list[tuple[str, str]]:
    """The first pair set's negatives: names of two entities sharing one normalised word."""
    rng = random.Random(seed)
    by_token: dict[str, list[tuple[str, str]]] = {}
    for entry in sdn:
        for name, _ in entry.all_names():
            for token in dict.fromkeys(normalize_name(name).tokens):
                by_token.setdefault(token.text, []).append((entry.id, name))
    negatives: list[tuple[str, str]] = []
    shared = [names for names in by_token.values() if 2 <= len(names) <= 200]
    while len(negatives) < count:
        (id_a, a), (id_b, b) = rng.sample(rng.choice(shared), 2)
        if id_a != id_b:
            negatives.append((a, b))
    return negatives


Labelled = list[tuple[str, str, int]]


def pair_sets(sdn: list[ListEntry]) -> dict[str, Labelled]:
    """(a) every OFAC primary/strong-aka pair, against token-sharing negatives as before and
    against hard negatives; (b) the name-variant pairs (common.is_name_variant) against hard
    negatives anchored on them."""
    positives = [
        (e.id, e.name, a.name)
        for e in sdn
        for a in e.aliases
        if a.strength == "strong" and a.kind == "aka"
    ]
    entities = [(e.id, e.kind.value, [n for n, s in e.all_names() if s == "strong"]) for e in sdn]
    variants = [p for p in positives if is_name_variant(p[1], p[2])]
    all_true = [(a, b, 1) for _, a, b in positives]
    variant_true = [(a, b, 1) for _, a, b in variants]
    hard_all = hard_negatives(entities, [(i, a) for i, a, _ in positives])
    hard_variant = hard_negatives(entities, [(i, a) for i, a, _ in variants], seed=8)
    token_sharing = _token_sharing_negatives(sdn, len(positives))
    return {
        "(a) all alias pairs / token-sharing negatives": all_true
        + [(a, b, 0) for a, b in token_sharing],
        "(a) all alias pairs / hard negatives": all_true + [(a, b, 0) for a, b in hard_all],
        "(b) name-variant pairs / hard negatives": variant_true
        + [(a, b, 0) for a, b in hard_variant],
    }


SCORERS: dict[str, Callable[[MatchIndex, str, str], float]] = {
    "engine": lambda index, a, b: index.compare_names(a, b),
    "Jaro-Winkler": lambda _, a, b: JaroWinkler.normalized_similarity(a.lower(), b.lower()),
    "token-set ratio": lambda _, a, b: fuzz.token_set_ratio(a, b, processor=default_process) / 100,
}


def pair_quality(sdn: list[ListEntry], index: MatchIndex) -> tuple[str, list[str]]:
    """Table rows per pair set and scorer, and the highest-scoring hard negatives of the engine."""
    rows = [
        "| Pair set | Pairs (true / negative; negatives that are name variants) | Scorer | ROC AUC | best F1 (at score) |",
        "|---|---|---|---|---|",
    ]
    worst: list[str] = []
    for title, pairs in pair_sets(sdn).items():
        true = sum(label for *_, label in pairs)
        rule = sum(is_name_variant(a, b) for a, b, label in pairs if not label)
        for scorer, score in SCORERS.items():
            scored = [(score(index, a, b), label) for a, b, label in pairs]
            auc, f1, at = auc_and_best_f1(scored)
            counts = f"{true} / {len(pairs) - true}; {rule}"
            rows.append(f"| {title} | {counts} | {scorer} | {auc:.3f} | {f1:.3f} ({at:.2f}) |")
            if scorer == "engine" and title.startswith("(b)"):
                negatives = [
                    (s, a, b) for (s, _), (a, b, _) in zip(scored, pairs, strict=True) if not _
                ]
                worst = [f"{s:.2f} {a} / {b}" for s, a, b in sorted(negatives, reverse=True)[:25]]
    return "\n".join(rows), worst


def main() -> None:
    data = data_arg(sys.argv)
    started = time.perf_counter()
    lists = load_lists(data)
    index = MatchIndex.build(lists)
    recall_line, misses = recall_un(data, lists["un-sc"])
    fp_line, fp_examples = false_positives(data, index)
    xs_line, xs_rows = cross_script(data, index)
    pair_table, pair_worst = pair_quality(lists["ofac-sdn"], index)
    self_line, self_failures = self_screen(index)
    report = [
        "# Matching quality",
        "",
        f"Default threshold {CONFIG.threshold:.2f}. Lists: "
        + ", ".join(f"{k} ({len(v)})" for k, v in lists.items())
        + f"; {index.name_count} names. Command: `python bench/eval_quality.py`.",
        "",
        "| Check | Result | Target |",
        "|---|---|---|",
        recall_line,
        fp_line,
        xs_line,
        self_line,
        "",
        "## Labelled pairs (OFAC SDN aliases)",
        "",
        PAIR_RULE,
        "",
        pair_table,
        "",
        "## Highest-scoring hard negatives, name-variant set (engine)",
        *[f"- {m}" for m in pair_worst],
        "",
        "## UN recall misses",
        *([f"- {m}" for m in misses] or ["none"]),
        "",
        "## False positives (name only)",
        *([f"- {m}" for m in fp_examples] or ["none"]),
        "",
        "## Cross-script pairs",
        "| Query | Expected | Score |",
        "|---|---|---|",
        *xs_rows,
        "",
        "## Self-screen failures (first 30)",
        *([f"- {m}" for m in self_failures] or ["none"]),
        "",
        f"Run time {time.perf_counter() - started:.0f} s.",
    ]
    out = REPO_ROOT / "bench" / "results" / "matching-quality.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report[:40]))  # noqa: T201


if __name__ == "__main__":
    main()
