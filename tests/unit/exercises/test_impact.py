"""Impact models: calibrated against the published Korean estimates they cite, monotone in the
hazard, and never counting more people than live in a district."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katchi.exercises.impact import (
    Totals,
    earthquake_impacts,
    flood_impacts,
    rankine_wind,
    survival_probability,
    typhoon_impacts,
)
from katchi.exercises.region import load_region

CAPITAL = load_region("capital-area")
SEOUL = load_region("seoul")
SOUTHEAST = load_region("southeast")
HAN = [(127.28, 37.52), (127.10, 37.52), (127.00, 37.515), (126.93, 37.525), (126.85, 37.57), (126.72, 37.67)]


def test_seoul_m65_reproduces_the_ndmi_2011_run() -> None:
    t = Totals.of(earthquake_impacts(CAPITAL, 6.5, (127.0, 37.6), 12))
    assert t.deaths == pytest.approx(7726, rel=0.02)
    assert t.injured == pytest.approx(107_524, rel=0.02)
    assert t.buildings_collapsed == pytest.approx(27_582, rel=0.02)
    assert t.displaced == pytest.approx(104_011, rel=0.02)


def test_the_2016_mpss_runs_are_approached_within_a_factor_of_two_and_a_bit() -> None:
    jungnang = (127.068, 37.588)
    m60 = Totals.of(earthquake_impacts(SEOUL, 6.0, jungnang, 12)).deaths
    m65 = Totals.of(earthquake_impacts(SEOUL, 6.5, jungnang, 12)).deaths
    assert 1433 / 2.2 <= m60 <= 1433 * 2.2
    assert 12_778 / 2.2 <= m65 <= 12_778 * 2.2


def test_busan_dongnae_m65_is_within_a_factor_of_two_of_ndmi() -> None:
    deaths = Totals.of(earthquake_impacts(SOUTHEAST, 6.5, (129.085, 35.205), 12)).deaths
    assert 2681 / 2 <= deaths <= 2681 * 2


def test_typhoon_maemi_class_landfall_is_in_maemis_range() -> None:
    track = [
        (timedelta(hours=0), (128.9, 33.0)),
        (timedelta(hours=8), (129.05, 35.10)),
        (timedelta(hours=11), (129.3, 35.9)),
        (timedelta(hours=14), (129.6, 36.8)),
    ]
    t = Totals.of(typhoon_impacts(SOUTHEAST, track, 50, 60))
    assert 132 / 3 <= t.deaths <= 132 * 2  # Maemi: 132 dead or missing nationwide
    assert 10_975 / 2 <= t.displaced <= 61_000


def test_han_river_1990_class_flood_is_in_the_1990_range() -> None:
    t = Totals.of(flood_impacts(CAPITAL, HAN, 2.8))
    assert 163 / 2 <= t.deaths <= 163 * 2
    assert 187_265 / 2 <= t.displaced <= 187_265 * 2


@settings(max_examples=40, deadline=None)
@given(st.floats(4.5, 7.5), st.floats(0.05, 1.0), st.floats(126.7, 127.3), st.floats(37.3, 37.8), st.floats(5, 30))
def test_earthquake_impact_grows_with_magnitude(m: float, dm: float, lon: float, lat: float, depth: float) -> None:
    weak = earthquake_impacts(SEOUL, m, (lon, lat), depth)
    strong = earthquake_impacts(SEOUL, m + dm, (lon, lat), depth)
    for a, b in zip(weak, strong, strict=True):
        assert b.intensity >= a.intensity
        assert (b.deaths, b.injured, b.buildings_collapsed, b.displaced) >= (a.deaths, a.injured, 0, 0)
        assert b.deaths >= a.deaths and b.injured >= a.injured
        assert b.buildings_collapsed >= a.buildings_collapsed and b.displaced >= a.displaced


@settings(max_examples=40, deadline=None)
@given(st.floats(5.0, 7.5), st.floats(5, 30), st.floats(1, 40))
def test_earthquake_impact_falls_with_distance(m: float, depth: float, extra_km: float) -> None:
    """Moving the epicentre further from every district (straight east of Seoul) lowers every count."""
    near = earthquake_impacts(SEOUL, m, (127.2, 37.55), depth)
    far = earthquake_impacts(SEOUL, m, (127.2 + extra_km / 88.0, 37.55), depth)
    for a, b in zip(near, far, strict=True):
        assert b.intensity <= a.intensity + 1e-9
        assert b.deaths <= a.deaths and b.injured <= a.injured and b.displaced <= a.displaced


@settings(max_examples=40, deadline=None)
@given(st.floats(3.0, 9.5), st.floats(125.0, 130.0), st.floats(33.0, 39.0), st.floats(1, 100))
def test_earthquake_counts_are_bounded_by_population(m: float, lon: float, lat: float, depth: float) -> None:
    for i in earthquake_impacts(SEOUL, m, (lon, lat), depth):
        assert 0 <= i.deaths + i.injured + i.trapped <= i.population
        assert 0 <= i.deaths + i.displaced <= i.population
        assert i.buildings_collapsed >= 0


@settings(max_examples=25, deadline=None)
@given(st.floats(20, 90), st.floats(10, 150))
def test_typhoon_counts_are_bounded_and_grow_with_wind(wind: float, rmax: float) -> None:
    track = [(timedelta(0), (129.0, 34.5)), (timedelta(hours=6), (129.1, 35.3))]
    weak = typhoon_impacts(SOUTHEAST, track, wind, rmax)
    strong = typhoon_impacts(SOUTHEAST, track, wind * 1.2, rmax)
    for a, b in zip(weak, strong, strict=True):
        assert a.deaths + a.injured + a.trapped <= a.population and a.displaced <= a.population
        assert b.deaths >= a.deaths and b.displaced >= a.displaced


@given(st.floats(0.0, 500.0), st.floats(1.0, 500.0), st.floats(10, 90), st.floats(5, 100))
def test_rankine_wind_peaks_at_the_radius_of_maximum_wind(r: float, dr: float, vmax: float, rmax: float) -> None:
    assert rankine_wind(rmax, vmax, rmax) == pytest.approx(vmax)
    if r >= rmax:
        assert rankine_wind(r + dr, vmax, rmax) <= rankine_wind(r, vmax, rmax)
    assert rankine_wind(r, vmax, rmax) <= vmax + 1e-9


@settings(max_examples=20, deadline=None)
@given(st.floats(0.1, 8.0), st.floats(0.1, 3.0))
def test_flood_grows_with_stage(stage: float, more: float) -> None:
    low = flood_impacts(SEOUL, HAN, stage)
    high = flood_impacts(SEOUL, HAN, stage + more)
    for a, b in zip(low, high, strict=True):
        assert 0 <= a.intensity <= b.intensity <= 1
        assert b.displaced >= a.displaced and a.displaced <= a.population


@given(st.floats(0, 400), st.floats(0, 100))
def test_survival_never_rises_with_time(t: float, dt: float) -> None:
    assert 0 <= survival_probability(t + dt) <= survival_probability(t) <= 0.95


def test_survival_follows_kobe_by_day() -> None:
    assert survival_probability(12) == pytest.approx(0.805)
    assert survival_probability(36) == pytest.approx(0.285)
    assert survival_probability(200) == 0.0
