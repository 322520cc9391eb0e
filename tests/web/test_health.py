"""``/healthz`` answers everyone with the status, and only administrators with the platform's counters
(how busy it is and how many listen are nobody else's business)."""

from __future__ import annotations

import httpx

from katchi.db import Database
from tests.support.server import LiveServer
from tests.support.world import World, admin_token


def test_status_for_everyone_counters_for_admins(db: Database, world: World, server: LiveServer) -> None:
    url = server.url + "/healthz"
    assert httpx.get(url).json() == {"status": "ok"}
    assert httpx.get(url, headers={"Authorization": f"Bearer {world.tokens['coord']}"}).json() == {"status": "ok"}
    assert httpx.get(url, headers={"Authorization": "Bearer katchi_not-a-token"}).json() == {"status": "ok"}
    counters = httpx.get(url, headers={"Authorization": f"Bearer {admin_token(db)}"}).json()
    assert counters["status"] == "ok" and set(counters) == {"status", "writer", "live"}
    assert counters["live"]["subscribers"] == 0
