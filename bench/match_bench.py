"""Matching speed and candidate-generation loss; writes bench/results/matching-speed.md.

    python bench/match_bench.py [DATA_FOLDER]     (default: ../shared/data beside the repo)

Measures, with every real list loaded: index build time and resident memory, one in-process
screen (median, p99) over eval queries, the same on a synthetic 1,000,000-name index, and a
brute-force baseline (rapidfuzz process.extract over every name; cdist needs numpy,
which the project does not install). Candidate loss: for a sample of the UN
recall queries, matches the full scorer finds when run over every entry that candidate
generation does not return.
"""

from __future__ import annotations

import csv
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from common import REPO_ROOT, data_arg, load_lists
from rapidfuzz import fuzz, process

from app.lists.models import EntityKind, ListEntry
from app.matching.index import MatchIndex
from app.matching.normalize import normalize_name
from app.matching.scoring import score_entry
from app.matching.types import MatchConfig, MatchQuery

CONFIG = MatchConfig()
SYNTHETIC_NAMES = 1_000_000


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _queries(data: Path) -> list[str]:
    folder = data / "eval"
    names: list[str] = []
    for path in (
        folder / "yente_candidate_generation_benchmark/positives_un_treated.csv",
        folder / "yente_validation_report/negatives_global.csv",
        folder / "yente_validation_report/negatives_us.csv",
    ):
        with path.open(encoding="utf-8") as handle:
            names += [row["full_name"] for row in csv.DictReader(handle)]
    return names


def _timed(index: MatchIndex, names: list[str]) -> tuple[float, float]:
    times = []
    for name in names:
        started = time.perf_counter()
        index.search(MatchQuery(name=name), CONFIG)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)]


def _brute_force(index: MatchIndex, names: list[str]) -> tuple[float, float]:
    choices = [
        " ".join(t.text for t in normalize_name(n).tokens)
        for list_id in index.list_ids()
        for e in index.entries(list_id)
        for n, _ in e.all_names()
    ]
    times = []
    for name in names:
        started = time.perf_counter()
        query = " ".join(t.text for t in normalize_name(name).tokens)
        process.extract(query, choices, scorer=fuzz.token_sort_ratio, score_cutoff=80, limit=None)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)]


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


def _candidate_loss(index: MatchIndex, names: list[str]) -> tuple[int, int]:
    """(true matches the full scorer finds, of which candidate generation missed)."""
    found = lost = 0
    for name in names:
        query = MatchQuery(name=name)
        prepared = index._prepare(query, CONFIG, index._weights)  # noqa: SLF001
        returned = {m.entity_id for m in index.search(query, MatchConfig(limit=1000))}
        for list_id in index.list_ids():
            sub = index._lists[list_id]  # noqa: SLF001
            for entry_index in range(len(sub.entries)):
                scored = score_entry(prepared, sub, entry_index, None, index._weights)  # noqa: SLF001
                if scored.score >= CONFIG.threshold:
                    found += 1
                    lost += scored.entry.id not in returned
    return found, lost


def main() -> None:
    data = data_arg(sys.argv)
    before = _rss_mb()
    lists = load_lists(data)
    parsed = _rss_mb()
    started = time.perf_counter()
    index = MatchIndex.build(lists)
    build_s = time.perf_counter() - started
    index_mb = _rss_mb() - parsed
    queries = _queries(data)
    for name in queries[:50]:  # warm caches
        index.search(MatchQuery(name=name), CONFIG)
    median, p99 = _timed(index, queries)
    sample = random.Random(3).sample(queries, 300)
    brute_median, brute_p99 = _brute_force(index, sample)
    loss_sample = random.Random(5).sample(queries[:683], 60)
    found, lost = _candidate_loss(index.without_list("us-csl"), loss_sample)
    synthetic = _synthetic(lists, SYNTHETIC_NAMES)
    started = time.perf_counter()
    big = MatchIndex.build({"syn": synthetic})
    big_build_s = time.perf_counter() - started
    big_median, big_p99 = _timed(big, sample[:200])
    rows = [
        ("lists loaded", ", ".join(f"{k} {len(v)}" for k, v in lists.items()), ""),
        ("entities / names", f"{index.entity_count} / {index.name_count}", ""),
        ("index build", f"{build_s:.1f} s", ""),
        (
            "index memory (RSS growth at build)",
            f"{index_mb:.0f} MB (process {_rss_mb():.0f} MB, before load {before:.0f} MB)",
            "< 300 MB",
        ),
        (
            "screen, real lists (%d queries)" % len(queries),
            f"median {median:.2f} ms, p99 {p99:.2f} ms",
            "median < 2 ms, p99 < 10 ms",
        ),
        (
            "baseline: rapidfuzz process.extract token_sort_ratio over all names, 1 thread (300 q)",
            f"median {brute_median:.2f} ms, p99 {brute_p99:.2f} ms",
            "",
        ),
        ("synthetic index build (%d names)" % big.name_count, f"{big_build_s:.0f} s", ""),
        (
            "screen, synthetic 1M names (200 q)",
            f"median {big_median:.2f} ms, p99 {big_p99:.2f} ms",
            "median < 20 ms",
        ),
        (
            "candidate loss vs full scorer (60 UN recall queries, all lists but us-csl)",
            f"{lost} of {found} true matches lost",
            "0",
        ),
    ]
    table = ["| Measure | Result | Target |", "|---|---|---|"] + [
        f"| {a} | {b} | {c} |" for a, b, c in rows
    ]
    report = [
        "# Matching speed",
        "",
        "Command: `python bench/match_bench.py` (2-core machine).",
        "",
        *table,
    ]
    out = REPO_ROOT / "bench" / "results" / "matching-speed.md"
    out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(table))  # noqa: T201


if __name__ == "__main__":
    main()
