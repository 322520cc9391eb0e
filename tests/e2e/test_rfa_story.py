"""The CMOC story through HTTP: four organisations of two nations take an RFA from draft to completed."""

from __future__ import annotations

from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World


def test_rfa_story_with_last_resort_check_and_illegal_transitions(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])  # KOR civil CMOC coordinator
    province = server.client(world.tokens["province"])  # KOR provincial disaster office
    redcross = server.client(world.tokens["redcross"])  # KOR NGO with civilian helicopters
    usav = server.client(world.tokens["usav"])  # US Army aviation
    roka = server.client(world.tokens["roka"])  # ROK Army

    op = create_operation(coord, ["kor-province", "kor-redcross", "us-aviation", "kor-army"])
    assert op["lead"] == "kor-cmoc" and op["mode"] == "real"

    # Assets: a US Chinook (military), and a civilian heavy-lift helicopter of the Red Cross.
    chinook = ok(
        usav.post(
            "/assets",
            json={
                "name": "CH-47F Chinook",
                "capability": "heavy_lift_helicopter",
                "capacity": 1,
                "location": point(127.031, 36.963),
            },
        ),
        201,
    )
    civil_heli = ok(
        redcross.post(
            "/assets",
            json={
                "name": "Red Cross heavy helicopter",
                "capability": "heavy_lift_helicopter",
                "capacity": 1,
                "location": point(127.0, 37.3),
            },
        ),
        201,
    )
    assert chinook["org_kind"] == "military" and civil_heli["org_kind"] == "ngo"

    # The province reports an incident and drafts an RFA.
    inc = ok(
        province.post(
            f"/operations/{op['id']}/incidents",
            json={
                "kind": "bridge_collapse",
                "title": "Bridge down, village cut off",
                "severity": "severe",
                "location": point(127.09, 37.74),
            },
        ),
        201,
    )
    assert inc["label"] == "alliance" and inc["id"]
    rfa = ok(
        province.post(
            f"/operations/{op['id']}/rfas",
            json={
                "title": "Airlift water to cut-off village",
                "capability": "heavy_lift_helicopter",
                "quantity": 1,
                "location": point(127.09, 37.74),
                "priority": "high",
            },
        ),
        201,
    )
    assert rfa["state"] == "draft"
    act = f"/rfas/{rfa['id']}/actions"

    # Illegal: validating a draft -> 409 naming the state and allowed actions.
    body = problem(coord.post(f"{act}/validate"), 409)
    assert body["current_state"] == "draft" and body["allowed_actions"] == ["submit", "cancel"]

    ok(province.post(f"{act}/submit"))
    # Only coordinators validate: the province may not (403), the coordinator may.
    problem(province.post(f"{act}/validate"), 403)
    assert ok(coord.post(f"{act}/validate"))["state"] == "validated"

    # Tasking the US Chinook while a civilian heavy-lift helicopter is available needs a justification.
    last = problem(coord.post(f"{act}/task", json={"asset_id": chinook["id"]}), 422)
    assert [a["id"] for a in last["alternatives"]] == [civil_heli["id"]]
    assert ok(coord.get(f"/rfas/{rfa['id']}"))["state"] == "validated"  # nothing changed

    tasked = ok(
        coord.post(
            f"{act}/task",
            json={"asset_id": chinook["id"], "justification": "Civilian helicopter cannot lift 10 t of water"},
        )
    )
    assert tasked["state"] == "tasked"
    assert tasked["tasking"]["last_resort"]["justification"].startswith("Civilian helicopter")
    assert tasked["tasking"]["last_resort"]["alternatives"][0]["id"] == civil_heli["id"]

    # Only the asset's organisation accepts: not the ROK Army, not the coordinator.
    problem(roka.post(f"{act}/accept"), 403)
    problem(coord.post(f"{act}/accept"), 403)
    # Illegal: completing before starting.
    assert problem(usav.post(f"{act}/complete"), 409)["current_state"] == "tasked"
    assert ok(usav.post(f"{act}/accept"))["state"] == "accepted"
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "tasked"
    assert ok(usav.post(f"{act}/start"))["state"] == "underway"
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "underway"
    done = ok(usav.post(f"{act}/complete"))
    assert done["state"] == "completed" and done["allowed_actions"] == []
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "available"
    # Closed RFAs accept nothing.
    assert problem(coord.post(f"{act}/cancel"), 409)["current_state"] == "completed"

    # Everything is in the timeline, in order, with the justification recorded in the tasked event.
    kinds = [e["kind"] for e in items(coord, f"/operations/{op['id']}/timeline")]
    assert kinds == [
        "operations.operation.created",
        "cop.incident.reported",
        "tasking.rfa.created",
        "tasking.rfa.submitted",
        "tasking.rfa.validated",
        "tasking.rfa.tasked",
        "tasking.rfa.accepted",
        "tasking.rfa.started",
        "tasking.rfa.completed",
    ]
    tasked_event = items(coord, f"/operations/{op['id']}/timeline")[5]
    assert tasked_event["payload"]["last_resort"]["military"] is True
    assert tasked_event["actor"] == "coord@kor-cmoc"


def test_civilian_asset_needs_no_justification_and_decline_allows_retasking(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    province = server.client(world.tokens["province"])
    redcross = server.client(world.tokens["redcross"])
    usav = server.client(world.tokens["usav"])
    op = create_operation(coord, ["kor-province", "kor-redcross", "us-aviation"])
    heli = ok(
        redcross.post(
            "/assets", json={"name": "KRC helicopter", "capability": "medium_helicopter", "location": point()}
        ),
        201,
    )
    uh60 = ok(
        usav.post(
            "/assets", json={"name": "UH-60M", "capability": "medium_helicopter", "location": point(127.03, 36.96)}
        ),
        201,
    )
    rfa = ok(
        province.post(
            f"/operations/{op['id']}/rfas",
            json={
                "title": "Medical evacuation",
                "capability": "medium_helicopter",
                "location": point(),
                "priority": "critical",
                "submit": True,
            },
        ),
        201,
    )
    assert rfa["state"] == "submitted"
    act = f"/rfas/{rfa['id']}/actions"
    ok(coord.post(f"{act}/validate"))
    t = ok(coord.post(f"{act}/task", json={"asset_id": heli["id"]}))
    assert t["tasking"]["last_resort"] == {"military": False, "alternatives": [], "justification": ""}
    assert ok(redcross.post(f"{act}/decline", json={"reason": "Crew rest"}))["state"] == "declined"
    assert ok(redcross.get(f"/assets/{heli['id']}"))["status"] == "available"
    # The civilian helicopter declined; it is still "available", so tasking the military one needs a reason.
    problem(coord.post(f"{act}/task", json={"asset_id": uh60["id"]}), 422)
    ok(redcross.patch(f"/assets/{heli['id']}", json={"status": "unavailable"}))
    # With no civilian alternative left, the military asset may be tasked without justification.
    t2 = ok(coord.post(f"{act}/task", json={"asset_id": uh60["id"]}))
    assert t2["tasking"]["last_resort"] == {"military": True, "alternatives": [], "justification": ""}
    # The requester may cancel; the asset is released.
    assert ok(province.post(f"{act}/cancel", json={"reason": "Patient moved by road"}))["state"] == "cancelled"
    assert ok(usav.get(f"/assets/{uh60['id']}"))["status"] == "available"
