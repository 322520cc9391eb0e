"""Schemas of the exercises domain read over the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InjectCreate(_In):
    """An ad-hoc inject: ``at`` is an ISO time or T+duration from the exercise's start (``"6h"``,
    ``"T+6h"``); it defaults to now on the exercise clock."""

    at: str | None = Field(default=None, max_length=64)
    kind: str = Field(default="adhoc", min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    title: str = Field(min_length=1, max_length=300)
    location: dict[str, Any] | None = None
    #: The slug of the participant organisation it is addressed to (none: everyone under its label).
    to: str | None = Field(default=None, max_length=63)
    expected_action: str = Field(default="", max_length=10_000)
    objective: str | None = Field(default=None, max_length=64)
    label: str = Field(default="alliance", max_length=80)


class InjectUpdate(_In):
    """Changes to a pending or held inject; fields left out stay as they are."""

    at: str | None = Field(default=None, max_length=64)
    kind: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    title: str | None = Field(default=None, min_length=1, max_length=300)
    location: dict[str, Any] | None = None
    to: str | None = Field(default=None, max_length=63)
    expected_action: str | None = Field(default=None, max_length=10_000)
    objective: str | None = Field(default=None, max_length=64)
    label: str | None = Field(default=None, max_length=80)


class InjectRead(BaseModel):
    id: str
    operation_id: str
    number: int
    at: datetime
    kind: str
    title: str
    location: dict[str, Any] | None
    to: str | None
    expected_action: str
    objective: str | None
    label: str
    #: pending | held | delivered
    status: str
    #: scenario | adhoc
    source: str
    delivered_at: datetime | None
    created_at: datetime


class InjectList(BaseModel):
    items: list[InjectRead]


class ObservationCreate(_In):
    """What an evaluator saw: against one of the exercise's objectives (its id), with the log
    entries that show it; ``at`` (ISO time or T+duration) defaults to now on the exercise clock."""

    kind: Literal["strength", "area_for_improvement"]
    text: str = Field(min_length=1, max_length=10_000)
    objective: str = Field(min_length=1, max_length=64)
    log_entry_ids: list[str] = Field(default_factory=list, max_length=100)
    at: str | None = Field(default=None, max_length=64)
    label: str = Field(default="alliance", max_length=80)


class ObservationRead(BaseModel):
    id: str
    operation_id: str
    kind: str
    text: str
    objective: str
    log_entry_ids: list[str]
    at: datetime
    label: str
    author: str
    org: str
    created_at: datetime


class ImprovementCreate(_In):
    """A row of the improvement plan: the issue, its corrective action, the organisation that owns
    it (a participant's slug) and the date it is due."""

    issue: str = Field(min_length=1, max_length=10_000)
    corrective_action: str = Field(min_length=1, max_length=10_000)
    responsible_org: str = Field(min_length=1, max_length=63)
    due: date
    objective: str | None = Field(default=None, max_length=64)
    label: str = Field(default="alliance", max_length=80)


class ImprovementRead(BaseModel):
    id: str
    operation_id: str
    issue: str
    corrective_action: str
    responsible_org: str
    due: date
    objective: str | None
    label: str
    author: str
    created_at: datetime
