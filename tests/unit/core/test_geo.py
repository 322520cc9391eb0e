from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from katchi.core import Invalid, bbox_of, parse_bbox, validate_geometry


def test_point_and_polygon_are_accepted() -> None:
    assert validate_geometry({"type": "Point", "coordinates": [126.97, 37.56]})["type"] == "Point"
    ring = [[126.9, 37.5], [127.1, 37.5], [127.1, 37.6], [126.9, 37.6], [126.9, 37.5]]
    poly = validate_geometry({"type": "Polygon", "coordinates": [ring]})
    assert bbox_of(poly) == (126.9, 37.5, 127.1, 37.6)


@pytest.mark.parametrize(
    "geom",
    [
        {"type": "Point", "coordinates": [181, 0]},
        {"type": "Point", "coordinates": [0, -90.5]},
        {"type": "Point", "coordinates": [float("nan"), 0]},
        {"type": "Point", "coordinates": [1]},
        {"type": "Point", "coordinates": "1,2"},
        {"type": "Point"},
        {"type": "Circle", "coordinates": [0, 0]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # bow-tie
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]},
        "POINT(1 2)",
        None,
    ],
)
def test_bad_geometry_is_invalid(geom: Any) -> None:
    with pytest.raises(Invalid):
        validate_geometry(geom)


json_st = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@given(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Point", "Polygon", "LineString", "MultiPoint", "x"]), "coordinates": json_st}
    )
)
def test_fuzzed_geometry_is_either_valid_in_range_or_invalid(geom: dict[str, Any]) -> None:
    try:
        clean = validate_geometry(geom)
    except Invalid:
        return
    minx, miny, maxx, maxy = bbox_of(clean)
    assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    assert all(math.isfinite(v) for v in (minx, miny, maxx, maxy))


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,0,5,1", "0,0,1,nan", "-181,0,0,1", "0,10,1,5"])
def test_bad_bbox(text: str) -> None:
    with pytest.raises(Invalid):
        parse_bbox(text)
