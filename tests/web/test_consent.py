"""Tasking is a request to the asset's owner, never a lock: the owner must be able to read the RFA,
reads the tasking, and commits the asset by accepting one request among several."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World


def _rfa(client: httpx.Client, op_id: str, title: str, label: str = "alliance") -> dict[str, Any]:
    body = {"title": title, "capability": "water_purification", "location": point(), "label": label, "submit": True}
    rfa = ok(client.post(f"/operations/{op_id}/rfas", json=body), 201)
    ok(client.post(f"/rfas/{rfa['id']}/actions/validate"))
    return rfa  # type: ignore[no-any-return]


def test_tasking_an_asset_to_an_rfa_its_owner_cannot_read_is_refused(server: LiveServer, world: World) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    op = create_operation(coord, ["kor-army"])
    unit = ok(
        roka.post("/assets", json={"name": "ROKA water unit", "capability": "water_purification", "location": point()}),
        201,
    )
    rfa = _rfa(coord, op["id"], "Water for the shelter", label="org:kor-cmoc")
    body = problem(coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": unit["id"]}), 422)
    assert "kor-army cannot read this RFA" in body["detail"] and "release" in body["detail"]
    assert ok(roka.get(f"/assets/{unit['id']}"))["status"] == "available"  # nothing was locked
    ok(coord.post(f"/rfas/{rfa['id']}/release", json={"label": "alliance"}))
    ok(coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": unit["id"]}))
    seen = ok(roka.get(f"/rfas/{rfa['id']}"))  # the owner reads the request and its tasking
    assert seen["title"] == "Water for the shelter" and seen["tasking"]["asset_id"] == unit["id"]


def test_a_requested_asset_is_committed_only_by_its_owners_acceptance(server: LiveServer, world: World) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    op = create_operation(coord, ["kor-army"])
    unit = ok(
        roka.post("/assets", json={"name": "ROKA water unit", "capability": "water_purification", "location": point()}),
        201,
    )
    first, second, third = (_rfa(coord, op["id"], t) for t in ("Shelter A", "Shelter B", "Shelter C"))
    for rfa in (first, second, third):
        tasked = ok(coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": unit["id"]}))
        assert tasked["state"] == "tasked"
    assert ok(roka.get(f"/assets/{unit['id']}"))["status"] == "requested"
    problem(roka.patch(f"/assets/{unit['id']}", json={"status": "unavailable"}), 403)  # answer the requests first
    ok(roka.post(f"/rfas/{third['id']}/actions/decline", json={"reason": "too far"}))
    assert ok(roka.get(f"/assets/{unit['id']}"))["status"] == "requested"  # two requests still stand
    ok(roka.post(f"/rfas/{first['id']}/actions/accept"))
    assert ok(roka.get(f"/assets/{unit['id']}"))["status"] == "tasked"
    other = ok(coord.get(f"/rfas/{second['id']}"))
    assert other["state"] == "declined" and other["tasking"]["status"] == "declined"
    step = items(coord, f"/operations/{op['id']}/timeline")[-1]
    assert step["kind"] == "tasking.rfa.declined" and step["subject"]["id"] == second["id"]
    assert "committed to another request" in step["payload"]["reason"]
    problem(coord.post(f"/rfas/{second['id']}/actions/task", json={"asset_id": unit["id"]}), 409)  # committed now
    ok(roka.post(f"/rfas/{first['id']}/actions/start"))
    ok(roka.post(f"/rfas/{first['id']}/actions/complete"))
    assert ok(roka.get(f"/assets/{unit['id']}"))["status"] == "available"
    ok(coord.post(f"/rfas/{second['id']}/actions/task", json={"asset_id": unit["id"]}))
    ok(coord.post(f"/rfas/{second['id']}/actions/cancel", json={"reason": "met otherwise"}))
    assert ok(roka.get(f"/assets/{unit['id']}"))["status"] == "available"
