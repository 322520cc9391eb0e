"""Earthquake intensity: monotone in magnitude and distance, bounded, sane against a Korean event."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from katchi.exercises.hazards import earthquake_mmi_at, great_circle_km, mmi_aww2014


@given(st.floats(3.0, 8.0), st.floats(0.0, 300.0), st.floats(0.1, 1.0))
def test_intensity_grows_with_magnitude(m: float, r: float, dm: float) -> None:
    assert mmi_aww2014(m + dm, r) >= mmi_aww2014(m, r)


@given(st.floats(3.0, 8.0), st.floats(0.0, 300.0), st.floats(1.0, 100.0))
def test_intensity_falls_with_distance(m: float, r: float, dr: float) -> None:
    assert mmi_aww2014(m, r + dr) <= mmi_aww2014(m, r) + 1e-9


@given(st.floats(0.5, 9.5), st.floats(0.0, 2000.0))
def test_intensity_is_bounded(m: float, r: float) -> None:
    assert 1.0 <= mmi_aww2014(m, r) <= 10.0


def test_gyeongju_2016_is_near_the_intensity_vi_reported_by_the_epicentre() -> None:
    near = mmi_aww2014(5.5, (10**2 + 13**2) ** 0.5)
    assert 5.0 <= near <= 7.0  # base form: ≈5.5 against a reported VI (see the module docstring)
    far = mmi_aww2014(5.5, 300)  # Seoul is ~300 km away; the shaking was weakly felt there
    assert far < 4.5


def test_site_intensity_uses_great_circle_distance() -> None:
    seoul_city_hall = (126.978, 37.566)
    assert great_circle_km(126.978, 37.566, 129.075, 35.180) == pytest.approx(325, abs=5)  # Seoul–Busan
    at_epicentre = earthquake_mmi_at(6.5, seoul_city_hall, 10.0, seoul_city_hall)
    assert at_epicentre > earthquake_mmi_at(6.5, seoul_city_hall, 10.0, (127.1, 37.5))
    with pytest.raises(ValueError):
        mmi_aww2014(-1, 10)
