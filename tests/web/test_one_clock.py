"""One clock in an exercise: what people do is stamped with the exercise's simulated time, as the
simulator's events are, so response times never mix scenario time with the wall clock; every
participant reads the clock at GET /operations/{id}/exercise/clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from katchi import exercises
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, items, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, acting_as

START = datetime(2026, 7, 10, 0, 0, tzinfo=UTC)  # the scenario's T0, months from the wall clock


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _log_lines(client: httpx.Client, op_id: str) -> list[dict[str, Any]]:
    return [e for e in items(client, f"/operations/{op_id}/timeline") if e["kind"] == "operations.log.posted"]


def test_people_act_on_the_exercise_clock_and_everyone_reads_it(db: Database, world: World, server: LiveServer) -> None:
    coord = server.client(world.tokens["coord"])
    drill = create_operation(coord, ["kor-province", "us-liaison"], mode="exercise", name="Drill")
    real = create_operation(coord, ["kor-province"], name="Real flood")
    with transaction(db) as s:
        exercises.record_clock(
            s, acting_as(db, world, "coord"), drill["id"], state="running", sim_time=START, speed=60.0, scenario="x"
        )
    ok(coord.post(f"/operations/{drill['id']}/log", json={"text": "Shelters open"}), 201)
    ok(coord.post(f"/operations/{real['id']}/log", json={"text": "Real line"}), 201)
    drill_line = next(
        e for e in items(coord, f"/operations/{drill['id']}/timeline") if e["kind"] == "operations.log.posted"
    )
    real_line = next(
        e for e in items(coord, f"/operations/{real['id']}/timeline") if e["kind"] == "operations.log.posted"
    )
    stamped = _parse(drill_line["occurred_at"])
    assert START <= stamped < START + timedelta(minutes=30), stamped  # simulated time, not the wall clock
    assert abs(_parse(real_line["occurred_at"]) - datetime.now(UTC)) < timedelta(minutes=1)
    # Every participant reads the clock (the US liaison too); the simulated time runs at 60x.
    clock = ok(server.client(world.tokens["uscoord"]).get(f"/operations/{drill['id']}/exercise/clock"))
    assert clock["state"] == "running" and clock["speed"] == 60.0
    assert START < _parse(clock["sim_time"]) < START + timedelta(minutes=30)
    assert abs(_parse(clock["wall_time"]) - datetime.now(UTC)) < timedelta(seconds=30)
    problem(coord.get(f"/operations/{real['id']}/exercise/clock"), 404)  # a real operation has none
    problem(server.client(world.tokens["usav"]).get(f"/operations/{drill['id']}/exercise/clock"), 404)
    # Paused, the simulated time stands still, and people's actions carry it.
    with transaction(db) as s:
        exercises.record_clock(
            s, acting_as(db, world, "coord"), drill["id"], state="paused", sim_time=START + timedelta(hours=6),
            speed=60.0, scenario="x",
        )  # fmt: skip
    paused = ok(coord.get(f"/operations/{drill['id']}/exercise/clock"))
    assert paused["state"] == "paused" and _parse(paused["sim_time"]) == START + timedelta(hours=6)
    line = ok(coord.post(f"/operations/{drill['id']}/log", json={"text": "During the pause"}), 201)
    assert _parse(_log_lines(coord, drill["id"])[-1]["occurred_at"]) == START + timedelta(hours=6)
    # The records themselves carry the exercise's time too, so the board and the feeds order
    # people's records among the simulator's.
    assert _parse(line["created_at"]) == START + timedelta(hours=6)
    rfa = ok(
        coord.post(
            f"/operations/{drill['id']}/rfas",
            json={
                "title": "Water",
                "capability": "water_trucking",
                "location": {"type": "Point", "coordinates": [127.0, 37.5]},
                "submit": True,
            },
        ),
        201,
    )
    assert _parse(rfa["created_at"]) == START + timedelta(hours=6)
    validated = ok(coord.post(f"/rfas/{rfa['id']}/actions/validate", json={}))
    assert _parse(validated["updated_at"]) == START + timedelta(hours=6)
    incident = ok(
        coord.post(
            f"/operations/{drill['id']}/incidents",
            json={
                "kind": "fire",
                "title": "Fire",
                "severity": "minor",
                "location": {"type": "Point", "coordinates": [127.0, 37.5]},
            },
        ),
        201,
    )
    assert _parse(incident["created_at"]) == START + timedelta(hours=6)


def test_the_clock_is_driven_only_in_a_played_exercise(db: Database, world: World, server: LiveServer) -> None:
    coord = server.client(world.tokens["coord"])
    drill = create_operation(coord, ["kor-province", "us-liaison"], mode="exercise", name="Drill")
    real = create_operation(coord, ["kor-province"], name="Real flood")
    clock = f"/operations/{drill['id']}/exercise/clock"
    assert "katchi exercise start" in problem(coord.post(clock, json={"action": "pause"}), 422)["detail"]
    assert (
        "only exercise"
        in problem(coord.post(f"/operations/{real['id']}/exercise/clock", json={"action": "pause"}), 422)["detail"]
    )
    problem(server.client(world.tokens["usav"]).post(clock, json={"action": "pause"}), 404)  # no participant
    with transaction(db) as s:
        exercises.record_clock(
            s, acting_as(db, world, "coord"), drill["id"], state="running", sim_time=START, speed=60.0, scenario="x"
        )
    asked = ok(coord.post(clock, json={"action": "speed", "value": 120}), 202)
    assert asked == {"action": "speed", "value": "120"}
    problem(server.client(world.tokens["province"]).post(clock, json={"action": "pause"}), 403)  # a contributor
    # A coordinator of a participant that does not coordinate the exercise (a trainee) cannot drive it.
    problem(server.client(world.tokens["uscoord"]).post(clock, json={"action": "jump", "value": "30d"}), 403)
    for bad in ({"action": "jump", "value": 86400}, {"action": "jump", "value": "99999999999d"},
                {"action": "jump", "value": "40d"}, {"action": "pause", "value": 3}):  # fmt: skip
        problem(coord.post(clock, json=bad), 422)
    timeline = items(coord, f"/operations/{drill['id']}/timeline")
    assert [e["payload"] for e in timeline if e["kind"] == "exercises.clock.requested"] == [asked]
