"""Event kinds of the interop domain."""

from __future__ import annotations

from pydantic import BaseModel

from katchi.eventlog import event_kind


class DeviceRegistered(BaseModel):
    uid: str
    org: str
    asset_id: str | None
    operation_id: str | None = None


class DeviceAssigned(BaseModel):
    uid: str
    operation_id: str | None


class DeviceLabelSet(BaseModel):
    org: str
    label: str


TAK_DEVICE_REGISTERED = event_kind(
    "interop.tak.device_registered", DeviceRegistered, "A TAK device was allowed on the gateway."
)
TAK_DEVICE_ASSIGNED = event_kind(
    "interop.tak.device_assigned", DeviceAssigned, "A TAK device was assigned to an operation (its chat goes there)."
)
TAK_DEVICE_LABEL_SET = event_kind(
    "interop.tak.device_label_set", DeviceLabelSet, "An organisation set the label of its TAK devices' chat."
)
