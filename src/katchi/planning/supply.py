"""Assets as the pure solvers see them: position, speed, and what their owners' caveats allow."""

from __future__ import annotations

from typing import Any

import shapely.geometry

from katchi.assets import Asset, catalogue


def point_of(geometry: dict[str, Any]) -> tuple[float, float]:
    """The point travel is measured to: a point itself, else a point inside the shape."""
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return float(lon), float(lat)
    p = shapely.geometry.shape(geometry).representative_point()
    return float(p.x), float(p.y)


def is_air(capability: str) -> bool:
    cap = catalogue().get(capability)
    return cap is not None and cap.category == "air"


def binding(asset: Asset) -> dict[str, Any]:
    """The solver fields of ``asset``: where it is, how fast it goes, and its caveats."""
    caveats = asset.caveats or {}
    area = caveats.get("area")
    lon, lat = point_of(asset.location)
    return {
        "id": asset.id,
        "capability": asset.capability,
        "capacity": asset.capacity,
        "lon": lon,
        "lat": lat,
        "speed_kmh": max(1.0, float(asset.speed_kmh or 1.0)),
        "air": is_air(asset.capability),
        "excluded_tasks": frozenset(caveats.get("excluded_tasks") or ()),
        "max_hours": caveats.get("max_hours"),
        "area": shapely.geometry.shape(area) if area else None,
    }
