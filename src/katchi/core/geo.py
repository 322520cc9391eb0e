"""GeoJSON geometry values: validation on WGS84 ranges, bounding boxes, bbox query parsing."""

from __future__ import annotations

import math
from typing import Any

import shapely.geometry
from shapely.errors import GeometryTypeError, ShapelyError

from katchi.core.errors import Invalid

Geometry = dict[str, Any]
BBox = tuple[float, float, float, float]

_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def _coords(node: Any) -> list[tuple[float, float]]:
    if isinstance(node, list | tuple) and node and all(isinstance(v, int | float) for v in node):
        if len(node) < 2:
            raise ValueError("a position needs longitude and latitude")
        return [(float(node[0]), float(node[1]))]
    if isinstance(node, list | tuple):
        out: list[tuple[float, float]] = []
        for child in node:
            out.extend(_coords(child))
        return out
    raise ValueError("coordinates must be nested arrays of numbers")


EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def validate_geometry(geom: Any, field: str = "location") -> Geometry:
    """Return a clean GeoJSON geometry or raise Invalid naming what is wrong with it."""

    def bad(msg: str) -> Invalid:
        return Invalid(f"{field}: {msg}", errors=[{"loc": [field], "msg": msg}])

    if not isinstance(geom, dict):
        raise bad("must be a GeoJSON geometry object")
    gtype = geom.get("type")
    if gtype not in _TYPES:
        raise bad(f"unsupported geometry type {gtype!r}; use one of {sorted(_TYPES)}")
    try:
        positions = _coords(geom.get("coordinates"))
    except (ValueError, RecursionError) as exc:
        raise bad(str(exc)) from None
    if not positions:
        raise bad("geometry has no coordinates")
    for lon, lat in positions:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise bad("coordinates must be finite numbers")
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            raise bad(f"position ({lon}, {lat}) is outside WGS84 ranges (lon ±180, lat ±90)")
    try:
        shape = shapely.geometry.shape({"type": gtype, "coordinates": geom["coordinates"]})
    except (ShapelyError, GeometryTypeError, ValueError, TypeError, IndexError) as exc:
        raise bad(f"not a valid {gtype}: {exc}") from None
    if gtype in ("Polygon", "MultiPolygon") and not shape.is_valid:
        raise bad(f"invalid {gtype} (self-intersecting or unclosed ring)")
    return shapely.geometry.mapping(shape) | {"type": gtype}


def bbox_of(geom: Geometry) -> BBox:
    """(min lon, min lat, max lon, max lat) of a validated geometry."""
    xs, ys = zip(*_coords(geom["coordinates"]), strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def centre_of(geom: Geometry) -> tuple[float, float]:
    """The centre of a validated geometry's bounding box (where to send a team for an area)."""
    x0, y0, x1, y1 = bbox_of(geom)
    return ((x0 + x1) / 2, (y0 + y1) / 2)


def parse_bbox(text: str) -> BBox:
    """Parse the ``bbox=minlon,minlat,maxlon,maxlat`` query parameter."""
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise Invalid(
            "bbox must be four numbers: minlon,minlat,maxlon,maxlat",
            errors=[{"loc": ["query", "bbox"], "msg": "bad bbox", "input": text}],
        )
    minx, miny, maxx, maxy = values
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise Invalid(
            "bbox must satisfy -180 ≤ minlon ≤ maxlon ≤ 180 and -90 ≤ minlat ≤ maxlat ≤ 90",
            errors=[{"loc": ["query", "bbox"], "msg": "bad bbox", "input": text}],
        )
    return (minx, miny, maxx, maxy)


def intersects_bbox(geom: Geometry, bbox: BBox) -> bool:
    """Exact test, after the SQL envelope prefilter."""
    return bool(shapely.geometry.shape(geom).intersects(shapely.geometry.box(*bbox)))


def envelope_overlaps(model: Any, bbox: BBox) -> Any:
    """SQL prefilter: the record's stored envelope overlaps ``bbox``."""
    from sqlalchemy import and_

    minx, miny, maxx, maxy = bbox
    return and_(model.max_lon >= minx, model.min_lon <= maxx, model.max_lat >= miny, model.min_lat <= maxy)


def envelope_columns(geom: Geometry) -> dict[str, float]:
    """Values for a model's ``min_lon, min_lat, max_lon, max_lat`` columns."""
    minx, miny, maxx, maxy = bbox_of(geom)
    return {"min_lon": minx, "min_lat": miny, "max_lon": maxx, "max_lat": maxy}
