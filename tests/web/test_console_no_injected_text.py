"""A link cannot make a console page say what the server did not: error texts and statuses come
only from the server's own refusals, never from the URL (a phisher's "call this number")."""

from __future__ import annotations

from katchi.db import Database
from tests.support.api import ok
from tests.support.server import LiveServer
from tests.support.world import World, user_token
from tests.web.test_console_auth import _login, _passwords
from tests.web.test_plans import plan_body

BAIT = "Your session expired: call +82-2-555-0199"


def test_error_text_and_status_are_not_taken_from_the_url(server: LiveServer, world: World, db: Database) -> None:
    user_token(db, "kor-ok", "kor-cmoc", "approver")
    user_token(db, "cmoc-admin", "kor-cmoc", "admin")
    _passwords(db, "coord", "kor-ok", "cmoc-admin")
    plan = ok(server.client(world.tokens["coord"]).post("/plans", json=plan_body()), 201)["id"]
    coord, _ = _login(server, "coord")
    approver, _ = _login(server, "kor-ok")
    admin, _ = _login(server, "cmoc-admin")
    op = ok(server.client(world.tokens["coord"]).post("/operations", json={"name": "o", "hazard": "flood"}), 201)["id"]
    lesson = ok(server.client(world.tokens["coord"]).post(
        "/observations", json={"title": {"en": "t"}, "observation": {"en": "o"}}), 201)["id"]  # fmt: skip
    for client, path in (
        (approver, "/approvals"),
        (coord, f"/plans/{plan}"),
        (coord, "/lessons"),
        (coord, f"/lessons/{lesson}"),
        (coord, "/operations/new"),
        (coord, f"/operations/{op}/admin"),
        (admin, "/admin/users"),
        (admin, "/admin/devices"),
    ):
        page = client.get(path, params={"error": BAIT, "status": 500})
        assert page.status_code == 200, path
        assert "555-0199" not in page.text, path
