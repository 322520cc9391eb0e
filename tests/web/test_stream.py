"""The live stream: replay, live delivery, resume after a dropped connection with nothing lost."""

from __future__ import annotations

from katchi.db import Database
from tests.support.api import create_operation, ok, point
from tests.support.server import LiveServer
from tests.support.sse import open_stream
from tests.support.world import World, admin_token


def test_resume_with_last_event_id_gets_exactly_the_missed_events_once_in_order(
    server: LiveServer, world: World
) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"])
    log = f"/operations/{op['id']}/log"
    for i in range(5):
        ok(coord.post(log, json={"text": f"before {i}"}), 201)

    with open_stream(server.url, world.tokens["province"], op["id"]) as stream:
        first = stream.take(3)  # operation.created + 2 log lines, then the client drops
    assert [e.kind for e in first] == ["operations.operation.created"] + ["operations.log.posted"] * 2
    last_seen = first[-1].id

    for i in range(4):
        ok(coord.post(log, json={"text": f"while away {i}"}), 201)

    with open_stream(server.url, world.tokens["province"], op["id"], last_event_id=last_seen) as stream:
        missed = stream.take(7)
        ok(coord.post(log, json={"text": "live after resume"}), 201)
        live = stream.take(1)
    texts = [e.data["payload"]["text"] for e in missed + live]
    assert texts == ["before 2", "before 3", "before 4"] + [f"while away {i}" for i in range(4)] + ["live after resume"]
    ids = [e.id for e in missed + live]
    assert ids == sorted(set(ids)) and ids[0] > last_seen


def test_events_arrive_live_to_a_connected_reader(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    province = server.client(world.tokens["province"])
    op = create_operation(coord, ["kor-province"])
    with open_stream(server.url, world.tokens["coord"], op["id"]) as stream:
        assert stream.take(1)[0].kind == "operations.operation.created"
        inc = ok(
            province.post(
                f"/operations/{op['id']}/incidents",
                json={"kind": "fire", "title": "Fire", "severity": "severe", "location": point()},
            ),
            201,
        )
        ev = stream.take(1, timeout=5)[0]
    assert ev.kind == "cop.incident.reported" and ev.data["subject"] == {"type": "incident", "id": inc["id"]}
    assert ev.data["label"] == "alliance" and ev.data["actor"] == "province@kor-province"


def test_stream_of_an_invisible_operation_is_404(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"], label="nation:KOR")
    us = server.client(world.tokens["uscoord"])
    assert us.get(f"/operations/{op['id']}/stream").status_code == 404
    assert us.get(f"/operations/{op['id']}").status_code == 404
    bad = server.client(world.tokens["coord"]).get(f"/operations/{op['id']}/stream", headers={"Last-Event-ID": "abc"})
    assert bad.status_code == 422


def test_closed_streams_leave_no_subscription_behind(server: LiveServer, world: World, db: Database) -> None:
    import time

    import httpx

    counters = {"Authorization": f"Bearer {admin_token(db)}"}

    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])
    for _ in range(10):
        with open_stream(server.url, world.tokens["coord"], op["id"]) as stream:
            stream.take(1)
    for _ in range(10):  # clients that hang up before reading anything
        with (
            httpx.Client(base_url=server.url, timeout=5) as c,
            c.stream(
                "GET",
                f"/api/v1/operations/{op['id']}/stream",
                headers={"Authorization": f"Bearer {world.tokens['coord']}"},
            ),
        ):
            pass
    deadline = time.monotonic() + 5
    while httpx.get(server.url + "/healthz", headers=counters).json()["live"]["subscribers"]:
        assert time.monotonic() < deadline, "subscriptions left behind"
        time.sleep(0.1)
