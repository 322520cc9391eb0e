"""The TAK gateway: Cursor-on-Target devices in and out of Katchi."""

from katchi.interop.tak.devices import (
    Device,
    DeviceAssign,
    DeviceCreate,
    DeviceInfo,
    device,
    device_info,
    list_devices,
)
from katchi.interop.tak.gateway import TakGateway
from katchi.interop.tak.markers import incident_cot, rfa_cot
from katchi.interop.tak.service import assign_device, register_device, set_device_label

__all__ = [
    "Device",
    "DeviceAssign",
    "DeviceCreate",
    "DeviceInfo",
    "TakGateway",
    "assign_device",
    "device",
    "device_info",
    "incident_cot",
    "list_devices",
    "register_device",
    "rfa_cot",
    "set_device_label",
]
