"""Positions of moving assets are state with a history, not audit events: a report moves the asset
and adds to its track at most every ``track_every``; the chained log records a move only beyond
``log_move_m`` from the last logged position; old track points are thinned, then dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from katchi import assets
from katchi.assets import PositionPolicy, prune_positions, report_position, track
from katchi.core import Forbidden, Invalid, NotFound
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from tests.support.api import point
from tests.support.world import World, acting_as

POLICY = PositionPolicy(track_every=timedelta(seconds=10), log_move_m=250.0)
LON, LAT = 127.0, 37.5
METRE_LON = 1 / 88_200  # degrees of longitude per metre at 37.5° N (about)


def _helicopter(db: Database, world: World) -> str:
    with transaction(db) as s:
        return assets.register_asset(
            s,
            acting_as(db, world, "roka"),
            assets.AssetCreate(name="KUH-1", capability="medium_helicopter", location=point(LON, LAT)),
        ).id


def _logged(db: Database, asset_id: str) -> int:
    with db.read() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(LogEntry)
                .where(LogEntry.subject_id == asset_id, LogEntry.kind == "assets.asset.updated")
            )
            or 0
        )


def test_small_moves_update_the_asset_and_its_track_but_not_the_log(db: Database, world: World) -> None:
    heli = _helicopter(db, world)
    roka = acting_as(db, world, "roka")
    t0 = utcnow()
    for second in range(21):  # 10 m a second for 20 s: 200 m in all
        ctx = Context(roka.principal, source="interop:cot", now=t0 + timedelta(seconds=second))
        with transaction(db) as s:
            assert not report_position(s, ctx, heli, LON + 10 * second * METRE_LON, LAT, policy=POLICY)
    with db.read() as s:
        asset = s.get(assets.Asset, heli)
        assert asset is not None and asset.location["coordinates"] == [LON + 200 * METRE_LON, LAT]
        points = track(s, roka.principal, heli, since=t0 - timedelta(minutes=1))
    assert [p.at for p in points] == [t0, t0 + timedelta(seconds=10), t0 + timedelta(seconds=20)]
    assert _logged(db, heli) == 0
    with transaction(db) as s:  # 1 km on: a meaningful move, logged once
        ctx = Context(roka.principal, source="interop:cot", now=t0 + timedelta(seconds=22))
        assert report_position(s, ctx, heli, LON + 1200 * METRE_LON, LAT, policy=POLICY)
    assert _logged(db, heli) == 1
    with transaction(db) as s:
        ctx = Context(roka.principal, source="interop:cot", now=t0 + timedelta(seconds=23))
        assert not report_position(s, ctx, heli, LON + 1300 * METRE_LON, LAT, policy=POLICY)  # 100 m from it
    assert _logged(db, heli) == 1


def test_only_the_owning_organisations_managers_report_positions(db: Database, world: World) -> None:
    heli = _helicopter(db, world)
    for who in ("usav", "coord"):
        with pytest.raises((Forbidden, NotFound)), transaction(db) as s:
            report_position(s, acting_as(db, world, who), heli, LON, LAT, policy=POLICY)
    with pytest.raises(Invalid), transaction(db) as s:
        report_position(s, acting_as(db, world, "roka"), heli, 200.0, LAT, policy=POLICY)


def test_old_track_points_are_thinned_then_dropped(db: Database, world: World) -> None:
    heli = _helicopter(db, world)
    roka = acting_as(db, world, "roka")
    now = utcnow()
    start = now - timedelta(days=3)
    with transaction(db) as s:
        for minute in range(3 * 24 * 60):  # a point a minute for three days
            ctx = Context(roka.principal, source="interop:cot", now=start + timedelta(minutes=minute))
            report_position(s, ctx, heli, LON + (minute % 7) * METRE_LON, LAT, policy=POLICY)
    with transaction(db) as s:
        removed = prune_positions(s, now, full=timedelta(hours=24), keep=timedelta(days=2), every=timedelta(minutes=5))
    with db.read() as s:
        points = track(s, roka.principal, heli, since=now - timedelta(days=10))
    ats = [p.at for p in points]
    assert removed > 0 and min(ats) >= now - timedelta(days=2)
    recent = [a for a in ats if a >= now - timedelta(hours=24)]
    thinned = [a for a in ats if a < now - timedelta(hours=24)]
    assert len(recent) >= 24 * 60 - 2  # every point of the last day
    assert 24 * 12 - 2 <= len(thinned) <= 24 * 12 + 2  # one per five minutes the day before
    with transaction(db) as s:
        assert (
            prune_positions(s, now, full=timedelta(hours=24), keep=timedelta(days=2), every=timedelta(minutes=5)) == 0
        )
