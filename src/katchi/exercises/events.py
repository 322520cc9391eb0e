"""Event kinds of the exercises domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from katchi.eventlog import event_kind


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
