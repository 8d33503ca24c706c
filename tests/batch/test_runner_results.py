"""Screening chunks with the real engine and decision code, and the two result formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.batch.reader import inspect_file
from app.batch.results import COLUMNS, ResultFormat, RowResult, render
from app.batch.runner import ScreeningContext, screen_chunk
from app.lists.models import EntityKind, ListAction, ListEntry, ListInfo
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig
from app.screening.outcome import ListVersion
from app.screening.party import ScreeningPolicy
from tests.batch.conftest import read_rows

ENTRY = ListEntry(id="t311:1", list_id="t311", source_id="1", kind=EntityKind.ORGANIZATION, name="Al-Huda Bank")
INFO = ListInfo(id="t311", name="Test 311", authority="test", default_action=ListAction.BLOCK)
VERSION = ListVersion("t311", 3, "abcdef0123456789", datetime(2026, 1, 1, tzinfo=UTC), 1)


def context() -> ScreeningContext:
    return ScreeningContext(index=MatchIndex.build({"t311": [ENTRY]}), config=MatchConfig(threshold=0.8),
                            policy=ScreeningPolicy(lists={"t311": INFO}), ruleset=None, list_versions=(VERSION,))


def test_chunk_gives_one_result_per_row_in_order(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b"record_id,name,dob\nx1,Al Huda Bank,\nx2,,\nx3,Northwind Dairy,\n")
    results = screen_chunk(read_rows(path, inspect_file(path)), context())
    assert [(r.record_id, r.status) for r in results] == [("x1", "screened"), ("x2", "rejected"), ("x3", "screened")]
    hit, bad, clear = results
    assert hit.matched
    assert hit.entity_id == "t311:1"
    assert hit.decision in ("review", "block")
    assert hit.best_score is not None
    assert hit.best_score >= 0.8
    assert "list-match.t311" in hit.triggered_rules
    assert hit.list_versions == "t311@3:abcdef012345"
    assert bad.reason == "missing_name"
    assert bad.decision is None
    assert bad.list_versions == ""
    assert clear.decision == "clear"
    assert not clear.matched
    assert clear.best_score is None


def test_csv_and_jsonl_render_the_same_rows() -> None:
    rows = [RowResult(row_number=i, line_number=i + 1, record_id=f"r{i}", name="علي, \"Ali\"", status="screened",
                      decision="clear", triggered_rules=("a", "b")) for i in range(1, 1203)]
    text = "".join(render(rows, ResultFormat.CSV))
    assert text.startswith("\ufeff")
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(parsed[0]) == COLUMNS
    assert len(parsed) == 1202
    assert parsed[0]["name"] == "علي, \"Ali\""
    assert parsed[0]["triggered_rules"] == "a b"
    lines = "".join(render(rows, ResultFormat.JSONL)).splitlines()
    assert len(lines) == 1202
    first = json.loads(lines[0])
    assert first["triggered_rules"] == ["a", "b"]
    assert first["name"] == "علي, \"Ali\""


def test_a_tie_shows_the_list_that_drives_the_decision(write_file: Callable[[bytes], Path]) -> None:
    """Al Huda Bank scores the same on a review list and a block list: the row names the block one,
    whichever list id sorts first."""
    review = ListEntry(id="a-ban:1", list_id="a-ban", source_id="1", kind=EntityKind.ORGANIZATION, name="Al-Huda Bank")
    infos = {"a-ban": ListInfo(id="a-ban", name="A ban", authority="test", default_action=ListAction.REVIEW),
             "t311": INFO}
    tied = ScreeningContext(index=MatchIndex.build({"a-ban": [review], "t311": [ENTRY]}),
                            config=MatchConfig(threshold=0.8), policy=ScreeningPolicy(lists=infos, block_threshold=0.8),
                            ruleset=None, list_versions=(VERSION,))
    path = write_file(b"record_id,name\nx1,Al Huda Bank\n")
    [row] = screen_chunk(read_rows(path, inspect_file(path)), tied)
    assert row.decision == "block"
    assert (row.list_id, row.entity_id) == ("t311", "t311:1")
    assert set(row.triggered_rules) == {"list-match.a-ban", "list-match.t311"}
