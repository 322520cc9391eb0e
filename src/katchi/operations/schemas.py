"""Input and output shapes of operations, ops log, decisions and messages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Label = Field(default="alliance", max_length=80, description="Releasability: public, alliance, nation:ISO3, org:slug")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OperationCreate(_In):
    name: str = Field(min_length=1, max_length=200)
    mode: Literal["real", "exercise"] = "real"
    hazard: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    participants: list[str] = Field(default_factory=list, max_length=200)
    lead: str | None = None
    #: Co-coordinating organisations (participants); default: the creator's. The lead always coordinates.
    coordinators: list[str] | None = Field(default=None, max_length=200)
    description: str = Field(default="", max_length=10_000)
    label: str = Label


class CoordinatorsSet(_In):
    """The co-coordinators the lead names (participants; the lead itself always coordinates)."""

    coordinators: list[str] = Field(max_length=200)


class OperationRead(BaseModel):
    id: str
    name: str
    mode: str
    hazard: str
    status: str
    description: str
    lead: str
    participants: list[str]
    #: Organisations whose coordinators validate, reject and task here: the lead and its co-coordinators.
    coordinators: list[str]
    label: str
    created_at: datetime


class LogCreate(_In):
    text: str = Field(min_length=1, max_length=10_000)
    label: str = Label


class LogRead(BaseModel):
    id: str
    operation_id: str
    text: str
    author: str
    label: str
    created_at: datetime


class Link(_In):
    type: str = Field(pattern=r"^[a-z_]{1,32}$")
    id: str = Field(min_length=1, max_length=64)


class DecisionCreate(_In):
    title: str = Field(min_length=1, max_length=300)
    rationale: str = Field(default="", max_length=10_000)
    links: list[Link] = Field(default_factory=list, max_length=50)
    label: str = Label


class DecisionRead(BaseModel):
    id: str
    operation_id: str
    title: str
    rationale: str
    links: list[Link]
    decided_by: str
    label: str
    created_at: datetime


class MessageCreate(_In):
    text: str = Field(min_length=1, max_length=10_000)
    parent_id: str | None = None
    label: str = Label
    #: Organisations (slugs) the message is addressed to; each must take part in the operation.
    to_orgs: list[str] = Field(default_factory=list, max_length=50)


class MessageRead(BaseModel):
    id: str
    operation_id: str
    parent_id: str | None
    text: str
    author: str
    label: str
    created_at: datetime
    #: Organisations (slugs) it is addressed to (empty: the whole operation).
    to_orgs: list[str] = []
