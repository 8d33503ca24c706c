"""Matching speed, memory and candidate-generation loss; writes bench/results/matching-speed.md.

    python bench/match_bench.py [DATA_FOLDER]     (default: ../shared/data beside the repo)
    python bench/match_bench.py [DATA_FOLDER] --skip-synthetic     (no 1,000,000-name index)

With every real list loaded: index build time and resident memory (the optional pykakasi
dictionary is loaded first and reported apart: it is process-wide, not part of any index), one
in-process screen (median, p99; three rounds) over the evaluation queries, the brute-force
baseline `rapidfuzz.process.cdist` over every name (needs numpy: the `bench` extra), the same
screen on a synthetic 1,000,000-name index, and candidate loss: matches the full scorer finds
over every entry (common.FullScorer) that the engine's search does not return, on every
evaluation query against every list.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from common import REPO_ROOT, FullScorer, data_arg, load_lists
from rapidfuzz import fuzz, process

from app.lists.models import EntityKind, ListEntry
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.translit import japanese_reading
from app.matching.types import MatchConfig, MatchQuery

CONFIG = MatchConfig()
SYNTHETIC_NAMES = 1_000_000
ROUNDS = 3
BRUTE_FORCE_CHECKS = 12  # queries on which FullScorer's shortcut is checked against every entry


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


CROSS_SCRIPT = "eval/watchman_cross_script_pairs/cross_script_pairs.csv"
CROSS_SCRIPT_COLUMNS = ["Query", "Expected Match", "Min Score", "Description"]


def _csv(path: Path, columns: list[str] | None = None) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, fieldnames=columns))


def cross_script_list(data: Path) -> list[ListEntry]:
    """The Latin names of the cross-script pairs, a list of their own (as eval_quality.py)."""
    rows = _csv(data / CROSS_SCRIPT, CROSS_SCRIPT_COLUMNS)
    return [
        ListEntry(id=f"xs:{i}", list_id="xs", source_id=str(i), kind=EntityKind.PERSON, name=name)
        for i, name in enumerate(r["Expected Match"] for r in rows)
    ]


def eval_sets(data: Path) -> dict[str, list[MatchQuery]]:
    """The evaluation queries, as eval_quality.py screens them."""
    folder = data / "eval"
    un = _csv(folder / "yente_candidate_generation_benchmark/positives_un_treated.csv")
    negatives = _csv(folder / "yente_validation_report/negatives_global.csv")
    negatives += _csv(folder / "yente_validation_report/negatives_us.csv")
    cross = _csv(data / CROSS_SCRIPT, CROSS_SCRIPT_COLUMNS)
    return {
        "UN treated rows": [MatchQuery(name=r["full_name"]) for r in un],
        "cross-script pairs": [MatchQuery(name=r["Query"]) for r in cross],
        "negatives (kind person)": [
            MatchQuery(name=r["full_name"], kind=EntityKind.PERSON) for r in negatives
        ],
    }


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.99)]


def _timed(index: MatchIndex, queries: list[MatchQuery]) -> tuple[float, float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, CONFIG)
        times.append((time.perf_counter() - started) * 1000)
    return _percentiles(times)


def _normalised(name: str) -> str:
    return " ".join(t.text for t in normalize_name(name).tokens)


def _cdist_baseline(index: MatchIndex, queries: list[MatchQuery]) -> tuple[str, str]:
    """process.cdist token_sort_ratio of each query against every normalised name."""
    choices = [
        _normalised(n)
        for list_id in index.list_ids()
        for e in index.entries(list_id)
        for n, _ in e.all_names()
    ]
    texts = [_normalised(q.name) for q in queries]
    times = []
    for text in texts:
        started = time.perf_counter()
        scores = process.cdist([text], choices, scorer=fuzz.token_sort_ratio, dtype=np.uint8)
        np.flatnonzero(scores[0] >= 80)
        times.append((time.perf_counter() - started) * 1000)
    median, p99 = _percentiles(times)
    started = time.perf_counter()
    process.cdist(texts, choices, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
    batch_ms = (time.perf_counter() - started) * 1000 / len(texts)
    one = f"median {median:.2f} ms, p99 {p99:.2f} ms ({len(choices)} names)"
    return one, f"{batch_ms:.2f} ms a query"


def _synthetic(lists: dict[str, list[ListEntry]], count: int) -> list[ListEntry]:
    """Person names recombined from real name words, so frequencies stay realistic."""
    rng = random.Random(11)
    words = sorted(
        {w for entries in lists.values() for e in entries for w in e.name.replace(",", " ").split()}
    )
    return [
        ListEntry(
            id=f"syn:{i}",
            list_id="syn",
            source_id=str(i),
            kind=EntityKind.PERSON,
            name=" ".join(rng.sample(words, rng.choice((2, 3, 3, 4)))),
        )
        for i in range(count)
    ]


def candidate_loss(
    index: MatchIndex, sets: dict[str, list[MatchQuery]]
) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """Per set: (set, queries, matches the full scorer finds, lost by the engine), and the losses."""
    full = FullScorer(index)
    rows, lost_lines = [], []
    wide = MatchConfig(limit=10_000)
    for title, queries in sets.items():
        found = lost = 0
        for query in queries:
            reference = full.matches(query, CONFIG)
            returned = {m.entity_id for m in index.search(query, wide)}
            missing = sorted(set(reference) - returned)
            found += len(reference)
            lost += len(missing)
            lost_lines += [f"{query.name} -> {m} ({reference[m]:.2f})" for m in missing]
        rows.append((title, str(len(queries)), str(found), str(lost)))
    checks = random.Random(5).sample([q for qs in sets.values() for q in qs], BRUTE_FORCE_CHECKS)
    agree = sum(
        full.matches(q, CONFIG) == full.matches(q, CONFIG, brute_force=True) for q in checks
    )
    rows.append(
        ("shortcut check: FullScorer == every entry scored", str(len(checks)), str(agree), "")
    )
    return rows, lost_lines


def main() -> None:
    data = data_arg(sys.argv)
    lists = load_lists(data)
    before_kakasi = _rss_mb()
    has_kakasi = japanese_reading("山田") is not None  # loads its dictionary once per process
    kakasi_mb = _rss_mb() - before_kakasi
    parsed = _rss_mb()
    started = time.perf_counter()
    index = MatchIndex.build(lists)
    build_s = time.perf_counter() - started
    index_mb = _rss_mb() - parsed
    sets = eval_sets(data)
    queries = [q for qs in sets.values() for q in qs]
    for query in queries[:50]:  # warm caches
        index.search(query, CONFIG)
    rounds = [(*_timed(index, queries), _load()) for _ in range(ROUNDS)]
    cdist_one, cdist_batch = _cdist_baseline(index, queries)
    loss_rows, lost = candidate_loss(index.with_list("xs", cross_script_list(data)), sets)
    rows = [
        ("lists loaded", ", ".join(f"{k} {len(v)}" for k, v in lists.items()), ""),
        ("entities / names", f"{index.entity_count} / {index.name_count}", ""),
        ("index build", f"{build_s:.1f} s", ""),
        (
            "index memory (RSS growth at build)",
            f"{index_mb:.0f} MB (process {_rss_mb():.0f} MB)",
            "< 300 MB",
        ),
        (
            "pykakasi dictionary (process-wide, loaded once)",
            f"{kakasi_mb:.0f} MB" if has_kakasi else "not installed",
            "",
        ),
    ]
    for number, (median, p99, load) in enumerate(rounds, 1):
        rows.append(
            (
                f"screen, real lists ({len(queries)} queries), round {number}",
                f"median {median:.2f} ms, p99 {p99:.2f} ms ({load})",
                "median < 2 ms, p99 < 10 ms",
            )
        )
    rows.append(("baseline: process.cdist token_sort_ratio, one query, 1 thread", cdist_one, ""))
    rows.append(("baseline: process.cdist, all queries in one call, workers=-1", cdist_batch, ""))
    if "--skip-synthetic" not in sys.argv:
        rows += _synthetic_rows(lists, queries)
    table = ["| Measure | Result | Target |", "|---|---|---|"] + [
        f"| {a} | {b} | {c} |" for a, b, c in rows
    ]
    loss_table = [
        "| Evaluation set | Queries | Matches the full scorer finds (all lists) | Lost by candidate generation |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in loss_rows],
    ]
    report = [
        "# Matching speed",
        "",
        "Command: `python bench/match_bench.py` (2-core machine shared with other benches).",
        "",
        *table,
        "",
        "## Candidate loss (target: none lost)",
        "",
        f"Threshold {CONFIG.threshold:.2f}; every query against every list, plus the Latin names "
        "of the cross-script pairs as a list of their own.",
        "",
        *loss_table,
        "",
        *([f"- {line}" for line in lost] or ["Lost: none."]),
    ]
    out = REPO_ROOT / "bench" / "results" / "matching-speed.md"
    out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))  # noqa: T201


def _synthetic_rows(
    lists: dict[str, list[ListEntry]], queries: list[MatchQuery]
) -> list[tuple[str, str, str]]:
    synthetic = _synthetic(lists, SYNTHETIC_NAMES)
    started = time.perf_counter()
    big = MatchIndex.build({"syn": synthetic})
    build_s = time.perf_counter() - started
    median, p99 = _timed(big, random.Random(3).sample(queries, 300))
    return [
        (f"synthetic index build ({big.name_count} names)", f"{build_s:.0f} s", ""),
        (
            "screen, synthetic 1M names (300 q)",
            f"median {median:.2f} ms, p99 {p99:.2f} ms ({_load()})",
            "median < 20 ms",
        ),
    ]


if __name__ == "__main__":
    main()
