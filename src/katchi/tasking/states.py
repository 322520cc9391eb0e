"""The RFA life cycle as data (pure): actions, the states they leave from, the state they reach."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RfaState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    validated = "validated"
    rejected = "rejected"
    tasked = "tasked"
    accepted = "accepted"
    declined = "declined"
    underway = "underway"
    completed = "completed"
    cancelled = "cancelled"


class RfaAction(StrEnum):
    submit = "submit"
    validate = "validate"
    reject = "reject"
    task = "task"
    accept = "accept"
    decline = "decline"
    start = "start"
    complete = "complete"
    cancel = "cancel"


class Actor(StrEnum):
    """Whose action it is: the requesting organisation, a coordinator, or the tasked asset's owner."""

    requester = "requester"
    coordinator = "coordinator"
    asset_owner = "asset_owner"


S, A = RfaState, RfaAction
CLOSED = frozenset({S.rejected, S.completed, S.cancelled})
OPEN = frozenset(RfaState) - CLOSED


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[RfaState]
    target: RfaState
    actors: frozenset[Actor]


TRANSITIONS: dict[RfaAction, Transition] = {
    A.submit: Transition(frozenset({S.draft}), S.submitted, frozenset({Actor.requester})),
    A.validate: Transition(frozenset({S.submitted}), S.validated, frozenset({Actor.coordinator})),
    A.reject: Transition(frozenset({S.submitted, S.validated}), S.rejected, frozenset({Actor.coordinator})),
    A.task: Transition(frozenset({S.validated, S.declined}), S.tasked, frozenset({Actor.coordinator})),
    A.accept: Transition(frozenset({S.tasked}), S.accepted, frozenset({Actor.asset_owner})),
    A.decline: Transition(frozenset({S.tasked}), S.declined, frozenset({Actor.asset_owner})),
    A.start: Transition(frozenset({S.accepted}), S.underway, frozenset({Actor.asset_owner})),
    A.complete: Transition(frozenset({S.underway}), S.completed, frozenset({Actor.asset_owner})),
    A.cancel: Transition(OPEN, S.cancelled, frozenset({Actor.requester, Actor.coordinator})),
}


class IllegalTransition(Exception):
    def __init__(self, state: RfaState, action: RfaAction) -> None:
        super().__init__(f"cannot {action} an RFA that is {state}")
        self.state = state
        self.action = action


def allowed_actions(state: RfaState) -> list[RfaAction]:
    """Actions the life cycle allows from ``state`` (whoever may take them)."""
    return [a for a, t in TRANSITIONS.items() if state in t.sources]


def next_state(state: RfaState, action: RfaAction) -> RfaState:
    t = TRANSITIONS[action]
    if state not in t.sources:
        raise IllegalTransition(state, action)
    return t.target
