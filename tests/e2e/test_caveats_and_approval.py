"""The RFA story with a caveated US military asset that needs national approval: caveats refuse
taskings that break them, the asset's nation approves or denies, approvers of another nation
cannot, and the owner accepts only once approved."""

from __future__ import annotations

from typing import Any

import httpx

from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World

SEOUL = {
    "type": "Polygon",
    "coordinates": [[[126.7, 37.4], [127.3, 37.4], [127.3, 37.75], [126.7, 37.75], [126.7, 37.4]]],
}
CAVEATS = {"area": SEOUL, "max_hours": 48, "excluded_tasks": ["security"], "national_approval": True}


def _approvers(db: Database) -> dict[str, str]:
    """A US approver in an organisation that does not take part, and a Korean one that does."""
    ctx = Context(None, source="test")
    with transaction(db) as s:
        add_org(s, ctx, OrganisationCreate(slug="usfk-j5", name_en="USFK J5", nation="USA", kind="military"))
        add_user(s, ctx, UserCreate(username="us-approver", org="usfk-j5", role=Role.approver))
        add_user(s, ctx, UserCreate(username="kor-approver", org="kor-cmoc", role=Role.approver))
        s.flush()
        return {u: create_token(s, ctx, u) for u in ("us-approver", "kor-approver")}


def _rfa(coord: httpx.Client, op_id: str, where: dict[str, Any], codes: list[str] | None = None) -> dict[str, Any]:
    body = {"title": "Lift supplies", "capability": "heavy_lift_helicopter", "location": where, "submit": True}
    rfa = ok(coord.post(f"/operations/{op_id}/rfas", json=body | {"task_codes": codes or []}), 201)
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate"))
    return rfa  # type: ignore[no-any-return]


def test_caveats_and_national_approval(server: LiveServer, world: World, db: Database) -> None:
    tokens = _approvers(db)
    coord, usav = server.client(world.tokens["coord"]), server.client(world.tokens["usav"])
    us_approver, kor_approver = server.client(tokens["us-approver"]), server.client(tokens["kor-approver"])
    op = create_operation(coord, ["us-aviation"])
    chinook = ok(
        usav.post(
            "/assets",
            json={"name": "CH-47F", "capability": "heavy_lift_helicopter", "location": point(127.03, 36.96)},
        ),
        201,
    )
    assert chinook["caveats"] == {"area": None, "max_hours": None, "excluded_tasks": [], "national_approval": False}
    problem(coord.patch(f"/assets/{chinook['id']}", json={"caveats": CAVEATS}), 403)  # only its owner sets them
    chinook = ok(usav.patch(f"/assets/{chinook['id']}", json={"caveats": CAVEATS}))
    assert chinook["caveats"]["max_hours"] == 48 and ok(coord.get(f"/assets/{chinook['id']}"))["caveats"] == CAVEATS
    bad = problem(usav.patch(f"/assets/{chinook['id']}", json={"caveats": CAVEATS | {"area": point()}}), 422)
    assert "Polygon" in bad["detail"]

    def task(rfa: dict[str, Any], **body: Any) -> httpx.Response:
        return coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": chinook["id"]} | body)

    busan = _rfa(coord, op["id"], point(129.07, 35.18))
    assert "area" in problem(task(busan, hours=24), 422)["detail"]
    security = _rfa(coord, op["id"], point(), codes=["security"])
    assert "excluded task security" in problem(task(security, hours=24), 422)["detail"]
    rfa = _rfa(coord, op["id"], point(), codes=["airlift"])
    assert "max_hours 48" in problem(task(rfa, hours=72), 422)["detail"]
    assert "hours" in problem(task(rfa), 422)["detail"]

    # A tasking that keeps the caveats waits for the asset's nation.
    # Only an approver of the asset's nation lifts national approval; nobody changes caveats mid-request.
    lifted = CAVEATS | {"national_approval": False}
    assert "approver of USA" in problem(usav.patch(f"/assets/{chinook['id']}", json={"caveats": lifted}), 403)["detail"]
    tasked = ok(task(rfa, hours=24))
    assert "requests" in problem(usav.patch(f"/assets/{chinook['id']}", json={"caveats": CAVEATS}), 403)["detail"]
    assert tasked["state"] == "tasked" and tasked["tasking"]["status"] == "awaiting_approval"
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "requested"
    assert "approval" in problem(usav.post(f"/rfas/{rfa['id']}/actions/accept"), 409)["detail"]
    problem(kor_approver.post(f"/rfas/{rfa['id']}/actions/approve"), 403)  # another nation's approver
    problem(usav.post(f"/rfas/{rfa['id']}/actions/approve"), 403)  # the owner is not an approver
    problem(server.client(world.tokens["province"]).get("/approvals"), 403)
    pending = items(us_approver, "/approvals")  # its organisation does not take part: it still sees what to decide
    assert [(p["rfa_id"], p["status"], p["asset"]["name"], p["hours"]) for p in pending] == [
        (rfa["id"], "awaiting_approval", "CH-47F", 24)
    ]
    assert pending[0]["title"] == "Lift supplies" and pending[0]["caveats"] == CAVEATS
    assert items(kor_approver, "/approvals") == []

    # Denied: the request is declined with the reason and the asset is free.
    denied = ok(us_approver.post(f"/rfas/{rfa['id']}/actions/deny", json={"reason": "crew rest"}))
    assert denied["status"] == "denied" and denied["reason"] == "crew rest"
    assert ok(coord.get(f"/rfas/{rfa['id']}"))["state"] == "declined"
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "available"
    step = items(coord, f"/operations/{op['id']}/timeline")[-1]
    assert step["kind"] == "tasking.rfa.denied" and step["payload"]["reason"] == "crew rest"

    # Tasked again and approved: now the owner may accept.
    ok(task(rfa, hours=24))
    problem(us_approver.post(f"/rfas/{busan['id']}/actions/approve"), 404)  # nothing of its nation to decide
    approved = ok(us_approver.post(f"/rfas/{rfa['id']}/actions/approve"))
    assert approved["status"] == "approved"
    # Decided: an approver outside the operation learns nothing more about the RFA (not even its state).
    again = problem(us_approver.post(f"/rfas/{rfa['id']}/actions/approve"), 404)
    assert "current_state" not in again
    assert ok(usav.post(f"/rfas/{rfa['id']}/actions/accept"))["state"] == "accepted"
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "tasked"
    kinds = [e["kind"] for e in items(coord, f"/operations/{op['id']}/timeline") if e["subject"]["id"] == rfa["id"]]
    assert kinds[-3:] == ["tasking.rfa.tasked", "tasking.rfa.approved", "tasking.rfa.accepted"]
    ok(usav.post(f"/rfas/{rfa['id']}/actions/start"))
    ok(usav.post(f"/rfas/{rfa['id']}/actions/complete"))
    # Once free, its nation's approver may lift the caveat (the unit itself may not).
    problem(usav.patch(f"/assets/{chinook['id']}", json={"caveats": lifted}), 403)
    assert ok(us_approver.patch(f"/assets/{chinook['id']}", json={"caveats": lifted}))["caveats"] == lifted
    problem(kor_approver.patch(f"/assets/{chinook['id']}", json={"caveats": CAVEATS}), 403)
