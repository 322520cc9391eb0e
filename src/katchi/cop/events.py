"""Event kinds of the COP domain."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.cop.schemas import HumanImpact
from katchi.eventlog import LabelReleased, event_kind


class IncidentReported(HumanImpact):
    """With the human impact as reported (events logged before it existed lack it: None)."""

    kind: str
    title: str
    severity: str
    people_affected: int
    location: dict[str, Any]
    reported_by: str


class IncidentUpdated(HumanImpact):
    severity: str
    status: str
    people_affected: int


class FacilityAdded(BaseModel):
    """With its first status in full (events logged before they existed lack occupancy, beds,
    needs and the owning organisation: None)."""

    kind: str
    name: str
    capacity: int
    status: str
    location: dict[str, Any]
    occupancy: int | None = None
    beds_available: int | None = None
    needs: list[str] | None = None
    #: The owning organisation (whose contributors keep its status current).
    org: str | None = None
    #: The organisation whose user added it.
    by: str | None = None


class FacilityUpdated(BaseModel):
    """The facility's live status after the change, in full (a reader, a replay or the history
    needs no earlier event to know it), and which fields the change touched."""

    status: str
    capacity: int
    occupancy: int
    beds_available: int | None
    needs: list[str]
    changed: list[str]
    #: The organisation whose user made the change.
    by: str


INCIDENT_REPORTED = event_kind("cop.incident.reported", IncidentReported, "An incident was reported.")
INCIDENT_UPDATED = event_kind("cop.incident.updated", IncidentUpdated, "An incident's severity or status changed.")
INCIDENT_RELEASED = event_kind("cop.incident.released", LabelReleased, "An incident was released to a wider audience.")
FACILITY_ADDED = event_kind("cop.facility.added", FacilityAdded, "A facility was added to the picture.")
FACILITY_UPDATED = event_kind(
    "cop.facility.updated", FacilityUpdated, "A facility's status, capacity, occupancy, beds or needs changed."
)
