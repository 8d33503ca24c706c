"""ListCatalog on a real database: versions, diffs, integrity checks, atomic swap."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from sqlmodel import Session

from app.catalog.service import ListCatalog, LoadRequest
from app.db import repository
from app.db.engine import create_db_engine, migrate
from app.lists.models import ListAction, ListInfo
from app.matching.types import MatchConfig, MatchQuery

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalog"
INFO = ListInfo(id="bank-internal", name="Internal watch list", authority="internal",
                category="internal", default_action=ListAction.REVIEW)


@pytest.fixture
def catalog(database_url: str) -> ListCatalog:
    engine = create_db_engine(database_url)
    migrate(engine)
    return ListCatalog(engine)


def load(catalog: ListCatalog, name: str, **kwargs: object) -> object:
    request = LoadRequest(info=INFO, fmt="csv", path=FIXTURES / name, origin="upload", source=name, **kwargs)  # type: ignore[arg-type]
    return catalog.load(request)


def test_first_load_stores_a_version_and_serves_it(catalog: ListCatalog) -> None:
    report = load(catalog, "internal_v1.csv")
    assert (report.status, report.version, report.entry_count, report.added) == ("loaded", 1, 3, 3)
    state = catalog.state
    assert state.lists["bank-internal"].version == 1
    assert state.index.get("bank-internal:c-002") is not None
    matches = state.index.search(MatchQuery(name="Zagros Horizon Trading LLC"), MatchConfig(threshold=0.8))
    assert matches[0].entity_id == "bank-internal:c-001"


def test_same_content_is_not_a_new_version(catalog: ListCatalog) -> None:
    load(catalog, "internal_v1.csv")
    report = load(catalog, "internal_v1.csv")
    assert (report.status, report.version) == ("unchanged", 1)
    assert catalog.state.lists["bank-internal"].checked_at is not None


def test_new_version_records_added_removed_changed(catalog: ListCatalog) -> None:
    load(catalog, "internal_v1.csv")
    report = load(catalog, "internal_v2.csv", max_shrink=0.5)
    assert (report.status, report.version) == ("loaded", 2)
    assert (report.added, report.removed, report.changed) == (1, 1, 1)
    with Session(catalog._engine) as session:
        changes = dict(repository.snapshot_changes(session, report.snapshot_id))
    assert changes == {"bank-internal:c-004": "added", "bank-internal:c-003": "removed",
                       "bank-internal:c-001": "changed"}
    assert catalog.state.index.get("bank-internal:c-003") is None


def test_malformed_file_changes_nothing(catalog: ListCatalog) -> None:
    load(catalog, "internal_v1.csv")
    before = catalog.state
    report = load(catalog, "internal_broken.csv")
    assert report.status == "failed"
    assert "internal_broken.csv" in (report.error or "") or "line" in (report.error or "")
    assert catalog.state is before
    with Session(catalog._engine) as session:
        history = repository.snapshot_history(session, "bank-internal")
    assert [s.status for s in history] == ["rejected", "active"]


def test_shrinking_list_is_rejected_and_previous_version_keeps_serving(catalog: ListCatalog, tmp_path: Path) -> None:
    load(catalog, "internal_v1.csv")
    one_row = tmp_path / "one.csv"
    lines = (FIXTURES / "internal_v1.csv").read_text(encoding="utf-8").splitlines()
    one_row.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    report = catalog.load(LoadRequest(info=INFO, fmt="csv", path=one_row, origin="upload", max_shrink=0.2))
    assert report.status == "rejected"
    assert "fewer" in (report.error or "")
    assert catalog.state.lists["bank-internal"].entry_count == 3


def test_index_is_rebuilt_from_the_database_alone(catalog: ListCatalog, database_url: str) -> None:
    load(catalog, "internal_v1.csv")
    fresh = ListCatalog(create_db_engine(database_url))
    fresh.load_from_db()
    assert fresh.state.lists["bank-internal"].content_hash == catalog.state.lists["bank-internal"].content_hash
    entry = fresh.state.index.get("bank-internal:c-002")
    assert entry is not None
    assert entry.birth_dates == ("1971-03-04",)


def test_reload_changed_picks_up_another_process_version(catalog: ListCatalog, database_url: str) -> None:
    other = ListCatalog(create_db_engine(database_url))
    other.load_from_db()
    load(catalog, "internal_v1.csv")
    assert other.reload_changed() is True
    assert "bank-internal" in other.state.lists
    assert other.reload_changed() is False


def _collected_ids() -> set[int]:
    """Objects the cyclic collector still walks (every generation but the frozen one)."""
    return {id(obj) for generation in range(3) for obj in gc.get_objects(generation)}


def test_a_long_running_catalog_freezes_each_new_index_out_of_collection(catalog: ListCatalog) -> None:
    try:
        load(catalog, "internal_v1.csv")
        assert id(catalog.state.index) in _collected_ids()  # by default nothing is frozen
        catalog.keep_indexes_out_of_collection()
        assert id(catalog.state.index) not in _collected_ids()
        load(catalog, "internal_v2.csv", max_shrink=0.5)
        assert id(catalog.state.index) not in _collected_ids()  # the refreshed index too
    finally:
        catalog.return_indexes_to_collection()
    assert id(catalog.state.index) in _collected_ids()


class _Cycle:
    me: object


def test_garbage_frozen_with_an_index_is_reclaimed_at_the_next_swap(catalog: ListCatalog) -> None:
    """A freeze also catches what is alive beside the index (a request being served); once that
    is garbage, the next swap must let the collector free it."""
    try:
        catalog.keep_indexes_out_of_collection()
        cycle = _Cycle()
        cycle.me = cycle
        alive = weakref.ref(cycle)
        gc.freeze()  # frozen alongside the index, as a swap would do
        del cycle
        gc.collect()
        assert alive() is not None  # frozen garbage: out of the collector's reach
        load(catalog, "internal_v1.csv")
        assert alive() is None
    finally:
        catalog.return_indexes_to_collection()
