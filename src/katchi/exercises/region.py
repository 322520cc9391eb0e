"""Regions for scenarios: municipalities (시군구) with their real boundaries and 2010 census population.

Data: ``katchi/data/korea/municipalities.geojson``, built by ``scripts/build_korea_data.py`` from
KOSTAT boundaries (2013) and the 2010 Population and Housing Census (see ``data/README.md``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import shapely.geometry
from shapely.geometry.base import BaseGeometry

#: Region name → province (시도) codes it covers.
REGIONS: dict[str, tuple[str, ...]] = {
    "korea": (),
    "seoul": ("11",),
    "busan": ("21",),
    "capital-area": ("11", "23", "31"),
    "southeast": ("21", "26", "38"),
}


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
def _all_districts() -> tuple[District, ...]:
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


def load_region(name: str) -> tuple[District, ...]:
    """The districts of a named region; unknown names raise ValueError listing the known ones."""
    if name not in REGIONS:
        raise ValueError(f"unknown region {name!r}; known: {', '.join(sorted(REGIONS))}")
    provinces = REGIONS[name]
    return tuple(d for d in _all_districts() if not provinces or d.code[:2] in provinces)
