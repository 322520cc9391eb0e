"""Input and output shapes of assets and capabilities."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: ``requested``: tasked to one or more RFAs, awaiting its owner's answer (nothing is committed yet).
AssetStatus = Literal["available", "requested", "tasked", "underway", "unavailable"]


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


class AssetUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["available", "unavailable"] | None = None
    location: dict[str, Any] | None = None


class AssetRead(BaseModel):
    id: str
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
    updated_at: datetime
