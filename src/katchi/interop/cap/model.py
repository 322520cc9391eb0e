"""The CAP alert as typed data (OASIS Common Alerting Protocol 1.2; 1.0 and 1.1 read into the same
shape). Values are kept as the message states them (text), so a round trip loses nothing; helpers
interpret them (times, polygons, circles)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

NS = {
    "1.0": "http://www.incident.com/cap/1.0",
    "1.1": "urn:oasis:names:tc:emergency:cap:1.1",
    "1.2": "urn:oasis:names:tc:emergency:cap:1.2",
}
VERSION_OF = {ns: v for v, ns in NS.items()}
SIGNATURE_NS = "http://www.w3.org/2000/09/xmldsig#"


@dataclass
class NamedValue:
    """``eventCode``, ``parameter`` and ``geocode``: a value with the name of its scheme."""

    value_name: str
    value: str


@dataclass
class Resource:
    resource_desc: str
    mime_type: str | None = None
    size: str | None = None
    uri: str | None = None
    deref_uri: str | None = None
    digest: str | None = None


@dataclass
class Area:
    area_desc: str
    polygons: list[str] = field(default_factory=list)
    circles: list[str] = field(default_factory=list)
    geocodes: list[NamedValue] = field(default_factory=list)
    altitude: str | None = None
    ceiling: str | None = None


@dataclass
class Info:
    categories: list[str]
    event: str
    urgency: str
    severity: str
    certainty: str
    language: str | None = None
    response_types: list[str] = field(default_factory=list)
    audience: str | None = None
    event_codes: list[NamedValue] = field(default_factory=list)
    effective: str | None = None
    onset: str | None = None
    expires: str | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: list[NamedValue] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)


@dataclass
class Alert:
    identifier: str
    sender: str
    sent: str
    status: str
    msg_type: str
    scope: str
    version: str = "1.2"
    source: str | None = None
    restriction: str | None = None
    addresses: str | None = None
    codes: list[str] = field(default_factory=list)
    note: str | None = None
    references: str | None = None
    incidents: str | None = None
    infos: list[Info] = field(default_factory=list)
    #: An XML signature (xmldsig) was present; it is not carried over on re-encoding.
    signed: bool = False

    def reference_triplets(self) -> list[tuple[str, str, str]]:
        """``references`` as (sender, identifier, sent) triplets (malformed entries are skipped)."""
        out = []
        for item in (self.references or "").split():
            parts = item.split(",")
            if len(parts) == 3:
                out.append((parts[0], parts[1], parts[2]))
        return out


def _number(text: str) -> float:
    """A finite decimal number; ValueError for anything else (NaN and infinities included)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def parse_points(polygon: str) -> list[tuple[float, float]]:
    """A CAP polygon ``"lat,lon lat,lon …"`` as (lat, lon) pairs; ValueError if malformed."""
    out = []
    for pair in polygon.split():
        lat, lon = pair.split(",")
        out.append((_number(lat), _number(lon)))
    return out


def parse_circle(circle: str) -> tuple[float, float, float]:
    """A CAP circle ``"lat,lon radius_km"``; ValueError if malformed."""
    centre, radius = circle.split()
    lat, lon = centre.split(",")
    return _number(lat), _number(lon), _number(radius)
