"""Input and output shapes of incidents and facilities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["minor", "moderate", "severe", "extreme"]
FacilityKind = Literal["shelter", "hospital", "airport", "port", "staging_area", "warehouse", "cmoc"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


#: A human-impact figure as reported: people, or None when not known.
Count = Annotated[int | None, Field(default=None, ge=0, le=100_000_000)]


class HumanImpact(BaseModel):
    """An incident's human impact as reported (each None when not known), summed by district on
    the situation board."""

    dead: Count = None
    injured: Count = None
    missing: Count = None
    trapped: Count = None
    displaced: Count = None
    in_need: Count = None


#: The human-impact figures, by name.
IMPACT = tuple(HumanImpact.model_fields)


class IncidentCreate(_In, HumanImpact):
    kind: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    title: str = Field(min_length=1, max_length=300)
    severity: Severity
    location: dict[str, Any]
    description: str = Field(default="", max_length=10_000)
    people_affected: int = Field(default=0, ge=0, le=100_000_000)
    label: str = Field(default="alliance", max_length=80)


class IncidentUpdate(_In, HumanImpact):
    severity: Severity | None = None
    status: Literal["open", "closed"] | None = None
    people_affected: int | None = Field(default=None, ge=0, le=100_000_000)
    description: str | None = Field(default=None, max_length=10_000)


class IncidentRead(HumanImpact):
    id: str
    operation_id: str
    kind: str
    title: str
    description: str
    severity: str
    status: str
    people_affected: int
    #: The municipality's KOSTAT code (``GET /operations/{id}/situation``); None outside Korea.
    district_code: str | None
    location: dict[str, Any]
    reported_by: str
    label: str
    created_at: datetime
    updated_at: datetime


class FacilityCreate(_In):
    kind: FacilityKind
    name: str = Field(min_length=1, max_length=300)
    capacity: int = Field(default=0, ge=0, le=10_000_000)
    occupancy: int = Field(default=0, ge=0, le=10_000_000)
    status: Literal["open", "full", "closed", "damaged"] = "open"
    location: dict[str, Any]
    label: str = Field(default="alliance", max_length=80)


class FacilityRead(BaseModel):
    id: str
    operation_id: str
    kind: str
    name: str
    capacity: int
    occupancy: int
    status: str
    location: dict[str, Any]
    org: str
    label: str
    updated_at: datetime
