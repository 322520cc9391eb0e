"""A TAK crew's positions build its asset's track, readable over REST by the asset's readers only,
while the chained log records only the moves that matter."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select

from katchi import assets
from katchi.assets import PositionPolicy
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from katchi.interop.tak import register_device
from tests.support.api import ok, point, problem
from tests.support.cot import pli
from tests.support.server import LiveServer
from tests.support.tak import Client, running_gateway
from tests.support.world import World, acting_as

METRE_LAT = 1 / 111_000


def test_a_crew_builds_its_assets_track_and_the_log_keeps_only_far_moves(
    db: Database, world: World, db_url: str, server: LiveServer
) -> None:
    with transaction(db) as s:
        heli = assets.register_asset(
            s,
            acting_as(db, world, "roka"),
            assets.AssetCreate(
                name="KUH-1", capability="medium_helicopter", location=point(127.0, 37.5), label="nation:KOR"
            ),
        )
        register_device(s, Context(None, source="test"), "ANDROID-KOR-1", "roka", heli.id)
    policy = PositionPolicy(track_every=timedelta(seconds=0.5), log_move_m=250.0)
    with running_gateway(db_url, positions=policy) as port:
        crew = Client(port)
        for i in range(16):  # 4 s at 4 reports a second, 5 m apart: 75 m in all
            crew.send(pli("ANDROID-KOR-1", 37.5 + 5 * i * METRE_LAT, 127.0))
            time.sleep(0.25)
        time.sleep(1.5)  # the last position of a burst is written when its second is up
    roka, us = server.client(world.tokens["roka"]), server.client(world.tokens["usav"])
    track = ok(roka.get(f"/assets/{heli.id}/track"))["items"]
    assert 3 <= len(track) <= 6 and all(p["source"] == "interop:cot" for p in track)
    assert [p["at"] for p in track] == sorted(p["at"] for p in track)
    assert abs(track[-1]["lat"] - (37.5 + 75 * METRE_LAT)) < 1e-9
    assert ok(roka.get(f"/assets/{heli.id}"))["location"]["coordinates"] == [127.0, track[-1]["lat"]]
    problem(us.get(f"/assets/{heli.id}/track"), 404)  # a US user does not read a nation:KOR asset
    problem(roka.get(f"/assets/{heli.id}/track", params={"since": "2026-12-01T00:00:00"}), 422)
    assert ok(roka.get(f"/assets/{heli.id}/track", params={"since": "2099-01-01T00:00:00Z"}))["items"] == []
    with db.read() as s:
        logged = s.scalar(
            select(func.count())
            .select_from(LogEntry)
            .where(LogEntry.subject_id == heli.id, LogEntry.kind == "assets.asset.updated")
        )
    assert logged == 0  # 75 m is no move worth a chained entry
