"""Impact models (pure functions): hazard intensity per district → buildings, casualties, displaced.

Earthquake: the damage and casualty rates are normal curves in intensity, in the forms used by USGS
PAGER: the empirical fatality rate ν(I) = Φ(ln(I/θ)/β) of Jaiswal & Wald (2010, Earthquake Spectra
26(4)), and building damage as Φ((I − θ)/β). The parameters are calibrated so that M6.5 at 37.6 N,
127.0 E (Jung-gu, Seoul), depth 12 km, reproduces over the capital area (Seoul, Incheon, Gyeonggi)
the 2011 run of the National Disaster Management Institute's earthquake damage estimation system
(소방방재청 국립방재연구소, for Rep. Park Dae-hae; reported by etnews 2011-03-14):
7,726 deaths (Seoul 7,394), 107,524 injured, 27,582 buildings destroyed (Seoul ≈ 26,500) and
104,011 displaced (Seoul 92,782). ``tests/unit/exercises/test_impact.py`` checks those totals and
the 2016 Ministry of Public Safety and Security run (epicentre Jungnang Bridge: M6.0 → 1,433 deaths,
M6.5 → 12,778 deaths in Seoul) as a bracket. The spread β = 0.2 was chosen so that both runs are
approached together (β = 0.08 matches the 2011 run's Seoul share exactly but gives only ~50 deaths
for the 2016 M6.0 case; β = 0.2 gives ~920 and ~6,200).

People trapped in collapsed buildings who need professional rescue: 1.25 per death, the Kobe 1995
ratio (≈ 8,000 rescued by the fire service, police and army against 6,434 deaths; Coburn & Spence,
*Earthquake Protection*, 2nd ed., 2002). Their chance to be found alive falls with time
(``survival_probability``; same source, Kobe rescue statistics by day).

Typhoon and flood models are screening models with stated parameters (see their docstrings), checked
against Typhoon Maemi (2003) and the Han River flood of 1990.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import shapely
from shapely.geometry import LineString

from katchi.core.geo import great_circle_km
from katchi.exercises.hazards import earthquake_mmi_at
from katchi.exercises.region import District


def phi(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def lognormal_rate(value: float, theta: float, beta: float) -> float:
    """Φ(ln(value/θ)/β): the PAGER fatality-rate form; 0 for non-positive values."""
    if value <= 0:
        return 0.0
    return phi(math.log(value / theta) / beta)


#: People per building: Seoul 628,325 buildings for ≈ 9.8 M people (Seoul Metropolitan Government,
#: 2009); the rest of Korea 6.64 M buildings for 48.6 M (NEMA building inventory, 2010) → 7.3.
PERSONS_PER_BUILDING = {"11": 15.6}
PERSONS_PER_BUILDING_DEFAULT = 7.3


def buildings_in(district: District) -> float:
    return district.population / PERSONS_PER_BUILDING.get(district.code[:2], PERSONS_PER_BUILDING_DEFAULT)


@dataclass(frozen=True, slots=True)
class EarthquakeParams:
    """Calibrated as the module docstring says (intensity from ``mmi_aww2014``)."""

    death_theta: float = 13.026
    death_beta: float = 0.2
    injury_theta: float = 11.012
    injury_beta: float = 0.2
    collapse_theta: float = 7.589
    collapse_beta: float = 0.4
    displaced_theta: float = 7.830
    displaced_beta: float = 0.4
    trapped_per_death: float = 1.25


@dataclass(frozen=True, slots=True)
class DistrictImpact:
    """What a hazard did to one district; ``intensity`` is MMI, peak wind (m/s) or flooded share."""

    code: str
    name_ko: str
    name_en: str
    point: tuple[float, float]
    population: int
    intensity: float
    buildings_collapsed: int
    deaths: int
    injured: int
    trapped: int
    displaced: int


@dataclass(frozen=True, slots=True)
class Totals:
    deaths: int
    injured: int
    trapped: int
    displaced: int
    buildings_collapsed: int

    @classmethod
    def of(cls, impacts: Iterable[DistrictImpact]) -> Totals:
        rows = list(impacts)
        return cls(
            deaths=sum(i.deaths for i in rows),
            injured=sum(i.injured for i in rows),
            trapped=sum(i.trapped for i in rows),
            displaced=sum(i.displaced for i in rows),
            buildings_collapsed=sum(i.buildings_collapsed for i in rows),
        )


def _bounded(value: float, population: int) -> int:
    return max(0, min(population, round(value)))


def earthquake_impacts(
    districts: Sequence[District],
    magnitude: float,
    epicentre: tuple[float, float],
    depth_km: float,
    params: EarthquakeParams = EarthquakeParams(),
) -> list[DistrictImpact]:
    """Per-district earthquake impact; every count is bounded by the district's population."""
    out = []
    for d in districts:
        site = d.centroid
        mmi = earthquake_mmi_at(magnitude, epicentre, depth_km, site)
        pop = d.population
        deaths = _bounded(pop * lognormal_rate(mmi, params.death_theta, params.death_beta), pop)
        injured = _bounded(pop * lognormal_rate(mmi, params.injury_theta, params.injury_beta), pop - deaths)
        trapped = _bounded(deaths * params.trapped_per_death, pop - deaths - injured)
        collapsed = round(buildings_in(d) * phi((mmi - params.collapse_theta) / params.collapse_beta))
        # Deaths and displaced must not add up past the population, yet each must grow with the
        # shaking: bound the displaced by the survivors at the strongest intensity (MMI 10).
        most_deaths = math.ceil(pop * lognormal_rate(10.0, params.death_theta, params.death_beta))
        displaced = _bounded(pop * phi((mmi - params.displaced_theta) / params.displaced_beta), pop - most_deaths)
        out.append(
            DistrictImpact(d.code, d.name_ko, d.name_en, site, pop, mmi, collapsed, deaths, injured, trapped, displaced)
        )
    return out


def survival_probability(hours: float) -> float:
    """Chance that a person trapped in a collapse is still alive when reached after ``hours``.

    Kobe 1995 share of people rescued alive by day (Coburn & Spence 2002): day 1 80.5 %, day 2
    28.5 %, day 3 21.8 %, day 4 5.9 %, day 5 5.8 %; placed at each day's midpoint and joined
    linearly, starting from 95 % at once and reaching 0 after a week. Non-increasing in time.
    """
    knots = ((0.0, 0.95), (12.0, 0.805), (36.0, 0.285), (60.0, 0.218), (84.0, 0.059), (108.0, 0.058), (168.0, 0.0))
    if hours <= 0:
        return knots[0][1]
    for (t0, p0), (t1, p1) in itertools.pairwise(knots):
        if hours <= t1:
            return p0 + (p1 - p0) * (hours - t0) / (t1 - t0)
    return 0.0


# --- typhoon ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TyphoonParams:
    """Wind: a modified Rankine vortex, V = Vmax·(r/Rmax) inside Rmax and Vmax·(Rmax/r)^0.5
    outside (Depperman 1947; the x = 0.5 decay used in many parametric wind models). Rain: a rate
    falling off exponentially from the centre, R = R0·exp(−r/Rr), summed as the storm passes.
    Damage and casualty rates are lognormal in peak gust and storm rain. Checked against Typhoon
    Maemi (2003): 130 dead or missing and about 61,000 displaced nationwide (scenario file)."""

    decay: float = 0.5
    rain_rate_mm_h: float = 30.0
    rain_radius_km: float = 120.0
    death_wind_theta: float = 75.0
    death_wind_beta: float = 0.18
    damage_wind_theta: float = 70.0
    damage_wind_beta: float = 0.25
    flood_rain_theta: float = 450.0
    flood_rain_beta: float = 0.35
    flood_displaced_share: float = 0.06
    flood_death_rate: float = 2.5e-5
    trapped_per_death: float = 1.0


def rankine_wind(distance_km: float, max_wind_ms: float, radius_max_km: float, decay: float = 0.5) -> float:
    if distance_km <= radius_max_km:
        return max_wind_ms * distance_km / radius_max_km
    return max_wind_ms * (radius_max_km / distance_km) ** decay


def track_positions(
    track: Sequence[tuple[timedelta, tuple[float, float]]], step: timedelta = timedelta(minutes=15)
) -> list[tuple[float, float]]:
    """The storm centre every ``step`` along a timed track, linearly interpolated."""
    out: list[tuple[float, float]] = []
    for (t0, p0), (t1, p1) in itertools.pairwise(track):
        n = max(1, int((t1 - t0) / step))
        out.extend((p0[0] + (p1[0] - p0[0]) * k / n, p0[1] + (p1[1] - p0[1]) * k / n) for k in range(n))
    out.append(track[-1][1])
    return out


def typhoon_impacts(
    districts: Sequence[District],
    track: Sequence[tuple[timedelta, tuple[float, float]]],
    max_wind_ms: float,
    radius_max_wind_km: float,
    params: TyphoonParams = TyphoonParams(),
    step: timedelta = timedelta(minutes=15),
) -> list[DistrictImpact]:
    centres = track_positions(track, step)
    hours = step.total_seconds() / 3600
    out = []
    for d in districts:
        site = d.centroid
        dists = [great_circle_km(c[0], c[1], site[0], site[1]) for c in centres]
        wind = max(rankine_wind(r, max_wind_ms, radius_max_wind_km, params.decay) for r in dists)
        rain = sum(params.rain_rate_mm_h * math.exp(-r / params.rain_radius_km) * hours for r in dists)
        pop = d.population
        flood_share = lognormal_rate(rain, params.flood_rain_theta, params.flood_rain_beta)
        deaths = _bounded(
            pop * (lognormal_rate(wind, params.death_wind_theta, params.death_wind_beta) * 1e-3)
            + pop * flood_share * params.flood_death_rate * 10,
            pop,
        )
        damage = lognormal_rate(wind, params.damage_wind_theta, params.damage_wind_beta)
        displaced = _bounded(pop * (flood_share * params.flood_displaced_share + damage * 0.02), pop - deaths)
        injured = _bounded(deaths * 8, pop - deaths)
        trapped = _bounded(deaths * params.trapped_per_death + displaced * 0.01, pop - deaths - injured)
        collapsed = round(buildings_in(d) * damage * 0.01)
        out.append(
            DistrictImpact(
                d.code, d.name_ko, d.name_en, site, pop, wind, collapsed, deaths, injured, trapped, displaced
            )
        )
    return out


# --- river flood -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FloodParams:
    """Flood extent: a band along the river whose half-width grows with the stage above flood
    level (``km_per_metre``), clipped to each district; people in the band are affected in
    proportion to the area share; a share of them is displaced, a few die, and some are cut off and
    need water rescue. Checked against the Han River flood of September 1990 (126 dead, 37 missing,
    187,265 displaced; National Archives of Korea) at a peak of 11.27 m at the Han River Bridge,
    2.77 m above the 8.5 m warning stage; the Ilsan levee breach of that flood is not modelled."""

    base_half_width_km: float = 0.25
    km_per_metre: float = 0.18
    displaced_share: float = 0.22
    death_rate: float = 1.9e-4
    trapped_share: float = 0.004
    injury_per_death: float = 6.0


def _local_km(lon0: float, lat0: float) -> tuple[float, float]:
    return 111.32 * math.cos(math.radians(lat0)), 110.57


def flood_impacts(
    districts: Sequence[District],
    river: Sequence[tuple[float, float]],
    peak_stage_m: float,
    params: FloodParams = FloodParams(),
) -> list[DistrictImpact]:
    """Per-district flood impact from a river centreline (lon, lat points) and the peak stage."""
    lon0, lat0 = river[0]
    kx, ky = _local_km(lon0, lat0)

    def to_km(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geom, lambda xy: (xy - (lon0, lat0)) * (kx, ky))

    half_width = params.base_half_width_km + params.km_per_metre * peak_stage_m
    band = to_km(LineString(river)).buffer(half_width)
    out = []
    for d in districts:
        shape = to_km(d.shape)
        share = shape.intersection(band).area / shape.area if shape.area else 0.0
        pop = d.population
        affected = pop * share
        deaths = _bounded(affected * params.death_rate, pop)
        injured = _bounded(deaths * params.injury_per_death, pop - deaths)
        trapped = _bounded(affected * params.trapped_share, pop - deaths - injured)
        displaced = _bounded(affected * params.displaced_share, pop - deaths)
        collapsed = round(buildings_in(d) * share * 0.002)
        out.append(
            DistrictImpact(
                d.code, d.name_ko, d.name_en, d.centroid, pop, share, collapsed, deaths, injured, trapped, displaced
            )
        )
    return out
