"""Regions for scenarios: sets of municipalities (시군구, ``cop.districts``) by province."""

from __future__ import annotations

from katchi.cop import District, all_districts

__all__ = ["REGIONS", "District", "load_region"]

#: Region name → province (시도) codes it covers.
REGIONS: dict[str, tuple[str, ...]] = {
    "korea": (),
    "seoul": ("11",),
    "busan": ("21",),
    "capital-area": ("11", "23", "31"),
    "southeast": ("21", "26", "38"),
}


def load_region(name: str) -> tuple[District, ...]:
    """The districts of a named region; unknown names raise ValueError listing the known ones."""
    if name not in REGIONS:
        raise ValueError(f"unknown region {name!r}; known: {', '.join(sorted(REGIONS))}")
    provinces = REGIONS[name]
    return tuple(d for d in all_districts() if not provinces or d.code[:2] in provinces)
