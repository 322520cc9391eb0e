"""Which municipality a place lies in, from the shipped KOSTAT boundaries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from katchi.cop import all_districts, district_at, district_of


def test_places_fall_in_their_municipality() -> None:
    gyeongbokgung = district_at(126.9770, 37.5796)
    assert gyeongbokgung is not None and (gyeongbokgung.code, gyeongbokgung.name_en) == ("11010", "Jongno-gu")
    haenggung = district_of({"type": "Point", "coordinates": [127.0136, 37.2821]})
    assert haenggung is not None and haenggung.name_ko == "수원시팔달구"
    busan_station = district_of({"type": "Point", "coordinates": [129.0403, 35.1152]})
    assert busan_station is not None and busan_station.code == "21030"
    # An area is placed by a point inside it.
    square = [[129.035, 35.110], [129.045, 35.110], [129.045, 35.120], [129.035, 35.120], [129.035, 35.110]]
    assert district_of({"type": "Polygon", "coordinates": [square]}) == busan_station


def test_outside_korea_or_at_sea_is_no_municipality() -> None:
    assert district_at(125.0, 36.0) is None  # the Yellow Sea
    assert district_at(139.69, 35.69) is None  # Tokyo
    assert district_of({"type": "Point"}) is None  # not a geometry


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(all_districts()))
def test_every_municipality_contains_its_own_inside_point(district) -> None:  # type: ignore[no-untyped-def]
    lon, lat = district.centroid
    found = district_at(lon, lat)
    assert found is not None and found.code == district.code
