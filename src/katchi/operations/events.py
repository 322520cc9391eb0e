"""Event kinds of the operations domain."""

from __future__ import annotations

from pydantic import BaseModel

from katchi.eventlog import event_kind


class OperationCreated(BaseModel):
    name: str
    mode: str
    hazard: str
    lead: str
    participants: list[str]
    coordinators: list[str] = []


class CoordinatorsChanged(BaseModel):
    coordinators: list[str]


class LogPosted(BaseModel):
    text: str


class DecisionRecorded(BaseModel):
    title: str
    rationale: str
    links: list[dict[str, str]]


class MessagePosted(BaseModel):
    text: str
    parent_id: str | None


OPERATION_CREATED = event_kind("operations.operation.created", OperationCreated, "An operation was opened.")
OPERATION_COORDINATORS_SET = event_kind(
    "operations.operation.coordinators_set",
    CoordinatorsChanged,
    "The lead named the organisations that coordinate the operation with it.",
)
LOG_POSTED = event_kind("operations.log.posted", LogPosted, "A line was added to the ops log.")
DECISION_RECORDED = event_kind("operations.decision.recorded", DecisionRecorded, "A decision was logged.")
MESSAGE_POSTED = event_kind("operations.message.posted", MessagePosted, "A message was posted.")
