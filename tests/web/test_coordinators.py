"""Who coordinates: only coordinators of the lead and of the co-coordinating organisations validate,
reject and task; incidents are edited by their reporting organisation or those coordinators."""

from __future__ import annotations

import httpx

from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World


def _rfa(client: httpx.Client, op_id: str) -> dict:
    return ok(
        client.post(
            f"/operations/{op_id}/rfas",
            json={"title": "Water", "capability": "water_purification", "location": point(), "submit": True},
        ),
        201,
    )


def test_a_coordinator_of_another_participant_may_not_validate_reject_or_task(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])  # kor-cmoc: creator, so the lead's coordinator
    us = server.client(world.tokens["uscoord"])  # us-liaison: a coordinator, but not of this operation
    op = create_operation(coord, ["kor-province", "us-liaison"])
    assert op["coordinators"] == ["kor-cmoc"]
    rfa = _rfa(coord, op["id"])
    for action in ("validate", "reject"):
        body = problem(us.post(f"/rfas/{rfa['id']}/actions/{action}"), 403)
        assert "coordinator" in body["detail"]
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate"))
    problem(us.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": "x"}), 403)
    # The lead names us-liaison a co-coordinator: now its coordinator may act.
    named = ok(coord.put(f"/operations/{op['id']}/coordinators", json={"coordinators": ["us-liaison"]}))
    assert named["coordinators"] == ["kor-cmoc", "us-liaison"]
    ok(us.post(f"/rfas/{rfa['id']}/actions/reject", json={"reason": "duplicate"}))
    kinds = [e["kind"] for e in ok(coord.get(f"/operations/{op['id']}/timeline"))["items"]]
    assert "operations.operation.coordinators_set" in kinds


def test_co_coordinators_named_at_opening_and_only_the_lead_changes_them(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    us = server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["kor-province", "us-liaison"], coordinators=["us-liaison"])
    assert op["coordinators"] == ["kor-cmoc", "us-liaison"]
    ok(us.post(f"/rfas/{_rfa(coord, op['id'])['id']}/actions/validate"))
    problem(us.put(f"/operations/{op['id']}/coordinators", json={"coordinators": []}), 403)
    body = problem(coord.put(f"/operations/{op['id']}/coordinators", json={"coordinators": ["kor-army"]}), 422)
    assert "participant" in body["detail"]
    bad = problem(create_operation_raw(coord, coordinators=["kor-army"]), 422)
    assert "participant" in bad["detail"]
    ok(coord.put(f"/operations/{op['id']}/coordinators", json={"coordinators": []}))
    problem(us.post(f"/rfas/{_rfa(coord, op['id'])['id']}/actions/validate"), 403)


def create_operation_raw(client: httpx.Client, **extra: object) -> httpx.Response:
    body = {"name": "x", "hazard": "flood", "participants": ["kor-province"]} | extra
    return client.post("/operations", json=body)


def test_incident_is_edited_by_its_reporting_organisation_or_the_coordinators(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    province = server.client(world.tokens["province"])  # contributor of kor-province
    redcross = server.client(world.tokens["redcross"])  # asset manager of kor-redcross
    op = create_operation(coord, ["kor-province", "kor-redcross"])
    inc = ok(
        province.post(
            f"/operations/{op['id']}/incidents",
            json={"kind": "fire", "title": "Market fire", "severity": "moderate", "location": point()},
        ),
        201,
    )
    body = problem(redcross.patch(f"/incidents/{inc['id']}", json={"status": "closed"}), 403)
    assert "reporting organisation" in body["detail"]
    assert ok(province.patch(f"/incidents/{inc['id']}", json={"severity": "severe"}))["severity"] == "severe"
    assert ok(coord.patch(f"/incidents/{inc['id']}", json={"status": "closed"}))["status"] == "closed"
