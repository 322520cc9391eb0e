"""A relief-distribution plan for an operation's coordinators: a day's water from its staging
areas to its occupied shelters by the available truck companies, built only from what the
coordinator may read and from trucks whose owners take part; within capacity and the window."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World


def _facility(client: httpx.Client, op: str, kind: str, name: str, where: dict[str, Any], **extra: Any) -> str:
    body = {"kind": kind, "name": name, "location": where} | extra
    return str(ok(client.post(f"/operations/{op}/facilities", json=body), 201)["id"])


def test_distribution_serves_the_shelters_the_coordinator_sees_with_trucks_that_may_go(
    server: LiveServer, world: World
) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    redcross, usav = server.client(world.tokens["redcross"]), server.client(world.tokens["usav"])
    op = create_operation(coord, ["kor-army", "kor-redcross", "kor-province"])["id"]
    problem(coord.get(f"/operations/{op}/distribution"), 422)  # nowhere to load yet
    _facility(coord, op, "staging_area", "Seoul Air Base staging", point(127.11, 37.44))
    big = _facility(coord, op, "shelter", "Jamsil gym", point(127.07, 37.52), capacity=5000, occupancy=3000)
    small = _facility(coord, op, "shelter", "Mapo school", point(126.90, 37.56), capacity=800, occupancy=400)
    _facility(coord, op, "shelter", "Empty hall", point(127.0, 37.5), occupancy=0)
    _facility(coord, op, "shelter", "Closed gym", point(127.0, 37.55), occupancy=500, status="closed")
    hidden = _facility(redcross, op, "shelter", "KRC own shelter", point(126.95, 37.6), occupancy=300,
                       label="org:kor-redcross")  # fmt: skip
    trucks = ok(roka.post("/assets", json={"name": "ROKA transport coy", "capability": "truck_transport",
                                            "capacity": 3, "location": point(127.05, 37.45)}), 201)["id"]  # fmt: skip
    ok(roka.post("/assets", json={"name": "ROKA reserve trucks", "capability": "truck_transport", "capacity": 5,
                                  "location": point(127.05, 37.45), "label": "org:kor-army"}), 201)  # fmt: skip
    ok(usav.post("/assets", json={"name": "US trucks (not taking part)", "capability": "truck_transport",
                                  "capacity": 5, "location": point(127.03, 36.96)}), 201)  # fmt: skip

    problem(server.client(world.tokens["province"]).get(f"/operations/{op}/distribution"), 403)
    plan = ok(coord.get(f"/operations/{op}/distribution", params={"hours": 12, "time_limit_s": 1}))
    assert plan["feasible"] and plan["unserved"] == []
    assert plan["pallets"] == 12 + 2 == plan["pallets_served"]  # 3,000 and 400 people at 250 a pallet
    visits = [v for r in plan["routes"] for v in r["visits"]]
    assert {v["facility_id"] for v in visits} == {big, small}
    assert hidden not in {v["facility_id"] for v in visits}
    assert sum(v["pallets"] for v in visits if v["facility_id"] == big) == 12  # two deliveries: 10 + 2
    assert {r["asset_id"] for r in plan["routes"]} == {trucks}  # not the hidden one, not the outsider's
    assert len({r["vehicle"] for r in plan["routes"]}) == len(plan["routes"]) <= 3
    for r in plan["routes"]:
        assert r["pallets"] <= 10 and r["depot_name"] == "Seoul Air Base staging"
        assert all(0 < v["arrive_min"] <= v["start_min"] <= 12 * 60 for v in r["visits"])
    problem(roka.get(f"/operations/{op}/distribution"), 403)  # ROK Army takes part but does not coordinate


def test_nothing_to_carry_or_nothing_to_carry_it_with_is_an_empty_plan(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])["id"]
    _facility(coord, op, "warehouse", "Depot", point(127.11, 37.44))
    empty = ok(coord.get(f"/operations/{op}/distribution"))
    assert (empty["routes"], empty["unserved"], empty["pallets"]) == ([], [], 0)
    shelter = _facility(coord, op, "shelter", "Gym", point(127.07, 37.52), occupancy=100)
    no_trucks = ok(coord.get(f"/operations/{op}/distribution"))
    assert no_trucks["unserved"] == [shelter] and no_trucks["pallets"] == 1 and no_trucks["pallets_served"] == 0


def test_one_plan_is_solved_at_a_time_and_nonsense_bounds_are_refused(server: LiveServer, world: World) -> None:
    from katchi.web.routes.planning import SOLVING

    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])["id"]
    _facility(coord, op, "warehouse", "Depot", point(127.11, 37.44))
    problem(coord.get(f"/operations/{op}/distribution", params={"time_limit_s": 60}), 422)
    problem(coord.get(f"/operations/{op}/distribution", params={"hours": 0}), 422)
    assert SOLVING.acquire(blocking=False)
    try:
        busy = problem(coord.get(f"/operations/{op}/distribution"), 429)
        assert "try again" in busy["detail"]
    finally:
        SOLVING.release()
    ok(coord.get(f"/operations/{op}/distribution"))
