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


CLOCK_CHANGED = event_kind(
    "exercises.clock.changed", ClockChanged, "An exercise clock started, paused, resumed, jumped or ended."
)
