"""Input and output shapes of incidents and facilities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Severity = Literal["minor", "moderate", "severe", "extreme"]
FacilityKind = Literal["shelter", "hospital", "airport", "port", "staging_area", "warehouse", "cmoc"]
FacilityStatus = Literal["open", "full", "closed", "damaged"]
#: People or beds at a facility.
FacilityCount = Annotated[int, Field(ge=0, le=10_000_000)]


def _distinct(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


#: What a facility is short of: up to 20 short items, each said once ("water", "insulin").
Needs = Annotated[
    list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]],
    Field(max_length=20),
    AfterValidator(_distinct),
]


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
    capacity: FacilityCount = 0
    occupancy: FacilityCount = 0
    status: FacilityStatus = "open"
    beds_available: FacilityCount | None = None
    needs: Needs = []
    location: dict[str, Any]
    label: str = Field(default="alliance", max_length=80)


#: The fields of a facility's live status, as ``PATCH /facilities/{id}`` changes them.
FACILITY_STATUS_FIELDS = ("status", "capacity", "occupancy", "beds_available", "needs")


class FacilityUpdate(_In):
    """A facility's live status: only the fields sent change. ``beds_available: null`` says the
    number is no longer known; the other fields may not be null. Occupancy may exceed capacity (an
    overcrowded shelter is what the watch officer must see)."""

    status: FacilityStatus | None = None
    capacity: FacilityCount | None = None
    occupancy: FacilityCount | None = None
    beds_available: FacilityCount | None = None
    needs: Needs | None = None

    @model_validator(mode="after")
    def _something_known(self) -> FacilityUpdate:
        if not self.model_fields_set:
            raise ValueError(f"send at least one of {', '.join(FACILITY_STATUS_FIELDS)}")
        nulls = [f for f in self.model_fields_set if f != "beds_available" and getattr(self, f) is None]
        if nulls:
            raise ValueError(f"{', '.join(sorted(nulls))} may not be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields sent, with their new values."""
        return {f: getattr(self, f) for f in FACILITY_STATUS_FIELDS if f in self.model_fields_set}


class FacilityRead(BaseModel):
    id: str
    operation_id: str
    kind: str
    name: str
    capacity: int
    occupancy: int
    status: str
    beds_available: int | None
    needs: list[str]
    location: dict[str, Any]
    org: str
    label: str
    #: When its status last changed (the operation's time: an exercise's simulated time).
    updated_at: datetime


class FacilityChange(BaseModel):
    """One entry of a facility's history: who changed it when, and its status after the change."""

    seq: int
    #: ``added`` (its first status) or ``updated``.
    change: Literal["added", "updated"]
    at: datetime
    #: The organisation whose user made the change.
    by: str | None
    status: str
    capacity: int
    occupancy: int | None
    beds_available: int | None
    needs: list[str]
