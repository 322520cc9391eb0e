"""Event kinds of the operations domain."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.eventlog import Readable, event_kind, payload_shape


class OperationCreated(BaseModel):
    name: str
    name_ko: str | None = None
    mode: str
    hazard: str
    lead: str
    participants: list[str]
    coordinators: list[str] = []
    area: dict[str, Any] | None = None


class CoordinatorsChanged(BaseModel):
    coordinators: list[str]


class StatusChanged(BaseModel):
    status: str
    reason: str = ""


class ParticipantsAdded(BaseModel):
    #: The organisations invited by this change.
    added: list[str]
    #: Every participant after it.
    participants: list[str]


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


class ContactListed(BaseModel):
    """A contact as the log keeps it: who, for which organisation, how to call on the radio. The
    personal details (phone, email, notes) stay in the directory alone, so that removing a contact
    removes them; the append-only log keeps only that the officer was listed."""

    name: str
    role: str
    organisation: str
    radio_call_sign: str
    languages: list[str]
    #: The fields the change touched (an update), empty when added.
    changed: list[str] = []


class ContactRemoved(BaseModel):
    name: str
    organisation: str


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
OPERATION_CLOSED = event_kind(
    "operations.operation.closed", StatusChanged, "The lead closed the operation: no new records are added to it."
)
OPERATION_REOPENED = event_kind("operations.operation.reopened", StatusChanged, "The lead reopened a closed operation.")
OPERATION_PARTICIPANTS_ADDED = event_kind(
    "operations.operation.participants_added",
    ParticipantsAdded,
    "A coordinator invited organisations to take part: their users now read its alliance and nation records.",
)
LOG_POSTED = event_kind("operations.log.posted", LogPosted, "A line was added to the ops log.")
DECISION_RECORDED = event_kind(
    "operations.decision.recorded", DecisionRecorded, "A decision was logged.", shape=payload_shape(shape_decision)
)
MESSAGE_POSTED = event_kind(
    "operations.message.posted", MessagePosted, "A message was posted.", shape=payload_shape(shape_message)
)
CONTACT_ADDED = event_kind("operations.contact.added", ContactListed, "A liaison officer joined the directory.")
CONTACT_UPDATED = event_kind("operations.contact.updated", ContactListed, "A liaison officer's details changed.")
CONTACT_REMOVED = event_kind("operations.contact.removed", ContactRemoved, "A liaison officer left the directory.")
