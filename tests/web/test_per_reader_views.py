"""Records that name other records show each reader only what it may read, over REST, the timeline,
the live stream and the map layers alike: last-resort alternatives, the tasking behind an RFA's
transitions, a reply's parent and a decision's links."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.sse import open_stream
from tests.support.world import World


def _asset(client: httpx.Client, name: str, capability: str, label: str) -> dict[str, Any]:
    body = {"name": name, "capability": capability, "location": point(127.0, 37.4), "label": label}
    return ok(client.post("/assets", json=body), 201)  # type: ignore[no-any-return]


def _rfa(client: httpx.Client, op_id: str, capability: str) -> dict[str, Any]:
    body = {"title": f"Need {capability}", "capability": capability, "location": point(), "submit": True}
    return ok(client.post(f"/operations/{op_id}/rfas", json=body), 201)  # type: ignore[no-any-return]


def _live(server: LiveServer, token: str, op_id: str, n: int) -> list[dict[str, Any]]:
    """The first ``n`` events of the reader's stream, replayed from the start."""
    with open_stream(server.url, token, op_id, last_event_id=0) as stream:
        return [e.data | {"kind": e.kind} for e in stream.take(n)]


def _mentions(thing: Any, needle: str) -> bool:
    return needle in json.dumps(thing)


def test_last_resort_alternatives_are_shown_only_to_readers_of_each_alternative(
    server: LiveServer, world: World
) -> None:
    coord = server.client(world.tokens["coord"])  # kor-cmoc, the lead
    us = server.client(world.tokens["uscoord"])  # us-liaison, a participant
    redcross = server.client(world.tokens["redcross"])
    usav = server.client(world.tokens["usav"])
    op = create_operation(coord, ["kor-redcross", "us-aviation", "us-liaison"])
    korean_only = _asset(redcross, "KRC heavy helicopter", "heavy_lift_helicopter", "nation:KOR")
    chinook = _asset(usav, "CH-47F", "heavy_lift_helicopter", "alliance")
    rfa = _rfa(coord, op["id"], "heavy_lift_helicopter")
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate"))
    tasked = ok(
        coord.post(
            f"/rfas/{rfa['id']}/actions/task",
            json={"asset_id": chinook["id"], "justification": "the civilian one is grounded"},
        )
    )
    assert [a["id"] for a in tasked["tasking"]["last_resort"]["alternatives"]] == [korean_only["id"]]
    problem(us.get(f"/assets/{korean_only['id']}"), 404)
    seen_by_us: list[Any] = [
        ok(us.get(f"/rfas/{rfa['id']}")),
        items(us, f"/operations/{op['id']}/rfas"),
        items(us, f"/operations/{op['id']}/taskings"),
        items(us, f"/operations/{op['id']}/timeline"),
        _live(server, world.tokens["uscoord"], op["id"], 4),
        ok(us.get(f"/operations/{op['id']}/layers/rfas.geojson")),
        us.get(f"/operations/{op['id']}/layers/rfas.kml").text,
    ]
    us_rfa = seen_by_us[0]
    assert us_rfa["tasking"]["asset_id"] == chinook["id"]  # the tasking itself is theirs to read
    assert us_rfa["tasking"]["last_resort"]["alternatives"] == []
    for view in seen_by_us:
        assert not _mentions(view, korean_only["id"]) and not _mentions(view, "KRC heavy helicopter"), view
    # The Korean readers still see it everywhere.
    kor_events = _live(server, world.tokens["coord"], op["id"], 4)
    assert _mentions(kor_events[-1], korean_only["id"])


def test_a_reader_of_the_rfa_but_not_its_tasking_follows_every_transition(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    roka = server.client(world.tokens["roka"])  # kor-army asset manager
    us = server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["kor-army", "us-liaison"])
    truck = _asset(roka, "ROK Army water unit", "water_purification", "nation:KOR")
    rfa = _rfa(coord, op["id"], "water_purification")  # alliance: the US liaison reads the RFA
    act = f"/rfas/{rfa['id']}/actions"
    ok(coord.post(f"{act}/validate"))
    ok(coord.post(f"{act}/task", json={"asset_id": truck["id"]}))
    ok(roka.post(f"{act}/decline", json={"reason": "pump 7 broken"}))  # the owner's words are the tasking's
    ok(coord.post(f"{act}/task", json={"asset_id": truck["id"]}))
    for step in ("accept", "start", "complete"):
        ok(roka.post(f"{act}/{step}"))
    rest = ok(us.get(f"/rfas/{rfa['id']}"))
    assert rest["state"] == "completed" and rest["tasking"] is None
    kinds = ["validated", "tasked", "declined", "tasked", "accepted", "started", "completed"]
    for events in (items(us, f"/operations/{op['id']}/timeline"), _live(server, world.tokens["uscoord"], op["id"], 9)):
        rfa_events = [e for e in events if e["subject"]["id"] == rfa["id"]]
        assert [e["kind"] for e in rfa_events] == ["tasking.rfa.created"] + [f"tasking.rfa.{s}" for s in kinds]
        assert rfa_events[-1]["payload"]["to_state"] == rest["state"]
        assert not _mentions(events, truck["id"]) and not _mentions(events, "ROK Army water unit")
        assert not _mentions(events, "roka@kor-army") and not _mentions(events, "pump 7"), events  # nor whose it is
    kor = [e for e in items(coord, f"/operations/{op['id']}/timeline") if e["subject"]["id"] == rfa["id"]]
    assert kor[-1]["payload"]["asset_id"] == truck["id"] and kor[-1]["payload"]["asset_status"] == "available"


def test_replies_and_decisions_name_only_records_the_reader_may_read(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    us = server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["us-liaison"])
    parent = ok(
        coord.post(f"/operations/{op['id']}/messages", json={"text": "KOR eyes only", "label": "nation:KOR"}), 201
    )
    reply = ok(
        coord.post(f"/operations/{op['id']}/messages", json={"text": "shared reply", "parent_id": parent["id"]}), 201
    )
    inc = ok(
        coord.post(
            f"/operations/{op['id']}/incidents",
            json={"kind": "fire", "title": "x", "severity": "minor", "location": point(), "label": "nation:KOR"},
        ),
        201,
    )
    decision = ok(
        coord.post(
            f"/operations/{op['id']}/decisions",
            json={
                "title": "Open shelter",
                "links": [{"type": "incident", "id": inc["id"]}, {"type": "operation", "id": op["id"]}],
            },
        ),
        201,
    )
    assert ok(coord.get(f"/operations/{op['id']}/messages"))["items"][-1]["parent_id"] == parent["id"]
    assert [link["id"] for link in items(coord, f"/operations/{op['id']}/decisions")[0]["links"]] == [
        inc["id"],
        op["id"],
    ]
    us_messages = items(us, f"/operations/{op['id']}/messages")
    assert [m["id"] for m in us_messages] == [reply["id"]] and us_messages[0]["parent_id"] is None
    assert [link["id"] for link in items(us, f"/operations/{op['id']}/decisions")[0]["links"]] == [op["id"]]
    for events in (items(us, f"/operations/{op['id']}/timeline"), _live(server, world.tokens["uscoord"], op["id"], 3)):
        assert [e["subject"]["id"] for e in events[1:]] == [reply["id"], decision["id"]]
        assert not _mentions(events, parent["id"]) and not _mentions(events, inc["id"]), events
    # A link to nothing (or to something the author cannot read) is refused the same way.
    other = create_operation(coord, [])  # us-liaison does not take part
    refusals = [
        problem(us.post(f"/operations/{op['id']}/decisions", json={"title": "t", "links": [link]}), 422)["detail"]
        for link in (
            {"type": "incident", "id": "nope"},
            {"type": "incident", "id": inc["id"]},
            {"type": "operation", "id": other["id"]},
        )
    ]
    assert refusals == [
        "no incident nope in this operation",
        f"no incident {inc['id']} in this operation",
        f"no operation {other['id']} in this operation",
    ]
    problem(
        coord.post(
            f"/operations/{op['id']}/decisions",
            json={"title": "t", "links": [{"type": "operation", "id": other["id"]}]},
        ),
        422,
    )
