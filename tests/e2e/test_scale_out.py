"""Two `katchi serve` processes on one PostgreSQL database share live events through LISTEN/NOTIFY."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.api import create_operation, ok
from tests.support.server import katchi_process
from tests.support.sse import open_stream
from tests.support.world import World

pytestmark = pytest.mark.postgres_only


def test_event_committed_through_one_server_reaches_subscribers_of_the_other(db_url: str, world: World) -> None:
    with katchi_process(db_url) as a, katchi_process(db_url) as b:
        coord_a = httpx.Client(base_url=a + "/api/v1", headers={"Authorization": f"Bearer {world.tokens['coord']}"})
        coord_b = httpx.Client(base_url=b + "/api/v1", headers={"Authorization": f"Bearer {world.tokens['coord']}"})
        op = create_operation(coord_a, ["kor-province", "us-aviation"])
        with (
            open_stream(b, world.tokens["province"], op["id"]) as on_b,
            open_stream(a, world.tokens["usav"], op["id"]) as on_a,
        ):
            assert on_b.take(1)[0].kind == "operations.operation.created"
            assert on_a.take(1)[0].kind == "operations.operation.created"
            t0 = time.monotonic()
            posted_a = [ok(coord_a.post(f"/operations/{op['id']}/log", json={"text": f"A{i}"}), 201) for i in range(5)]
            posted_b = [ok(coord_b.post(f"/operations/{op['id']}/log", json={"text": f"B{i}"}), 201) for i in range(5)]
            kor_only = ok(coord_a.post(f"/operations/{op['id']}/log", json={"text": "K", "label": "nation:KOR"}), 201)
            # An alliance line after the KOR-only one: the US reader reads up to it, so a KOR-only
            # line that reached it would be read (and fail the test) rather than left unread.
            last = ok(coord_b.post(f"/operations/{op['id']}/log", json={"text": "end"}), 201)
            got_b = on_b.take(12)
            got_a = on_a.until(lambda e: e.data["subject"]["id"] == last["id"])
            elapsed = time.monotonic() - t0
        want = [p["id"] for p in posted_a + posted_b]
        assert [e.data["subject"]["id"] for e in got_b] == [*want, kor_only["id"], last["id"]]
        assert [e.data["subject"]["id"] for e in got_a] == [*want, last["id"]]  # never the KOR-only line
        assert elapsed < 5
