"""A relief-distribution plan for an operation's coordinators: which truck takes a day's water
to which shelters, from which staging area, in what order (``planning.optimiser.routing``).

It is read from what the coordinator may read: the operation's staging areas and warehouses
(depots), its occupied shelters (stops; a day's water for their occupants), and the available
truck companies the operation works with whose owners take part. It changes nothing: the plan is
advice, and trucks are tasked through RFAs as always."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.cop import Facility
from katchi.core import Forbidden, Invalid
from katchi.core.access import Principal, label_filter
from katchi.operations import coordinates, visible_operation
from katchi.planning.optimiser.assign import arrival_min
from katchi.planning.optimiser.routing import Depot, Fleet, Stop, plan_distribution
from katchi.planning.supply import available_assets, owner_takes_part, point_of

#: People a pallet serves for a day: ~1,000 L of water at 4 L a person (drinking and cooking,
#: above the Sphere minimum of 2.5–3 L for drinking alone).
PEOPLE_PER_PALLET = 250
#: Pallets a cargo truck carries.
PALLETS_PER_TRUCK = 10
#: Minutes a delivery takes at a shelter.
SERVICE_MIN = 20
#: Minutes before a truck company can leave its base.
MOBILISE_MIN = 15.0
DEPOT_KINDS = ("staging_area", "warehouse")
#: The most deliveries one plan takes (the solver's matrices grow with their square).
MAX_STOPS = 1000


class VisitRead(BaseModel):
    facility_id: str
    name: str
    pallets: int
    arrive_min: int
    start_min: int


class RouteRead(BaseModel):
    asset_id: str
    asset_name: str
    #: The truck of the company (``<asset id>/<n>``).
    vehicle: str
    depot_id: str
    depot_name: str
    visits: list[VisitRead]
    pallets: int
    travel_min: int
    depart_min: int
    return_min: int


class DistributionRead(BaseModel):
    """Minutes are from now (the operation's time); ``feasible`` false: no plan found in time."""

    routes: list[RouteRead]
    unserved: list[str]
    pallets: int
    pallets_served: int
    travel_min: int
    feasible: bool


@dataclass(frozen=True)
class Problem:
    """What a distribution plan is solved from, read while the session is open; solving needs none."""

    depots: list[Depot]
    stops: list[Stop]
    fleets: list[Fleet]
    names: dict[str, str]
    trucks: dict[str, str]


def distribution_problem(session: Session, principal: Principal, op_id: str, *, hours: float = 12.0) -> Problem:
    """Deliveries within ``hours`` from now, from what the coordinator may read."""
    view = visible_operation(session, principal, op_id)
    if not coordinates(session, principal, view):
        raise Forbidden("only the operation's coordinators plan its relief distribution")
    readable = label_filter(Facility.label, principal, participant=view.participant)
    facilities = session.scalars(
        select(Facility)
        .where(Facility.operation_id == view.id, readable, Facility.status.not_in(("closed", "damaged")))
        .order_by(Facility.id)
    ).all()
    depots = [f for f in facilities if f.kind in DEPOT_KINDS]
    if not depots:
        raise Invalid("the operation has no staging area or warehouse you can see to load trucks at")
    shelters = [f for f in facilities if f.kind == "shelter" and f.occupancy > 0]
    rows = available_assets(session, principal, view, {"truck_transport"})
    window = int(hours * 60)
    depot_points = [point_of(d.location) for d in depots]
    depot_lon, depot_lat = np.array([p[0] for p in depot_points]), np.array([p[1] for p in depot_points])
    fleets: list[Fleet] = []
    trucks: dict[str, str] = {}
    for asset, org in rows:
        if asset.capacity < 1 or not owner_takes_part(session, view, org):
            continue
        lon, lat = point_of(asset.location)
        minutes = arrival_min(
            depot_lon, depot_lat, np.asarray(lon), np.asarray(lat),
            speed=np.asarray(asset.speed_kmh or 1.0), air=np.asarray(False), mobilise=np.asarray(MOBILISE_MIN),
        ).tolist()  # fmt: skip
        best = min(range(len(depots)), key=minutes.__getitem__)
        trucks[asset.id] = asset.name
        fleets.append(
            Fleet(
                id=asset.id,
                depot_id=depots[best].id,
                count=asset.capacity,
                capacity=PALLETS_PER_TRUCK,
                speed_kmh=asset.speed_kmh or 1.0,
                ready_min=math.ceil(minutes[best]),
                return_by_min=window + 6 * 60,
            )
        )
    stops = []
    # A truck makes one trip: a shelter gets at most one delivery per truck.
    most = sum(f.count for f in fleets) or 1
    for f in shelters:
        lon, lat = point_of(f.location)
        # A shelter needing more than a truckload is several deliveries (``<id>#<n>``).
        left, part = math.ceil(f.occupancy / PEOPLE_PER_PALLET), 0
        while left > 0 and part < most:
            load = min(left, PALLETS_PER_TRUCK)
            stop_id = f.id if part == 0 and load == left else f"{f.id}#{part + 1}"
            stops.append(Stop(stop_id, lon, lat, load, 0, window, SERVICE_MIN))
            left, part = left - load, part + 1
    if len(stops) > MAX_STOPS:
        raise Invalid(
            f"{len(stops)} deliveries are more than one plan takes ({MAX_STOPS}): ask for fewer hours, "
            "or plan for part of the operation's shelters"
        )
    depot_list = [Depot(d.id, *point_of(d.location)) for d in depots]
    return Problem(depot_list, stops, fleets, {f.id: f.name for f in facilities}, trucks)


def solve_distribution(problem: Problem, *, time_limit_s: float = 3.0) -> DistributionRead:
    """The plan PyVRP finds within ``time_limit_s`` for ``problem``."""
    stops, fleets, names, trucks = problem.stops, problem.fleets, problem.names, problem.trucks
    demand = {s.id: s.demand for s in stops}
    if not stops or not fleets:
        return DistributionRead(
            routes=[], unserved=_facilities(s.id for s in stops), pallets=sum(demand.values()), pallets_served=0,
            travel_min=0, feasible=True,
        )  # fmt: skip
    plan = plan_distribution(problem.depots, stops, fleets, time_limit_s=time_limit_s)
    routes = [
        RouteRead(
            asset_id=r.fleet_id,
            asset_name=trucks[r.fleet_id],
            vehicle=r.vehicle,
            depot_id=r.depot_id,
            depot_name=names[r.depot_id],
            visits=[
                VisitRead(
                    facility_id=_facility(v.stop_id),
                    name=names[_facility(v.stop_id)],
                    pallets=demand[v.stop_id],
                    arrive_min=v.arrive_min,
                    start_min=v.start_min,
                )
                for v in r.visits
            ],
            pallets=r.load,
            travel_min=r.travel_min,
            depart_min=r.depart_min,
            return_min=r.return_min,
        )
        for r in plan.routes
    ]
    return DistributionRead(
        routes=routes,
        unserved=_facilities(plan.unserved),
        pallets=sum(demand.values()),
        pallets_served=sum(r.pallets for r in routes),
        travel_min=plan.travel_min,
        feasible=plan.feasible,
    )


def _facility(stop_id: str) -> str:
    return stop_id.partition("#")[0]


def _facilities(stop_ids: Iterable[str]) -> list[str]:
    """The shelters some of whose deliveries are left unserved."""
    return list(dict.fromkeys(_facility(i) for i in stop_ids))
