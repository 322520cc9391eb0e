"""Administration over the API: operations closed, reopened and joined by invitation; an
organisation's users, roles, passwords, tokens and TAK devices — each two-sided (who may, and
who gets 403 or 404)."""

from __future__ import annotations

import time

from katchi.db import Database
from tests.support.api import create_operation, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, admin_token, user_token


def test_operations_are_closed_reopened_and_joined_by_invitation(
    server: LiveServer, world: World, db: Database
) -> None:
    coord, uscoord = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    usav, province = server.client(world.tokens["usav"]), server.client(world.tokens["province"])
    op = create_operation(coord, ["us-liaison", "kor-province"])
    ok(coord.post(f"/operations/{op['id']}/log", json={"text": "before the aviators came"}), 201)
    invite = {"organisations": ["us-aviation"]}
    problem(uscoord.post(f"/operations/{op['id']}/participants", json=invite), 403)  # does not coordinate
    problem(province.post(f"/operations/{op['id']}/participants", json=invite), 403)
    problem(usav.post(f"/operations/{op['id']}/participants", json=invite), 404)  # cannot see it
    problem(usav.get(f"/operations/{op['id']}/log"), 404)
    ok(coord.put(f"/operations/{op['id']}/coordinators", json={"coordinators": ["us-liaison"]}))
    joined = ok(uscoord.post(f"/operations/{op['id']}/participants", json=invite))
    assert "us-aviation" in joined["participants"]
    assert [e["text"] for e in ok(usav.get(f"/operations/{op['id']}/log"))["items"]] == ["before the aviators came"]
    problem(coord.post(f"/operations/{op['id']}/participants", json=invite), 409)
    problem(coord.post(f"/operations/{op['id']}/participants", json={"organisations": []}), 422)

    problem(uscoord.post(f"/operations/{op['id']}/actions/close", json={}), 403)  # co-coordinator, not lead
    us_admin = server.client(user_token(db, "liaison-admin", "us-liaison", "admin"))
    problem(us_admin.post(f"/operations/{op['id']}/actions/close", json={}), 403)  # another nation's admin
    army_admin = server.client(user_token(db, "army-admin", "kor-army", "admin"))
    problem(army_admin.post(f"/operations/{op['id']}/actions/close", json={}), 404)  # not a participant
    problem(army_admin.post(f"/operations/{op['id']}/participants", json={"organisations": ["kor-army"]}), 404)
    problem(server.client(world.tokens["roka"]).post(f"/operations/{op['id']}/actions/close", json={}), 404)
    closed = ok(coord.post(f"/operations/{op['id']}/actions/close", json={"reason": "stood down"}))
    assert closed["status"] == "closed"
    problem(usav.post(f"/operations/{op['id']}/log", json={"text": "late"}), 403)
    problem(coord.post(f"/operations/{op['id']}/actions/close", json={}), 409)
    assert ok(coord.post(f"/operations/{op['id']}/actions/reopen", json={}))["status"] == "active"
    kinds = [e["kind"] for e in ok(usav.get(f"/operations/{op['id']}/timeline", params={"limit": 100}))["items"]]
    assert kinds[-3:] == [
        "operations.operation.participants_added",
        "operations.operation.closed",
        "operations.operation.reopened",
    ]


def test_an_admin_administers_only_their_organisations_accounts(server: LiveServer, world: World, db: Database) -> None:
    admin = server.client(admin_token(db, "prov-admin", "kor-province"))
    us_admin = server.client(user_token(db, "us-admin", "us-aviation", "admin"))
    coord = server.client(world.tokens["coord"])
    names = [u["username"] for u in ok(admin.get("/users"))["items"]]
    assert names == ["prov-admin", "province", "viewer"]
    problem(admin.get("/users", params={"org": "us-aviation"}), 403)
    problem(coord.get("/users"), 403)  # not an admin

    added = ok(admin.post("/users", json={"username": "desk", "org": "kor-province", "role": "viewer"}), 201)
    assert added == added | {"username": "desk", "role": "viewer", "active": True, "has_password": False}
    problem(admin.post("/users", json={"username": "mole", "org": "us-aviation", "role": "admin"}), 403)
    assert ok(admin.put("/users/desk/role", json={"role": "contributor"}))["role"] == "contributor"
    problem(admin.put("/users/prov-admin/role", json={"role": "viewer"}), 422)  # no locking oneself out
    problem(admin.put("/users/usav/role", json={"role": "viewer"}), 403)
    problem(us_admin.put("/users/desk/role", json={"role": "viewer"}), 403)
    problem(admin.put("/users/desk/role", json={"role": "emperor"}), 422)

    weak = admin.put("/users/desk/password", json={"password": "password1234"})
    assert "password1234" not in problem(weak, 422)["detail"]
    assert admin.put("/users/desk/password", json={"password": "a quiet harbour at dawn"}).status_code == 204
    problem(us_admin.put("/users/desk/password", json={"password": "a quiet harbour at dawn"}), 403)
    assert ok(admin.get("/users/desk"))["has_password"] is True

    issued = ok(admin.post("/users/desk/tokens", json={"expires_in": "30d"}), 201)
    assert issued["token"].startswith(issued["prefix"]) and issued["expires_at"]
    problem(admin.post("/users/desk/tokens", json={"expires_in": "forever"}), 422)
    problem(us_admin.post("/users/desk/tokens", json={}), 403)
    desk = server.client(issued["token"])
    assert ok(desk.get("/me"))["role"] == "contributor"
    listed = ok(admin.get("/tokens", params={"user": "desk"}))["items"]
    assert [t["prefix"] for t in listed] == [issued["prefix"]] and "token" not in listed[0]
    assert all(t["username"] != "usav" for t in ok(admin.get("/tokens"))["items"])
    problem(us_admin.post(f"/tokens/{listed[0]['id']}/actions/revoke"), 403)
    assert ok(admin.post(f"/tokens/{listed[0]['id']}/actions/revoke"))["revoked_at"]
    _refused_soon(desk)

    assert ok(admin.post("/users/viewer/actions/disable"))["active"] is False
    problem(server.client(world.tokens["viewer"]).get("/me"), 401)
    problem(admin.post("/users/prov-admin/actions/disable"), 422)
    problem(us_admin.post("/users/viewer/actions/enable"), 403)
    assert ok(admin.post("/users/viewer/actions/enable"))["active"] is True
    assert ok(server.client(world.tokens["viewer"]).get("/me"))["username"] == "viewer"


def _refused_soon(client) -> None:  # type: ignore[no-untyped-def]
    """A revoked token is refused once the server's short token cache forgets it."""
    for _ in range(50):
        if client.get("/me").status_code == 401:
            return
        time.sleep(0.1)
    raise AssertionError("a revoked token still works")


def test_tak_devices_are_their_organisations(server: LiveServer, world: World, db: Database) -> None:
    army_admin = server.client(user_token(db, "army-admin", "kor-army", "admin"))
    us_admin = server.client(user_token(db, "us-admin", "us-aviation", "admin"))
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-army"])
    us_op = create_operation(server.client(world.tokens["uscoord"]), ["us-aviation"], label="nation:USA")
    device = ok(army_admin.post("/tak/devices", json={"uid": "ANDROID-roka-1", "user": "roka"}), 201)
    assert device == device | {"uid": "ANDROID-roka-1", "org": "kor-army", "user": "roka", "operation_id": None}
    problem(army_admin.post("/tak/devices", json={"uid": "ANDROID-us", "user": "usav"}), 403)
    problem(army_admin.post("/tak/devices", json={"uid": "ANDROID-roka-1", "user": "roka"}), 409)
    problem(army_admin.post("/tak/devices", json={"uid": "bad uid!", "user": "roka"}), 422)
    assigned = ok(army_admin.put("/tak/devices/ANDROID-roka-1/operation", json={"operation_id": op["id"]}))
    assert assigned["operation_id"] == op["id"]
    problem(army_admin.put("/tak/devices/ANDROID-roka-1/operation", json={"operation_id": us_op["id"]}), 422)
    problem(us_admin.put("/tak/devices/ANDROID-roka-1/operation", json={"operation_id": None}), 403)
    assert [d["uid"] for d in ok(army_admin.get("/tak/devices"))["items"]] == ["ANDROID-roka-1"]
    assert ok(us_admin.get("/tak/devices"))["items"] == []
    problem(coord.get("/tak/devices"), 403)
