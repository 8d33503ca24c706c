from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.decision import Decision
from app.lists.models import ListEntry, ListInfo
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig, MatchQuery
from app.monitoring.suppression import Suppression, apply_suppressions, expiry
from app.screening.outcome import ScreeningOutcome
from app.screening.party import ScreeningPolicy, screen_party

NOW = datetime(2026, 11, 23, tzinfo=UTC)
POLICY = ScreeningPolicy(lists={"watch": ListInfo(id="watch", name="Watch", authority="bank", default_action="block")})


def suppression(entry: ListEntry, *, expires_at: datetime | None = None, entry_hash: str | None = None) -> Suppression:
    return Suppression(external_id="C2", entity_id=entry.id, entry_hash=entry_hash or entry.content_hash(), alert_id=1,
                       review_id=7, proposed_by="alice", approved_by="bob", reason="other firm",
                       approved_at=NOW - timedelta(days=1), expires_at=expires_at)


def screen(index: MatchIndex) -> ScreeningOutcome:
    return screen_party(MatchQuery(name="Zagros Horizon Trading"), index, config=MatchConfig(), policy=POLICY)


def test_a_suppressed_match_stays_visible_but_no_longer_decides(listed: list[ListEntry], full_index: MatchIndex) -> None:
    outcome = screen(full_index)
    assert outcome.decision is Decision.BLOCK
    result = apply_suppressions(outcome, {"watch:2": [suppression(listed[1])]}, now=NOW, policy=POLICY, ruleset=None)
    assert result.outcome.decision is Decision.CLEAR
    assert [s.match.entity_id for s in result.suppressed] == ["watch:2"]
    assert result.suppression_for("watch:2").review_id == 7  # type: ignore[union-attr]


def test_a_changed_entry_or_an_expired_suppression_no_longer_suppresses(listed: list[ListEntry], full_index: MatchIndex) -> None:
    outcome = screen(full_index)
    for stale in (suppression(listed[1], entry_hash="0" * 64), suppression(listed[1], expires_at=NOW)):
        result = apply_suppressions(outcome, {"watch:2": [stale]}, now=NOW, policy=POLICY, ruleset=None)
        assert result.outcome.decision is Decision.BLOCK
        assert result.suppressed == ()


def test_a_suppression_is_scoped_to_its_entity(listed: list[ListEntry], full_index: MatchIndex) -> None:
    result = apply_suppressions(screen(full_index), {"watch:3": [suppression(listed[2])]}, now=NOW,
                                policy=POLICY, ruleset=None)
    assert result.outcome.decision is Decision.BLOCK


def test_expiry_is_configurable_and_zero_means_never() -> None:
    assert expiry(NOW, 365) == NOW + timedelta(days=365)
    assert expiry(NOW, 0) is None


def test_the_suppressing_decision_is_shown_with_the_match(listed: list[ListEntry]) -> None:
    from app.monitoring.suppression import suppression_document

    shown = suppression_document(suppression(listed[1], expires_at=NOW))
    assert (shown["review_id"], shown["approved_by"], shown["expires_at"]) == (7, "bob", NOW.isoformat())
