"""Katchi's records as CoT map markers for TAK devices (``b-m-p-s-m`` spot markers): incidents and
RFAs with the asset each is tasked to. A closed incident or finished RFA is sent already stale,
which removes it from the devices' maps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import shapely.geometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.assets import Asset

OPEN_RFA = {"draft", "submitted", "validated", "tasked", "accepted", "underway", "declined"}


def _point(geometry: dict[str, Any]) -> tuple[float, float]:
    shape = shapely.geometry.shape(geometry)
    p = shape if shape.geom_type == "Point" else shape.representative_point()
    return p.y, p.x


def _cot(
    uid: str, callsign: str, remarks: str, geometry: dict[str, Any], *, open_: bool, kind: str, exercise: bool = False
) -> bytes:
    """A spot marker; an exercise's marker says EXERCISE first in its callsign and its remarks."""
    if exercise:
        callsign, remarks = f"EXERCISE {callsign}", f"EXERCISE · {remarks}"
    now = datetime.now(UTC)
    stale = now + (timedelta(days=1) if open_ else timedelta(seconds=0))
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"  # noqa: E731
    lat, lon = _point(geometry)
    return (
        f'<event version="2.0" uid={quoteattr(uid)} type="b-m-p-s-m" how="h-g-i-g-o" time="{iso(now)}" '
        f'start="{iso(now)}" stale="{iso(stale)}"><point lat="{lat:.6f}" lon="{lon:.6f}" hae="9999999.0" '
        f'ce="9999999.0" le="9999999.0"/><detail><contact callsign={quoteattr(callsign[:120])}/>'
        f"<remarks>{escape(remarks)}</remarks><katchi kind={quoteattr(kind)}/></detail></event>"
    ).encode()


def incident_cot(
    iid: str, title: str, severity: str, status: str, location: dict[str, Any], label: str, *, exercise: bool = False
) -> bytes:
    return _cot(f"katchi-incident-{iid}", title, f"{severity} · {status} · {label}", location,
                open_=status == "open", kind="incident", exercise=exercise)  # fmt: skip


def rfa_cot(
    rid: str,
    title: str,
    state: str,
    location: dict[str, Any],
    label: str,
    asset: str | None = None,
    caveats: str = "",
    *,
    exercise: bool = False,
) -> bytes:
    """An RFA as a map point; ``asset``: the asset it is tasked to (for devices that may see it);
    ``caveats``: that asset's caveats, for its owner's devices (its crew must keep them)."""
    remarks = f"{state} · tasked to {asset} · {label}" if asset else f"{state} · {label}"
    if asset and caveats:
        remarks = f"{state} · tasked to {asset} · caveats: {caveats} · {label}"
    return _cot(
        f"katchi-rfa-{rid}", f"RFA: {title}", remarks, location, open_=state in OPEN_RFA, kind="rfa", exercise=exercise
    )


def notice_cot(to_uid: str, text: str) -> bytes:
    """A GeoChat message from Katchi to one device (why its chat was refused, for instance)."""
    now = datetime.now(UTC)
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"  # noqa: E731
    uid = f"GeoChat.katchi.{to_uid}.{now.timestamp():.3f}"
    return (
        f'<event version="2.0" uid={quoteattr(uid)} type="b-t-f" how="h-g-i-g-o" time="{iso(now)}" '
        f'start="{iso(now)}" stale="{iso(now + timedelta(days=1))}"><point lat="0" lon="0" hae="9999999.0" '
        f'ce="9999999.0" le="9999999.0"/><detail><__chat chatroom="Katchi" id="katchi" senderCallsign="Katchi">'
        f'<chatgrp uid0="katchi" uid1={quoteattr(to_uid)} id="katchi"/></__chat>'
        f'<remarks source="katchi" to={quoteattr(to_uid)}>{escape(text)}</remarks></detail></event>'
    ).encode()


def caveat_remarks(caveats: dict[str, Any]) -> str:
    """An asset's caveats in a few words for a crew's map marker."""
    parts = []
    if caveats.get("area"):
        parts.append("area limited")
    if caveats.get("max_hours"):
        parts.append(f"max {caveats['max_hours']:g} h")
    if caveats.get("excluded_tasks"):
        parts.append("not for " + ", ".join(caveats["excluded_tasks"]))
    if caveats.get("national_approval"):
        parts.append("national approval")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class TaskedAsset:
    """The asset of an RFA's tasking: named to readers of the tasking, its caveats to its owner's devices."""

    name: str
    org_id: str
    caveats: str


def tasked_assets(session: Session, asset_ids: list[str]) -> dict[str, TaskedAsset]:
    """Asset id → what a marker says of it, in one query."""
    if not asset_ids:
        return {}
    rows = session.execute(
        select(Asset.id, Asset.name, Asset.org_id, Asset.caveats).where(Asset.id.in_(set(asset_ids)))
    ).all()
    return {aid: TaskedAsset(name, org_id, caveat_remarks(caveats or {})) for aid, name, org_id, caveats in rows}
