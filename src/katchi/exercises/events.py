"""Event kinds of the exercises domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from katchi.eventlog import Readable, event_kind, payload_shape


class ClockChanged(BaseModel):
    """The exercise clock at a wall-clock instant: a reader computes the simulated time now as
    ``sim_time + (now − wall_time) × speed`` while ``state`` is ``running``."""

    state: str  # running | paused | ended
    sim_time: datetime
    wall_time: datetime
    speed: float
    scenario: str


class ClockRequested(BaseModel):
    """A controller asked the running exercise to pause, resume, change speed or jump ahead; the
    live run obeys and records the resulting clock (``exercises.clock.changed``)."""

    action: str  # pause | resume | speed | jump
    #: ``speed``: the multiplier; ``jump``: how far from the scenario's start (e.g. "6h").
    value: str | None = None


CLOCK_REQUESTED = event_kind(
    "exercises.clock.requested", ClockRequested, "An exercise controller asked the running exercise clock to change."
)
CLOCK_CHANGED = event_kind(
    "exercises.clock.changed", ClockChanged, "An exercise clock started, paused, resumed, jumped or ended."
)


class MselLoaded(BaseModel):
    """The scenario's injects became the exercise's MSEL (their content is read from the MSEL by
    controllers only: players learn of an inject when it is delivered), and its objectives the
    ones evaluators observe against (shared with every participant, as exercise objectives are)."""

    count: int
    #: ``{id, title, title_ko, criteria, metric, target, direction}`` of each objective.
    objectives: list[dict[str, Any]] = []


class InjectAdded(BaseModel):
    """A controller wrote an ad-hoc inject (logged under the controller's organisation's label)."""

    number: int
    at: datetime


class InjectChanged(BaseModel):
    """A controller held, released or edited a pending inject."""

    action: str  # hold | release | edit
    number: int
    status: str
    fields: list[str] = []


class InjectDelivered(BaseModel):
    """An inject reached the players: to its ``to`` organisation (or everyone) under its label."""

    number: int
    kind: str
    title: str
    #: The slug of the organisation it is addressed to (None: the whole exercise).
    to: str | None = None
    location: dict[str, Any] | None = None
    #: The simulated time it was scheduled for.
    due: datetime


MSEL_LOADED = event_kind("exercises.msel.loaded", MselLoaded, "An exercise's scenario injects became its MSEL.")
INJECT_ADDED = event_kind("exercises.inject.added", InjectAdded, "An exercise controller wrote an ad-hoc inject.")
INJECT_CHANGED = event_kind(
    "exercises.inject.changed", InjectChanged, "An exercise controller held, released or edited a pending inject."
)
INJECT_DELIVERED = event_kind("exercises.inject.delivered", InjectDelivered, "An exercise inject reached its players.")


class ObservationRecorded(BaseModel):
    """An evaluator recorded a strength or an area for improvement against an objective."""

    kind: str
    objective: str
    text: str
    #: The log entries it cites, ``{id, label}``: a reader is shown those of labels they may read.
    cited_entries: list[dict[str, str]] = []


def shape_observation(payload: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """An observation names only the log entries the reader may read."""
    cited = payload.get("cited_entries") or []
    kept = [e for e in cited if readable(str(e.get("label", "")))]
    return payload if len(kept) == len(cited) else {**payload, "cited_entries": kept}


class ImprovementAdded(BaseModel):
    """A row was added to the exercise's improvement plan."""

    issue: str
    corrective_action: str
    responsible_org: str
    due: str
    objective: str | None = None


OBSERVATION_RECORDED = event_kind(
    "exercises.observation.recorded",
    ObservationRecorded,
    "An evaluator recorded an observation against an objective.",
    shape=payload_shape(shape_observation),
)
IMPROVEMENT_ADDED = event_kind(
    "exercises.improvement.added", ImprovementAdded, "A row was added to an exercise's improvement plan."
)


class RunFinished(BaseModel):
    """What a played exercise measured, for its after-action report: the run's figures, and each
    objective's measured value against its target."""

    #: The simulated time the run reached.
    reached: datetime
    metrics: dict[str, Any]
    #: ``{id, metric, target, direction, value, met}`` of each objective.
    objectives: list[dict[str, Any]] = []


RUN_FINISHED = event_kind("exercises.run.finished", RunFinished, "A played exercise ended; its measured results.")
