"""A lesson's life cycle as data (like the RFA's): which action moves which state where, and who
may take it. ``assign`` may be taken again while actions are assigned (one remedial action each);
``implement`` completes one action, and the lesson is implemented once all of its are."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LessonState(StrEnum):
    observed = "observed"
    validated = "validated"
    action_assigned = "action_assigned"
    implemented = "implemented"
    verified = "verified"
    rejected = "rejected"


class LessonAction(StrEnum):
    validate = "validate"
    reject = "reject"
    assign = "assign"
    implement = "implement"
    verify = "verify"


class LessonActor(StrEnum):
    lessons_manager = "lessons_manager"
    #: A contributing user of the organisation that owns the remedial action (or a lessons manager).
    action_owner = "action_owner"


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[LessonState]
    target: LessonState
    actors: frozenset[LessonActor]


_MANAGER = frozenset({LessonActor.lessons_manager})
_OWNER_OR_MANAGER = frozenset({LessonActor.lessons_manager, LessonActor.action_owner})
S = LessonState
TRANSITIONS: dict[LessonAction, Transition] = {
    LessonAction.validate: Transition(frozenset({S.observed}), S.validated, _MANAGER),
    LessonAction.reject: Transition(frozenset({S.observed, S.validated}), S.rejected, _MANAGER),
    LessonAction.assign: Transition(frozenset({S.validated, S.action_assigned}), S.action_assigned, _MANAGER),
    LessonAction.implement: Transition(
        frozenset({S.action_assigned}),
        S.implemented,
        frozenset({LessonActor.lessons_manager, LessonActor.action_owner}),
    ),
    LessonAction.verify: Transition(frozenset({S.implemented}), S.verified, _MANAGER),
}


def allowed_actions(state: LessonState) -> list[LessonAction]:
    return [a for a, t in TRANSITIONS.items() if state in t.sources]
