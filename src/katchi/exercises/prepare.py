"""Turn a scenario into what the engine plays: impacts per district, needs, units, hospitals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from katchi.core.access import Principal, Role, can_read
from katchi.core.geo import great_circle_km
from katchi.exercises.engine import Hospital, Unit
from katchi.exercises.impact import (
    DistrictImpact,
    Totals,
    earthquake_impacts,
    flood_impacts,
    typhoon_impacts,
)
from katchi.exercises.needs import Need, generate_needs
from katchi.exercises.region import District, load_region
from katchi.exercises.scenario import Earthquake, Flood, Scenario, Typhoon


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    districts: tuple[District, ...]
    impacts: list[DistrictImpact]
    totals: Totals
    needs: list[Need]
    until_min: float
    #: When the hazard strikes (minutes from the start): needs arise from then, survival counts from then.
    onset_min: float = 0.0


def impacts_of(scenario: Scenario, districts: tuple[District, ...]) -> list[DistrictImpact]:
    h = scenario.hazard
    if isinstance(h, Earthquake):
        return earthquake_impacts(districts, h.magnitude, (h.epicentre.lon, h.epicentre.lat), h.depth_km)
    if isinstance(h, Typhoon):
        track = [(at, (p.lon, p.lat)) for at, p in h.track]
        return typhoon_impacts(districts, track, h.max_wind_ms, h.radius_max_wind_km)
    assert isinstance(h, Flood)
    return flood_impacts(districts, [(p.lon, p.lat) for p in h.centreline], h.peak_stage_m)


def onset_of(scenario: Scenario, districts: tuple[District, ...]) -> float:
    """Minutes from the start until the hazard strikes: at once for an earthquake; a typhoon when
    its centre passes closest to the region's population; a flood six hours before its peak."""
    h = scenario.hazard
    if isinstance(h, Typhoon):
        pop = sum(d.population for d in districts) or 1
        lon = sum(d.centroid[0] * d.population for d in districts) / pop
        lat = sum(d.centroid[1] * d.population for d in districts) / pop
        at, _ = min(h.track, key=lambda tp: great_circle_km(tp[1].lon, tp[1].lat, lon, lat))
        return at.total_seconds() / 60
    if isinstance(h, Flood):
        return max(0.0, h.peak_at.total_seconds() / 60 - 360)
    return 0.0


def prepare(scenario: Scenario, until_min: float | None = None) -> Prepared:
    """Everything random about a run is drawn here and in the engine, from the scenario's seed."""
    until = scenario.duration.total_seconds() / 60 if until_min is None else until_min
    districts = load_region(scenario.region)
    impacts = impacts_of(scenario, districts)
    onset = onset_of(scenario, districts)
    needs = generate_needs(
        impacts, districts, hazard=scenario.hazard.kind, duration_min=until, seed=scenario.seed, onset_min=onset
    )
    return Prepared(scenario, districts, impacts, Totals.of(impacts), needs, until, onset)


def units_of(scenario: Scenario) -> list[Unit]:
    kinds = {o.slug: o.kind for o in scenario.organisations}
    units: list[Unit] = []
    for a in scenario.assets:
        for i in range(1, a.count + 1):
            name = f"{a.name} {i}" if a.count > 1 else a.name
            units.append(
                Unit(
                    len(units),
                    name,
                    a.org,
                    kinds[a.org] == "military",
                    a.capability,
                    a.base.lon,
                    a.base.lat,
                    a.speed_kmh,
                    a.label,
                )
            )
    return units


def hospitals_of(scenario: Scenario) -> list[Hospital]:
    return [
        Hospital(f.name, f.location.lon, f.location.lat, f.capacity)
        for f in scenario.facilities
        if f.kind == "hospital"
    ]


def lead_org(scenario: Scenario) -> str:
    """The organisation that reports, requests and coordinates: the scenario's ``lead``, else the
    first civilian one (Oslo: civilian lead), else the first listed."""
    if scenario.lead is not None:
        return scenario.lead
    civil = [o.slug for o in scenario.organisations if o.kind == "civil"]
    return civil[0] if civil else scenario.organisations[0].slug


def visible_to_lead(scenario: Scenario) -> Callable[[Unit], bool]:
    """The releasability rule (``core.access``) applied to the lead coordinator and each unit."""
    org = next(o for o in scenario.organisations if o.slug == lead_org(scenario))
    lead = Principal(
        user_id="",
        username="",
        role=Role.coordinator,
        org_id="",
        org_slug=org.slug,
        org_kind=org.kind,
        nation=org.nation,
    )
    return lambda unit: can_read(lead, unit.label, participant=True)
