"""Schemas of the exercises domain read over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class ExerciseClockRead(BaseModel):
    """The exercise clock as of ``wall_time``: ``sim_time`` is the simulated time then."""

    state: str
    sim_time: datetime
    wall_time: datetime
    speed: float
    scenario: str


class ClockRequest(BaseModel):
    """``POST /operations/{id}/exercise/clock``: ``speed`` takes the multiplier, ``jump`` the
    simulated time to go to as T+duration (``"6h"``), never backwards."""

    action: Literal["pause", "resume", "speed", "jump"]
    value: float | str | None = None
