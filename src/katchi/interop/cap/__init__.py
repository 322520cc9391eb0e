"""OASIS CAP 1.2 (and 1.0/1.1 read): codec and validator."""

from katchi.interop.cap.codec import CapError, Problem, decode, encode, read_alert
from katchi.interop.cap.model import Alert, Area, Info, NamedValue, Resource, parse_circle, parse_points
from katchi.interop.cap.validate import validate_alert, validate_cap

__all__ = [
    "Alert",
    "Area",
    "CapError",
    "Info",
    "NamedValue",
    "Problem",
    "Resource",
    "decode",
    "encode",
    "parse_circle",
    "parse_points",
    "read_alert",
    "validate_alert",
    "validate_cap",
]
