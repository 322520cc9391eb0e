"""Relief distribution: which truck carries which shelters' pallets, in which order, from several
depots. A capacitated vehicle routing problem with time windows, solved by PyVRP.

The model:
- a fleet is a number of alike trucks at one depot; each truck makes at most one trip, leaving
  when its fleet is ready and back at the same depot by the fleet's return time, if it has one;
- a truck's load, the sum of its stops' demands, never exceeds its capacity: a stop is served
  whole by one truck or not at all;
- service at a stop starts inside the stop's window (a truck that arrives early waits) and takes
  the stop's service time;
- travel by road: the equirectangular distance × ``ROAD_FACTOR`` at the fleet's speed, rounded up
  to whole minutes (PyVRP works in integers; rounding up never promises an arrival too early);
- every stop is optional, with a prize per pallet larger than any plan's total travel: the plan
  delivers as many pallets as it can (a stop without demand counts as one), then travels as few
  minutes as it can. An instance that cannot be served whole still answers, naming the stops it
  leaves unserved.
Capacity, windows and return times are hard. Each route is reported with its earliest schedule:
out as soon as the fleet is ready, each service as early as its window allows. Stops no truck
could serve on its own (more than any truck carries, or out of reach within their window) are set
aside before the search. PyVRP is a heuristic (iterated local search): the plan is the best found
within the time limit, not a proven optimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from katchi.planning.optimiser.assign import arrival_min

#: PyVRP's "no limit" for a time.
UNBOUNDED = int(np.iinfo(np.int64).max)


@dataclass(frozen=True, slots=True)
class Depot:
    """Where trucks load and return."""

    id: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class Stop:
    """A shelter's delivery: ``demand`` in pallets; times in minutes from the plan's start."""

    id: str
    lon: float
    lat: float
    demand: int
    window_open_min: int = 0
    window_close_min: int = 720
    service_min: int = 10

    def __post_init__(self) -> None:
        if self.demand < 0 or self.service_min < 0 or not 0 <= self.window_open_min <= self.window_close_min:
            raise ValueError(f"stop {self.id}: demand and service must be ≥ 0 and 0 ≤ window open ≤ close")


@dataclass(frozen=True, slots=True)
class Fleet:
    """``count`` alike trucks based at one depot; ``capacity`` in pallets."""

    id: str
    depot_id: str
    count: int
    capacity: int
    speed_kmh: float
    ready_min: int = 0
    return_by_min: int | None = None


@dataclass(frozen=True, slots=True)
class Visit:
    stop_id: str
    arrive_min: int
    #: When service starts: the arrival or the window's opening, whichever is later.
    start_min: int


@dataclass(frozen=True, slots=True)
class Route:
    """One truck's trip; ``vehicle`` is ``<fleet id>/<n>``."""

    vehicle: str
    fleet_id: str
    depot_id: str
    visits: tuple[Visit, ...]
    load: int
    travel_min: int
    depart_min: int
    return_min: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """The plan. ``feasible`` is False only if the search found no plan keeping every constraint
    within the time limit (serving nothing always does, so this is rare): its routes are then the
    best it found, for diagnosis, and must not be dispatched."""

    routes: tuple[Route, ...]
    unserved: tuple[str, ...]
    travel_min: int
    feasible: bool

    @property
    def served(self) -> tuple[str, ...]:
        return tuple(v.stop_id for r in self.routes for v in r.visits)


def travel_matrix(lon: Sequence[float], lat: Sequence[float], speed_kmh: float) -> np.ndarray:
    """Whole minutes by road between every pair of points (row: from, column: to), rounded up."""
    x, y = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    minutes = arrival_min(
        x[None, :],
        y[None, :],
        x[:, None],
        y[:, None],
        speed=np.asarray(speed_kmh, dtype=float),
        air=np.asarray(False),
        mobilise=np.asarray(0.0),
    )
    return np.maximum(0, np.ceil(minutes - 1e-9)).astype(np.int64)


def serves_alone(fleet: Fleet, stop: Stop, out_min: int, back_min: int) -> bool:
    """Whether a truck of ``fleet`` could serve ``stop`` on a trip of its own, ``out_min`` and
    ``back_min`` being the travel from its depot and back."""
    start = max(fleet.ready_min + out_min, stop.window_open_min)
    back = start + stop.service_min + back_min
    return (
        stop.demand <= fleet.capacity
        and start <= stop.window_close_min
        and (fleet.return_by_min is None or back <= fleet.return_by_min)
    )


def plan_distribution(
    depots: Sequence[Depot],
    stops: Sequence[Stop],
    fleets: Sequence[Fleet],
    *,
    time_limit_s: float,
    seed: int = 0,
) -> Distribution:
    """The best distribution plan PyVRP finds within ``time_limit_s`` (see the module's docstring).

    Raises ValueError on duplicate ids or a fleet at an unknown depot; an instance that cannot be
    served whole is not an error."""
    depot_of = {d.id: i for i, d in enumerate(depots)}
    if len(depot_of) != len(depots) or len({s.id for s in stops}) != len(stops):
        raise ValueError("depot and stop ids must be unique")
    if len({f.id for f in fleets}) != len(fleets):
        raise ValueError("fleet ids must be unique")
    if unknown := sorted({f.depot_id for f in fleets} - depot_of.keys()):
        raise ValueError(f"fleets at unknown depots: {', '.join(unknown)}")
    fleets = [f for f in fleets if f.count > 0]
    nd = len(depots)
    lon = [d.lon for d in depots] + [s.lon for s in stops]
    lat = [d.lat for d in depots] + [s.lat for s in stops]
    speeds = sorted({f.speed_kmh for f in fleets})
    # Typed Any: PyVRP's stub spells a matrix ``ndarray[int]``, which no array matches.
    matrices: list[Any] = [travel_matrix(lon, lat, v) for v in speeds]
    profile = {v: i for i, v in enumerate(speeds)}

    def servable(i: int) -> bool:
        for f in fleets:
            m, d = matrices[profile[f.speed_kmh]], depot_of[f.depot_id]
            if serves_alone(f, stops[i], int(m[d, nd + i]), int(m[nd + i, d])):
                return True
        return False

    kept = [i for i in range(len(stops)) if servable(i)]
    if not kept:
        return Distribution((), tuple(s.id for s in stops), 0, True)
    points = list(range(nd)) + [nd + i for i in kept]
    matrices = [m[np.ix_(points, points)] for m in matrices]
    # Serving one more pallet must outweigh any change of travel: a plan has at most two arcs per
    # stop (a trip of its own), none longer than the longest in the matrices.
    per_pallet = 2 * len(kept) * max(int(m.max()) for m in matrices) + 1
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(x=lon[p], y=lat[p]) for p in points],
        clients=[
            pyvrp.Client(
                location=nd + k,
                delivery=[stops[i].demand],
                service_duration=stops[i].service_min,
                tw_early=stops[i].window_open_min,
                tw_late=stops[i].window_close_min,
                prize=per_pallet * max(1, stops[i].demand),
                required=False,
                name=stops[i].id,
            )
            for k, i in enumerate(kept)
        ],
        depots=[pyvrp.Depot(location=j, name=d.id) for j, d in enumerate(depots)],
        vehicle_types=[_vehicle_type(f, depot_of[f.depot_id], profile[f.speed_kmh]) for f in fleets],
        distance_matrices=matrices,  # the cost: minutes travelled
        duration_matrices=matrices,
    )
    result = pyvrp.solve(data, MaxRuntime(time_limit_s), seed=seed, collect_stats=False, display=False)
    routes: list[Route] = []
    used = dict.fromkeys(range(len(fleets)), 0)
    for r in result.best.routes():
        used[r.vehicle_type()] += 1
        f = fleets[r.vehicle_type()]
        trip = [(nd + a.idx, stops[kept[a.idx]]) for a in r.schedule() if a.is_client()]
        name = f"{f.id}/{used[r.vehicle_type()]}"
        routes.append(_route(name, f, depot_of[f.depot_id], trip, matrices[profile[f.speed_kmh]]))
    served = {v.stop_id for r in routes for v in r.visits}
    return Distribution(
        tuple(routes),
        tuple(s.id for s in stops if s.id not in served),
        sum(r.travel_min for r in routes),
        bool(result.is_feasible()),
    )


def _route(name: str, f: Fleet, depot: int, trip: list[tuple[int, Stop]], m: np.ndarray) -> Route:
    """The trip's earliest schedule: out as soon as the fleet is ready, each service as early as
    its window allows (PyVRP's own schedule may leave later to wait less; relief should not)."""
    t, here, travel, visits = f.ready_min, depot, 0, []
    for at, s in trip:
        leg = int(m[here, at])
        travel += leg
        start = max(t + leg, s.window_open_min)
        visits.append(Visit(s.id, t + leg, start))
        t, here = start + s.service_min, at
    back = int(m[here, depot])
    load = sum(s.demand for _, s in trip)
    return Route(name, f.id, f.depot_id, tuple(visits), load, travel + back, f.ready_min, t + back)


def _vehicle_type(f: Fleet, depot: int, profile: int) -> pyvrp.VehicleType:
    return pyvrp.VehicleType(
        num_available=f.count,
        capacity=[f.capacity],
        start_depot=depot,
        end_depot=depot,
        tw_early=f.ready_min,
        tw_late=UNBOUNDED if f.return_by_min is None else f.return_by_min,
        profile=profile,
        name=f.id,
    )
