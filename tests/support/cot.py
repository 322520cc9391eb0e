"""Cursor-on-Target events as a TAK device sends them, for the gateway tests and the load benchmark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def pli(uid: str, lat: float, lon: float, callsign: str = "", kind: str = "a-f-G-U-C", detail: str = "") -> bytes:
    """A position report (``a-f-…``; another ``kind`` for e.g. GeoChat), stale in 5 minutes; hae/ce/le
    are NaN as ATAK sends them without a fix; ``detail``: more elements after ``<contact>``."""
    now = datetime.now(UTC)
    t = now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    stale = (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'<event version="2.0" uid="{uid}" type="{kind}" how="m-g" time="{t}" start="{t}" stale="{stale}">'
        f'<point lat="{lat}" lon="{lon}" hae="NaN" ce="NaN" le="NaN"/><detail><contact callsign="{callsign or uid}"/>'
        f"{detail}</detail></event>"
    ).encode()
