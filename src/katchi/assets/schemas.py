"""Input and output shapes of assets and capabilities."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

TASK_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")

#: ``requested``: tasked to one or more RFAs, awaiting its owner's answer (nothing is committed yet).
AssetStatus = Literal["available", "requested", "tasked", "underway", "unavailable"]


def task_codes(codes: list[str]) -> list[str]:
    """Task codes: lower-case words (``security``, ``law_enforcement``), each once."""
    for code in codes:
        if not TASK_CODE.match(code):
            raise ValueError(f"task code {code!r}: use lower-case letters, digits, _ or -")
    return list(dict.fromkeys(codes))


#: A list of task codes, checked and each kept once (an RFA's codes, a caveat's excluded ones).
TaskCodes = Annotated[list[str], AfterValidator(task_codes)]


class Caveats(BaseModel):
    """National caveats, set by the asset's owner; a tasking that breaks one is refused (422)."""

    model_config = ConfigDict(extra="forbid")

    #: GeoJSON Polygon or MultiPolygon it may operate in (None: anywhere).
    area: dict[str, Any] | None = None
    #: Longest commitment, in hours (None: no limit); a tasking must then say its ``hours``.
    max_hours: float | None = Field(default=None, gt=0, le=24 * 366)
    #: Task codes it may not be used for (e.g. ``security``, ``law_enforcement``).
    excluded_tasks: TaskCodes = Field(default_factory=list, max_length=50)
    #: Whether an approver of its nation must approve each tasking before its owner may accept.
    national_approval: bool = False


class AssetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    capability: str = Field(min_length=1, max_length=64)
    capacity: int = Field(default=1, ge=0, le=10_000_000)
    location: dict[str, Any]
    label: str = Field(default="alliance", max_length=80)
    home_base: str = Field(default="", max_length=200)
    speed_kmh: float = Field(default=60.0, gt=0, le=2000)
    status: Literal["available", "unavailable"] = "available"
    caveats: Caveats = Field(default_factory=Caveats)


class AssetUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["available", "unavailable"] | None = None
    location: dict[str, Any] | None = None
    #: Replaces the caveats as a whole.
    caveats: Caveats | None = None


class AssetRead(BaseModel):
    id: str
    #: The exercise operation it belongs to (an exercise's twin); null: a real asset.
    operation_id: str | None = None
    #: The real asset this exercise twin plays.
    twin_of: str | None = None
    org: str
    org_kind: str
    name: str
    capability: str
    capacity: int
    status: str
    location: dict[str, Any]
    home_base: str
    speed_kmh: float
    label: str
    caveats: Caveats
    updated_at: datetime


class TrackPoint(BaseModel):
    """A point of an asset's track (``GET /assets/{id}/track``)."""

    at: datetime
    lon: float
    lat: float
    #: Where the position came from: ``interop:cot`` (a TAK device) …
    source: str


class Track(BaseModel):
    asset_id: str
    items: list[TrackPoint]
