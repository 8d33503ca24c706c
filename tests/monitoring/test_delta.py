from __future__ import annotations

from app.lists.models import EntityKind, ListEntry
from app.matching.index import MatchIndex
from app.matching.types import MatchConfig, MatchQuery
from app.monitoring.delta import DeltaIndex, MonitoredParty, screen_delta, screen_naive

CONFIG = MatchConfig(limit=100)
PARTIES = [
    MonitoredParty("C1", MatchQuery(name="Boris Kaminsky Volodin")),
    MonitoredParty("C2", MatchQuery(name="Zagros Horizon Trading LLC", kind=EntityKind.ORGANIZATION)),
    MonitoredParty("C3", MatchQuery(name="Jane Quincy Example")),
    MonitoredParty("C4", MatchQuery(name="Aurelio Markez Fontana")),  # a typo still hits
    MonitoredParty("C5", MatchQuery(name="Aurelio Marquez Fontana", kind=EntityKind.VESSEL)),  # wrong kind
    MonitoredParty("C6", MatchQuery(name="Mohamed Ali Hasan")),
]


def pairs(hits: object) -> set[tuple[str, str]]:
    return {(h.party.external_id, h.match.entity_id) for h in hits}  # type: ignore[attr-defined]


def test_only_the_changed_entries_are_screened(listed: list[ListEntry], full_index: MatchIndex) -> None:
    changed = [listed[0], listed[3]]
    assert pairs(screen_delta(PARTIES, changed, full_index, CONFIG)) == {("C1", "watch:1"), ("C4", "watch:4")}


def test_delta_finds_what_the_full_index_finds_on_the_changed_entries(listed: list[ListEntry], full_index: MatchIndex) -> None:
    for changed in ([listed[1]], listed[2:5], listed):
        ids = frozenset(e.id for e in changed)
        assert pairs(screen_delta(PARTIES, changed, full_index, CONFIG)) == pairs(screen_naive(PARTIES, ids, full_index, CONFIG))


def test_delta_scores_equal_full_screening_scores(listed: list[ListEntry], full_index: MatchIndex) -> None:
    [hit] = screen_delta(PARTIES[5:], [listed[4]], full_index, CONFIG)
    [full] = [m for m in full_index.search(PARTIES[5].query, CONFIG) if m.entity_id == "watch:5"]
    assert hit.match.score == full.score
    assert hit.match.explanation == full.explanation


def test_no_change_no_work(full_index: MatchIndex) -> None:
    assert list(screen_delta(PARTIES, [], full_index, CONFIG)) == []


def test_the_delta_index_holds_only_the_changed_entries(listed: list[ListEntry], full_index: MatchIndex) -> None:
    delta = DeltaIndex.over(listed[:2], full_index)
    assert delta.entity_count == 2
    assert delta.get("watch:3") is None


HARD_PARTIES = [
    MonitoredParty("glued", MatchQuery(name="BorisKaminsky Volodin")),
    MonitoredParty("split", MatchQuery(name="Zag Ros Horizon Trading")),
    MonitoredParty("article", MatchQuery(name="Al Helios Maritime Carriers")),
    MonitoredParty("vowels", MatchQuery(name="Mhmd Ali Hsn")),
    MonitoredParty("cyrillic", MatchQuery(name="Борис Каминский Володин")),
    MonitoredParty("arabic", MatchQuery(name="محمد علي حسن")),
    MonitoredParty("reordered", MatchQuery(name="Volodin, Boris")),
    MonitoredParty("initial", MatchQuery(name="B. Volodin")),
    MonitoredParty("unrelated", MatchQuery(name="Quentin Arbuthnot")),
]


def test_hard_spellings_agree_with_the_full_index_too(listed: list[ListEntry], full_index: MatchIndex) -> None:
    low = MatchConfig(threshold=0.5, limit=100)  # a low threshold keeps the borderline look-alikes
    ids = frozenset(e.id for e in listed[:3])
    delta = pairs(screen_delta(HARD_PARTIES, listed[:3], full_index, low))
    assert delta == pairs(screen_naive(HARD_PARTIES, ids, full_index, low))
    assert {"glued", "cyrillic", "reordered"} <= {party for party, _ in delta}
