"""Schemas of the exercises domain read over the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ExerciseClockRead(BaseModel):
    """The exercise clock as of ``wall_time``: ``sim_time`` is the simulated time then."""

    state: str
    sim_time: datetime
    wall_time: datetime
    speed: float
    scenario: str
