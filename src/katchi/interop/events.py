"""Event kinds of the interop domain."""

from __future__ import annotations

from pydantic import BaseModel

from katchi.eventlog import event_kind


class DeviceRegistered(BaseModel):
    uid: str
    org: str
    asset_id: str | None


TAK_DEVICE_REGISTERED = event_kind(
    "interop.tak.device_registered", DeviceRegistered, "A TAK device was allowed on the gateway."
)
