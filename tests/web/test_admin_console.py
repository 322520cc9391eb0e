"""The administration pages' forms need a session and its CSRF token, and offer their forms (and
the header's link) only to those who may use them."""

from __future__ import annotations

import re

import httpx

from katchi.db import Database
from tests.support.server import LiveServer
from tests.support.world import World, user_token
from tests.web.test_console_auth import _login, _passwords


def test_admin_forms_need_a_session_and_its_csrf_token(server: LiveServer, world: World, db: Database) -> None:
    user_token(db, "cmoc-admin", "kor-cmoc", "admin")
    _passwords(db, "cmoc-admin", "coord", "viewer")
    anonymous = httpx.Client(base_url=server.url, timeout=10)
    for path in ("/admin/users", "/admin/devices", "/operations/new"):
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303 and "/login?next=" in answer.headers["location"]
    admin, _ = _login(server, "cmoc-admin")
    forged = admin.post("/admin/users/add", data={"username": "mole", "role": "admin", "csrf_token": "wrong"})
    assert forged.status_code == 403
    forged = admin.post("/admin/users/coord/role", data={"role": "viewer"})
    assert forged.status_code == 403
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "Administration" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    issued = admin.post("/admin/users/coord/token", data={"csrf_token": csrf.group(1), "expires": "1h"})
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert re.search(r"<code>katchi_[\w-]+</code>", issued.text)
    weak = admin.post("/admin/users/coord/password", data={"csrf_token": csrf.group(1), "password": "hunter2hunter2"})
    assert weak.status_code == 422 and "hunter2hunter2" not in weak.text  # refused, and never shown back
    other = admin.post("/admin/users/viewer/disable", data={"csrf_token": csrf.group(1)})
    assert other.status_code == 403 and "own organisation" in other.text  # another organisation's user

    coord, _ = _login(server, "coord")
    assert "/admin/users" not in coord.get("/").text  # no header link without the role
    assert coord.get("/admin/users").status_code == 403
    assert coord.get("/admin/devices").status_code == 403
    assert "/operations/new" in coord.get("/").text
    viewer, _ = _login(server, "viewer")
    assert "/operations/new" not in viewer.get("/").text
    assert viewer.get("/operations/new").status_code == 403
