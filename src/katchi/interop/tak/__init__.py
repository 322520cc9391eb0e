"""The TAK gateway: Cursor-on-Target devices in and out of Katchi."""

from katchi.interop.tak.devices import Device, device, register_device
from katchi.interop.tak.gateway import TakGateway
from katchi.interop.tak.markers import incident_cot, rfa_cot

__all__ = ["Device", "TakGateway", "device", "incident_cot", "register_device", "rfa_cot"]
