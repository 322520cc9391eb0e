"""Korea's municipalities (시·군·구) with their real boundaries: which one a place lies in.

Data: ``katchi/data/korea/municipalities.geojson``, built by ``scripts/build_korea_data.py`` from
KOSTAT boundaries (2013) and the 2010 Population and Housing Census (see ``data/README.md``). The
boundaries are simplified, so a place within a few hundred metres of a border may fall on either
side of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import shapely.geometry
from shapely import STRtree
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class District:
    code: str
    name_ko: str
    name_en: str
    population: int
    shape: BaseGeometry

    @property
    def centroid(self) -> tuple[float, float]:
        """(lon, lat) of a point inside the district (its representative point)."""
        p = self.shape.representative_point()
        return (p.x, p.y)


@cache
def all_districts() -> tuple[District, ...]:
    raw = resources.files("katchi.data").joinpath("korea/municipalities.geojson").read_text("utf-8")
    out = []
    for f in json.loads(raw)["features"]:
        p = f["properties"]
        out.append(
            District(
                p["code"], p["name_ko"], p["name_en"], int(p["population_2010"]), shapely.geometry.shape(f["geometry"])
            )
        )
    return tuple(out)


@cache
def _tree() -> STRtree:
    return STRtree([d.shape for d in all_districts()])


def district_at(lon: float, lat: float) -> District | None:
    """The municipality containing the point, or None outside Korea (or at sea)."""
    point = shapely.geometry.Point(lon, lat)
    for i in _tree().query(point, predicate="intersects"):
        return all_districts()[int(i)]
    return None


def district_of(location: dict[str, Any]) -> District | None:
    """The municipality of a GeoJSON geometry: the one containing a point inside it."""
    try:
        point = shapely.geometry.shape(location).representative_point()
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return district_at(point.x, point.y)
