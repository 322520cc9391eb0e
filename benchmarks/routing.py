"""Relief distribution after the Seoul earthquake scenario: katchi's routing (PyVRP) against OR-Tools'
routing solver (guided local search), each for the same time limit on the same instance, integer
travel-time matrices and objective; both plans are checked by the same independent verifier.
Prints one JSON line.

The instance, the same for a seed:
- depots: the scenario's staging areas, warehouses and airports;
- shelters: the scenario's shelter facilities, topped up to 60 with points drawn inside the districts
  whose centre lies within 12 km of the epicentre, in proportion to their population; each holds
  150-1,200 people;
- demand: pallets of water and food, one per 250 people (1-5 a shelter); service 10 min + 2 min a
  pallet; deliveries 0-12 h after onset, except a third of the shelters, which take them only in a
  2-hour slot starting 1-8 h after onset;
- fleets: the scenario's truck_transport companies, each split evenly across the depots; a truck
  carries 10 pallets, is loaded 1 h after onset and must be back by 15 h.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import shapely
import shapely.geometry
import yaml
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit
from katchi.planning.optimiser.routing import Depot, Fleet, Stop, plan_distribution, travel_matrix

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "seoul-earthquake.yaml"
SHELTERS, RADIUS_KM, PEOPLE_PER_PALLET, TRUCK_PALLETS = 60, 12.0, 250, 10
READY_MIN, RETURN_BY_MIN, DAY_MIN = 60, 900, 720


@dataclass
class Instance:
    depots: list[Depot]
    stops: list[Stop]
    fleets: list[Fleet]
    #: Travel minutes by fleet speed, over depots then stops.
    matrices: dict[float, np.ndarray]


def instance(seed: int) -> Instance:
    scenario = yaml.safe_load(SCENARIO.read_text("utf-8"))
    facilities = scenario.get("facilities", [])
    depots = [
        Depot(f["name"], *f["location"]) for f in facilities if f["kind"] in {"staging_area", "warehouse", "airport"}
    ]
    rng = random.Random(seed)
    places = [(f["name"], *f["location"], f.get("capacity") or 0) for f in facilities if f["kind"] == "shelter"]
    places += [(f"shelter {k + 1}", lon, lat, 0) for k, (lon, lat) in enumerate(_points(scenario, rng))]
    stops = []
    for name, lon, lat, people in places[:SHELTERS]:
        people = people or rng.randrange(150, 1201, 50)
        pallets = math.ceil(people / PEOPLE_PER_PALLET)
        opens, closes = 0, DAY_MIN
        if rng.random() < 1 / 3:
            opens = 60 * rng.randint(1, 8)
            closes = opens + 120
        stops.append(Stop(name, lon, lat, pallets, opens, closes, 10 + 2 * pallets))
    fleets = []
    for a in scenario["assets"]:
        if a["capability"] != "truck_transport":
            continue
        for k, d in enumerate(depots):
            count = a.get("count", 1) // len(depots) + (k < a.get("count", 1) % len(depots))
            fleet_id = f"{a['name']} @ {d.id}"
            fleets.append(Fleet(fleet_id, d.id, count, TRUCK_PALLETS, float(a["speed_kmh"]), READY_MIN, RETURN_BY_MIN))
    lon = [p.lon for p in [*depots, *stops]]
    lat = [p.lat for p in [*depots, *stops]]
    return Instance(depots, stops, fleets, {f.speed_kmh: travel_matrix(lon, lat, f.speed_kmh) for f in fleets})


def _points(scenario: dict, rng: random.Random) -> list[tuple[float, float]]:
    """Shelter points inside the districts near the epicentre, by population."""
    lon0, lat0 = scenario["hazard"]["epicentre"]
    raw = resources.files("katchi.data").joinpath("korea/municipalities.geojson").read_text("utf-8")
    near = []
    for f in json.loads(raw)["features"]:
        shape = shapely.geometry.shape(f["geometry"])
        p = shape.representative_point()
        if math.hypot((p.x - lon0) * 111.32 * math.cos(math.radians(lat0)), (p.y - lat0) * 110.57) <= RADIUS_KM:
            near.append((shape, f["properties"]["population_2010"]))
    out = []
    for shape, _ in rng.choices(near, weights=[w for _, w in near], k=SHELTERS):
        x0, y0, x1, y1 = shape.bounds
        while not shapely.contains_xy(shape, x := rng.uniform(x0, x1), y := rng.uniform(y0, y1)):
            pass
        out.append((round(x, 5), round(y, 5)))
    return out


def per_pallet(inst: Instance) -> int:
    """The prize per pallet, as in katchi's routing: more than any plan's total travel."""
    return 2 * len(inst.stops) * max(int(m.max()) for m in inst.matrices.values()) + 1


def solve_ortools(inst: Instance, time_limit_s: float) -> list[tuple[int, list[int]]]:
    """(fleet index, stop indices in order) for each truck used, by OR-Tools on the same model."""
    nd, n = len(inst.depots), len(inst.stops)
    depot_of = {d.id: i for i, d in enumerate(inst.depots)}
    vehicles = [i for i, f in enumerate(inst.fleets) for _ in range(f.count)]
    starts = [depot_of[inst.fleets[i].depot_id] for i in vehicles]
    manager = pywrapcp.RoutingIndexManager(nd + n, len(vehicles), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    service = np.array([0] * nd + [s.service_min for s in inst.stops], dtype=np.int64)
    travel = {v: routing.RegisterTransitMatrix(m.tolist()) for v, m in inst.matrices.items()}
    # Time: service at the stop left, then the travel; the time at a stop is when service starts.
    busy = {v: routing.RegisterTransitMatrix((m + service[:, None]).tolist()) for v, m in inst.matrices.items()}
    speed = [inst.fleets[i].speed_kmh for i in vehicles]
    for v, s in enumerate(speed):
        routing.SetArcCostEvaluatorOfVehicle(travel[s], v)
    load = routing.RegisterUnaryTransitVector([0] * nd + [s.demand for s in inst.stops])
    routing.AddDimensionWithVehicleCapacity(load, 0, [inst.fleets[i].capacity for i in vehicles], True, "Load")
    horizon = max(RETURN_BY_MIN, *(s.window_close_min for s in inst.stops))
    routing.AddDimensionWithVehicleTransits([busy[s] for s in speed], horizon, horizon, False, "Time")
    clock = routing.GetDimensionOrDie("Time")
    prize = per_pallet(inst)
    for j, s in enumerate(inst.stops):
        index = manager.NodeToIndex(nd + j)
        clock.CumulVar(index).SetRange(s.window_open_min, s.window_close_min)
        routing.AddDisjunction([index], prize * max(1, s.demand))
    for v, i in enumerate(vehicles):
        f = inst.fleets[i]
        clock.CumulVar(routing.Start(v)).SetMin(f.ready_min)
        clock.CumulVar(routing.End(v)).SetMax(f.return_by_min if f.return_by_min is not None else horizon)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(round(time_limit_s * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    out = []
    for v, i in enumerate(vehicles):
        index, trip = solution.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(index):
            trip.append(manager.IndexToNode(index) - nd)
            index = solution.Value(routing.NextVar(index))
        if trip:
            out.append((i, trip))
    return out


def solve_pyvrp(inst: Instance, time_limit_s: float, seed: int) -> list[tuple[int, list[int]]]:
    plan = plan_distribution(inst.depots, inst.stops, inst.fleets, time_limit_s=time_limit_s, seed=seed)
    fleet = {f.id: i for i, f in enumerate(inst.fleets)}
    stop = {s.id: j for j, s in enumerate(inst.stops)}
    return [(fleet[r.fleet_id], [stop[v.stop_id] for v in r.visits]) for r in plan.routes if r.visits]


def verify(inst: Instance, trips: list[tuple[int, list[int]]]) -> dict[str, object]:
    """Every constraint, checked from scratch on the earliest schedule of each trip: trucks per fleet,
    each stop at most once, capacity, windows, return time; and the plan's figures."""
    nd = len(inst.depots)
    depot_of = {d.id: i for i, d in enumerate(inst.depots)}
    ok = all(sum(1 for i, _ in trips if i == k) <= f.count for k, f in enumerate(inst.fleets))
    visited = [j for _, trip in trips for j in trip]
    ok &= len(visited) == len(set(visited))
    travel = 0
    for i, trip in trips:
        f, m = inst.fleets[i], inst.matrices[inst.fleets[i].speed_kmh]
        ok &= sum(inst.stops[j].demand for j in trip) <= f.capacity
        here, t = depot_of[f.depot_id], f.ready_min
        for j in trip:
            s = inst.stops[j]
            travel += int(m[here, nd + j])
            start = max(t + int(m[here, nd + j]), s.window_open_min)
            ok &= start <= s.window_close_min
            here, t = nd + j, start + s.service_min
        travel += int(m[here, depot_of[f.depot_id]])
        t += int(m[here, depot_of[f.depot_id]])
        ok &= f.return_by_min is None or t <= f.return_by_min
    return {
        "travel_min": travel,
        "stops_served": len(set(visited)),
        "pallets_served": sum(inst.stops[j].demand for j in set(visited)),
        "vehicles_used": len(trips),
        "feasible": bool(ok),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Relief distribution: PyVRP against OR-Tools, one JSON line.")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds for each solver")
    parser.add_argument("--seed", type=int, default=1, help="draws the shelters and seeds PyVRP's search")
    args = parser.parse_args()
    inst = instance(args.seed)
    figures = {}
    for name, solve in [
        ("pyvrp", lambda: solve_pyvrp(inst, args.time_limit, args.seed)),
        ("ortools", lambda: solve_ortools(inst, args.time_limit)),
    ]:
        t0 = time.perf_counter()
        trips = solve()
        wall = time.perf_counter() - t0
        figures[name] = verify(inst, trips) | {"wall_s": round(wall, 2)}
    emit(
        {
            "benchmark": "routing",
            "depots": len(inst.depots),
            "shelters": len(inst.stops),
            "trucks": sum(f.count for f in inst.fleets),
            "pallets": sum(s.demand for s in inst.stops),
            "time_limit_s": args.time_limit,
            "seed": args.seed,
            **figures,
            "travel_ratio_pyvrp_ortools": round(figures["pyvrp"]["travel_min"] / figures["ortools"]["travel_min"], 3)
            if figures["ortools"]["travel_min"]
            else None,
        }
    )


if __name__ == "__main__":
    main()
