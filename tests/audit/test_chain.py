from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from app.audit.chain import GENESIS, ChainedRecord, canonical_json, record_hash, verify_chain


def build_chain(n: int) -> list[ChainedRecord]:
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = canonical_json({"request": {"name": f"party {seq}"}, "decision": "clear"})
        created = datetime(2026, 1, 1, 12, 0, seq, tzinfo=UTC)
        digest = record_hash(prev_hash=prev, record_id=f"r{seq}", kind="screening", created_at=created,
                             actor="k", external_id=None, decision="clear", payload=payload)
        records.append(ChainedRecord(seq, f"r{seq}", "screening", created, "k", None, "clear", payload, prev, digest))
        prev = digest
    return records


def test_intact_chain_verifies() -> None:
    assert verify_chain(build_chain(5), anchor=GENESIS) == (5, None)


def test_altered_payload_is_found_at_its_record() -> None:
    chain = build_chain(5)
    chain[2] = replace(chain[2], payload=chain[2].payload.replace("clear", "block"))
    checked, broken = verify_chain(chain, anchor=GENESIS)
    assert checked == 2
    assert broken is not None
    assert broken.seq == 3
    assert "altered" in broken.problem


def test_removed_record_breaks_the_next_link() -> None:
    chain = build_chain(5)
    del chain[1]
    checked, broken = verify_chain(chain, anchor=GENESIS)
    assert broken is not None
    assert broken.seq == 3


def test_naive_and_aware_utc_times_hash_alike() -> None:
    chain = build_chain(2)
    naive = [replace(r, created_at=r.created_at.replace(tzinfo=None)) for r in chain]
    assert verify_chain(naive, anchor=GENESIS) == (2, None)


def test_canonical_json_is_order_independent() -> None:
    assert canonical_json({"b": 1, "a": "ٱ"}) == canonical_json({"a": "ٱ", "b": 1})
