from __future__ import annotations

from datetime import UTC, datetime

from app.lists.models import ListEntry, ListInfo
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig, MatchQuery
from app.monitoring.alerts import ListChange, RunPlan, plan_alerts
from app.monitoring.delta import MonitoredParty, screen_delta
from app.monitoring.suppression import Suppression
from app.screening.party import ScreeningPolicy

NOW = datetime(2026, 11, 23, tzinfo=UTC)
POLICY = ScreeningPolicy(lists={"watch": ListInfo(id="watch", name="Watch", authority="bank", default_action="block")})
PARTIES = [MonitoredParty("C1", MatchQuery(name="Boris Kaminsky Volodin")),
           MonitoredParty("C2", MatchQuery(name="Boris K. Volodin")),
           MonitoredParty("C3", MatchQuery(name="Zagros Horizon Trading"))]


def plan(listed: list[ListEntry], index: MatchIndex, *, open_pairs: set[tuple[str, str]] = set(),  # noqa: B006
         suppressions: dict[tuple[str, str], Suppression] | None = None) -> RunPlan:
    changed = listed[:2]
    change = ListChange("watch", 9, 3, {"watch:1": "changed", "watch:2": "added"})
    hits = list(screen_delta(PARTIES, changed, index, MatchConfig(limit=100)))
    return plan_alerts(hits, change, {e.id: e.content_hash() for e in changed}, open_pairs=open_pairs,
                       suppressions=suppressions or {}, now=NOW, policy=POLICY, ruleset=None)


def test_one_alert_per_hit_with_match_rules_and_cause(listed: list[ListEntry], full_index: MatchIndex) -> None:
    result = plan(listed, full_index)
    drafts = {(a.external_id, a.entity_id): a for a in result.alerts}
    assert set(drafts) == {("C1", "watch:1"), ("C2", "watch:1"), ("C3", "watch:2")}
    c1 = drafts[("C1", "watch:1")]
    assert c1.change == {"list_id": "watch", "snapshot_id": 9, "version": 3, "change": "changed"}
    assert c1.match["explanation"]
    assert c1.match["features"]
    assert [r["rule_id"] for r in c1.triggered_rules] == ["list-match.watch"]
    assert c1.entry_hash == listed[0].content_hash()


def test_no_duplicate_while_an_alert_is_open_and_none_for_a_valid_suppression(listed: list[ListEntry], full_index: MatchIndex) -> None:
    good_guy = Suppression("C3", "watch:2", listed[1].content_hash(), 1, 2, "alice", "bob", "other firm", NOW, None)
    result = plan(listed, full_index, open_pairs={("C1", "watch:1")}, suppressions={("C3", "watch:2"): good_guy})
    assert [(a.external_id, a.entity_id) for a in result.alerts] == [("C2", "watch:1")]
    assert (result.already_open, result.suppressed) == (1, 1)
