"""Event kinds of the operations domain."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.eventlog import Readable, event_kind, payload_shape


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
    #: The parent's label: the parent is named only to readers of it.
    parent_label: str | None = None
    #: Organisations (slugs) it is addressed to.
    to_orgs: list[str] = []


def shape_message(payload: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """A reply names its parent only to readers of the parent."""
    if payload.get("parent_id") is None or readable(str(payload.get("parent_label", ""))):
        return payload
    return {**payload, "parent_id": None, "parent_label": None}


def visible_links(links: list[dict[str, Any]], readable: Readable) -> list[dict[str, Any]]:
    """The links this reader may read (a link kept without a label is shown to nobody)."""
    return [link for link in links if readable(str(link.get("label", "")))]


def shape_decision(payload: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """A decision names only the linked records the reader may read (links keep their label)."""
    links = payload.get("links") or []
    kept = visible_links(links, readable)
    return payload if len(kept) == len(links) else {**payload, "links": kept}


OPERATION_CREATED = event_kind("operations.operation.created", OperationCreated, "An operation was opened.")
OPERATION_COORDINATORS_SET = event_kind(
    "operations.operation.coordinators_set",
    CoordinatorsChanged,
    "The lead named the organisations that coordinate the operation with it.",
)
LOG_POSTED = event_kind("operations.log.posted", LogPosted, "A line was added to the ops log.")
DECISION_RECORDED = event_kind(
    "operations.decision.recorded", DecisionRecorded, "A decision was logged.", shape=payload_shape(shape_decision)
)
MESSAGE_POSTED = event_kind(
    "operations.message.posted", MessagePosted, "A message was posted.", shape=payload_shape(shape_message)
)
