from __future__ import annotations

import pytest

from katchi.tasking.states import (
    CLOSED,
    OPEN,
    TRANSITIONS,
    IllegalTransition,
    RfaAction,
    RfaState,
    allowed_actions,
    next_state,
)


def test_happy_path() -> None:
    state = RfaState.draft
    for action in ["submit", "validate", "task", "accept", "start", "complete"]:
        state = next_state(state, RfaAction(action))
    assert state is RfaState.completed


def test_decline_then_retask() -> None:
    assert next_state(RfaState.tasked, RfaAction.decline) is RfaState.declined
    assert next_state(RfaState.declined, RfaAction.task) is RfaState.tasked


@pytest.mark.parametrize("state", sorted(OPEN))
def test_cancel_from_every_open_state(state: RfaState) -> None:
    assert next_state(state, RfaAction.cancel) is RfaState.cancelled


@pytest.mark.parametrize("state", sorted(CLOSED))
def test_closed_states_allow_nothing(state: RfaState) -> None:
    assert allowed_actions(state) == []
    for action in RfaAction:
        with pytest.raises(IllegalTransition):
            next_state(state, action)


def test_every_state_is_reachable_and_every_action_used() -> None:
    targets = {t.target for t in TRANSITIONS.values()} | {RfaState.draft}
    assert targets == set(RfaState)
    assert set(TRANSITIONS) == set(RfaAction)
