"""Four-eyes disposition of an alert.

    open --propose(true_match | false_positive)--> proposed --approve--> closed (disposition set)
                                                            --reject---> open (proposal dropped)

A proposal needs a reason. The approver must be another person than the proposer (R20): a
reviewer cannot clear their own proposal, whatever their role. A rejected proposal sends the
alert back to the queue, so someone proposes again; every step is kept as a review record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.errors import Conflict, Forbidden, InvalidQuery

MAX_REASON = 2000


class AlertStatus(StrEnum):
    OPEN = "open"
    PROPOSED = "proposed"
    CLOSED = "closed"


class Disposition(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


class ReviewAction(StrEnum):
    PROPOSE = "propose"
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class AlertState:
    """The part of an alert the state machine needs."""

    status: AlertStatus
    proposed_disposition: Disposition | None = None
    proposed_by: str | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    action: ReviewAction
    actor: str
    reason: str
    before: AlertState
    after: AlertState
    disposition: Disposition | None  # proposed (propose) or final (approve)


def propose(state: AlertState, *, actor: str, disposition: Disposition, reason: str) -> Transition:
    reason = _checked_reason(reason)
    if state.status is not AlertStatus.OPEN:
        raise Conflict(f"the alert is {state.status.value}: only an open alert takes a proposal")
    after = AlertState(AlertStatus.PROPOSED, disposition, actor)
    return Transition(ReviewAction.PROPOSE, actor, reason, state, after, disposition)


def approve(state: AlertState, *, actor: str, reason: str = "") -> Transition:
    _check_second_reviewer(state, actor, "approve")
    assert state.proposed_disposition is not None
    after = AlertState(AlertStatus.CLOSED, state.proposed_disposition, state.proposed_by)
    return Transition(ReviewAction.APPROVE, actor, reason.strip(), state, after, state.proposed_disposition)


def reject(state: AlertState, *, actor: str, reason: str) -> Transition:
    reason = _checked_reason(reason)
    _check_second_reviewer(state, actor, "reject")
    return Transition(ReviewAction.REJECT, actor, reason, state, AlertState(AlertStatus.OPEN), None)


def _check_second_reviewer(state: AlertState, actor: str, verb: str) -> None:
    if state.status is not AlertStatus.PROPOSED:
        raise Conflict(f"the alert is {state.status.value}: there is no proposal to {verb}")
    if actor == state.proposed_by:
        raise Forbidden(
            f"four-eyes rule: {actor!r} proposed this disposition and cannot {verb} it; "
            "another reviewer must decide"
        )


def _checked_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidQuery("a reason is required: say why in a sentence the examiner can read")
    if len(text) > MAX_REASON:
        raise InvalidQuery(f"the reason is too long: at most {MAX_REASON} characters")
    return text
