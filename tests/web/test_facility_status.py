"""A facility's live status (PATCH /facilities/{id}): who may change it, what it accepts, its history
newest first, its HXL columns and its event on the live stream — and, two-sided, that a facility
under another organisation's or nation's label stays unknown to those who may not read it."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from katchi.db import Database
from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.sse import open_stream
from tests.support.world import World, user_token


def _facility(client: httpx.Client, op: str, **extra: Any) -> dict[str, Any]:
    body = {"kind": "shelter", "name": "Suwon gym", "capacity": 400, "location": point()} | extra
    return ok(client.post(f"/operations/{op}/facilities", json=body), 201)  # type: ignore[no-any-return]


def test_who_may_change_a_facility(server: LiveServer, world: World, db: Database) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "kor-redcross", "us-liaison"])["id"]
    province = server.client(world.tokens["province"])
    gym = _facility(province, op)

    # A contributor of the owning organisation keeps it current.
    changed = ok(province.patch(f"/facilities/{gym['id']}", json={"occupancy": 380, "needs": ["water", "blankets"]}))
    assert (changed["occupancy"], changed["needs"], changed["status"]) == (380, ["water", "blankets"], "open")
    # A coordinator of the operation may change any facility it can read.
    changed = ok(coord.patch(f"/facilities/{gym['id']}", json={"status": "full"}))
    assert (changed["status"], changed["occupancy"], changed["org"]) == ("full", 380, "kor-province")

    # Readers without the right: the owning organisation's viewer, another participant's contributor.
    problem(server.client(world.tokens["viewer"]).patch(f"/facilities/{gym['id']}", json={"status": "open"}), 403)
    rc = server.client(user_token(db, "rc-contrib", "kor-redcross", "contributor"))
    problem(rc.patch(f"/facilities/{gym['id']}", json={"status": "open"}), 403)
    # A coordinator of a participant that does not coordinate the operation is not its coordinator.
    problem(server.client(world.tokens["uscoord"]).patch(f"/facilities/{gym['id']}", json={"status": "open"}), 403)
    assert ok(coord.get(f"/facilities/{gym['id']}"))["status"] == "full"


def test_a_facility_under_a_narrower_label_is_unknown_to_those_outside_it(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "us-aviation"])["id"]
    province, usav = server.client(world.tokens["province"]), server.client(world.tokens["usav"])
    own = _facility(province, op, name="Province depot", label="org:kor-province")
    us = _facility(usav, op, kind="hospital", name="US field hospital", label="nation:USA", beds_available=20)

    # The operation's coordinator cannot read the province's own record: to it, it does not exist.
    for path in (f"/facilities/{own['id']}", f"/facilities/{own['id']}/history"):
        problem(coord.get(path), 404)
    problem(coord.patch(f"/facilities/{own['id']}", json={"status": "closed"}), 404)
    # A Korean reader never sees the US hospital: not in the list, not its history, not by PATCH.
    for reader in (coord, province):
        assert us["id"] not in {f["id"] for f in items(reader, f"/operations/{op}/facilities")}
        body = problem(reader.get(f"/facilities/{us['id']}/history"), 404)
        assert "US field hospital" not in str(body)
        problem(reader.patch(f"/facilities/{us['id']}", json={"beds_available": 0}), 404)
    ok(usav.patch(f"/facilities/{us['id']}", json={"beds_available": 5}))
    assert [c["beds_available"] for c in items(usav, f"/facilities/{us['id']}/history")] == [5, 20]
    # Their readers read them.
    assert ok(province.get(f"/facilities/{own['id']}"))["label"] == "org:kor-province"
    assert {f["id"] for f in items(usav, f"/operations/{op}/facilities")} == {us["id"]}


def test_bad_status_changes_are_refused_whole(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])["id"]
    gym = _facility(coord, op)
    for body in (
        {},
        {"status": "overflowing"},
        {"occupancy": -1},
        {"capacity": -5},
        {"beds_available": -1},
        {"status": None},
        {"needs": "water"},
        {"needs": [""]},
        {"needs": ["x" * 101]},
        {"needs": [f"item {i}" for i in range(21)]},
        {"name": "renamed"},
    ):
        problem(coord.patch(f"/facilities/{gym['id']}", json=body), 422)
    assert len(items(coord, f"/facilities/{gym['id']}/history")) == 1
    # A repeated need is said once; beds may be set, then said unknown again.
    assert ok(coord.patch(f"/facilities/{gym['id']}", json={"needs": [" water ", "water", "fuel"]}))["needs"] == [
        "water",
        "fuel",
    ]
    assert ok(coord.patch(f"/facilities/{gym['id']}", json={"beds_available": 12}))["beds_available"] == 12
    assert ok(coord.patch(f"/facilities/{gym['id']}", json={"beds_available": None}))["beds_available"] is None
    problem(coord.patch("/facilities/nope", json={"status": "open"}), 404)


def test_history_newest_first_with_who_and_the_values_after(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"])["id"]
    province = server.client(world.tokens["province"])
    hospital = _facility(province, op, kind="hospital", name="Ajou", capacity=100, beds_available=30)
    ok(province.patch(f"/facilities/{hospital['id']}", json={"beds_available": 10, "occupancy": 90}))
    ok(coord.patch(f"/facilities/{hospital['id']}", json={"status": "damaged", "needs": ["generator fuel"]}))
    ok(province.patch(f"/facilities/{hospital['id']}", json={"beds_available": 0}))

    history = items(province, f"/facilities/{hospital['id']}/history")
    assert [(h["change"], h["by"]) for h in history] == [
        ("updated", "kor-province"),
        ("updated", "kor-cmoc"),
        ("updated", "kor-province"),
        ("added", "kor-province"),
    ]
    assert [h["seq"] for h in history] == sorted((h["seq"] for h in history), reverse=True)
    assert [(h["status"], h["occupancy"], h["beds_available"], h["needs"]) for h in history] == [
        ("damaged", 90, 0, ["generator fuel"]),
        ("damaged", 90, 10, ["generator fuel"]),
        ("open", 90, 10, []),
        ("open", 0, 30, []),
    ]
    # Paginated like other lists.
    first = ok(province.get(f"/facilities/{hospital['id']}/history", params={"limit": 3}))
    assert len(first["items"]) == 3 and first["next"]
    rest = ok(province.get(f"/facilities/{hospital['id']}/history", params={"limit": 3, "cursor": first["next"]}))
    assert [h["change"] for h in rest["items"]] == ["added"] and rest["next"] is None
    # The last update is the facility's.
    assert ok(province.get(f"/facilities/{hospital['id']}"))["updated_at"] == history[0]["at"]


def test_hxl_export_carries_the_live_status(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["us-aviation"])["id"]
    gym = _facility(coord, op, capacity=400)
    ok(coord.patch(f"/facilities/{gym['id']}", json={"status": "full", "occupancy": 410, "beds_available": 0,
                                                     "needs": ["water", "=cmd()"]}))  # fmt: skip
    _facility(server.client(world.tokens["usav"]), op, name="US secret", label="nation:USA")
    table = list(csv.reader(io.StringIO(coord.get(f"/operations/{op}/hxl/facilities.csv").text)))
    tags = table[1]
    assert tags[:5] == ["#loc+name", "#loc+type", "#capacity", "#reached+occupancy", "#capacity+beds+available"]
    assert {"#status", "#item+needed", "#date+updated", "#org", "#meta+label"} <= set(tags)
    rows = table[2:]
    assert len(rows) == 1  # the US facility is not the Korean coordinator's to export
    row = dict(zip(tags, rows[0], strict=True))
    assert (row["#status"], row["#capacity"], row["#reached+occupancy"], row["#capacity+beds+available"]) == (
        "full",
        "400",
        "410",
        "0",
    )
    assert row["#item+needed"] == "water; =cmd()" and row["#date+updated"].startswith("20")


def test_a_change_reaches_the_live_stream_of_its_readers_only(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["us-aviation"])["id"]
    usav = server.client(world.tokens["usav"])
    gym = _facility(coord, op)
    us = _facility(usav, op, name="US pad", label="nation:USA")
    with open_stream(server.url, world.tokens["coord"], op) as stream:
        stream.until(lambda e: e.kind == "cop.facility.added")
        ok(usav.patch(f"/facilities/{us['id']}", json={"status": "closed"}))
        ok(coord.patch(f"/facilities/{gym['id']}", json={"status": "full", "occupancy": 400}))
        event = stream.until(lambda e: e.kind == "cop.facility.updated")
    assert all(e.data["subject"]["id"] != us["id"] for e in event)
    update = event[-1].data
    assert update["subject"] == {"type": "facility", "id": gym["id"]}
    assert update["payload"] | {"changed": sorted(update["payload"]["changed"])} == {
        "status": "full",
        "capacity": 400,
        "occupancy": 400,
        "beds_available": None,
        "needs": [],
        "changed": ["occupancy", "status"],
        "by": "kor-cmoc",
    }
    assert update["label"] == "alliance"
    # The replay folds it like the live map.
    picture = ok(coord.get(f"/operations/{op}/replay"))
    assert [(f["id"], f["status"], f["occupancy"]) for f in picture["facilities"]] == [(gym["id"], "full", 400)]
