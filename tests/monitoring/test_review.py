from __future__ import annotations

import pytest

from app.core.errors import Conflict, Forbidden, InvalidQuery
from app.monitoring.review import AlertState, AlertStatus, Disposition, approve, propose, reject

OPEN = AlertState(AlertStatus.OPEN)


def proposed(by: str = "alice") -> AlertState:
    return propose(OPEN, actor=by, disposition=Disposition.FALSE_POSITIVE, reason="other person").after


def test_a_proposal_waits_for_a_second_reviewer() -> None:
    state = proposed()
    assert (state.status, state.proposed_by, state.proposed_disposition) == (
        AlertStatus.PROPOSED, "alice", Disposition.FALSE_POSITIVE)


def test_the_proposer_cannot_approve_or_reject_their_own_proposal() -> None:
    with pytest.raises(Forbidden, match="four-eyes"):
        approve(proposed(), actor="alice")
    with pytest.raises(Forbidden, match="four-eyes"):
        reject(proposed(), actor="alice", reason="changed my mind")


def test_a_second_reviewer_closes_the_alert_with_the_proposed_disposition() -> None:
    step = approve(proposed(), actor="bob")
    assert step.after.status is AlertStatus.CLOSED
    assert step.disposition is Disposition.FALSE_POSITIVE
    assert step.before.proposed_by == "alice"


def test_a_rejection_reopens_the_alert() -> None:
    assert reject(proposed(), actor="bob", reason="check the passport").after == OPEN


@pytest.mark.parametrize("state", [OPEN, AlertState(AlertStatus.CLOSED, Disposition.TRUE_MATCH, "alice")])
def test_nothing_to_decide_without_a_proposal(state: AlertState) -> None:
    with pytest.raises(Conflict):
        approve(state, actor="bob")


def test_only_open_alerts_take_a_proposal_and_a_reason_is_required() -> None:
    with pytest.raises(Conflict):
        propose(proposed(), actor="bob", disposition=Disposition.TRUE_MATCH, reason="same person")
    with pytest.raises(InvalidQuery, match="reason"):
        propose(OPEN, actor="bob", disposition=Disposition.TRUE_MATCH, reason="   ")
    with pytest.raises(InvalidQuery, match="reason"):
        reject(proposed(), actor="bob", reason="")
