"""CAP alerts ↔ incidents of an operation: the mapping both ways (the import command is in ``service``).

Import: an Alert becomes an incident (its first info with an area of polygons or circles); an
Update changes the incident its ``references`` name, a Cancel closes it. Actual alerts go only into
real operations and Exercise alerts only into exercise ones; Test, System and Draft are not
imported. The CAP scope becomes the label: Public → ``public``, Restricted → ``alliance``,
Private → the importing organisation.

Export: an operation's incidents labelled ``public`` as CAP 1.2 alerts (status Exercise for
exercise operations) and an Atom feed of them; nothing narrower is ever published.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.cop import Incident
from katchi.core.access import Principal
from katchi.interop.cap.model import Alert, Area, Info, parse_circle, parse_points
from katchi.operations import visible_operation

SEVERITY = {"Extreme": "extreme", "Severe": "severe", "Moderate": "moderate", "Minor": "minor", "Unknown": "moderate"}
CAP_SEVERITY = {"extreme": "Extreme", "severe": "Severe", "moderate": "Moderate", "minor": "Minor"}
CATEGORY_KIND = {
    "Geo": "geo",
    "Met": "weather",
    "Safety": "safety",
    "Security": "security",
    "Rescue": "rescue",
    "Fire": "fire",
    "Health": "health",
    "Env": "environment",
    "Transport": "transport",
    "Infra": "infrastructure",
    "CBRNE": "hazmat",
    "Other": "other",
}
KIND_CATEGORY = {
    "fire": "Fire",
    "flood": "Met",
    "weather": "Met",
    "landslide": "Geo",
    "building_collapse": "Geo",
    "trapped_people": "Rescue",
    "hazmat": "CBRNE",
    "mass_casualty": "Health",
    "road_blocked": "Transport",
    "power_outage": "Infra",
    "water_shortage": "Infra",
}


def _circle_ring(lat: float, lon: float, radius_km: float, sides: int = 32) -> list[list[float]]:
    dlat = radius_km / 110.57
    dlon = radius_km / (111.32 * max(0.01, math.cos(math.radians(lat))))
    ring = [
        [
            round(lon + dlon * math.cos(2 * math.pi * k / sides), 6),
            round(lat + dlat * math.sin(2 * math.pi * k / sides), 6),
        ]
        for k in range(sides)
    ]
    return [*ring, ring[0]]


def area_geometry(areas: list[Area]) -> dict[str, Any] | None:
    """GeoJSON for CAP areas: polygons as they are, circles as 32-gons (a zero radius as a point)."""
    polygons: list[list[list[list[float]]]] = []
    points: list[list[float]] = []
    for area in areas:
        for p in area.polygons:
            polygons.append([[[lon, lat] for lat, lon in parse_points(p)]])
        for c in area.circles:
            lat, lon, radius = parse_circle(c)
            if radius > 0:
                polygons.append([_circle_ring(lat, lon, radius)])
            else:
                points.append([lon, lat])
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    if polygons:
        return {"type": "MultiPolygon", "coordinates": polygons}
    if points:
        return {"type": "Point", "coordinates": points[0]}
    return None


def info_with_area(alert: Alert) -> tuple[Info, dict[str, Any]] | None:
    for info in alert.infos:
        geometry = area_geometry(info.areas)
        if geometry is not None:
            return info, geometry
    return None


def cap_time(dt: datetime) -> str:
    """CAP date-time: seconds precision and a numeric zone (never "Z")."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _areas(geometry: dict[str, Any], desc: str) -> list[Area]:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return [Area(desc, circles=[f"{coords[1]},{coords[0]} 0"])]
    rings = [coords[0]] if kind == "Polygon" else [poly[0] for poly in coords] if kind == "MultiPolygon" else []
    if not rings:
        return [Area(desc)]
    return [Area(desc, polygons=[" ".join(f"{lat},{lon}" for lon, lat in ring) for ring in rings])]


def incident_alert(incident: Incident, *, sender: str, exercise: bool) -> Alert:
    """One public incident as a CAP 1.2 alert (identifier ``katchi-<incident id>``)."""
    status = "Exercise" if exercise else "Actual"
    info = Info(
        categories=[KIND_CATEGORY.get(incident.kind, "Other")],
        event=incident.kind.replace("_", " "),
        urgency="Immediate" if incident.status == "open" else "Past",
        severity=CAP_SEVERITY.get(incident.severity, "Unknown"),
        certainty="Observed",
        headline=incident.title[:160],
        description=incident.description or None,
        areas=_areas(incident.location, incident.title[:160]),
    )
    return Alert(
        identifier=f"katchi-{incident.id}",
        sender=sender,
        sent=cap_time(incident.updated_at),
        status=status,
        msg_type="Alert",
        scope="Public",
        note="EXERCISE EXERCISE EXERCISE" if exercise else None,
        infos=[info],
    )


def public_alerts(session: Session, principal: Principal | None, op_id: str, *, sender: str) -> list[Alert]:
    """The operation's public incidents as alerts, newest first (only ``public`` ones: a Restricted
    or Private message is never published as public)."""
    view = visible_operation(session, principal, op_id)
    rows = session.scalars(
        select(Incident)
        .where(Incident.operation_id == view.id, Incident.label == "public")
        .order_by(Incident.updated_at.desc())
        .limit(500)
    ).all()
    return [incident_alert(i, sender=sender, exercise=view.op.mode == "exercise") for i in rows]


def atom_feed(alerts: list[Alert], *, title: str, feed_id: str, feed_url: str, alert_url: str) -> bytes:
    """An Atom feed with one entry per alert, each linking its CAP document (``alert_url`` % id);
    ``feed_id`` is permanent, whatever address the feed is reached at."""
    ns = "http://www.w3.org/2005/Atom"
    feed = etree.Element(f"{{{ns}}}feed", nsmap={None: ns})
    SubElement = etree.SubElement
    SubElement(feed, f"{{{ns}}}title").text = title
    SubElement(feed, f"{{{ns}}}id").text = feed_id
    SubElement(feed, f"{{{ns}}}updated").text = alerts[0].sent if alerts else cap_time(datetime.now(UTC))
    SubElement(feed, f"{{{ns}}}link", rel="self", href=feed_url)
    for a in alerts:
        entry = SubElement(feed, f"{{{ns}}}entry")
        SubElement(entry, f"{{{ns}}}id").text = f"urn:katchi:cap:{a.identifier}"
        SubElement(entry, f"{{{ns}}}title").text = a.infos[0].headline if a.infos else a.identifier
        SubElement(entry, f"{{{ns}}}updated").text = a.sent
        author = SubElement(entry, f"{{{ns}}}author")
        SubElement(author, f"{{{ns}}}name").text = a.sender
        SubElement(entry, f"{{{ns}}}link", rel="alternate", type="application/cap+xml", href=alert_url % a.identifier)
        if a.infos and a.infos[0].description:
            SubElement(entry, f"{{{ns}}}summary").text = a.infos[0].description
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8"))
