"""Monitoring bench: a 100-entry list change screened against 1,000,000 monitored parties.

    python bench/monitor_bench.py [DATA_FOLDER] [--parties N] [--naive-sample N]

Writes bench/results/monitoring.md. The full index holds the real OFAC SDN and UN lists from
DATA_FOLDER (default ../shared/data beside the repo; the shipped curated lists otherwise). The
change is 100 entries drawn from them (70 changed, 30 added). Parties are synthetic customer
names (people of several naming cultures and companies, none copied from a list), plus 100
planted look-alikes of changed entries so the run has true hits to find.

Measured in one run:
- delta: the monitoring path (app.monitoring.delta.screen_delta: an index over the 100 changed
  entries, every party searched against it), over all parties;
- naive: every party screened through the full index, keeping hits on changed entries; too slow
  for 1,000,000 parties, so it runs on a sample and is extrapolated (the report says so);
- agreement: on the sample, the (party, entity) pairs both paths find must be the same;
- reading the parties from a SQLite database (MonitoringStore.iter_parties), the other part of
  a real monitoring run.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, REPO_ROOT, load_lists

from app.db.engine import create_db_engine, migrate
from app.db.monitoring import CustomerRecord, MonitoringStore, utcnow
from app.lists.models import EntityKind, ListEntry
from app.lists.parsers import parse_list
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig, MatchQuery
from app.monitoring.delta import MonitoredParty, screen_delta, screen_naive

CONFIG = MatchConfig(threshold=0.80, limit=100)
FIRST = (
    "james mary john patricia robert jennifer michael linda david elizabeth william barbara richard susan joseph "
    "jessica thomas sarah charles karen daniel nancy matthew lisa anthony betty mark sandra steven ashley paul "
    "emily andrew donna joshua michelle kevin carol brian amanda george melissa timothy deborah jose maria juan "
    "carmen luis ana carlos lucia miguel sofia pedro isabel diego elena pablo laura javier marta wei fang lei "
    "jing min hui yan jun ling tao hiroshi yuki kenji akiko takeshi naoko raj priya amit sunita vikram anjali "
    "arjun kavya olga ivan natalia sergei tatiana dmitri irina pavel svetlana ahmed fatima omar layla youssef "
    "amira karim nadia hassan samira tariq leila mehmet ayse mustafa zeynep emre elif kwame ama kofi abena "
    "chinedu ngozi oluwaseun adaeze hans greta klaus ingrid lars astrid pierre claire jean sophie luc camille"
).split()
LAST = (
    "smith johnson williams brown jones miller davis wilson anderson taylor thomas moore jackson martin "
    "thompson white harris clark lewis robinson walker young allen wright scott green baker adams nelson hill "
    "campbell mitchell roberts carter phillips evans turner parker collins edwards stewart morris murphy cook "
    "rogers morgan cooper peterson reed bailey kelly howard garcia rodriguez martinez hernandez lopez gonzalez "
    "perez sanchez ramirez torres flores rivera gomez diaz cruz morales ortiz gutierrez chavez ramos castillo "
    "wang li zhang liu chen yang huang zhao zhou wu xu sun ma zhu tanaka suzuki takahashi watanabe ito "
    "yamamoto nakamura kobayashi sharma patel singh kumar gupta mehta reddy iyer nair joshi ivanova smirnov "
    "kuznetsova popov sokolov lebedev kozlov novikov morozov volkova yilmaz kaya demir sahin celik "
    "mensah owusu boateng okafor adeyemi eze nwosu muller schmidt schneider fischer weber meyer wagner becker "
    "dubois moreau laurent simon michel lefebvre leroy roux bernard petit durand johansson nilsson larsson"
).split()
COMPANY_WORDS = (
    "northwind summit harbor crescent granite meridian evergreen riverside oakridge silverline bluewater "
    "pinnacle horizon keystone lakeside redwood sterling atlas beacon cedar coastal falcon frontier "
    "golden highland ironwood juniper lighthouse maple orchard prairie quarry sunrise timber valley willow"
).split()
COMPANY_KINDS = "logistics foods textiles pharma consulting builders motors energy holdings traders".split()
COMPANY_SUFFIX = ("ltd", "llc", "gmbh", "sa", "bv", "inc", "plc", "sarl", "co")


def synthetic_parties(count: int, rng: random.Random) -> list[MonitoredParty]:
    parties = []
    for i in range(count):
        if rng.random() < 0.8:
            given = rng.choice(FIRST) if rng.random() < 0.8 else f"{rng.choice(FIRST)} {rng.choice(FIRST)}"
            name, kind = f"{given} {rng.choice(LAST)}".title(), EntityKind.PERSON
        else:
            words = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_SUFFIX)}"
            name, kind = words.title(), EntityKind.ORGANIZATION
        parties.append(MonitoredParty(f"P{i:07d}", MatchQuery(name=name, kind=kind)))
    return parties


def typo(name: str, rng: random.Random) -> str:
    """One transposition of two neighbouring letters inside the longest word."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 4:
        i = rng.randrange(1, len(word) - 2)
        words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def planted(changed: list[ListEntry], rng: random.Random) -> list[MonitoredParty]:
    return [MonitoredParty(f"HIT{i:03d}", MatchQuery(name=typo(e.name, rng), kind=e.kind))
            for i, e in enumerate(changed)]


def load_index(data: Path) -> tuple[MatchIndex, dict[str, list[ListEntry]], str]:
    if (data / "ofac_sdn").is_dir():
        lists = load_lists(data, only={"ofac-sdn", "un-sc"})
        source = "real OFAC SDN and UN lists from the data folder"
    else:
        lists = {p.stem: list(parse_list("yaml", p, list_id=p.stem)) for p in sorted((REPO_ROOT / "lists").glob("*.yaml"))
                 if p.name != "sources.yaml"}
        source = "the shipped curated lists (no data folder found)"
    return MatchIndex.build(lists), lists, source


def timed_run(label: str, run: object) -> tuple[float, set[tuple[str, str]]]:
    started = time.perf_counter()
    hits = {(h.party.external_id, h.match.entity_id) for h in run}  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.1f} s, {len(hits)} hits", file=sys.stderr)  # noqa: T201
    return seconds, hits


def db_read_seconds(parties: list[MonitoredParty]) -> float:
    """Store the parties in a SQLite database and time reading them back as a monitoring run does."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{tmp}/bench.db")
        migrate(engine)
        now = utcnow()
        rows = [{"external_id": p.external_id, "name": p.query.name, "kind": p.query.kind.value if p.query.kind else None,
                 "countries": "", "birth_date": None, "identifiers": "[]", "active": True, "created_by": "bench",
                 "created_at": now, "updated_at": now} for p in parties]
        with engine.begin() as connection:
            for start in range(0, len(rows), 20_000):
                connection.execute(CustomerRecord.__table__.insert(), rows[start : start + 20_000])  # type: ignore[attr-defined]
        started = time.perf_counter()
        count = sum(1 for _ in MonitoringStore(engine).iter_parties())
        seconds = time.perf_counter() - started
        engine.dispose()
    assert count == len(parties)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument("--change", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(23)

    started = time.perf_counter()
    index, lists, source = load_index(args.data)
    build_s = time.perf_counter() - started
    # One snapshot is one version of one list: the change comes from the largest list.
    largest = max(lists, key=lambda list_id: len(lists[list_id]))
    pool = [e for e in lists[largest] if len(e.name.split()) >= 2]
    changed = rng.sample(pool, args.change)
    book = synthetic_parties(args.parties - args.change, rng)
    parties = book + planted(changed, rng)
    rng.shuffle(parties)
    changed_ids = frozenset(e.id for e in changed)

    delta_s, delta_hits = timed_run("delta", screen_delta(parties, changed, index, CONFIG))
    sample = rng.sample(book, min(args.naive_sample, len(book)))
    sample_ids = {p.external_id for p in sample} | {p.external_id for p in parties if p.external_id.startswith("HIT")}
    sample = [p for p in parties if p.external_id in sample_ids]
    naive_s, naive_hits = timed_run("naive sample", screen_naive(sample, changed_ids, index, CONFIG))
    delta_on_sample = {h for h in delta_hits if h[0] in sample_ids}
    db_s = db_read_seconds(parties)
    write_report(args, source, index, build_s, len(parties), delta_s, delta_hits, len(sample), naive_s,
                 naive_hits, delta_on_sample, db_s)


def write_report(args: argparse.Namespace, source: str, index: MatchIndex, build_s: float, party_count: int,
                 delta_s: float, delta_hits: set[tuple[str, str]], sample_size: int, naive_s: float,
                 naive_hits: set[tuple[str, str]], delta_on_sample: set[tuple[str, str]], db_s: float) -> None:
    naive_full = naive_s / sample_size * party_count
    planted_found = sum(1 for party, _ in delta_hits if party.startswith("HIT"))
    lines = [
        "# Monitoring: re-screening after a list change",
        "",
        f"Command: `python bench/monitor_bench.py --parties {args.parties} --naive-sample {args.naive_sample}`"
        " (data folder: ../shared/data beside the repository)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, one process, one core.",
        f"Full index: {source}; {index.entity_count} entities, {index.name_count} names (built in {build_s:.0f} s).",
        f"Change: {args.change} entries of the largest list. Parties: {party_count:,} synthetic customer names"
        f" ({args.change} of them planted look-alikes of changed entries, one transposed letter).",
        "",
        "| path | parties | time | per party | hits |",
        "|---|---:|---:|---:|---:|",
        f"| delta (index over the {args.change} changed entries) | {party_count:,} | {delta_s:.1f} s |"
        f" {delta_s / party_count * 1e6:.0f} µs | {len(delta_hits)} |",
        f"| naive (full index), measured on a sample | {sample_size:,} | {naive_s:.1f} s |"
        f" {naive_s / sample_size * 1e6:.0f} µs | {len(naive_hits)} |",
        f"| naive, extrapolated to all parties | {party_count:,} | {naive_full / 60:.0f} min | | |",
        f"| reading the parties from SQLite (iter_parties) | {party_count:,} | {db_s:.1f} s | | |",
        "",
        f"- A {args.change}-entry change against {party_count:,} parties takes **{delta_s + db_s:.0f} s** end to end"
        f" (screening {delta_s:.0f} s + reading the book from the database {db_s:.0f} s). Re-screening the whole"
        f" book through the full index would take about {naive_full / 60:.0f} min plus the same read:"
        f" the screening part is {naive_full / delta_s:.0f}x faster. R9 asks for 24 h, ideally 1 h.",
        "- Tried and dropped: skipping parties none of whose name skeletons is within one edit of a changed"
        " entry's (the first test of candidate generation). On this book 86% of the parties passed it, and"
        " the run was slower with it (97 and 68 µs against 63 and 62 µs a party, two runs each on 50,000).",
        f"- The naive baseline would take too long on {party_count:,} parties, so it ran on {sample_size - args.change:,}"
        f" random parties plus the {args.change} planted ones and is extrapolated linearly.",
        f"- Agreement on that sample: delta found {len(delta_on_sample)} (party, entity) pairs, naive {len(naive_hits)};"
        f" {len(delta_on_sample & naive_hits)} in common"
        f" ({'identical' if delta_on_sample == naive_hits else 'they differ: see the note below'}).",
        f"- Planted look-alikes found by delta: {planted_found} hits on {args.change} planted parties"
        " (a typo'd name may also match other entries, or fall under the threshold when the name is short).",
        "- Delta searches use the full index's token weights, so a hit scores as it would in a normal screening.",
    ]
    out = REPO_ROOT / "bench" / "results" / "monitoring.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
