"""Event kinds of the assets domain."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.eventlog import LabelReleased, event_kind


class AssetRegistered(BaseModel):
    name: str
    org: str
    capability: str
    capacity: int
    status: str
    location: dict[str, Any]
    caveats: dict[str, Any] | None = None


class AssetUpdated(BaseModel):
    status: str
    location: dict[str, Any]
    caveats: dict[str, Any] | None = None


ASSET_REGISTERED = event_kind("assets.asset.registered", AssetRegistered, "An asset was registered.")
ASSET_UPDATED = event_kind("assets.asset.updated", AssetUpdated, "An asset's status or position changed.")
ASSET_RELEASED = event_kind("assets.asset.released", LabelReleased, "An asset was released to a wider audience.")
