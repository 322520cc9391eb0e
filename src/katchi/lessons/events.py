"""Event kinds of the lessons domain (platform records: outside every operation's timeline)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.eventlog import event_kind


class LessonObserved(BaseModel):
    title: dict[str, str]
    hazard: str | None = None
    capability_area: str | None = None
    #: ``{type, id, label}`` of each source.
    sources: list[dict[str, str]] = []


class LessonStep(BaseModel):
    action: str
    from_state: str
    to_state: str
    reason: str = ""
    #: ``assign``: the remedial action; ``implement``: the one implemented.
    remedial_action: dict[str, Any] | None = None
    evidence: dict[str, Any] | None = None


class LessonEdited(BaseModel):
    """Texts of a lesson changed (``fields``: which, e.g. ``title`` when its Korean was added)."""

    fields: list[str]


LESSON_EDITED = event_kind("lessons.lesson.edited", LessonEdited, "A lesson's texts were edited or translated.")
LESSON_OBSERVED = event_kind(
    "lessons.lesson.observed", LessonObserved, "An observation was recorded (a lesson in state observed)."
)
_STEPS = {
    "validate": ("validated", "A lessons manager validated an observation into a lesson."),
    "reject": ("rejected", "A lessons manager rejected an observation or lesson."),
    "assign": ("action_assigned", "A lessons manager assigned a remedial action to an organisation."),
    "implement": ("implemented", "A remedial action of a lesson was implemented."),
    "verify": ("verified", "A lessons manager verified a lesson's remedial actions against evidence."),
}
STEP_KIND = {a: event_kind(f"lessons.lesson.{past}", LessonStep, doc).name for a, (past, doc) in _STEPS.items()}
