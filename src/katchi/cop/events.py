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
    kind: str
    name: str
    capacity: int
    status: str
    location: dict[str, Any]


INCIDENT_REPORTED = event_kind("cop.incident.reported", IncidentReported, "An incident was reported.")
INCIDENT_UPDATED = event_kind("cop.incident.updated", IncidentUpdated, "An incident's severity or status changed.")
INCIDENT_RELEASED = event_kind("cop.incident.released", LabelReleased, "An incident was released to a wider audience.")
FACILITY_ADDED = event_kind("cop.facility.added", FacilityAdded, "A facility was added to the picture.")
