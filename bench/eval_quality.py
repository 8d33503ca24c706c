"""Matching quality on the dev sets; writes bench/results/matching-quality.md.

    python bench/eval_quality.py [DATA_FOLDER]     (default: ../shared/data beside the repo)

1. Recall: the 683 perturbed UN persons (yente candidate-generation benchmark) screened against the
   UN list must find their own entity (row i of the clean file names it) at the default threshold.
2. False positives: the 2,000 yente validation negatives screened against every list.
3. Cross-script: the 22 watchman pairs; the Latin names are added as a list to the full index.
4. Exact self-screen: every primary name and strong alias of every list finds its own entity
   among the top-scored results (identical names on other entities tie; the own entity must be
   among the top-tied).
5. ROC AUC and best F1 on OFAC alias pairs (true: primary vs strong aka of one entity; hard
   negatives: names of different entities sharing a word), against plain Jaro-Winkler.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from pathlib import Path

from common import REPO_ROOT, data_arg, load_lists
from rapidfuzz.distance import JaroWinkler

from app.lists.countries import to_country_code
from app.lists.models import EntityKind, ListEntry
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.types import MatchConfig, MatchQuery

CONFIG = MatchConfig()
EVAL = "eval"


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
    total = ok = 0
    failures: list[str] = []
    config = MatchConfig(limit=200, threshold=0.99)
    for list_id in sorted(index.list_ids()):
        for entry in index.entries(list_id):
            for name, strength in entry.all_names():
                if strength != "strong" or not normalize_name(name).tokens:
                    continue
                total += 1
                matches = index.search(MatchQuery(name=name), config)
                top = matches[0].score if matches else 0.0
                if any(m.entity_id == entry.id and m.score == top == 1.0 for m in matches):
                    ok += 1
                elif len(failures) < 30:
                    failures.append(f"{entry.id} '{name}' top {top:.2f}")
    return (
        f"| Self-screen (primary + strong aliases, own entity top-tied at 1.0) | {ok}/{total} = {ok / total:.3%} | 100% |",
        failures,
    )


def _pairs(sdn: list[ListEntry], seed: int = 7) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    positives = [
        (e.name, a.name, 1)
        for e in sdn
        for a in e.aliases
        if a.strength == "strong" and a.kind == "aka"
    ]
    by_token: dict[str, list[tuple[str, str]]] = {}
    for entry in sdn:
        for name, _ in entry.all_names():
            for token in set(normalize_name(name).tokens):
                by_token.setdefault(token.text, []).append((entry.id, name))
    negatives = []
    shared = [names for names in by_token.values() if 2 <= len(names) <= 200]
    while len(negatives) < len(positives):
        (id_a, a), (id_b, b) = rng.sample(rng.choice(shared), 2)
        if id_a != id_b:
            negatives.append((a, b, 0))
    return positives + negatives


def _auc_f1(scored: list[tuple[float, int]]) -> tuple[float, float, float]:
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


def pair_quality(sdn: list[ListEntry], index: MatchIndex) -> str:
    pairs = _pairs(sdn)
    ours = [(index.compare_names(a, b), label) for a, b, label in pairs]
    plain = [
        (JaroWinkler.normalized_similarity(a.lower(), b.lower()), label) for a, b, label in pairs
    ]
    rows = [
        f"| Labelled pairs | {sum(p[2] for p in pairs)} true / {sum(1 - p[2] for p in pairs)} hard negatives | |"
    ]
    for label, scored in (("engine name score", ours), ("plain Jaro-Winkler", plain)):
        auc, f1, t = _auc_f1(scored)
        rows.append(
            f"| {label}: ROC AUC / best F1 (at score) | {auc:.3f} / {f1:.3f} ({t:.2f}) | AUC > 0.87 |"
        )
    return "\n".join(rows)


def main() -> None:
    data = data_arg(sys.argv)
    started = time.perf_counter()
    lists = load_lists(data)
    index = MatchIndex.build(lists)
    recall_line, misses = recall_un(data, lists["un-sc"])
    fp_line, fp_examples = false_positives(data, index)
    xs_line, xs_rows = cross_script(data, index)
    pair_line = pair_quality(lists["ofac-sdn"], index)
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
        pair_line,
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
    print("\n".join(report[: 12 + pair_line.count("\n")]))  # noqa: T201


if __name__ == "__main__":
    main()
