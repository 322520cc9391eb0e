"""Recommended assignments for an operation's validated RFAs: never an asset the coordinator may
not see, never one whose caveats forbid the request, never a military asset where a civilian one
arrives in time; accepting one is the ordinary ``task`` action, with the reason as justification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World
from tests.web.test_plan_gaps import BUSAN, NEAR, _asset
from tests.web.test_plans import SEOUL


def _validated(client: httpx.Client, op_id: str, title: str, capability: str, **extra: Any) -> str:
    body = {"title": title, "capability": capability, "location": point(), "submit": True} | extra
    rfa = ok(client.post(f"/operations/{op_id}/rfas", json=body), 201)
    ok(client.post(f"/rfas/{rfa['id']}/actions/validate"))
    return str(rfa["id"])


def test_recommendations_keep_to_what_the_coordinator_sees_caveats_and_the_last_resort(
    server: LiveServer, world: World
) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    redcross, usav = server.client(world.tokens["redcross"]), server.client(world.tokens["usav"])
    op = create_operation(coord, ["kor-army", "kor-redcross", "us-aviation", "kor-province"])["id"]
    # Water: a civilian unit nearby and a closer military one: civilian first.
    krc_water = _asset(redcross, "KRC water unit", "water_purification", point(126.99, 37.57))
    _asset(roka, "ROKA water unit", "water_purification", point(126.978, 37.566))
    # Rescue needed within the hour: the only civilian team is in Busan, so a military one.
    _asset(redcross, "KRC USAR Busan", "usar_heavy", BUSAN)
    roka_usar = _asset(roka, "ROKA USAR", "usar_heavy", NEAR)
    # Trucks for security work: the nearest excludes it; the nearer still is hidden from KOR CMOC.
    _asset(
        usav,
        "US trucks (no security)",
        "truck_transport",
        point(126.979, 37.566),
        caveats={"excluded_tasks": ["security"]},
    )
    _asset(roka, "ROKA trucks (own eyes only)", "truck_transport", point(126.978, 37.566), label="org:kor-army")
    roka_trucks = _asset(roka, "ROKA trucks", "truck_transport", point(127.2, 37.4))

    water = _validated(coord, op, "Water for shelter", "water_purification", priority="high")
    rescue = _validated(
        coord, op, "Trapped people", "usar_heavy", priority="critical",
        needed_by=(datetime.now(UTC) + timedelta(minutes=60)).isoformat(),
    )  # fmt: skip
    trucks = _validated(coord, op, "Escort convoy", "truck_transport", task_codes=["security"])
    _validated(coord, op, "Heavy lift", "heavy_lift_helicopter")  # nothing to recommend

    problem(server.client(world.tokens["province"]).get(f"/operations/{op}/recommendations"), 403)
    recs = {r["rfa_id"]: r for r in ok(coord.get(f"/operations/{op}/recommendations"))["items"]}
    assert set(recs) == {water, rescue, trucks}
    assert recs[water]["asset_id"] == krc_water and not recs[water]["military"]
    assert recs[water]["reason"].startswith("civilian first: KRC water unit arrives in")
    assert recs[rescue]["asset_id"] == roka_usar and recs[rescue]["military"]
    assert recs[rescue]["reason"].startswith("military last resort: no civilian usar_heavy asset can arrive within")
    assert recs[trucks]["asset_id"] == roka_trucks  # not the caveat-breaking one, not the hidden one
    assert all(r["eta_min"] > 0 for r in recs.values())

    # Accept: the ordinary task action, the recommendation's reason recorded as the justification.
    r = recs[rescue]
    tasked = ok(
        coord.post(f"/rfas/{rescue}/actions/task", json={"asset_id": r["asset_id"], "justification": r["reason"]})
    )
    assert tasked["state"] == "tasked" and tasked["tasking"]["last_resort"]["justification"] == r["reason"]
    assert rescue not in {x["rfa_id"] for x in ok(coord.get(f"/operations/{op}/recommendations"))["items"]}


def test_an_asset_whose_owner_cannot_read_the_rfa_is_not_recommended(server: LiveServer, world: World) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    usav = server.client(world.tokens["usav"])
    op = create_operation(coord, ["kor-army", "us-aviation"])["id"]
    _asset(usav, "US water unit", "water_purification", point(126.978, 37.566))
    roka_water = _asset(roka, "ROKA water unit", "water_purification", point(127.1, 37.5))
    rfa = _validated(coord, op, "Water (KOR only)", "water_purification", label="nation:KOR")
    recs = ok(coord.get(f"/operations/{op}/recommendations"))["items"]
    assert [(r["rfa_id"], r["asset_id"]) for r in recs] == [(rfa, roka_water)]


def test_an_rfa_over_an_area_gets_only_assets_allowed_in_all_of_it(server: LiveServer, world: World) -> None:
    """RFAs from an activated plan cover the plan's area: an asset whose owner allows only part of
    it is not recommended (tasking it would be refused), and what is recommended can be tasked."""
    coord, redcross = server.client(world.tokens["coord"]), server.client(world.tokens["redcross"])
    op = create_operation(coord, ["kor-redcross"])["id"]
    west = {
        "type": "Polygon",
        "coordinates": [[[126.5, 37.3], [126.98, 37.3], [126.98, 37.8], [126.5, 37.8], [126.5, 37.3]]],
    }
    _asset(redcross, "KRC west-only team", "usar_heavy", point(126.9, 37.55), caveats={"area": west})
    rfa = _validated(coord, op, "Search Seoul", "usar_heavy", location=SEOUL)
    assert ok(coord.get(f"/operations/{op}/recommendations"))["items"] == []
    anywhere = _asset(redcross, "KRC national team", "usar_heavy", point(127.2, 37.3))
    (rec,) = ok(coord.get(f"/operations/{op}/recommendations"))["items"]
    assert (rec["rfa_id"], rec["asset_id"]) == (rfa, anywhere)
    ok(coord.post(f"/rfas/{rfa}/actions/task", json={"asset_id": anywhere, "justification": rec["reason"]}))
