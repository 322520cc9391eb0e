"""Positions of moving assets: where an asset is now, its track, and what the log keeps of it.

A device reporting once a second would otherwise write ~86,000 chained log entries a day; the log
is for meaningful changes. So a report moves the asset (its current location, read like any of
its fields), adds a point to its track at most every ``track_every``, and is logged as
``assets.asset.updated`` only when it lies more than ``log_move_m`` from where the log last put
the asset. ``prune_positions`` thins the track after ``full`` to one point per ``every`` and
drops it after ``keep``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from katchi.assets.models import AssetPosition
from katchi.assets.queries import visible_asset
from katchi.assets.schemas import TrackPoint
from katchi.assets.service import log_asset_update, require_manager
from katchi.core import Forbidden, envelope_columns, validate_geometry
from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.core.geo import great_circle_km


@dataclass(frozen=True, slots=True)
class PositionPolicy:
    #: A track point at most this often per asset.
    track_every: timedelta = timedelta(seconds=10)
    #: A move is logged when it lies this far from the asset's last logged position.
    log_move_m: float = 250.0


def report_position(
    session: Session, ctx: Context, asset_id: str, lon: float, lat: float, *, policy: PositionPolicy
) -> bool:
    """Move an asset to where its crew reports it (its organisation's asset managers, e.g. through a
    TAK device); True when the move was far enough to be logged."""
    principal = ctx.require()
    asset, _org = visible_asset(session, principal, asset_id)
    if asset.org_id != principal.org_id:
        raise Forbidden("only the asset's organisation may report its position")
    require_manager(principal)
    where = validate_geometry({"type": "Point", "coordinates": [lon, lat]})
    asset.location = where
    for k, v in envelope_columns(where).items():
        setattr(asset, k, v)
    if asset.track_at is None or ctx.now - asset.track_at >= policy.track_every:
        session.add(AssetPosition(asset_id=asset.id, at=ctx.now, lon=lon, lat=lat, source=ctx.source[:32]))
        asset.track_at = ctx.now
    if not _far(asset.logged_location, lon, lat, policy.log_move_m):
        return False
    log_asset_update(session, ctx, asset)
    return True


def _far(logged: dict[str, Any] | None, lon: float, lat: float, metres: float) -> bool:
    if not logged or logged.get("type") != "Point":
        return True
    lon0, lat0 = logged["coordinates"][:2]
    return great_circle_km(lon0, lat0, lon, lat) * 1000 >= metres


def track(
    session: Session, principal: Principal | None, asset_id: str, *, since: datetime, until: datetime | None = None
) -> list[TrackPoint]:
    """An asset's track, oldest first, for whoever may read the asset (404 for anyone else)."""
    asset, _ = visible_asset(session, principal, asset_id)
    query = select(AssetPosition).where(AssetPosition.asset_id == asset.id, AssetPosition.at >= since)
    if until is not None:
        query = query.where(AssetPosition.at <= until)
    rows = session.scalars(query.order_by(AssetPosition.at).limit(100_000))
    return [TrackPoint(at=p.at, lon=p.lon, lat=p.lat, source=p.source) for p in rows]


def prune_positions(session: Session, now: datetime, *, full: timedelta, keep: timedelta, every: timedelta) -> int:
    """Drop track points older than ``keep``; between ``keep`` and ``full`` keep the first point of
    each asset in each ``every``. How many points were removed. Maintenance by the system (the
    server's hourly run, ``katchi positions prune``): no caller, nothing logged."""
    dropped = cast("CursorResult[Any]", session.execute(delete(AssetPosition).where(AssetPosition.at < now - keep)))
    removed = dropped.rowcount or 0
    rows = session.execute(
        select(AssetPosition.id, AssetPosition.asset_id, AssetPosition.at)
        .where(AssetPosition.at < now - full)
        .order_by(AssetPosition.asset_id, AssetPosition.at)
    )
    step = every.total_seconds()
    thin: list[int] = []
    last: tuple[str, int] | None = None
    for point_id, asset_id, at in rows:
        bucket = (asset_id, int(at.timestamp() // step))
        if bucket == last:
            thin.append(point_id)
        last = bucket
    for i in range(0, len(thin), 1000):
        session.execute(delete(AssetPosition).where(AssetPosition.id.in_(thin[i : i + 1000])))
    return removed + len(thin)
