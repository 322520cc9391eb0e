"""An exercise's assets belong to it: they never appear in the platform's asset list, in a real
operation's lists, alternatives or exports, and cannot be tasked there; a real asset is never
tasked in an exercise (its status never changes because of one)."""

from __future__ import annotations

import pytest

from katchi import assets
from katchi.core import Invalid
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World, acting_as


def test_exercise_assets_stay_in_their_exercise(db: Database, world: World, server: LiveServer) -> None:
    coord = server.client(world.tokens["coord"])
    everyone = ["kor-army", "kor-redcross", "us-aviation", "kor-province"]
    drill = create_operation(coord, everyone, mode="exercise", name="Drill")
    real = create_operation(coord, everyone, name="Real flood")
    with transaction(db) as s:
        twin = assets.register_asset(
            s,
            acting_as(db, world, "redcross"),
            assets.AssetCreate(name="[EX] Shelter team", capability="emergency_shelter", location=point()),
            operation_id=drill["id"],
        )
        heli = assets.register_asset(
            s,
            acting_as(db, world, "roka"),
            assets.AssetCreate(name="[EX] KUH-1", capability="emergency_shelter", location=point()),
            operation_id=drill["id"],
        )
    real_shelter = ok(
        server.client(world.tokens["redcross"]).post(
            "/assets", json={"name": "KRCS shelter", "capability": "emergency_shelter", "location": point()}
        ),
        201,
    )
    with pytest.raises(Invalid, match="exercise"), transaction(db) as s:  # only an exercise has assets of its own
        assets.register_asset(
            s,
            acting_as(db, world, "redcross"),
            assets.AssetCreate(name="x", capability="emergency_shelter", location=point()),
            operation_id=real["id"],
        )
    platform = {a["id"] for a in items(coord, "/assets")}
    assert twin.id not in platform and heli.id not in platform and real_shelter["id"] in platform
    assert {a["id"] for a in items(coord, f"/operations/{drill['id']}/assets")} == {twin.id, heli.id}
    assert twin.id not in {a["id"] for a in items(coord, f"/operations/{real['id']}/assets")}
    real_layer = ok(coord.get(f"/operations/{real['id']}/layers/assets.geojson"))
    assert twin.id not in {f["id"] for f in real_layer["features"]}
    drill_layer = ok(coord.get(f"/operations/{drill['id']}/layers/assets.geojson"))
    assert {f["id"] for f in drill_layer["features"]} == {twin.id, heli.id}
    # A real request cannot take an exercise asset, and an exercise cannot take a real one.
    need = {"title": "Shelter", "capability": "emergency_shelter", "location": point(), "submit": True}
    real_rfa = ok(coord.post(f"/operations/{real['id']}/rfas", json=need), 201)
    ok(coord.post(f"/rfas/{real_rfa['id']}/actions/validate", json={}))
    assert (
        "exercise"
        in problem(coord.post(f"/rfas/{real_rfa['id']}/actions/task", json={"asset_id": twin.id}), 422)["detail"]
    )
    drill_rfa = ok(coord.post(f"/operations/{drill['id']}/rfas", json=need), 201)
    ok(coord.post(f"/rfas/{drill_rfa['id']}/actions/validate", json={}))
    assert (
        "exercise"
        in problem(coord.post(f"/rfas/{drill_rfa['id']}/actions/task", json={"asset_id": real_shelter["id"]}), 422)[
            "detail"
        ]
    )
    assert ok(server.client(world.tokens["redcross"]).get(f"/assets/{real_shelter['id']}"))["status"] == "available"
    # The military twin's last-resort check counts the exercise's civilian twin, not real assets.
    tasked = ok(
        coord.post(f"/rfas/{drill_rfa['id']}/actions/task", json={"asset_id": heli.id, "justification": "drill"})
    )
    assert [a["id"] for a in tasked["tasking"]["last_resort"]["alternatives"]] == [twin.id]
    # A user of an organisation outside the exercise does not see its assets at all.
    outsider = server.client(world.tokens["uscoord"])  # us-liaison takes no part in the drill
    problem(outsider.get(f"/assets/{twin.id}"), 404)


def test_an_owner_lends_a_real_asset_to_an_exercise_as_a_twin(world: World, server: LiveServer) -> None:
    coord, usav = server.client(world.tokens["coord"]), server.client(world.tokens["usav"])
    drill = create_operation(coord, ["us-aviation", "kor-province"], mode="exercise", name="Drill")
    real = create_operation(coord, ["us-aviation"], name="Real flood")
    caveats = {"max_hours": 72, "excluded_tasks": ["security"], "national_approval": True}
    chinook = ok(
        usav.post(
            "/assets",
            json={"name": "CH-47F", "capability": "heavy_lift_helicopter", "location": point(), "caveats": caveats},
        ),
        201,
    )
    problem(coord.post(f"/operations/{drill['id']}/assets/lend", json={"asset_id": chinook["id"]}), 403)
    assert (
        "exercise"
        in problem(usav.post(f"/operations/{real['id']}/assets/lend", json={"asset_id": chinook["id"]}), 422)["detail"]
    )
    twin = ok(usav.post(f"/operations/{drill['id']}/assets/lend", json={"asset_id": chinook["id"]}), 201)
    assert twin["twin_of"] == chinook["id"] and twin["operation_id"] == drill["id"] and twin["id"] != chinook["id"]
    assert twin["name"] == "[EX] CH-47F" and twin["caveats"] == chinook["caveats"] and twin["label"] == chinook["label"]
    problem(usav.post(f"/operations/{drill['id']}/assets/lend", json={"asset_id": chinook["id"]}), 409)
    problem(usav.post(f"/operations/{drill['id']}/assets/lend", json={"asset_id": twin["id"]}), 422)
    assert [a["id"] for a in items(coord, f"/operations/{drill['id']}/assets")] == [twin["id"]]
    assert ok(usav.get(f"/assets/{chinook['id']}"))["status"] == "available"


def test_an_exercise_map_never_receives_real_assets_live(world: World, server: LiveServer) -> None:
    from tests.support.sse import open_stream

    coord = server.client(world.tokens["coord"])
    drill = create_operation(coord, ["kor-redcross"], mode="exercise", name="Drill")
    with open_stream(server.url, world.tokens["coord"], drill["id"], last_event_id=0, assets=True) as stream:
        real = ok(
            server.client(world.tokens["redcross"]).post(
                "/assets", json={"name": "KRCS real", "capability": "emergency_shelter", "location": point()}
            ),
            201,
        )
        twin = ok(
            server.client(world.tokens["redcross"]).post(
                f"/operations/{drill['id']}/assets",
                json={"name": "Shelter", "capability": "emergency_shelter", "location": point()},
            ),
            201,
        )
        assert twin["name"] == "[EX] Shelter"  # an exercise's asset says so wherever it is shown
        seen = stream.until(lambda e: e.kind == "assets.asset.registered" and e.data["subject"]["id"] == twin["id"])
    assert real["id"] not in {e.data["subject"]["id"] for e in seen}
